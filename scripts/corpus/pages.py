"""Pages around the tables: titles, a 重要事項説明書's prose with its 実費, headings, notes,
and a table split over two pages."""

from __future__ import annotations

import random

from . import words
from .model import Table
from .units import Service

def _title(rng: random.Random, svc: Service, axes: dict) -> tuple[str, str]:
    facility = rng.choice(words.FACILITY) + words.OFFICE[axes["service"]]
    title = rng.choice([f"{svc.name} 料金表", f"{svc.name}サービス利用料金表", f"ご利用料金のご案内（{svc.name}）",
                        f"{svc.name} 利用料金一覧（令和6年度介護報酬改定対応）" if svc.scheme == "kaigo" else f"{svc.name} 利用者負担額一覧"])
    return facility, title


def _heading(axes: dict, svc: Service, which: str) -> str:
    if which == "base":
        shape, amounts = axes.get("shape"), axes["amounts"]
        what = {"copay1": "1割負担", "total": "10割", "units_only": "単位数"}.get(amounts, "")
        if shape in ("wide", "wide_t"):
            q = f"（{what}{'、単位：円' if axes.get('yen_form') == 'bare' else ''}）"
        elif shape == "stacked":
            q = f"（上段：単位数　下段：{'利用者負担額' if amounts == 'copay1' else '利用料'}）"
        else:
            q = ""
        return f"■ {svc.name} 基本料金{q}"
    return "■ 加算（算定要件を満たす場合）"


def _prose(rng: random.Random, svc: Service, axes: dict, facility: str) -> list[list[tuple[str, object]]]:
    """The pages of a 重要事項説明書 before its 別紙, with numbers that are not fees."""
    key = axes["service"]
    p1 = [("title", f"{svc.name} 重要事項説明書"), ("para", f"事業者：社会福祉法人{rng.choice(words.FACILITY)}会"),
          ("para", f"事業所名：{facility}"),
          ("para", f"所在地：〒{rng.randint(100, 999)}-{rng.randint(1000, 9999)} 市内{rng.randint(1, 9)}丁目{rng.randint(1, 30)}番{rng.randint(1, 20)}号"),
          ("para", f"電話番号：0{rng.randint(3, 99)}-{rng.randint(100, 9999)}-{rng.randint(1000, 9999)}"),
          ("heading", "1. 事業の目的及び運営の方針"),
          ("para", f"当事業所は、介護保険法その他関係法令に従い、利用者がその有する能力に応じ自立した日常生活を営むことができるよう、{svc.name}を提供します。"),
          ("heading", "2. 営業日及び営業時間"),
          ("para", "営業日：月曜日から金曜日（祝日及び12月30日から1月3日までを除く）"),
          ("para", f"営業時間：{rng.choice(['8時30分', '9時00分'])}から{rng.choice(['17時30分', '18時00分'])}まで"),
          ("heading", "3. 職員の体制"),
          ("para", f"管理者 1名、従業者 {rng.randint(3, 15)}名（常勤 {rng.randint(2, 5)}名）")]
    extras = words.EXTRAS[words.EXTRAS_OF[key]]
    p2 = [("heading", "4. 利用料金"),
          ("para", "介護保険の適用がある場合は、別紙の料金表のとおりです。" if svc.scheme == "kaigo"
           else "障害福祉サービスの利用者負担は、別紙の料金表のとおりです。"),
          ("heading", "5. その他の費用（実費）")]
    p2 += [("para", f"（{i + 1}）{e}") for i, e in enumerate(rng.sample(extras, min(len(extras), rng.randint(2, 4))))]
    p2 += [("heading", "6. 苦情相談窓口"),
           ("para", f"受付時間：平日 9時～17時　電話 0{rng.randint(3, 99)}-{rng.randint(100, 9999)}-{rng.randint(1000, 9999)}"),
           ("para", f"令和{rng.randint(6, 7)}年{rng.randint(1, 12)}月{rng.randint(1, 28)}日 説明者：管理者")]
    return [p1, p2]


def _split(t: Table) -> tuple[Table, Table]:
    """A table over two pages, its header repeated on the second; a label merged over the
    break is printed again at the top of the continued part."""
    body = t.rows[t.n_head:]
    cut = max(t.keep, len(body) // 2 // t.keep * t.keep)
    head = [list(r) for r in t.rows[:t.n_head]]
    hspans = [s for s in t.spans if s[1] < t.n_head]
    first_sp, second_sp = [], []
    second_body = [list(r) for r in body[cut:]]
    for c0, r0, c1, r1, v in t.spans:
        if r0 < t.n_head:
            continue
        b0, b1 = r0 - t.n_head, r1 - t.n_head
        if b1 < cut:
            first_sp.append((c0, r0, c1, r1, v))
        elif b0 >= cut:
            second_sp.append((c0, r0 - cut, c1, r1 - cut, v))
        else:
            if cut - 1 > b0:
                first_sp.append((c0, r0, c1, cut - 1 + t.n_head, v))
            second_body[0][c0] = body[b0][c0]
            if b1 > cut:
                second_sp.append((c0, t.n_head, c1, b1 - cut + t.n_head, v))
    a = Table(head + [list(r) for r in body[:cut]], t.n_head, hspans + first_sp, set(t.numeric))
    b = Table([list(r) for r in head] + second_body, t.n_head, list(hspans) + second_sp, set(t.numeric))
    return a, b


def _layout(rng, axes, svc, tables, above, foot, rate_note) -> list[list[tuple[str, object]]]:
    facility, title = _title(rng, svc, axes)
    pool = words.NOTES_SHOGAI if svc.scheme == "shogai" else words.NOTES_FULL if svc.copay == "full" else words.NOTES
    notes = [("note", rng.choice(pool))]
    if foot:
        notes.insert(0, ("note", foot))
    if rate_note:
        notes.append(("note", rate_note))
    head_blocks = [("title", title), ("para", facility)]
    if above:
        head_blocks.append(("para", above))
    carrier = axes["carrier"]
    base = [("heading", _heading(axes, svc, "base")), ("table", tables[0])]
    adds = [("heading", _heading(axes, svc, "adds")), ("table", tables[1])] if len(tables) > 1 else []
    if carrier == "bessi":
        pages = _prose(rng, svc, axes, facility)
        n = rng.choice([1, 2, 3])
        label = f"別紙{n}　{svc.name} 利用料金表"
        last = [("title", label)] + ([("para", above)] if above else []) + base + adds + notes
        return pages + [last]
    if carrier == "side_by_side":  # 基本 on the left, 加算 on the right of a landscape page
        return [head_blocks + [("pair", (base[0][1], tables[0], adds[0][1], tables[1]))] + notes]
    if carrier == "two_pages":
        a, b = _split(tables[0])
        p1 = head_blocks + [base[0], ("table", a)]
        p2 = [("table", b)] + adds + notes
        return [p1, p2]
    return [head_blocks + base + adds + notes]
