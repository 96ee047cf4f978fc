#!/usr/bin/env python3
"""Score the reader on a generated corpus: row precision, recall and F1, overall and per
axis value, and how often the unit price the checker settles on is the true one.

    python scripts/score_corpus.py DIR [--jobs N] [--json OUT] [--limit K] [--worst K]

Each document is read with ``extractor.pipeline.extract`` and its rows scored against
``NAME.expected.json`` with ``extractor.scoring.score_rows``; the price is the one
``tariff check`` reports (``extractor.reconcile.reconcile(result).unit_price``). A document
the reader refuses counts as read with no rows. The ``kind`` lines are the F1 per input kind.

An HTML, Excel or Word document with a twin (``DIR/twins/NAME.pdf``, the same plan printed
as a PDF, written by make_corpus.py) is compared with it: the two agree when their rows
read are the same (``extractor.scoring.row_key``: names, care levels and bands folded),
and the report says how many plans agree per kind, and for those that do not, which
reading scores better. Always exits 0: it measures, tests judge.
"""

from __future__ import annotations

import argparse
import json
import sys
from collections import Counter, defaultdict
from concurrent.futures import ProcessPoolExecutor
from decimal import Decimal
from pathlib import Path


def _read(path: str, findings: list | None = None):
    """(rows, unit price the checker settles on, failure) of one document. ``findings``, when
    given, receives what `tariff check DOC` with no flags reports (the built-in 令和6 table
    as its reference), each as ``--format json`` writes it."""
    from extractor.check import check
    from extractor.pipeline import extract
    from extractor.reference import builtin_reference

    try:
        result = extract(Path(path))
        report = check([result], [builtin_reference()])  # what `tariff check DOC` settles on
        d = report.documents[0]
        if findings is not None:
            findings.extend({"code": f.code, "severity": f.severity, "page": f.page, "line": f.line,
                             "message": f.message, "data": f.model_dump(mode="json")["data"]} for f in d.findings)
        return result.rows, d.rec.unit_price, None
    except Exception as exc:  # a refused input (BadInput) or a reader crash: no rows read
        return [], None, f"{type(exc).__name__}: {exc}"


def _keys(rows) -> Counter:
    from extractor.scoring import as_expected, row_key

    return Counter(row_key(as_expected(r)) for r in rows if r.kind != "other")


def score_doc(path: str, expected: dict, twin: str | None = None) -> dict:
    """One document: its score, the price found, and what was missing or extra; with a
    ``twin`` (the same plan as a PDF), whether the rows read from both are the same."""
    from extractor.scoring import score_rows

    found: list[dict] = []
    rows, price, failure = _read(path, found)
    s = score_rows(rows, expected["rows"])
    want = Decimal(expected["unit_price"])
    out = {
        "doc": expected["doc"], "axes": expected["axes"], "matched": s.matched, "read": s.read,
        "expected": s.expected, "f1": s.f1, "missing": s.missing, "extra": s.extra, "failure": failure,
        "price_found": None if price is None else str(price), "price_known": expected.get("price_known", True),
        "price_ok": price is not None and Decimal(price) == want, "twin": None,
        "check": _judge_check(expected, found, failure),
    }
    if twin:
        pdf_rows, _, pdf_failure = _read(twin)
        mine, theirs = _keys(rows), _keys(pdf_rows)
        out["twin"] = {"agree": mine == theirs and not failure and not pdf_failure,
                       "f1_pdf": score_rows(pdf_rows, expected["rows"]).f1, "failure_pdf": pdf_failure,
                       "only_source": len(list((mine - theirs).elements())),
                       "only_pdf": len(list((theirs - mine).elements()))}
    return out


def planted_of(expected: dict) -> dict | None:
    """What was printed wrong on purpose and the findings that report it: the plant
    (make_corpus.py --plant), or the ``error`` axis's one wrong amount, or None for a
    consistent document."""
    if expected.get("planted"):
        return expected["planted"]
    if not expected.get("errors"):
        return None
    from corpus.plant import _yen_alternatives

    e = expected["errors"][0]
    amounts = expected["rows"][e["row"]]["amounts"]
    return {"kind": "error-axis", "row": e["row"], "amount": e["amount"], "printed": e["printed"],
            "expect": _yen_alternatives(e["amount"], e["printed"], amounts)}


def price_told(expected: dict) -> bool:
    """Whether anything can tell a document's price: a statement (price, footnote, 級地), a
    row printing units beside its yen, or a service whose official units are built in (the
    check holds yen printed alone to them). A 老健 or 障害 grid of yen alone, with no price
    stated, fits every price."""
    from corpus.plant import built_in

    if not expected.get("price_known", True):
        return False
    if expected.get("price_form", "none") != "none":
        return True
    if any(r.get("units") is not None and r.get("amounts") for r in expected["rows"]):
        return True
    from corpus.units import SERVICES

    types = {svc.service_type for svc in SERVICES[expected["axes"]["service"]]}
    return any(t == typ for t, _ in built_in() for typ in types)


def error_told(expected: dict) -> bool:
    """Whether anything can tell the `error` axis's wrong amount, as a plant is only placed
    where something can (corpus/plant.py): its row prints units beside it, or its service's
    official units are built in. A 老健 grid of 1割 yen alone, with no units printed and none
    built in, fits every amount: nothing can tell one yen off there."""
    from corpus.plant import built_in
    from corpus.units import SERVICES

    errors = expected.get("errors") or []
    if not errors:
        return True
    if expected["rows"][errors[0]["row"]].get("units") is not None:
        return True
    types = {svc.service_type for svc in SERVICES[expected["axes"]["service"]]}
    return any(t == typ for t, _ in built_in() for typ in types)


def _judge_check(expected: dict, found: list[dict], failure: str | None) -> dict:
    """The check's findings on a document against what it should report: for a planted
    document, whether one finding is a right report of the plant, and the errors that are
    not; for a consistent one, its errors (there should be none)."""
    from corpus.plant import reports

    plant = planted_of(expected)
    right = [f for f in found if plant and reports(plant["expect"], f)]
    other = [f for f in found if f["severity"] == "error" and f not in right]
    return {"planted": plant["kind"] if plant else None, "reported": bool(right), "failure": failure is not None,
            "price_told": price_told(expected), "told": plant is None or plant["kind"] != "error-axis" or error_told(expected),
            "other_errors": [{"code": f["code"], "line": f["line"], "message": f["message"]} for f in other],
            "codes": sorted({f["code"] for f in found if f["severity"] != "info"})}


def _job(args: tuple) -> dict:
    return score_doc(*args)


class Tally:
    def __init__(self):
        self.docs = self.matched = self.read = self.expected = 0
        self.priced = self.price_ok = 0

    def add(self, r: dict) -> None:
        self.docs += 1
        self.matched += r["matched"]
        self.read += r["read"]
        self.expected += r["expected"]
        if r["price_known"]:
            self.priced += 1
            self.price_ok += r["price_ok"]

    @property
    def _score(self):
        from extractor.scoring import Score

        return Score(matched=self.matched, read=self.read, expected=self.expected)

    @property
    def p(self) -> float:
        return self._score.precision

    @property
    def r(self) -> float:
        return self._score.recall

    @property
    def f1(self) -> float:
        return self._score.f1

    def cells(self) -> str:
        price = f"{self.price_ok / self.priced:6.3f}" if self.priced else "     -"
        return f"{self.docs:5d} {self.expected:6d} {self.p:6.3f} {self.r:6.3f} {self.f1:6.3f} {price}"


def summarize(results: list[dict]) -> dict:
    overall, per = Tally(), defaultdict(Tally)
    for r in results:
        overall.add(r)
        for axis, value in r["axes"].items():
            per[(axis, value)].add(r)
    return {"overall": overall, "per": dict(sorted(per.items()))}


def _row(r: dict) -> str:
    bits = [r.get("item") or "", "・".join(r.get("care_levels") or []), r.get("time_band") or ""]
    nums = [f"{r['units']}単位" if r.get("units") is not None else "", f"rate {r['rate']}" if r.get("rate") else ""]
    nums += [f"{k}={v}" for k, v in sorted((r.get("amounts") or {}).items())]
    return " ".join(b for b in bits + nums if b)


def report(results: list[dict], worst: int, out=None) -> None:
    out = out or sys.stdout
    s = summarize(results)
    o = s["overall"]
    print(f"documents {o.docs}, rows expected {o.expected}, rows read {o.read}, matched {o.matched}", file=out)
    print(f"overall  P {o.p:.3f}  R {o.r:.3f}  F1 {o.f1:.3f}  unit price right {o.price_ok}/{o.priced}", file=out)
    print(f"\n{'axis':14s} {'value':22s} {'docs':>5s} {'rows':>6s} {'P':>6s} {'R':>6s} {'F1':>6s} {'price':>6s}", file=out)
    for (axis, value), t in s["per"].items():
        print(f"{axis:14s} {value:22s} {t.cells()}", file=out)
    failed = [r for r in results if r["failure"]]
    if failed:
        kinds = defaultdict(int)
        for r in failed:
            kinds[r["failure"].split(":")[0]] += 1
        print(f"\nrefused or crashed: {len(failed)} ({', '.join(f'{k} {n}' for k, n in sorted(kinds.items()))})", file=out)
    twins = [r for r in results if r.get("twin")]
    if twins:
        print("\nrows equal to those read from the same plan printed as a PDF (twins/NAME.pdf)", file=out)
        for kind in sorted({r["axes"]["kind"] for r in twins}):
            ts = [r for r in twins if r["axes"]["kind"] == kind]
            agree = [r for r in ts if r["twin"]["agree"]]
            rest = [r for r in ts if not r["twin"]["agree"]]
            better = sum(r["f1"] > r["twin"]["f1_pdf"] for r in rest)
            worse = sum(r["f1"] < r["twin"]["f1_pdf"] for r in rest)
            print(f"  {kind:5s} {len(agree):4d} of {len(ts):4d} plans agree; of the others, the {kind} reads better in "
                  f"{better}, the PDF in {worse}, equally well in {len(rest) - better - worse}", file=out)
        n = sum(r["twin"]["agree"] for r in twins)
        print(f"  all   {n:4d} of {len(twins):4d} plans agree", file=out)
    check_report(results, out)
    bad = sorted(results, key=lambda r: (r["f1"], -r["expected"], r["doc"]))[:worst]
    print(f"\nworst {len(bad)} documents", file=out)
    for r in bad:
        print(f"- {r['doc']}: F1 {r['f1']:.3f} ({r['matched']}/{r['expected']} expected, {r['read']} read)"
              + (f" [{r['failure'][:90]}]" if r["failure"] else ""), file=out)
        for m in r["missing"][:3]:
            print(f"    missing: {_row(m)}", file=out)
        for e in r["extra"][:3]:
            print(f"    extra:   {_row(e)}", file=out)


def check_report(results: list[dict], out) -> None:
    """What `tariff check` (no flags) reports: per planted kind, the share of documents
    reported with a right finding; errors on consistent documents; and the true unit price
    found per way the document gives it (axis price_form: stated, grade (級地 only),
    footnote, none)."""
    results = [r for r in results if r.get("check")]
    if not results:
        return
    print("\ntariff check, per planted kind (a right report: the finding's code and values)", file=out)
    kinds: dict[str, list[dict]] = defaultdict(list)
    for r in results:
        kinds[r["check"]["planted"] or "consistent"].append(r)
    for kind in sorted(kinds, key=lambda k: (k == "consistent", k)):
        rs = kinds[kind]
        extra = sum(len(r["check"]["other_errors"]) for r in rs)
        docs_extra = sum(bool(r["check"]["other_errors"]) for r in rs)
        if kind == "consistent":
            print(f"  {kind:18s} {len(rs):4d} documents; {docs_extra} with errors ({extra} errors)", file=out)
        else:
            told = [r for r in rs if r["check"].get("told", True)]
            n = sum(r["check"]["reported"] for r in told)
            print(f"  {kind:18s} {n:4d} of {len(told):4d} reported ({n / max(len(told), 1):6.1%}); other errors on "
                  f"{docs_extra} documents ({extra})"
                  + (f"; and {len(rs) - len(told)} documents nothing can tell it in (yen alone: no units printed, "
                     f"none built in), {sum(r['check']['reported'] for r in rs) - n} reported" if len(rs) > len(told) else ""),
                  file=out)
    print("\ntrue unit price found, per way of giving it (price_form)", file=out)
    for form in ("stated", "grade", "footnote", "none"):
        rs = [r for r in results if r["axes"].get("price_form") == form and r["price_known"]]
        told = [r for r in rs if r["check"].get("price_told", True)]
        if told:
            n = sum(r["price_ok"] for r in told)
            print(f"  {form:9s} {n:4d} of {len(told):4d} ({n / len(told):6.1%})"
                  + (f"; and {len(rs) - len(told)} documents nothing tells the price of (yen only: no units printed, "
                     f"none built in), {sum(r['price_ok'] for r in rs) - n} found" if len(rs) > len(told) else ""), file=out)
    missed = [r for r in results if r["check"]["planted"] and not r["check"]["reported"] and r["check"].get("told", True)]
    noisy = [r for r in results if r["check"]["other_errors"]]
    for r in (missed + noisy)[:20]:
        what = "missed " + r["check"]["planted"] if r in missed else f"{len(r['check']['other_errors'])} other errors"
        print(f"- {r['doc']}: {what}; reported {', '.join(r['check']['codes']) or 'nothing'}", file=out)
        for e in r["check"]["other_errors"][:2]:
            print(f"    {e['message'][:160]}", file=out)


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description="Score the reader on a generated corpus.")
    ap.add_argument("dir", type=Path)
    ap.add_argument("--jobs", type=int, default=1)
    ap.add_argument("--json", type=Path, help="write every document's result here")
    ap.add_argument("--limit", type=int, help="score only the first K documents of the index")
    ap.add_argument("--worst", type=int, default=10, help="how many of the worst documents to list")
    args = ap.parse_args(argv)
    index = json.loads((args.dir / "index.json").read_text(encoding="utf-8"))
    docs = index["documents"][: args.limit] if args.limit else index["documents"]
    work = []
    for d in docs:
        stem = d["doc"].rsplit(".", 1)[0]
        exp = json.loads((args.dir / f"{stem}.expected.json").read_text(encoding="utf-8"))
        twin = args.dir / "twins" / f"{stem}.pdf"
        work.append((str(args.dir / d["doc"]), exp, str(twin) if twin.exists() else None))
    if args.jobs > 1:
        with ProcessPoolExecutor(args.jobs) as pool:
            results = list(pool.map(_job, work, chunksize=4))
    else:
        results = [_job(w) for w in work]
    report(results, args.worst)
    if args.json:
        s = summarize(results)
        summary = {"overall": vars(s["overall"]) | {"P": s["overall"].p, "R": s["overall"].r, "F1": s["overall"].f1},
                   "per_axis": [{"axis": a, "value": v, **vars(t), "P": t.p, "R": t.r, "F1": t.f1}
                                for (a, v), t in s["per"].items()]}
        args.json.write_text(json.dumps({"summary": summary, "documents": results}, ensure_ascii=False, indent=1,
                                        sort_keys=True, default=str) + "\n", encoding="utf-8")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
