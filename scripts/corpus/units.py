"""Real 令和6 unit values, the only numbers the corpus prints as units.

Sources, per table:
- 訪問介護, 訪問看護, 通所介護 (通常規模型), 居宅介護支援 and their 加算: the 令和6年度 service-code
  table as extracted in ../shared/reference/service_codes_r6_peer.csv; each item names the
  short name of its plain code (``ref``) and tests/test_corpus_tools.py checks the units
  against that file when it is there. (The file's 通所介護Ⅱ/Ⅲ, 大規模型, repeat the 通常規模型
  units, so only 通所介護Ⅰ is used.)
- 老健 (介護保健施設サービス費(Ⅰ), 基本型 and 在宅強化型) and its 加算: seed 002, a 1割負担
  sheet printed at 10.00円/単位, where the 1割 yen equal the units (793円 = 793単位 …).
- 障害 居宅介護 and 重度訪問介護 and their 加算: seed 004, units printed beside the time bands
  (256, 404, 587 …) and the yen at 11.2 that confirm them.
- 処遇改善 rates: DOMAIN.md (介護 2024-06 rates; 障害 2024-06 rates, seed 004 prints 32.8 % and 40.2 %).
Time bands are written in the canonical form ``extractor.terms`` parses; documents print
them in other forms too.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal


@dataclass(frozen=True)
class Item:
    """One priced line: a base fee by time band or care level, or an addition."""

    item: str
    units: int
    band: str | None = None
    levels: tuple[str, ...] = ()
    basis: str | None = None  # 1回につき / 1日につき / 1月につき …
    step: int | None = None  # units added per step_minutes beyond the band's start
    step_minutes: int | None = None
    ref: str | None = None  # short name of the plain code in the reference CSV


@dataclass(frozen=True)
class Rate:
    """A percentage addition (処遇改善加算): ``rate`` as a fraction, exact."""

    item: str
    rate: Decimal


@dataclass(frozen=True)
class Service:
    key: str
    name: str  # as printed in a title: 訪問介護 …
    scheme: str  # kaigo | shogai
    klass: str  # the 人件費割合 class of DOMAIN's price table
    service_type: str | None  # 種類 code in the reference CSV
    groups: list[tuple[str, list[Item]]]  # base items, grouped under a label (service or tier)
    adds: list[Item] = field(default_factory=list)
    rates: list[Rate] = field(default_factory=list)
    grid: bool = False  # groups x care levels: may be printed as a wide grid
    copay: str = "kaigo"  # kaigo | full (居宅介護支援: no copay) | shogai


LEVELS5 = ("要介護1", "要介護2", "要介護3", "要介護4", "要介護5")


def _levels(group: str, units: list[int], refs: list[str] | None = None, band: str | None = None) -> list[Item]:
    return [Item(group, u, band=band, levels=(lv,), basis="1回につき", ref=(refs[i] if refs else None))
            for i, (lv, u) in enumerate(zip(LEVELS5, units))]


HOUMON_KAIGO = Service(
    "houmon_kaigo", "訪問介護", "kaigo", "介護70", "11",
    groups=[
        ("身体介護", [
            Item("身体介護", 163, "20分未満", basis="1回につき", ref="身体介護０１"),
            Item("身体介護", 244, "20分以上30分未満", basis="1回につき", ref="身体介護１"),
            Item("身体介護", 387, "30分以上1時間未満", basis="1回につき", ref="身体介護２"),
            Item("身体介護", 567, "1時間以上1時間30分未満", basis="1回につき", ref="身体介護３"),
            Item("身体介護", 649, "1時間30分以上2時間未満", basis="1回につき", ref="身体介護４"),
        ]),
        ("生活援助", [
            Item("生活援助", 179, "20分以上45分未満", basis="1回につき", ref="生活援助２"),
            Item("生活援助", 220, "45分以上", basis="1回につき", ref="生活援助３"),
        ]),
        ("通院等乗降介助", [Item("通院等乗降介助", 97, None, basis="1回につき", ref="通院等乗降介助")]),
    ],
    adds=[
        Item("初回加算", 200, basis="1月につき", ref="訪問介護初回加算"),
        Item("緊急時訪問介護加算", 100, basis="1回につき", ref="緊急時訪問介護加算"),
        Item("生活機能向上連携加算(Ⅰ)", 100, basis="1月につき", ref="訪問介護生活機能向上連携加算Ⅰ"),
        Item("生活機能向上連携加算(Ⅱ)", 200, basis="1月につき", ref="訪問介護生活機能向上連携加算Ⅱ"),
        Item("口腔連携強化加算", 50, basis="1回につき", ref="訪問介護口腔連携強化加算"),
        Item("認知症専門ケア加算(Ⅰ)", 3, basis="1日につき", ref="訪問介護認知症専門ケア加算Ⅰ"),
        Item("認知症専門ケア加算(Ⅱ)", 4, basis="1日につき", ref="訪問介護認知症専門ケア加算Ⅱ"),
    ],
    rates=[Rate("介護職員等処遇改善加算(Ⅰ)", Decimal("0.245")), Rate("介護職員等処遇改善加算(Ⅱ)", Decimal("0.224")),
           Rate("介護職員等処遇改善加算(Ⅲ)", Decimal("0.182")), Rate("介護職員等処遇改善加算(Ⅳ)", Decimal("0.145"))],
)

HOUMON_KANGO = Service(
    "houmon_kango", "訪問看護", "kaigo", "介護70", "13",
    groups=[
        ("訪問看護", [
            Item("訪問看護", 314, "20分未満", basis="1回につき", ref="訪看Ⅰ１"),
            Item("訪問看護", 471, "30分未満", basis="1回につき", ref="訪看Ⅰ２"),
            Item("訪問看護", 823, "30分以上1時間未満", basis="1回につき", ref="訪看Ⅰ３"),
            Item("訪問看護", 1128, "1時間以上1時間30分未満", basis="1回につき", ref="訪看Ⅰ４"),
        ]),
        ("理学療法士等による訪問", [
            Item("理学療法士等による訪問", 294, "20分以上", basis="1回につき", ref="訪看Ⅰ５"),
        ]),
    ],
    adds=[
        Item("初回加算(Ⅰ)", 350, basis="1月につき", ref="訪問看護初回加算Ⅰ"),
        Item("初回加算(Ⅱ)", 300, basis="1月につき", ref="訪問看護初回加算Ⅱ"),
        Item("緊急時訪問看護加算(Ⅰ)", 600, basis="1月につき", ref="緊急時訪問看護加算Ⅰ１"),
        Item("特別管理加算(Ⅰ)", 500, basis="1月につき", ref="訪問看護特別管理加算Ⅰ"),
        Item("特別管理加算(Ⅱ)", 250, basis="1月につき", ref="訪問看護特別管理加算Ⅱ"),
        Item("ターミナルケア加算", 2500, basis="死亡月につき", ref="訪問看護ターミナルケア加算"),
        Item("退院時共同指導加算", 600, basis="1回につき", ref="訪問看護退院時共同指導加算"),
        Item("看護体制強化加算(Ⅰ)", 550, basis="1月につき", ref="訪問看護体制強化加算Ⅰ"),
    ],
    rates=[],  # 訪問看護 has no 処遇改善加算
)

TSUSHO = Service(
    "tsusho", "通所介護", "kaigo", "介護45", "15",
    groups=[
        ("3時間以上4時間未満", _levels(None, [370, 423, 479, 533, 588], ["通所介護Ⅰ１１", "通所介護Ⅰ１２", "通所介護Ⅰ１３", "通所介護Ⅰ１４", "通所介護Ⅰ１５"], "3時間以上4時間未満")),
        ("4時間以上5時間未満", _levels(None, [388, 444, 502, 560, 617], ["通所介護Ⅰ２１", "通所介護Ⅰ２２", "通所介護Ⅰ２３", "通所介護Ⅰ２４", "通所介護Ⅰ２５"], "4時間以上5時間未満")),
        ("5時間以上6時間未満", _levels(None, [570, 673, 777, 880, 984], ["通所介護Ⅰ３１", "通所介護Ⅰ３２", "通所介護Ⅰ３３", "通所介護Ⅰ３４", "通所介護Ⅰ３５"], "5時間以上6時間未満")),
        ("6時間以上7時間未満", _levels(None, [584, 689, 796, 901, 1008], ["通所介護Ⅰ４１", "通所介護Ⅰ４２", "通所介護Ⅰ４３", "通所介護Ⅰ４４", "通所介護Ⅰ４５"], "6時間以上7時間未満")),
        ("7時間以上8時間未満", _levels(None, [658, 777, 900, 1023, 1148], ["通所介護Ⅰ５１", "通所介護Ⅰ５２", "通所介護Ⅰ５３", "通所介護Ⅰ５４", "通所介護Ⅰ５５"], "7時間以上8時間未満")),
        ("8時間以上9時間未満", _levels(None, [669, 791, 915, 1041, 1168], ["通所介護Ⅰ６１", "通所介護Ⅰ６２", "通所介護Ⅰ６３", "通所介護Ⅰ６４", "通所介護Ⅰ６５"], "8時間以上9時間未満")),
    ],
    adds=[
        Item("入浴介助加算(Ⅰ)", 40, basis="1日につき", ref="通所介護入浴介助加算Ⅰ"),
        Item("入浴介助加算(Ⅱ)", 55, basis="1日につき", ref="通所介護入浴介助加算Ⅱ"),
        Item("個別機能訓練加算(Ⅰ)イ", 56, basis="1日につき", ref="通所介護個別機能訓練加算Ⅰ１"),
        Item("個別機能訓練加算(Ⅰ)ロ", 76, basis="1日につき", ref="通所介護個別機能訓練加算Ⅰ２"),
        Item("個別機能訓練加算(Ⅱ)", 20, basis="1月につき", ref="通所介護個別機能訓練加算Ⅱ"),
        Item("中重度者ケア体制加算", 45, basis="1日につき", ref="通所介護中重度者ケア体制加算"),
        Item("栄養改善加算", 200, basis="1回につき", ref="通所介護栄養改善加算"),
        Item("口腔機能向上加算(Ⅰ)", 150, basis="1回につき", ref="通所介護口腔機能向上加算Ⅰ"),
        Item("科学的介護推進体制加算", 40, basis="1月につき", ref="通所介護科学的介護推進体制加算"),
        Item("サービス提供体制強化加算(Ⅰ)", 22, basis="1回につき", ref="通所介護サービス提供体制加算Ⅰ"),
        Item("サービス提供体制強化加算(Ⅱ)", 18, basis="1回につき", ref="通所介護サービス提供体制加算Ⅱ"),
        Item("サービス提供体制強化加算(Ⅲ)", 6, basis="1回につき", ref="通所介護サービス提供体制加算Ⅲ"),
    ],
    rates=[Rate("介護職員等処遇改善加算(Ⅰ)", Decimal("0.092")), Rate("介護職員等処遇改善加算(Ⅱ)", Decimal("0.090")),
           Rate("介護職員等処遇改善加算(Ⅲ)", Decimal("0.080")), Rate("介護職員等処遇改善加算(Ⅳ)", Decimal("0.064"))],
    grid=True,
)


def _kyotaku(tier: str, units: list[int], refs: list[str]) -> list[tuple[str, list[Item]]]:
    names = ["(i)", "(ii)", "(iii)"]
    out = []
    for k, name in enumerate(names):
        label = f"居宅介護支援費({tier}){name}"
        out.append((label, [
            Item(label, units[2 * k], levels=("要介護1", "要介護2"), basis="1月につき", ref=refs[2 * k]),
            Item(label, units[2 * k + 1], levels=("要介護3", "要介護4", "要介護5"), basis="1月につき", ref=refs[2 * k + 1]),
        ]))
    return out


KYOTAKU_ADDS = [
    Item("初回加算", 300, basis="1月につき", ref="居宅支援初回加算"),
    Item("入院時情報連携加算(Ⅰ)", 250, basis="1月につき", ref="居宅支援入院時情報連携加算Ⅰ"),
    Item("入院時情報連携加算(Ⅱ)", 200, basis="1月につき", ref="居宅支援入院時情報連携加算Ⅱ"),
    Item("退院・退所加算(Ⅰ)イ", 450, basis="1回につき", ref="居宅支援退院退所加算Ⅰ１"),
    Item("退院・退所加算(Ⅰ)ロ", 600, basis="1回につき", ref="居宅支援退院退所加算Ⅰ２"),
    Item("退院・退所加算(Ⅱ)イ", 600, basis="1回につき", ref="居宅支援退院退所加算Ⅱ１"),
    Item("退院・退所加算(Ⅱ)ロ", 750, basis="1回につき", ref="居宅支援退院退所加算Ⅱ２"),
    Item("退院・退所加算(Ⅲ)", 900, basis="1回につき", ref="居宅支援退院退所加算Ⅲ"),
    Item("通院時情報連携加算", 50, basis="1月につき", ref="居宅支援通院時情報連携加算"),
    Item("ターミナルケアマネジメント加算", 400, basis="1月につき", ref="居宅支援ターミナルケアマネジメント加算"),
    Item("緊急時等居宅カンファレンス加算", 200, basis="1回につき", ref="居宅支援緊急時カンファレンス加算"),
    Item("特定事業所加算(Ⅰ)", 519, basis="1月につき", ref="居宅支援特定事業所加算Ⅰ"),
    Item("特定事業所加算(Ⅱ)", 421, basis="1月につき", ref="居宅支援特定事業所加算Ⅱ"),
    Item("特定事業所加算(Ⅲ)", 323, basis="1月につき", ref="居宅支援特定事業所加算Ⅲ"),
    Item("特定事業所医療介護連携加算", 125, basis="1月につき", ref="居宅支援特定事業所医療介護連携加算"),
]

KYOTAKU_I = Service(
    "kyotaku_shien", "居宅介護支援", "kaigo", "介護70", "43",
    groups=_kyotaku("Ⅰ", [1086, 1411, 544, 704, 326, 422],
                    ["居宅介護支援Ⅰⅰ１", "居宅介護支援Ⅰⅰ２", "居宅介護支援Ⅰⅱ１", "居宅介護支援Ⅰⅱ２", "居宅介護支援Ⅰⅲ１", "居宅介護支援Ⅰⅲ２"]),
    adds=KYOTAKU_ADDS, copay="full",
)
KYOTAKU_II = Service(
    "kyotaku_shien", "居宅介護支援", "kaigo", "介護70", "43",
    groups=_kyotaku("Ⅱ", [1086, 1411, 527, 683, 316, 410],
                    ["居宅介護支援Ⅱⅰ１", "居宅介護支援Ⅱⅰ２", "居宅介護支援Ⅱⅱ１", "居宅介護支援Ⅱⅱ２", "居宅介護支援Ⅱⅲ１", "居宅介護支援Ⅱⅲ２"]),
    adds=KYOTAKU_ADDS, copay="full",
)

# 介護保健施設サービス費(Ⅰ): (i) 基本型 従来型個室, (ii) 在宅強化型 従来型個室, (iii) 基本型 多床室,
# (iv) 在宅強化型 多床室. Seed 002 prints the four rows of 1割 yen at 10.00円/単位.
ROKEN_TYPES = {
    "基本型": [("従来型個室", [717, 763, 828, 883, 932]), ("多床室", [793, 843, 908, 961, 1012])],
    "在宅強化型": [("従来型個室", [788, 863, 928, 985, 1040]), ("多床室", [871, 947, 1014, 1072, 1125])],
}


def _roken(kind: str) -> Service:
    groups = [(room, [Item(room, u, levels=(lv,), basis="1日につき") for lv, u in zip(LEVELS5, units)])
              for room, units in ROKEN_TYPES[kind]]
    return Service(
        "roken", "介護老人保健施設", "kaigo", "介護45", None, groups=groups,
        adds=[
            Item("初期加算(Ⅰ)", 60, basis="1日につき"), Item("初期加算(Ⅱ)", 30, basis="1日につき"),
            Item("夜勤職員配置加算", 24, basis="1日につき"),
            Item("サービス提供体制強化加算(Ⅰ)", 22, basis="1日につき"),
            Item("サービス提供体制強化加算(Ⅱ)", 18, basis="1日につき"),
            Item("栄養マネジメント強化加算", 11, basis="1日につき"),
            Item("療養食加算", 6, basis="1食につき"),
            Item("口腔衛生管理加算(Ⅰ)", 90, basis="1月につき"), Item("口腔衛生管理加算(Ⅱ)", 110, basis="1月につき"),
            Item("在宅復帰・在宅療養支援機能加算(Ⅰ)", 51, basis="1日につき"),
            Item("科学的介護推進体制加算(Ⅰ)", 40, basis="1月につき"), Item("科学的介護推進体制加算(Ⅱ)", 60, basis="1月につき"),
            Item("安全対策体制加算", 20, basis="入所時1回"),
            Item("緊急時治療管理加算", 518, basis="1日につき"),
            Item("所定疾患施設療養費(Ⅰ)", 239, basis="1日につき"), Item("所定疾患施設療養費(Ⅱ)", 480, basis="1日につき"),
            Item("退所時情報提供加算(Ⅰ)", 500, basis="1回につき"),
        ],
        rates=[Rate("介護職員等処遇改善加算(Ⅰ)", Decimal("0.075"))],
        grid=True,
    )


ROKEN_BASIC = _roken("基本型")
ROKEN_STRONG = _roken("在宅強化型")

SHOGAI_ADDS = [
    Item("初回加算", 200, basis="1月につき"),
    Item("緊急時対応加算", 100, basis="1回につき"),
    Item("利用者負担上限額管理加算", 150, basis="1月につき"),
    Item("喀痰吸引等支援体制加算", 100, basis="1日につき"),
    Item("入院時支援連携加算", 300, basis="1回につき"),
]

SHOGAI_KYOTAKU = Service(
    "shogai_kyotaku", "居宅介護", "shogai", "障害60", None,
    groups=[
        ("身体介護", [
            Item("身体介護", 256, "30分未満"), Item("身体介護", 404, "30分以上1時間未満"),
            Item("身体介護", 587, "1時間以上1時間30分未満"), Item("身体介護", 669, "1時間30分以上2時間未満"),
            Item("身体介護", 754, "2時間以上2時間30分未満"), Item("身体介護", 837, "2時間30分以上3時間未満"),
            Item("身体介護", 921, "3時間以上", step=83, step_minutes=30),
        ]),
        ("家事援助", [
            Item("家事援助", 106, "30分未満"), Item("家事援助", 153, "30分以上45分未満"),
            Item("家事援助", 197, "45分以上1時間未満"), Item("家事援助", 239, "1時間以上1時間15分未満"),
            Item("家事援助", 275, "1時間15分以上1時間30分未満"),
            Item("家事援助", 311, "1時間30分以上", step=35, step_minutes=15),
        ]),
        ("通院等介助(身体介護を伴わない)", [
            Item("通院等介助(身体介護を伴わない)", 106, "30分未満"),
            Item("通院等介助(身体介護を伴わない)", 197, "30分以上1時間未満"),
            Item("通院等介助(身体介護を伴わない)", 275, "1時間以上1時間30分未満"),
            Item("通院等介助(身体介護を伴わない)", 345, "1時間30分以上", step=69, step_minutes=30),
        ]),
    ],
    adds=SHOGAI_ADDS,
    rates=[Rate("福祉・介護職員等処遇改善加算(Ⅰ)", Decimal("0.417")), Rate("福祉・介護職員等処遇改善加算(Ⅱ)", Decimal("0.402"))],
    copay="shogai",
)

SHOGAI_JUDO = Service(
    "shogai_judo", "重度訪問介護", "shogai", "障害60", None,
    groups=[
        ("重度訪問介護", [
            Item("重度訪問介護", 186, "1時間未満"), Item("重度訪問介護", 277, "1時間以上1時間30分未満"),
            Item("重度訪問介護", 369, "1時間30分以上2時間未満"), Item("重度訪問介護", 461, "2時間以上2時間30分未満"),
            Item("重度訪問介護", 553, "2時間30分以上3時間未満"), Item("重度訪問介護", 644, "3時間以上3時間30分未満"),
            Item("重度訪問介護", 736, "3時間30分以上4時間未満"),
            Item("重度訪問介護", 821, "4時間以上8時間未満", step=85, step_minutes=30),
        ]),
    ],
    adds=SHOGAI_ADDS + [Item("有資格者支援加算", 60, basis="1日につき"), Item("外部連携支援加算", 200, basis="1回につき")],
    rates=[Rate("福祉・介護職員等処遇改善加算(Ⅰ)", Decimal("0.343")), Rate("福祉・介護職員等処遇改善加算(Ⅱ)", Decimal("0.328"))],
    copay="shogai",
)

# one entry per value of the ``service`` axis; a list where a facility has one of several variants
SERVICES: dict[str, list[Service]] = {
    "houmon_kaigo": [HOUMON_KAIGO],
    "houmon_kango": [HOUMON_KANGO],
    "tsusho": [TSUSHO],
    "kyotaku_shien": [KYOTAKU_I, KYOTAKU_II],
    "roken": [ROKEN_BASIC, ROKEN_STRONG],
    "shogai_kyotaku": [SHOGAI_KYOTAKU],
    "shogai_judo": [SHOGAI_JUDO],
}


def referenced_items() -> list[tuple[str, Item]]:
    """(service_type, item) for every value that names its plain code in the reference CSV."""
    seen, out = set(), []
    for variants in SERVICES.values():
        for svc in variants:
            for item in [i for _, items in svc.groups for i in items] + list(svc.adds):
                if item.ref and (svc.service_type, item.ref) not in seen:
                    seen.add((svc.service_type, item.ref))
                    out.append((svc.service_type, item))
    return out
