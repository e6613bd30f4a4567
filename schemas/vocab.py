"""The domain vocabulary: the words the code itself branches on, named once.

Spellings that submitters may use instead (aliases of a 区分, the accepted marks of
再掲, the values of 方向 and 算定方法) are reference data in schemas/reference/*.csv;
this module names the canonical values and the defaults that code compares against.
tests/test_vocab.py checks that the reference data and this module agree.
"""
from __future__ import annotations

# --- 区分 (sections of a project's table), in display order ------------------------------
RESULTS = "実績"        # これまでの主な取組実績
ISSUES = "課題"         # 今後の取組を進める上での主な課題
THIS_YEAR = "今年度"    # 今年度の主な取組
NEXT_YEAR = "次年度"    # 次年度の取組
SECTIONS = (RESULTS, ISSUES, THIS_YEAR, NEXT_YEAR)
MEASURE_SECTIONS = (RESULTS, THIS_YEAR, NEXT_YEAR)   # headed by a ■ 施策 of the master

# --- kinds of a row of the tidy KPI frame (kpi.csv `kind`), in display order ---------------
BASELINE = "baseline"
ACTUAL = "actual"
TARGET = "target"
KPI_KINDS = (BASELINE, ACTUAL, TARGET)
KPI_KIND_LABELS = {BASELINE: "基準値", ACTUAL: "実績値", TARGET: "目標値"}

# --- 方向 (which way is better) and 算定方法 (how 進捗率 is computed) --------------------
INCREASE = "増加"
DECREASE = "減少"
DIRECTIONS = (INCREASE, DECREASE)
DEFAULT_DIRECTION = INCREASE      # a blank 方向 in master/kpis.csv

ACHIEVEMENT = "達成率"   # 実績値 ÷ 目標値 (減少: 目標値 ÷ 実績値)
IMPROVEMENT = "改善率"   # (実績値 − 基準値) ÷ (目標値 − 基準値)
METHODS = (ACHIEVEMENT, IMPROVEMENT)
DEFAULT_METHOD = ACHIEVEMENT      # a blank 算定方法 in master/kpis.csv

# --- 種類 of a submitter (master/submitters.csv) and its KPI column ---------------------------
MUNICIPALITY = "市町村"
BUREAU = "振興局"
HEAD_OFFICE = "本庁"
SUBMITTER_KINDS = (MUNICIPALITY, BUREAU, HEAD_OFFICE)
NEEDS_BUREAU = (MUNICIPALITY, BUREAU)   # a 市町村 or 振興局 names its 振興局
ALL_KPIS = "全て"                        # the KPI column's word for every KPI of its projects
