#!/usr/bin/env python3
"""Write fixtures/revision/: a SYNTHETIC "next revision" (令和12年度 (架空), effective
2030-04-01), which does not exist, and the fee documents around it, for the end-to-end
test of build → diff → check → calc across a revision (tests/test_revision_e2e.py).

- revisions_next.json: the revision as a maintainer would add it (marked synthetic): new
  地域単価 for 70% 1-3級地, a new 処遇改善 rate for 訪問介護 (Ⅰ), a new 区分支給限度基準額 for
  要介護2, one 加算 introduced (架空連携加算) and one abolished (生活機能向上連携加算(Ⅰ));
- old/: a 訪問介護 leaflet of 令和6年度 (the real 令和6年度 units) at 3級地 11.05円;
- new/: the same office's leaflet of 令和12年度 (架空): new units for two items, the new
  加算, the abolished one gone, at the new 3級地 price;
- stale/: a leaflet dated after the revision that still prints the 令和6年度 units;
- plan.json: one month of 訪問介護 named by サービスコード and printed name.

Every yen is floor(units × 単価) with Decimal, and 1割 = total − floor(total × 0.9).
`python scripts/make_revision_fixtures.py [--check]`."""

from __future__ import annotations

import argparse
import json
import sys
from decimal import ROUND_FLOOR, Decimal
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
OUT = ROOT / "fixtures" / "revision"

NAME = "令和12年度 (架空)"
EFFECTIVE = "2030-04-01"

# (label as printed, 令和6年度 units, 令和12年度 (架空) units or None when abolished)
ITEMS = [
    ("身体介護 20分未満", 163, 163),
    ("身体介護 20分以上30分未満", 244, 250),
    ("身体介護 30分以上1時間未満", 387, 387),
    ("生活援助 20分以上45分未満", 179, 183),
    ("生活援助 45分以上", 220, 220),
    ("初回加算", 200, 200),
    ("生活機能向上連携加算(Ⅰ)", 100, None),
    ("架空連携加算", None, 50),
]
PRICE_OLD, PRICE_NEW = Decimal("11.05"), Decimal("11.16")  # 3級地 70%
RATE_OLD, RATE_NEW = "24.5", "26.2"  # 介護職員等処遇改善加算(Ⅰ), 訪問介護

REVISION = {
    "_comment": "SYNTHETIC: a revision that does not exist, made by scripts/make_revision_fixtures.py for the end-to-end test. Never add it to extractor/data/revisions.json.",
    "schema_version": "2",
    "revisions": [{
        "name": NAME,
        "scheme": "kaigo",
        "effective": EFFECTIVE,
        "changes": "all",
        "synthetic": True,
        "introduced": ["架空連携加算"],
        "abolished": ["生活機能向上連携加算(Ⅰ)"],
        "unit_prices": [
            {"class": "70%", "grade": "1級地", "price": "11.52"},
            {"class": "70%", "grade": "2級地", "price": "11.24"},
            {"class": "70%", "grade": "3級地", "price": str(PRICE_NEW)},
        ],
        "limits": {"要介護2": 20100},
        "treatment_improvement": [{"service": "訪問介護", "tier": "Ⅰ", "rate": "0.262"}],
        "source": "synthetic test revision (scripts/make_revision_fixtures.py); not published by anyone",
    }],
}


def floor(x: Decimal) -> int:
    return int(x.to_integral_value(rounding=ROUND_FLOOR))


def leaflet(title: str, dated: str, price: Decimal, rate: str, which: int) -> str:
    lines = [f"訪問介護 利用料金表（{title}）", dated, f"地域区分：3級地　1単位の単価 {price}円", "",
             "サービス内容\t単位数\t利用料\t利用者負担（1割）"]
    for label, *units in ITEMS:
        u = units[which]
        if u is None:
            continue
        total = floor(u * price)
        copay = total - floor(total * Decimal("0.9"))
        lines.append(f"{label}\t{u}\t{total:,}円\t{copay:,}円")
    lines += ["", f"介護職員等処遇改善加算(Ⅰ)\t所定単位数の{rate}%", ""]
    return "\n".join(lines)


# 要介護2, 1割, 3級地 70%, 処遇改善 Ⅰ; the test runs it with --month 2030-03 and --month 2030-04
PLAN = {
    "scheme": "kaigo", "month": "2030-03", "grade": "3級地", "class": "70%", "care_level": "要介護2", "copay_share": 1,
    "lines": [
        {"item": "111111", "count": 10},
        {"item": "生活援助 20分以上45分未満", "service": "訪問介護", "count": 8},
        {"item": "初回加算", "service": "訪問介護", "count": 1},
    ],
    "services": {"訪問介護": {"treatment_improvement": "Ⅰ"}},
}


def files() -> dict[str, bytes]:
    return {
        "revisions_next.json": (json.dumps(REVISION, ensure_ascii=False, indent=1) + "\n").encode("utf-8"),
        "old/houmon_kaigo_r6.txt": leaflet("令和6年4月改定", "令和6年4月1日現在", PRICE_OLD, RATE_OLD, 0).encode("utf-8"),
        "new/houmon_kaigo_r12.txt": leaflet("令和12年4月改定", "令和12年4月1日現在", PRICE_NEW, RATE_NEW, 1).encode("utf-8"),
        "stale/houmon_kaigo_r12_stale.txt": leaflet("料金のご案内", "令和12年5月1日現在", PRICE_NEW, RATE_OLD, 0).encode("utf-8"),
        "plan.json": (json.dumps(PLAN, ensure_ascii=False, indent=1) + "\n").encode("utf-8"),
    }


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--check", action="store_true", help="report fixtures that would change, write nothing")
    args = ap.parse_args()
    changed = []
    for name, data in files().items():
        path = OUT / name
        if not path.is_file() or path.read_bytes() != data:
            changed.append(name)
            if not args.check:
                path.parent.mkdir(parents=True, exist_ok=True)
                path.write_bytes(data)
    for name in changed:
        print(f"{'would change' if args.check else 'wrote'} fixtures/revision/{name}")
    return 1 if args.check and changed else 0


if __name__ == "__main__":
    sys.exit(main())
