"""Render a check report: text for people, JSON for machines, JUnit XML for CI
dashboards, GitHub workflow annotations."""

from __future__ import annotations

import json
from typing import TYPE_CHECKING

if TYPE_CHECKING:  # the renderers take a report; importing this module (for its formats) needs no checker
    from .check import Report

CHECK_FORMATS = ("text", "json", "junit", "github")
# what `--format json` writes of each finding (docs/findings.md)
FINDING_KEYS = ("code", "severity", "page", "line", "bbox", "message", "printed", "expected", "raw", "data")


def render(report: Report, fmt: str, fail_on: str = "error", verbose: bool = False, allow_partial: bool = False) -> str:
    """``allow_partial``: an unverified document (part of it not read) does not fail the
    JUnit case nor raise a GitHub error."""
    fn = {"text": _text, "json": _json, "junit": _junit, "github": _github}[fmt]
    return fn(report, fail_on, verbose, allow_partial)


def _price(d) -> str:
    rec = d.rec
    if rec.unit_price is None:
        return "unit price: none"
    how = rec.unit_price_source
    where = f", {rec.grade} {rec.klass}" if rec.grade else ""
    return f"unit price {rec.unit_price}円 ({how}{where}; explains {rec.explained}/{rec.priced} rows)"


def _text(report: Report, fail_on: str, verbose: bool, allow_partial: bool = False) -> str:
    from .check import SEVERITY_RANK

    out = []
    for d in report.documents:
        res = d.result
        conv = f"  convention: {d.rec.convention}" if d.rec.convention else ""
        out.append(f"{res.doc}  [{res.recognizer or 'unrecognized'}]  {len(res.rows)} rows  {_price(d)}{conv}")
        if d.status == "unverified":
            out.append(f"  UNVERIFIED {d.unread_summary()}")
        shown = [f for f in d.findings if verbose or f.severity != "info"]
        infos = sum(f.severity == "info" for f in d.findings) if not verbose else 0
        for f in sorted(shown, key=lambda f: (-SEVERITY_RANK[f.severity], f.line or 0, f.code)):
            out.append(f"  {f.severity.upper():7s} {f.code:26s} {f.message}")
        if infos:
            out.append(f"  ({infos} info findings; --verbose shows them)")
        out.append("")
    if report.references:
        out.append("checked against: " + "; ".join(r.name for r in report.references))
    s = summary(report)
    unverified = f", {s['unverified']} unverified" if s["unverified"] else ""
    out.append(f"{s['documents']} documents, {s['rows']} rows: {s['errors']} errors, {s['warnings']} warnings{unverified}")
    return "\n".join(out) + "\n"


def summary(report: Report) -> dict:
    return {
        "documents": len(report.documents),
        "rows": sum(len(d.result.rows) for d in report.documents),
        "errors": report.count("error"),
        "warnings": report.count("warning"),
        "unverified": len(report.unverified()),
    }


def _json(report: Report, fail_on: str, verbose: bool, allow_partial: bool = False) -> str:
    docs = []
    for d in report.documents:
        docs.append({
            "doc": d.result.doc,
            "path": d.result.path,
            "status": d.status,
            "recognizer": d.result.recognizer,
            "unit_price": None if d.rec.unit_price is None else str(d.rec.unit_price),
            "unit_price_source": d.rec.unit_price_source,
            "grade": d.rec.grade,
            "class": d.rec.klass,
            "explained": d.rec.explained,
            "priced": d.rec.priced,
            "convention": d.rec.convention,
            "rows": len(d.result.rows),
            "findings": [
                {k: v for k, v in f.model_dump(mode="json").items() if k in FINDING_KEYS}
                for f in d.findings
            ],
        })
    refs = [{"name": r.name, "sha256": r.sha256, "rows": len(r.rows)} for r in report.references]
    return json.dumps({"documents": docs, "references": refs, "summary": summary(report)}, ensure_ascii=False, indent=1) + "\n"


def _junit(report: Report, fail_on: str, verbose: bool, allow_partial: bool = False) -> str:
    from xml.sax.saxutils import escape, quoteattr  # (it imports urllib: only the JUnit report needs it)

    from .check import SEVERITY_RANK

    limit = SEVERITY_RANK[fail_on]
    cases, failures = [], 0
    for d in report.documents:
        bad = [f for f in d.findings if SEVERITY_RANK[f.severity] >= limit]
        gate = d.status == "unverified" and not allow_partial
        body = ""
        if bad or gate:
            failures += 1
            text = "\n".join(([f"not verified: {d.unread_summary()}"] if gate else []) + [f"[{f.severity}] {f.code}: {f.message}" for f in bad])
            what = "unverified: part of it was not read" if gate and not bad else f"{len(bad)} findings at or above {fail_on}"
            body = f"<failure message={quoteattr(what)}>{escape(text)}</failure>"
        other = "\n".join(f"[{f.severity}] {f.code}: {f.message}" for f in d.findings if f not in bad and f.severity != "info")
        if other:
            body += f"<system-out>{escape(other)}</system-out>"
        cases.append(f'  <testcase classname="tariff.check" name={quoteattr(d.result.doc)}>{body}</testcase>')
    head = f'<testsuite name="tariff check" tests="{len(cases)}" failures="{failures}" errors="0">'
    return '<?xml version="1.0" encoding="UTF-8"?>\n<testsuites>\n' + head + "\n" + "\n".join(cases) + "\n</testsuite>\n</testsuites>\n"


def _gh_message(text: str) -> str:
    """A workflow command's message, escaped as GitHub reads it back."""
    return text.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")


def _gh_property(text: str) -> str:
    """A workflow command's property value (a path may hold ',' or ':')."""
    return _gh_message(str(text)).replace(":", "%3A").replace(",", "%2C")


def _github(report: Report, fail_on: str, verbose: bool, allow_partial: bool = False) -> str:
    kind = {"error": "error", "warning": "warning", "info": "notice"}
    out = []
    for d in report.documents:
        path = _gh_property(d.result.path)
        if d.status == "unverified":
            level = "warning" if allow_partial else "error"
            msg = _gh_message(f"{d.result.doc}: not verified: {d.unread_summary()}")
            out.append(f"::{level} file={path},title=unverified::{msg}")
        for f in d.findings:
            if f.severity == "info" and not verbose:
                continue
            props = [f"file={path}"] + ([f"line={f.line}"] if f.line else []) + [f"title={f.code}"]
            out.append(f"::{kind[f.severity]} {','.join(props)}::{_gh_message(f.message)}")
    return "\n".join(out) + ("\n" if out else "")
