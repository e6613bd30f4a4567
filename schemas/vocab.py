"""The domain vocabulary: the words the code itself branches on, named once.

Spellings that submitters may use instead (aliases of a 区分, the accepted marks of
再掲, the values of 方向, the 算定方法 in methods.csv) are reference data in schemas/reference/*.csv;
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
YEARLY = "yearly"       # a year's own target (master/targets.csv 種別 年度): that year's 進捗率 uses it
INTERIM = "interim"     # an interim target (種別 中間): a point of the 見込み line
TARGET = "target"       # the final target (master/kpis.csv 目標値; 種別 最終)
KPI_KINDS = (BASELINE, ACTUAL, YEARLY, INTERIM, TARGET)
TARGET_KINDS = (YEARLY, INTERIM, TARGET)
KPI_KIND_LABELS = {BASELINE: "基準値", ACTUAL: "実績値", YEARLY: "年度目標値", INTERIM: "中間目標値",
                   TARGET: "目標値"}

# --- 方向 (which way is better) and 算定方法 (how 進捗率 is computed) --------------------
INCREASE = "増加"
DECREASE = "減少"
DIRECTIONS = (INCREASE, DECREASE)
DEFAULT_DIRECTION = INCREASE      # a blank 方向 in master/kpis.csv

# Every 算定方法 (name, aliases, formula, implied 方向) is a row of schemas/reference/methods.csv;
# these two are the ones a KPI frame without that table is read with (progress.DEFAULT_FORMULAS).
ACHIEVEMENT = "達成率"   # 実績値 ÷ 目標値 (減少: 目標値 ÷ 実績値)
IMPROVEMENT = "改善率"   # (実績値 − 基準値) ÷ (目標値 − 基準値)
METHODS = (ACHIEVEMENT, IMPROVEMENT)
DEFAULT_METHOD = ACHIEVEMENT      # a blank 算定方法 in master/kpis.csv (methods.csv 既定 = 1)

# --- 進捗率の表示 (master/settings.csv): as a number, or capped with these labels ------------
NUMERIC_DISPLAY = "数値"
CAPPED_DISPLAY = "上限付き"
PROGRESS_DISPLAYS = (NUMERIC_DISPLAY, CAPPED_DISPLAY)
ABOVE_LABEL = "100%超"     # 上限付き: a 進捗率 above 100 % (exactly 100 % stays a number)
BELOW_LABEL = "0%未満"     # 上限付き: a 進捗率 below 0 %
NO_PROGRESS = "－"         # a 進捗率 that cannot be computed (a target that is not a number)

# --- 種類 of a submitter (master/submitters.csv) and its KPI column ---------------------------
MUNICIPALITY = "市町村"
BUREAU = "振興局"
HEAD_OFFICE = "本庁"
SUBMITTER_KINDS = (MUNICIPALITY, BUREAU, HEAD_OFFICE)
NEEDS_BUREAU = (MUNICIPALITY, BUREAU)   # a 市町村 or 振興局 names its 振興局
ALL_KPIS = "全て"                        # the KPI column's word for every KPI of its projects
