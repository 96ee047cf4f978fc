"""source -> lines -> layout rows: one document in, one ``DocumentResult`` out."""

from __future__ import annotations

from pathlib import Path

from . import findings, layouts, sources
from .model import DocumentResult, Source


def extract(path: Path) -> DocumentResult:
    """Read ``path`` with the best-scoring recognizer. Raises ``BadInput`` for input
    that cannot be read at all; every other problem is a finding on the result."""
    doc = sources.read(path)
    result = DocumentResult(
        doc=doc.name, path=str(path), sha256=doc.sha256, source_kind=doc.kind, encoding=doc.encoding
    )
    ranked = layouts.ranked(doc)
    best_score, best = ranked[0] if ranked else (0.0, None)
    if best is None or best_score < layouts.THRESHOLD:
        desc = f"{best.name} {best_score:.2f}" if best else "none registered"
        result.findings.append(findings.make("no-recognizer", Source(doc=doc.name), best=desc))
        return result
    parsed = best.parse(doc)
    result.recognizer = best.name
    result.confidence = round(best_score, 3)
    result.rows = parsed.rows
    result.findings = parsed.findings
    return result
