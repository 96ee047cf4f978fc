"""Serialise results deterministically: UTF-8, ensure_ascii=False, stable order."""

from __future__ import annotations

import csv
import io
import json
import os
import sys
import tempfile
from pathlib import Path

from .model import AMOUNT_KEYS, DocumentResult, TariffRow

FORMATS = ("jsonl", "json", "csv")

CSV_COLUMNS = [
    "doc", "page", "line", "scheme", "service", "item", "label", "kind", "care_levels",
    "time_band", "conditions", "units", "rate", "rate_op", "step_units", "step_minutes",
    "basis", *AMOUNT_KEYS, "amounts_for", "order", "limit", "unit_price", "unit_price_source",
    "effective_from", "effective_to", "confidence", "recognizer", "raw",
]


def row_json(row: TariffRow) -> dict:
    return row.model_dump(mode="json")


def document_json(res: DocumentResult) -> dict:
    d = res.model_dump(mode="json")
    d["status"] = res.status
    return d


def dumps(obj) -> str:
    return json.dumps(obj, ensure_ascii=False, separators=(",", ":"))


def render(results: list[DocumentResult], fmt: str) -> str:
    if fmt == "jsonl":
        return "".join(dumps(row_json(r)) + "\n" for res in results for r in res.rows)
    if fmt == "json":
        return json.dumps({"documents": [document_json(r) for r in results]}, ensure_ascii=False, indent=1) + "\n"
    if fmt == "csv":
        buf = io.StringIO()
        w = csv.writer(buf, lineterminator="\n")
        w.writerow(CSV_COLUMNS)
        for res in results:
            for r in res.rows:
                w.writerow(_csv_row(r))
        return buf.getvalue()
    raise ValueError(fmt)


def _csv_row(r: TariffRow) -> list:
    d = row_json(r)
    flat = {
        **d,
        "care_levels": ";".join(r.care_levels),
        "conditions": ";".join(r.conditions),
        "step_units": r.step.units if r.step else None,
        "step_minutes": r.step.minutes if r.step else None,
        "raw": r.source.raw,
        **{k: r.amounts.get(k) for k in AMOUNT_KEYS},  # type: ignore[call-overload]
    }
    return ["" if flat.get(c) is None else flat[c] for c in CSV_COLUMNS]


def write_output(results: list[DocumentResult], fmt: str, path: str | None) -> None:
    data = render(results, fmt)
    if path is None:
        sys.stdout.write(data)
        sys.stdout.flush()
        return
    write_atomic(Path(path), data)


def write_atomic(path: Path, data: str) -> None:
    """Write to a temp file beside ``path``, then rename: never a half-written file."""
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", dir=path.parent)
    try:
        with os.fdopen(fd, "w", encoding="utf-8", newline="") as f:
            f.write(data)
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise
