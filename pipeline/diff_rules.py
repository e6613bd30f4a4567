"""The rules and labels of `diff` that are data: the yearly cycle, what rolls off the
table, the daff-style action of each kind of change and its Japanese name.

pipeline/diff.py pairs the items with these; diff_render.py and xlsx/diff_book.py show
them.  Changing a label here changes the stdout summary and the 差分 workbook alike.
"""
from __future__ import annotations

from schemas.vocab import NEXT_YEAR, RESULTS, THIS_YEAR

# The yearly cycle: last year's section → this year's section, and the change kind.
CYCLE = {NEXT_YEAR: (THIS_YEAR, "carried"), THIS_YEAR: (RESULTS, "done")}
# Sections whose items leave the table under the cycle: this year's 実績 are last year's
# 今年度, so last year's 実績 that nothing pairs are rolled off (掲載終了), not removed.
ROLL_OFF = (RESULTS,)
# daff's marks (+++ added, --- removed, -> changed); a roll-off is no deletion: "...".
ACTIONS = {"added": "+++", "removed": "---", "changed": "->", "carried": "->", "done": "->",
           "moved": "->", "rolled_off": "..."}
CHANGE_LABELS = {"added": "追加", "removed": "削除", "changed": "修正", "carried": "繰越", "done": "実施",
                 "moved": "移動", "rolled_off": "掲載終了"}
TAG_FIELDS = ("area", "actors", "relisted")
