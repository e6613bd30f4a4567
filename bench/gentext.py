"""Vocabulary of the generated Hokkaido year (bench/generate.py): names, sentences, years, numbers.

Everything here is deterministic given a random.Random and encodable in CP932 (some
generated files are saved as Shift_JIS, as Excel on Japanese Windows does).
"""
from __future__ import annotations

import random

# 連携地域: (name, ID prefix, projects at k = 1, 振興局 (short names) with their 市町村 counts)
REGIONS = (
    ("道央広域", "DOO", 22, (("空知", 24), ("石狩", 8), ("後志", 20), ("胆振", 11), ("日高", 7))),
    ("道南", "DONAN", 7, (("渡島", 11), ("檜山", 7))),
    ("道北", "DOHOKU", 13, (("上川", 23), ("留萌", 8), ("宗谷", 10))),
    ("オホーツク", "OKHOTSK", 5, (("オホーツク", 18),)),
    ("十勝", "TOKACHI", 5, (("十勝", 19),)),
    ("釧路・根室", "KUSHIRO", 6, (("釧路", 8), ("根室", 5))),
)
BUREAU_SUFFIX = {"石狩": "振興局", "日高": "振興局", "檜山": "振興局", "留萌": "振興局", "根室": "振興局"}
DEPARTMENTS = ("総合政策部", "経済部", "農政部", "水産林務部", "建設部", "環境生活部", "保健福祉部")


def bureau_name(short: str) -> str:
    """空知 → 空知総合振興局, 石狩 → 石狩振興局."""
    return short + BUREAU_SUFFIX.get(short, "総合振興局")


THEMES = ("観光", "食", "物流", "移住・定住", "人材育成", "再生可能エネルギー", "農業", "水産業", "林業",
          "交流人口", "子育て", "地域交通", "ものづくり", "健康", "スポーツ", "文化", "防災", "デジタル化")
PROJECT_TAILS = ("による地域活性化プロジェクト", "の魅力発信プロジェクト", "の連携推進プロジェクト",
                 "を核とした地域づくりプロジェクト", "の基盤強化プロジェクト")
MEASURE_HEADS = ("の推進", "の強化", "に向けた環境整備", "の担い手確保", "のネットワークづくり", "の情報発信",
                 "の高付加価値化", "の広域連携")
ISSUE_HEADINGS = ("推進体制の整備", "人材の確保", "財源の確保", "情報発信の強化", "交流環境の整備",
                  "関係機関との連携", "受入体制の整備")
PLACES = ("管内", "連携地域内", "道内外", "首都圏", "札幌圏", "海外", "地元", "沿線", "近隣市町村")
OBJECTS = ("事業者", "若手職員", "観光客", "生産者", "高校生", "移住希望者", "関係団体", "民間企業", "住民",
           "大学", "金融機関", "商工会", "漁協", "農協", "森林組合", "交通事業者")
ACTIONS = ("との意見交換会を開催", "向けの研修会を実施", "を対象とした調査を実施", "との連携協定を締結",
           "向けのモニターツアーを催行", "と共同で商談会に出展", "へのＰＲ活動を展開", "向けのセミナーを開催",
           "と連携した実証事業を実施", "との合同会議を開催", "向けの支援制度を創設", "を招いたフォーラムを開催")
MEANS = ("ＳＮＳを活用して", "地域おこし協力隊と連携し", "国の交付金を活用して", "オンラインで", "現地において",
         "関係機関と協力して", "専門家を招いて", "広域で連携して", "民間の知見を活かし", "")
ISSUE_TEXTS = ("担い手の高齢化が進み、事業の継続が課題", "関係機関との役割分担の明確化が必要",
               "事業効果の検証手法の確立が必要", "冬期の交通手段の確保が課題", "人口減少に伴う需要の縮小への対応",
               "取組の認知度の向上が必要", "財源の確保と事業の重点化が必要", "広域での情報共有の仕組みづくり",
               "新型感染症の影響からの回復が課題", "専門人材の不足への対応")
ACTORS = ("市町村", "振興局", "市・民間", "町・民間", "本庁・振興局", "本庁・振興局・市町村・民間", "民間",
          "振興局・市町村")
SUBITEMS = ("-説明会の開催", "-パンフレットの作成", "-現地視察", "-ワークショップ", "-アンケート調査",
            "-成果報告会")
UNITS = ("人", "百万円", "件", "社", "千m3", "10万人当たり", "ha", "t")
INDICATORS = ("来訪者数", "販売額", "相談件数", "参加企業数", "取扱量", "利用者数", "登録者数", "生産額",
              "実施件数", "交流人数")

_FULL = str.maketrans("0123456789,", "０１２３４５６７８９，")


def wareki(year: int, style: int) -> str:
    """A fiscal year in one of the spellings the contract accepts (4.2)."""
    era, letter, start = ("令和", "R", 2019) if year >= 2019 else ("平成", "H", 1989)
    n = year - start + 1
    number = "元" if n == 1 else str(n)
    styles = (f"{letter}{number}", f"{era}{number}年度", str(year), f"{year}年度",
              f"{str(year).translate(_FULL)}", f"{letter}{n:02d}")
    return styles[style % len(styles)]


def number_text(value: float, unit: str, style: int) -> str:
    """A value as a submitter may write it (4.3): grouped, full-width, with the unit, △ for minus."""
    whole = float(value).is_integer()
    plain = f"{abs(value):,.0f}" if whole else f"{abs(value):,.1f}"
    sign = "△" if value < 0 else ""
    # a unit starting with a digit only follows a number with a decimal point (12.510万人当たり)
    suffix = unit if whole is False or not unit[:1].isdigit() else ""
    styles = (plain.replace(",", ""), plain, plain.translate(_FULL), plain + suffix)
    return sign + styles[style % len(styles)]


def sentence(rng: random.Random, theme: str) -> str:
    """One initiative sentence (optionally with sub-item lines)."""
    text = f"{rng.choice(PLACES)}の{rng.choice(OBJECTS)}{rng.choice(ACTIONS)}"
    mean = rng.choice(MEANS)
    if mean:
        text = f"{theme}分野において、{mean}{text}"
    else:
        text = f"{theme}の振興に向け、{text}"
    if rng.random() < 0.25:
        text += f"し、第{rng.randint(1, 30)}回の成果を{rng.choice(OBJECTS)}と共有"
    if rng.random() < 0.05:
        text += "\n" + "\n".join(rng.sample(SUBITEMS, rng.randint(2, 3)))
    return text


def issue_sentence(rng: random.Random, theme: str) -> str:
    return f"{theme}に関して、{rng.choice(ISSUE_TEXTS)}"


def edited(rng: random.Random, text: str) -> str:
    """A small edit of a sentence (a word replaced or a clause added)."""
    choice = rng.random()
    if "予定" in text:
        return text.replace("予定", "実施", 1)
    if choice < 0.5:
        for old, new in (("開催", "実施"), ("実施", "展開"), ("管内", "地域内"), ("会議", "協議会"),
                         ("研修会", "研修"), ("調査", "実態調査")):
            if old in text:
                return text.replace(old, new, 1)
    return text + "（継続）"


def purpose(rng: random.Random, region: str, theme: str) -> str:
    return (f"{region}連携地域では、{theme}を地域の強みとして、市町村や関係団体と連携しながら取組を進めてきました。\n"
            f"今後も{rng.choice(PLACES)}との交流や{rng.choice(OBJECTS)}との協働を深め、"
            f"{theme}を通じた地域経済の活性化と持続可能な地域づくりを図ります。")
