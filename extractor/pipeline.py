"""source -> lines -> layout rows: one document in, one ``DocumentResult`` out."""

from __future__ import annotations

from pathlib import Path

from . import findings, layouts, sources
from .model import DocumentResult, Source


def extract(path: Path, password: str | None = None) -> DocumentResult:
    """Read ``path`` with the best-scoring recognizer. Raises ``BadInput`` for input
    that cannot be read at all; every other problem is a finding on the result."""
    doc = sources.read(path, password)
    result = DocumentResult(
        doc=doc.name, path=str(path), sha256=doc.sha256, source_kind=doc.kind, encoding=doc.encoding
    )
    ranked = layouts.ranked(doc)
    best_score, best = ranked[0] if ranked else (0.0, None)
    if best is None or best_score < layouts.THRESHOLD:
        desc = f"{best.name} {best_score:.2f}" if best else "none registered"
        result.findings = source_findings(doc) + [findings.make("no-recognizer", Source(doc=doc.name), best=desc)]
        return result
    parsed = best.parse(doc)
    result.recognizer = best.name
    result.confidence = round(best_score, 3)
    result.rows = parsed.rows
    result.findings = source_findings(doc) + parsed.findings + corrections_found(doc, parsed) + low_confidence(doc, parsed)
    return result


def low_confidence(doc, parsed) -> list:
    if not doc.notes.get("ocr_pages"):
        return []
    return [
        findings.make("ocr-low-confidence", r.source, printed=f"{r.confidence:.2f}", expected=f"{OCR_CONFIDENCE:.2f}")
        for r in parsed.rows if r.confidence < OCR_CONFIDENCE
    ]


OCR_CONFIDENCE = 0.9  # OCR'd rows below this are flagged for a look at the page


def source_findings(doc) -> list:
    out = []
    missing = doc.notes.get("missing_ocr")
    for page in doc.notes.get("empty_pages", []):
        if missing:
            out.append(findings.make("ocr-unavailable", Source(doc=doc.name, page=page), printed=str(page), expected=missing))
        else:
            out.append(findings.make("page-without-text", Source(doc=doc.name, page=page), printed=f"p.{page}"))
    for page, n in doc.notes.get("unmapped", []):
        out.append(findings.make("unmapped-glyphs", Source(doc=doc.name, page=page), printed=str(n)))
    return out


def corrections_found(doc, parsed) -> list:
    """One ocr-correction finding per corrected line: on the rows' lines (which carry the
    corrections safe in their section's service) and on every other corrected line."""
    by_line: dict[int | None, list] = {}
    for r in parsed.rows:
        for c in r.corrections:
            if c not in by_line.setdefault(c.line, []):
                by_line[c.line].append(c)
    for ln in doc.lines:
        for c in ln.corrections:
            if c not in by_line.setdefault(ln.number, []):
                by_line[ln.number].append(c)
    lines = {ln.number: ln for ln in doc.lines}
    out = []
    for n in sorted(k for k in by_line if k is not None):
        cs = by_line[n]
        if cs:
            out.append(findings.make(
                "ocr-correction", doc.source([lines[n]]),
                printed=" / ".join(c.printed for c in cs), expected=" / ".join(c.read for c in cs),
            ))
    return out
