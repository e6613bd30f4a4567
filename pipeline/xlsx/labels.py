"""Every text of the 推進管理表 workbook that a reader sees, in Japanese, in one place.

Sheet names are labels too: `diff` reads a workbook back by the data sheets' names
(readback.py), so renaming one makes older workbooks unreadable for `diff`.
"""
from __future__ import annotations

# --- sheet names ------------------------------------------------------------------------
SHEET_OVERVIEW = "一覧"  # the first sheet: every KPI, its 見込み, a link to its project sheet
SHEET_INITIATIVES = "取組データ"
SHEET_KPI = "KPIデータ"
SHEET_PROJECTS = "プロジェクトデータ"
SHEET_MEASURES = "施策データ"
SHEET_KPI_MASTER = "KPI定義"
SHEET_SOURCES = "出典"
SHEET_TREND = "実績の推移"  # the whole-Hokkaido book only, hidden: what its 一覧 sparklines show
TREND_KPI = "KPI ID"
FIXED_SHEETS = (SHEET_OVERVIEW, SHEET_INITIATIVES, SHEET_KPI, SHEET_PROJECTS, SHEET_MEASURES,
                SHEET_KPI_MASTER, SHEET_SOURCES)

# --- texts --------------------------------------------------------------------------------
TITLE = "プロジェクト推進管理表"
HEAD_PURPOSE = "【概要・目的】"
HEAD_MEASURES = "【施策展開】"
HEAD_RESULTS = "これまでの主な取組実績"
HEAD_ISSUES = "今後の取組を進める上での主な課題"
HEAD_THIS_YEAR = "今年度の主な取組（{title}）"
HEAD_NEXT_YEAR = "次年度の取組（{title}）"
HEAD_KPI = "【ＫＰＩの状況】"
KPI_CORNER = "指標"
KPI_RATE_LABEL = "＜進捗率＞"
KPI_GRADE_LABEL = "＜評価＞"
KPI_BASE_SUFFIX = "（基準）"
KPI_TARGET_SUFFIX = "（目標）"
KPI_UNIT_LINE = "（単位：{unit}）"
KPI_TARGET_LINE = "目標値：{value}（{year}）"
KPI_OTHER_TARGET_LINE = "{label}：{value}（{year}）"   # 中間目標値・年度目標値 hidden by an actual
KPI_MEASURED_NOTE = "※{year}欄の数値は{measured}の値"
KPI_NOTE = "※網掛けは基準値・目標値。進捗率は0.1％単位に四捨五入して表示し、100％以上を緑色で示す。"
KPI_CAPPED_NOTE = "100％を超える進捗率は「100%超」、0％未満は「0%未満」と表示する。"
HEAD_CHARTS = "【ＫＰＩの推移】"
CHART_GROUP = "グラフの数値：{indicator}（単位：{unit}）"
SERIES_ACTUAL = "実績値"
SERIES_TARGET = "目標値"
SERIES_LINE = "基準値→目標値（直線）"
SERIES_PIECEWISE = "基準値→目標値（折れ線）"   # through interim / yearly targets
CHART_X_TITLE = "年度"
CHART_Y_TITLE = "単位：{unit}"
CHART_NOTE = ("※グラフは「グラフの数値」から描いている。「基準値→目標値（直線）」は基準年度の基準値と目標年度の"
              "目標値を結ぶ直線上の各年度の値で、一覧シートの見込み（最新実績と比べる）に使う。")
CHART_PIECEWISE_NOTE = ("「基準値→目標値（折れ線）」は、基準値から中間目標値・年度目標値を順に結び、"
                        "目標年度の目標値に至る折れ線。")
NO_ENTRY = "（記載なし）"
CONTINUED = "{heading}（続き）"   # a heading repeated at the top of a continuation page
NO_KPI = "（ＫＰＩの設定なし）"

OVERVIEW_TITLE = "ＫＰＩ一覧（見込み）"
OVERVIEW_LEGEND = "見込みの判定（上から順に当てはめる）"
OVERVIEW_NOTE = ("※進捗率は最新実績の進捗率（0.1％単位に四捨五入して表示し、100％以上を緑色で示す）。"
                 "直線上の値と最新実績の数値・グラフは各プロジェクトシートの【ＫＰＩの推移】にある。"
                 "「実績の推移」は各年度の実績値の棒（右端の濃い赤の棒が最新の年度）。プロジェクト名を選ぶとそのシートを開く。")
OVERVIEW_LINK_TIP = "「{name}」シートを開く"
OVERVIEW_TITLE_ALL = "ＫＰＩ一覧（全道・見込み）"
OVERVIEW_LINK_TIP_BOOK = "{book} の「{name}」シートを開く（同じフォルダにあるとき）"
OVERVIEW_GRADE = "評価"   # the 評価 column (only with a scale, master/grades.csv)

SOURCES_TITLE = "出典・作成情報"
SOURCES_FY = "対象年度"   # read back by readback.py to find the FY
SOURCES_CREATED = "作成日時"
NOT_RECORDED = "（記録していません）"   # no creation time given (SOURCE_DATE_EPOCH or --date)
SOURCES_PIPELINE = "パイプラインのバージョン"
SOURCES_LIBRARY = "{name} のバージョン"
SOURCES_FILES = "入力ファイル"
SOURCES_FILES_NOTE = "ファイルのパスは入力フォルダ（inputs/{fy}）からの相対パス。"
SOURCES_WARNINGS = "警告"
SOURCES_DISPLAY = "進捗率の表示"   # recorded only when not the default (上限付き); read back by verify
SOURCES_GRADE = "評価：{grade}"     # one row per grade of master/grades.csv, when there is a scale
GRADE_BOUND = "{bound}%以上"
GRADE_ANY = "下限なし"

TABLE_NAMES = {SHEET_INITIATIVES: "取組データ表", SHEET_KPI: "KPIデータ表",
               SHEET_PROJECTS: "プロジェクト表", SHEET_MEASURES: "施策表", SHEET_KPI_MASTER: "KPI定義表",
               SHEET_SOURCES: "入力ファイル表"}
