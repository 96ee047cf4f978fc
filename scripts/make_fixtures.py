#!/usr/bin/env python3
"""Regenerate fixtures/ deterministically: `python scripts/make_fixtures.py`.

Text fixtures are documents of the seed families written the way offices write them
(another office, another 級地, another encoding), with every yen computed exactly as
floor(units × unit price). They are not copies of the seeds: they test that each
recognizer reads the next document of its family.
"""

from __future__ import annotations

import argparse
from decimal import ROUND_FLOOR, Decimal
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
TEXT = ROOT / "fixtures" / "text"


def yen(units: int, price: str) -> int:
    return int((Decimal(units) * Decimal(price)).to_integral_value(rounding=ROUND_FLOOR))


def split_kaigo(total: int, share: str = "0.9") -> tuple[int, int]:
    benefit = int((Decimal(total) * Decimal(share)).to_integral_value(rounding=ROUND_FLOOR))
    return benefit, total - benefit


def zen(s: str) -> str:
    """ASCII digits and comma to full width, as many leaflets print them."""
    return s.translate(str.maketrans("0123456789,", "０１２３４５６７８９，"))


def leaflet_2kyu() -> str:
    """居宅介護支援 leaflet at 2級地 (11.12 yen/unit), Shift_JIS, cells broken over lines."""
    p = "11.12"
    t = lambda u: f"{yen(u, p):,}"  # noqa: E731
    return "\n".join([
        " 居宅介護支援 ＜利用料金のご案内＞",
        "",
        "居宅介護支援の利用料金は、法定代理受領の場合、ご利用者の自己負担はありません。",
        "",
        "【居宅介護支援費・サービスコード表】",
        "",
        "算定項目（居宅介護支援費Ⅱ：取扱件数 50件未満）",
        "単 位 数",
        "",
        "（単位）",
        "費用総額（円）",
        "",
        "保険給付",
        "",
        "額（円）",
        "",
        f"要介護 １・２ {zen('1,086')}",
        "1月に",
        "",
        "つき",
        "",
        f"{t(1086)} {t(1086)}",
        f"要介護 ３・４・５ {zen('1,411')} {t(1411)} {t(1411)}",
        f"初回加算 300単位加算 300 {t(300)} {t(300)}",
        "入院時情報連携加算（Ⅰ） 250単位加算",
        "",
        "250",
        "月 1回",
        "",
        "程度",
        f"{t(250)} {t(250)}",
        f"特定事業所加算（Ⅱ） 421 1月 {t(421)} {t(421)}",
        f"ﾀｰﾐﾅﾙｹｱﾏﾈｼﾞﾒﾝﾄ加算 400 １回 {t(400)} {t(400)}",
        f"通院時情報連携加算 50単位加算 50 月 1回 {t(50)} {t(50)}",
        "",
        "※ 初回加算",
        "",
        "新規に居宅サービス計画を作成するご利用者に指定居宅介護支援を行った場合に加算します。",
        "",
    ])


def schedule_yobo() -> str:
    """介護予防支援 schedule, tab-separated cells, EUC-JP, half-width katakana."""
    rows = [
        "## 介護予防支援費",
        "",
        "介護予防支援（Ｉ）\t地域包括支援センターが行う場合\t要支援１・２\t442 単位",
        "介護予防支援（ＩＩ）\t指定居宅介護支援事業者が行う場合\t要支援 1・2\t472 単位",
        "",
        "## 減算",
        "",
        "高齢者虐待防止措置未実施減算\t虐待防止のための基準を満たさない場合\t所定単位数の 100 分の1に相当する単位数を減算",
        "業務継続計画未策定減算\t業務継続計画を策定していない場合\t所定単位数の 100 分の1に相当する単位数を減算 (令和7年4月以降)",
        "",
        "## 加算",
        "",
        "初回加算\t新規に介護予防ｻｰﾋﾞｽ計画を作成した場合\t300 単位",
        "委託連携加算\t委託開始月に必要な情報を提供した場合\t300 単位",
        "",
        "## ご利用者の費用負担",
        "",
        "交通費\t通常の実施地域を越えた場合\t1kmごとに100円",
        "",
    ]
    return "\n".join(rows)


def shogai_3kyu() -> str:
    """障害 居宅介護 sheet at 10.90 yen/unit (障害 3級地 訪問系): yen tables printed apart
    from unit lines, which come in another order (later blocks first)."""
    p = "10.90"
    base = [256, 404, 587, 669, 754, 837, 83]
    adds = [200, 100]

    def yen_rows(units):
        out = []
        for u in units:
            total = yen(u, p)
            benefit, copay = split_kaigo(total)
            out.append(f"¥{total:,} ¥{benefit:,} ¥{copay:,}")
        return out

    return "\n".join([
        "",
        "居宅介護サービス費",
        "基本単位数 1単位の単価 10.90円",
        "",
        "10割 9割 1割負担",
        *yen_rows(base),
        "",
        "その他加算単位数 1単位の単価 10.90円",
        "",
        "10割 9割 1割負担",
        *yen_rows(adds),
        "",
        "サービス内容 算定区分 (単位数)",
        "",
        "身体介護",
        "",
        "算定項目 算定区分 (単位数)",
        "",
        "2時間以上2時間30分未満 754",
        "2時間30分以上3時間未満 837",
        "3時間以上(921単位に30分を増すごとに+83単位) +83",
        "",
        "初回加算 1月につき 200",
        "緊急時対応加算 1月につき（月2回を限度） 100",
        "",
        "利用料",
        "",
        "30分未満 256",
        "30分以上1時間未満 404",
        "1時間以上1時間30分未満 587",
        "1時間30分以上2時間未満 669",
        "",
    ])


TEXT_FIXTURES = {
    "leaflet_kyotaku_2kyu.sjis.txt": (leaflet_2kyu, "cp932", False),
    "schedule_yobo.eucjp.md": (schedule_yobo, "euc_jp", False),
    "shogai_kyotaku_3kyu.txt": (shogai_3kyu, "utf-8", True),
}


def write_text(check: bool) -> list[str]:
    TEXT.mkdir(parents=True, exist_ok=True)
    changed = []
    for name, (make, encoding, bom) in TEXT_FIXTURES.items():
        data = make().encode(encoding)
        if bom:
            data = b"\xef\xbb\xbf" + data
        path = TEXT / name
        if not path.exists() or path.read_bytes() != data:
            changed.append(name)
            if not check:
                path.write_bytes(data)
    return changed


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--check", action="store_true", help="exit 1 if a fixture would change")
    args = ap.parse_args()
    changed = write_text(args.check)
    for name in changed:
        print(("would change: " if args.check else "wrote: ") + name)
    return 1 if args.check and changed else 0


if __name__ == "__main__":
    raise SystemExit(main())
