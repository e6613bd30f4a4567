"""Builders shared by the tests: the seed transcribed inline, tiny tables and snapshots.

The seed table (道北, ロシア極東との交流推進プロジェクト, FY2019) is transcribed here by
hand (SEED_ITEMS, SEED_KPIS) as an oracle independent of the pipeline; `seed_tables()`
is the shipped sample (inputs/2019) run through the pipeline once per test session.
"""
from __future__ import annotations

import csv
import dataclasses
import datetime as dt
import functools
import hashlib
import io
from pathlib import Path

import pandas as pd
import xlsxwriter

from pipeline.model import (
    INITIATIVE_COLUMNS, KPI_COLUMNS, KPI_MASTER_COLUMNS, MANIFEST_COLUMNS, MEASURE_COLUMNS,
    PROJECT_COLUMNS, Snapshot, Tables,
)
from pipeline.report import build_report
from schemas.eras import short_label

ROOT = Path(__file__).resolve().parents[1]

CREATED = dt.datetime(2020, 3, 31, 9, 0, 0, tzinfo=dt.timezone.utc)
VERSIONS = {"pipeline": "0.1.0", "pandas": "3.1.1", "xlsxwriter": "3.3.1"}
FY = 2019
DEFAULT_SETTINGS = {"attachment": "", "title": "プロジェクト推進管理表"}  # schemas/reference/settings.csv
SEED_TITLE = "別紙２　プロジェクト推進管理表"   # the seed's title line (inputs/<FY>/master/settings.csv)

# --- the seed, transcribed ------------------------------------------------------------

PROJECT_ID = "DOHOKU-01"
PROJECT = "ロシア極東との交流推進プロジェクト"
M1 = "サハリン州等との友好交流の推進"
M2 = "ロシア極東との人流・物流の活性化など経済交流の推進"
PURPOSE = (
    "道北連携地域は、宗谷海峡を隔てて国境を接し、歴史的にも繋がりが深いロシア連邦サハリン州をはじめ、"
    "ロシア極東地域と地理的に近い位置にあり、これまで文化、スポーツ、観光など市町村や民間団体などによる"
    "友好交流が盛んに行われています。\n"
    "また、近年は道北地域が連携し、「ユジノサハリンスク道北物産展」を開催するとともに、道産品の販路拡大に"
    "向けてウラジオストク市で試験販売を実施するなど経済交流の芽が育ちつつあります。グローバル化の潮流を捉え、"
    "人口減少に伴う域内需要の減少に対応するためにも、これまで築いてきた友好関係と地理的優位性を活かした"
    "ロシア極東地域との経済交流をより一層推進し、地域経済の活性化を図ります。"
)
STUDENTS = ("大学生をサハリン州へ派遣し現地の学生と今後の交流について議論を交わすなど、相互理解を深めるため、"
            "サハリン州への学生交流派遣事業を実施")
SAKHALIN_UNIV = ("現在、稚内～コルサコフ航路が休止となっている中、地域間での交流の継続のため、また、令和元年度事業の"
                 "成果を活用するため、サハリン国立総合大学の学生が北海道を訪問し、稚内北星学園大学の学生との相互理解を深める。")
RUMOI_PR = "あらゆる機会を捉えて留萌産品のＰＲを進めていく予定"

DATA_SHEETS = ["取組データ", "KPIデータ", "プロジェクトデータ", "施策データ", "KPI定義", "出典"]

# (section, heading, text, area, actors, relisted)
SEED_ITEMS = [
    ("実績", M1, "経済交流促進会議、友好都市記念式典、青少年交流事業等及び企業研修生受入事業を実施",
     "連携地域", "市町村・民間", False),
    ("実績", M1, "サハリン航路を利用して稚内を訪れるロシア人観光客受入事業の実施", "宗谷", "市・民間", False),
    ("実績", M1, "サハリン野球連盟から青年野球チームを招聘して稚内の野球愛好者チームと合同練習、試合を行った。",
     "宗谷地域", "市・民間", False),
    ("実績", M1, "旭川市とユジノサハリンスク市の友好都市提携50周年を機に、ユジノ市で道北物産展に合わせ"
     "記念式典及び交流事業を実施", "上川", "旭川市", False),
    ("実績", M2, "サハリン州で開催の「道北物産展＆北海道フェア」に参加し、現地業者と特産品や観光についての商談や"
     "一般消費者に対して、道北の食と観光のＰＲを実施", "", "本庁・振興局・市町村・民間", False),
    ("実績", M2, "稚内－コルサコフ航路を利用した、北北海道の観光スポットを巡るモデルツアーを催行", "宗谷",
     "市町村・民間", False),
    ("実績", M2, "サハリンの食品バイヤー及び旅行代理店に対して道北の特産品や旅行商品について商談を実施",
     "宗谷", "振興局", False),
    ("実績", M2, "若い世代や管内の人々にサハリンとの交流の歴史を理解してもらうため、マンガ小冊子「となりの"
     "サハリン」作成", "宗谷", "振興局", False),
    ("実績", M2, "「ロシア連邦ハバロフスク市の国際見本市」（国際課参加事業）への商品提供", "留萌", "振興局", False),
    ("課題", "交流環境の整備", "稚内サハリン間の定期航路は、H30年度はロシア側の負担により運航したが、この形態は"
     "１年限りとなり、今年度の運航は休止", "", "", False),
    ("課題", "交流環境の整備", "従来航路（旅客船）では採算が取れず、航路を維持するためには長期的な視点に立った"
     "運航スキームの構築や定時性や欠航リスクの少ない船舶の確保などが必要", "", "", False),
    ("課題", "交流環境の整備", "管内における言語対応や交通機関の整備、宿泊施設におけるＷｉ－Ｆｉの整備など"
     "ロシア人観光客を受け入れるために必要な環境整備", "", "", False),
    ("課題", "交流環境の整備", "サハリン州との物流活性化を見据えた輸送手段等の検討", "", "", False),
    ("課題", "交流環境の整備", "サハリン州住民への日本食・食文化の浸透による需要創出", "", "", False),
    ("課題", "交流環境の整備", "食品以外の品目拡大", "", "", False),
    ("課題", "交流環境の整備", "現地におけるビジネスパートナーの確保", "", "", False),
    ("課題", "交流環境の整備", "食品等の販路拡大につなげていくには、ロシア人の食の嗜好等の情報が不足", "", "", False),
    ("課題", "交流環境の整備", "水産物、水産加工品、肉製品、乳製品などが実質上輸出できないことから、商品の"
     "絞り込みが必要", "", "", False),
    ("課題", "交流環境の整備", "食の販路拡大にあたっては、ロシア人の食の嗜好の研究をはじめ、通関手続の煩雑さや"
     "輸送手段の確保", "", "", False),
    ("今年度", M1, "友好都市（ユジノサハリンスク市、コルサコフ市、ネベリスク市）との「友好都市経済交流促進会議」の開催",
     "", "稚内市", False),
    ("今年度", M1, "青少年交流事業", "", "稚内市", False),
    ("今年度", M1, "ロシア人企業研修生の受入", "", "民間", False),
    ("今年度", M1, STUDENTS, "", "", False),
    ("今年度", M2, "道北９市で構成する「サハリン経済交流促進協議会」により道北物産展の開催、トライアル輸出、"
     "バイヤー招聘による商談会の事業を実施", "", "市町村・民間", False),
    ("今年度", M2, RUMOI_PR, "", "振興局", False),
    ("今年度", M2, STUDENTS + "し、学生達によるＳＮＳを活用した情報発信", "", "振興局", True),
    ("次年度", M1, "友好都市（ユジノサハリンスク市、コルサコフ市、ネベリスク市）との「友好都市経済交流促進会議」を"
     "稚内において開催", "", "稚内市", False),
    ("次年度", M1, "青少年交流事業", "", "稚内市", False),
    ("次年度", M1, "ロシア人企業研修生の受入", "", "民間", False),
    ("次年度", M1, "航路再開の場合、学童交流事業を実施", "", "猿払村", False),
    ("次年度", M1, SAKHALIN_UNIV, "", "振興局", False),
    ("次年度", M2, SAKHALIN_UNIV, "", "振興局", True),
    ("次年度", M2, "サハリン経済交流促進協議会を発展的改組した「（仮）サハリン文化経済戦略協議会」にて、次の事業を実施\n"
     "-ユジノサハリンスク道北物産展\n-ビジネスマッチング事業\n-メディア招聘事業", "", "市町村", False),
    ("次年度", M2, RUMOI_PR, "", "振興局", False),
]

# Each SEED_ITEMS entry as the seed prints it: ・内容（地域）（実施主体）【再掲】, the tags before
# trailing sub-item lines.  Written out literally (checked against the seed text).
SEED_PRINTED = (
    '・経済交流促進会議、友好都市記念式典、青少年交流事業等及び企業研修生受入事業を実施（連携地域）（市町村・民間）',
    '・サハリン航路を利用して稚内を訪れるロシア人観光客受入事業の実施（宗谷）（市・民間）',
    # the seed prints （宗谷地域） here; the house style prints every 振興局 short (issue 12)
    '・サハリン野球連盟から青年野球チームを招聘して稚内の野球愛好者チームと合同練習、試合を行った。（宗谷）（市・民間）',
    '・旭川市とユジノサハリンスク市の友好都市提携50周年を機に、ユジノ市で道北物産展に合わせ記念式典及び交流事業を実施（上川）（旭川市）',
    '・サハリン州で開催の「道北物産展＆北海道フェア」に参加し、現地業者と特産品や観光についての商談や一般消費者に対して、道北の食と観光のＰＲを実施（本庁・振興局・市町村・民間）',
    '・稚内－コルサコフ航路を利用した、北北海道の観光スポットを巡るモデルツアーを催行（宗谷）（市町村・民間）',
    '・サハリンの食品バイヤー及び旅行代理店に対して道北の特産品や旅行商品について商談を実施（宗谷）（振興局）',
    '・若い世代や管内の人々にサハリンとの交流の歴史を理解してもらうため、マンガ小冊子「となりのサハリン」作成（宗谷）（振興局）',
    '・「ロシア連邦ハバロフスク市の国際見本市」（国際課参加事業）への商品提供（留萌）（振興局）',
    '・稚内サハリン間の定期航路は、H30年度はロシア側の負担により運航したが、この形態は１年限りとなり、今年度の運航は休止',
    '・従来航路（旅客船）では採算が取れず、航路を維持するためには長期的な視点に立った運航スキームの構築や定時性や欠航リスクの少ない船舶の確保などが必要',
    '・管内における言語対応や交通機関の整備、宿泊施設におけるＷｉ－Ｆｉの整備などロシア人観光客を受け入れるために必要な環境整備',
    '・サハリン州との物流活性化を見据えた輸送手段等の検討',
    '・サハリン州住民への日本食・食文化の浸透による需要創出',
    '・食品以外の品目拡大',
    '・現地におけるビジネスパートナーの確保',
    '・食品等の販路拡大につなげていくには、ロシア人の食の嗜好等の情報が不足',
    '・水産物、水産加工品、肉製品、乳製品などが実質上輸出できないことから、商品の絞り込みが必要',
    '・食の販路拡大にあたっては、ロシア人の食の嗜好の研究をはじめ、通関手続の煩雑さや輸送手段の確保',
    '・友好都市（ユジノサハリンスク市、コルサコフ市、ネベリスク市）との「友好都市経済交流促進会議」の開催（稚内市）',
    '・青少年交流事業（稚内市）',
    '・ロシア人企業研修生の受入（民間）',
    '・大学生をサハリン州へ派遣し現地の学生と今後の交流について議論を交わすなど、相互理解を深めるため、サハリン州への学生交流派遣事業を実施',
    '・道北９市で構成する「サハリン経済交流促進協議会」により道北物産展の開催、トライアル輸出、バイヤー招聘による商談会の事業を実施（市町村・民間）',
    '・あらゆる機会を捉えて留萌産品のＰＲを進めていく予定（振興局）',
    '・大学生をサハリン州へ派遣し現地の学生と今後の交流について議論を交わすなど、相互理解を深めるため、サハリン州への学生交流派遣事業を実施し、学生達によるＳＮＳを活用した情報発信（振興局）【再掲】',
    '・友好都市（ユジノサハリンスク市、コルサコフ市、ネベリスク市）との「友好都市経済交流促進会議」を稚内において開催（稚内市）',
    '・青少年交流事業（稚内市）',
    '・ロシア人企業研修生の受入（民間）',
    '・航路再開の場合、学童交流事業を実施（猿払村）',
    '・現在、稚内～コルサコフ航路が休止となっている中、地域間での交流の継続のため、また、令和元年度事業の成果を活用するため、サハリン国立総合大学の学生が北海道を訪問し、稚内北星学園大学の学生との相互理解を深める。（振興局）',
    '・現在、稚内～コルサコフ航路が休止となっている中、地域間での交流の継続のため、また、令和元年度事業の成果を活用するため、サハリン国立総合大学の学生が北海道を訪問し、稚内北星学園大学の学生との相互理解を深める。（振興局）【再掲】',
    '・サハリン経済交流促進協議会を発展的改組した「（仮）サハリン文化経済戦略協議会」にて、次の事業を実施（市町村）\n-ユジノサハリンスク道北物産展\n-ビジネスマッチング事業\n-メディア招聘事業',
    '・あらゆる機会を捉えて留萌産品のＰＲを進めていく予定（振興局）',
)

# kpi_id, indicator, unit, base (year, value), target (year, value), actuals 2015–2018
SEED_KPIS = [
    ("DOHOKU-01-K1", "北海道における訪日ロシア人（新千歳空港等経由）", "人", (2014, 5949.0), (2020, 7400.0),
     [4474.0, 4004.0, 5676.0, 6516.0]),
    ("DOHOKU-01-K2", "北海道からロシアへの道産食品の輸出額", "百万円", (2014, 594.0), (2020, 900.0),
     [933.0, 375.0, 540.0, 1115.0]),
]
# The progress the seed prints, as shown with one decimal (the seed rounds inconsistently).
SEED_PROGRESS = {
    "DOHOKU-01-K1": [0.605, 0.541, 0.767, 0.881],
    "DOHOKU-01-K2": [1.037, 0.417, 0.600, 1.239],
}


def initiative_rows(project_id, region, project, items, fy=FY, source="submissions/道北.xlsx"):
    rows = []
    for i, (section, heading, text, area, actors, relisted) in enumerate(items):
        rows.append({
            "fiscal_year": fy, "region": region, "project_id": project_id, "project": project,
            "section": section, "heading": heading, "text": text, "area": area, "actors": actors,
            "relisted": relisted, "order": i + 1, "source_file": source, "source_sheet": "取組",
            "source_row": i + 2,
        })
    return rows


def kpi_rows(project_id, kpis, fy=FY, source="kpi/実績.csv"):
    rows, master = [], []
    line = 2
    for kpi_id, indicator, unit, (base_year, base), (target_year, target), actuals in kpis:
        master.append({
            "kpi_id": kpi_id, "project_id": project_id, "indicator": indicator, "unit": unit,
            "base_year": base_year, "base_value": base, "target_year": target_year,
            "target_value": target, "direction": "増加", "method": "達成率",
        })
        entries = [(base_year, "baseline", base, float("nan"))]
        for offset, actual in enumerate(actuals + [float("nan")]):
            progress = actual / target if actual == actual else float("nan")
            entries.append((base_year + 1 + offset, "actual", actual, progress))
        entries.append((target_year, "target", target, float("nan")))
        for year, kind, value, progress in sorted(entries, key=lambda e: (e[0], e[1])):
            rows.append({
                "fiscal_year": fy, "kpi_id": kpi_id, "project_id": project_id,
                "indicator": indicator, "unit": unit, "year": year, "year_label": short_label(year),
                "kind": kind, "value": value, "progress": progress, "source_file": source,
                "source_sheet": "", "source_row": line,
            })
            line += 1
    return rows, master


def table_frame(rows, columns, **dtypes):
    frame = pd.DataFrame(rows, columns=list(columns))
    for column, dtype in dtypes.items():
        frame[column] = frame[column].astype(dtype)
    return frame


def make_tables(projects, measures, items, kpi_rows, kpi_master, *, warnings=()):
    manifest = [
        {"file": "kpi/実績.csv", "kind": "KPI実績", "rows_read": 10, "rows_accepted": 10, "rows_rejected": 0},
        {"file": "master/kpis.csv", "kind": "マスタ", "rows_read": 2, "rows_accepted": 2, "rows_rejected": 0},
        {"file": "master/measures.csv", "kind": "マスタ", "rows_read": 2, "rows_accepted": 2, "rows_rejected": 0},
        {"file": "master/projects.csv", "kind": "マスタ", "rows_read": 1, "rows_accepted": 1, "rows_rejected": 0},
        {"file": "submissions/道北.xlsx", "kind": "取組", "rows_read": 35, "rows_accepted": 34, "rows_rejected": 1},
    ]
    for row in manifest:
        row["sha256"] = hashlib.sha256(row["file"].encode()).hexdigest()
    return with_report(Tables(
        fiscal_year=FY,
        projects=table_frame(projects, PROJECT_COLUMNS),
        measures=table_frame(measures, MEASURE_COLUMNS),
        kpis=table_frame(kpi_master, KPI_MASTER_COLUMNS),
        initiatives=table_frame(items, INITIATIVE_COLUMNS, order="Int64"),
        kpi=table_frame(kpi_rows, KPI_COLUMNS),
        manifest=table_frame(manifest, MANIFEST_COLUMNS),
        regions=pd.DataFrame({"region": ["道北"], "name": ["道北連携地域"], "bureaus": [("上川", "留萌", "宗谷")]}),
        warnings=tuple(warnings),
        area_styles={"宗谷地域": "宗谷"},  # the one 地域 of the seed not in its house style (written out)
        settings=dict(DEFAULT_SETTINGS),
    ))


@functools.lru_cache(maxsize=1)
def seed_tables() -> Tables:
    """The shipped sample (inputs/2019, the seed transcribed as raw submissions) run through the
    pipeline, once per session (tests must not modify it: copy a frame before changing it).

    The tests compare it with SEED_ITEMS / SEED_KPIS, an independent inline transcription of
    the seed, so they check the whole path from submissions to cells.
    """
    from pipeline.build import run

    return run(ROOT / "inputs", 2019).tables


def with_report(tables: Tables) -> Tables:
    """`tables` with its report rebuilt from its frames (what build.run does after tidy)."""
    return dataclasses.replace(tables, report=build_report(tables))


def inline_seed_tables() -> Tables:
    """The seed table's project built inline as the frames `render` hands to `write_workbook`."""
    projects = [{"project_id": PROJECT_ID, "region": "道北", "project": PROJECT, "purpose": PURPOSE, "order": 1}]
    measures = [
        {"project_id": PROJECT_ID, "measure": M1, "order": 1, "aliases": ()},
        {"project_id": PROJECT_ID, "measure": M2, "order": 2, "aliases": ("ロシア極東との物流の活性化など経済交流の推進",)},
    ]
    items = initiative_rows(PROJECT_ID, "道北", PROJECT, SEED_ITEMS)
    rows, master = kpi_rows(PROJECT_ID, SEED_KPIS)
    tables = make_tables(projects, measures, items, rows, master)
    return with_report(dataclasses.replace(tables, settings={**DEFAULT_SETTINGS, "attachment": "別紙２"}))



LONG = "サハリン州で開催の道北物産展に参加し、現地業者と特産品や観光についての商談を実施"


def item(section, heading, text, *, fy=2019, area="", actors="", relisted=False, project="P1", row=2):
    return {"fiscal_year": fy, "region": "道北", "project_id": project, "project": "交流プロジェクト",
            "section": section, "heading": heading, "text": text, "area": area, "actors": actors,
            "relisted": relisted, "order": pd.NA, "source_file": "submissions/a.csv", "source_sheet": "",
            "source_row": row}


def actual(kpi_id, year, value, *, fy=2019, kind="actual", progress=float("nan"), row=2, file="submissions/k.csv"):
    return {"fiscal_year": fy, "kpi_id": kpi_id, "project_id": "P1", "indicator": "来訪者数", "unit": "人",
            "year": year, "year_label": {2014: "H26", 2015: "H27", 2016: "H28", 2018: "H30", 2019: "R元",
                                         2020: "R2"}[year],
            "kind": kind, "value": value, "progress": progress, "source_file": file, "source_sheet": "",
            "source_row": row}


def kpi_def(**changes):
    base = {"kpi_id": "K1", "project_id": "P1", "indicator": "来訪者数", "unit": "人", "base_year": 2014,
            "base_value": 100.0, "target_year": 2020, "target_value": 200.0, "direction": "増加",
            "method": "達成率"}
    return {**base, **changes}


def frame(rows, columns):
    return pd.DataFrame(rows, columns=list(columns))


def snap(fy=2019, *, items=(), kpi=(), projects=None, measures=None, kpis=None, label=None):
    projects = projects if projects is not None else [
        {"project_id": "P1", "region": "道北", "project": "交流プロジェクト", "purpose": "交流を進めます。", "order": 1}]
    measures = measures if measures is not None else [
        {"project_id": "P1", "measure": "施策A", "order": 1, "aliases": ("施策エー",)},
        {"project_id": "P1", "measure": "施策B", "order": 2, "aliases": ()}]
    kpis = kpis if kpis is not None else [kpi_def()]
    return Snapshot(label=label or f"{fy}.xlsx", fiscal_year=fy, sha256="0" * 64,
                    initiatives=frame(items, INITIATIVE_COLUMNS), kpi=frame(kpi, KPI_COLUMNS),
                    projects=frame(projects, PROJECT_COLUMNS), measures=frame(measures, MEASURE_COLUMNS),
                    kpis=frame(kpis, KPI_MASTER_COLUMNS))



# --- tiny input trees ---------------------------------------------------------------------

PROJECTS = """プロジェクトID,連携地域,プロジェクト名,概要・目的,表示順
P1,道北,交流プロジェクト,交流を進めます。,1
"""
MEASURES = """プロジェクトID,施策名,表示順,別名
P1,施策A,1,施策エー
P1,施策B,2,
"""
KPIS = """KPI_ID,プロジェクトID,指標名,単位,基準年度,基準値,目標年度,目標値,方向,算定方法
K1,P1,来訪者数,人,H26,100,R2,200,,
K2,P1,待ち日数,日,H26,50,R2,10,減少,改善率
"""
INITIATIVE_HEADER = "プロジェクト,区分,見出し,内容,年度,地域,実施主体,再掲,順序\n"
KPI_HEADER = "KPI,年度,実績値\n"


def write_tree(root: Path, files: dict, fiscal_year: int = 2019) -> Path:
    """Write inputs/<FY>/…: str values as UTF-8 with BOM, bytes as they are; None removes a default."""
    base = root / "inputs" / str(fiscal_year)
    defaults = {"master/projects.csv": PROJECTS, "master/measures.csv": MEASURES, "master/kpis.csv": KPIS}
    for rel, content in {**defaults, **files}.items():
        if content is None:
            continue
        path = base / rel
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(content if isinstance(content, bytes) else content.encode("utf-8-sig"))
    return root / "inputs"


def csv_rows(data: bytes) -> list[dict]:
    """The records of a tidy CSV (initiatives.csv / kpi.csv bytes), which must start with a BOM."""
    assert data.startswith(b"\xef\xbb\xbf")
    return list(csv.DictReader(io.StringIO(data.decode("utf-8-sig"))))


def write_xlsx(path: Path, sheets: dict) -> Path:
    """sheets: {name: {(row, col): value}} with 0-based row/col (xlsxwriter style)."""
    path.parent.mkdir(parents=True, exist_ok=True)
    book = xlsxwriter.Workbook(str(path))
    for name, cells in sheets.items():
        sheet = book.add_worksheet(name)
        for (row, col), value in cells.items():
            sheet.write(row, col, value)
    book.close()
    return path
