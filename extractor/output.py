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


def pieces(results, fmt: str):
    """The output in pieces: a header, one chunk per document as it comes, a footer. The
    same pieces make a whole string (render) or a stream written as documents finish."""
    if fmt not in FORMATS:
        raise ValueError(fmt)
    if fmt == "json":
        yield '{"documents": [\n'
    elif fmt == "csv":
        yield _csv_line(CSV_COLUMNS)
    first = True
    for res in results:
        if fmt == "jsonl":
            yield "".join(dumps(row_json(r)) + "\n" for r in res.rows)
        elif fmt == "json":
            yield ("" if first else ",\n") + json.dumps(document_json(res), ensure_ascii=False, indent=1)
        else:
            yield "".join(_csv_line(_csv_row(r)) for r in res.rows)
        first = False
    if fmt == "json":
        yield "\n]}\n"


def _csv_line(values) -> str:
    buf = io.StringIO()
    csv.writer(buf, lineterminator="\n").writerow(values)
    return buf.getvalue()


def render(results: list[DocumentResult], fmt: str) -> str:
    return "".join(pieces(results, fmt))


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


def write_output(results, fmt: str, path: str | None) -> None:
    """Write each document's piece as it comes (results may be a generator), so memory
    stays flat over any number of documents; a file is written to a temporary name and
    renamed at the end, so it is never half-written."""
    if path is None:
        for piece in pieces(results, fmt):
            sys.stdout.write(piece)
        sys.stdout.flush()
        return
    target = Path(path)
    target.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(prefix=f".{target.name}.", dir=target.parent)
    try:
        with os.fdopen(fd, "w", encoding="utf-8", newline="") as f:
            for piece in pieces(results, fmt):
                f.write(piece)
        publish(tmp)
        os.replace(tmp, target)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise


def _umask() -> int:
    mask = os.umask(0)
    os.umask(mask)
    return mask


def publish(tmp: str | Path, directory: bool = False) -> None:
    """Give a temporary file (0600) or folder (0700) the permissions a normal file or
    folder gets, before it is renamed into place."""
    os.chmod(tmp, (0o777 if directory else 0o666) & ~_umask())


def write_atomic(path: Path, data: str) -> None:
    """Write to a temp file beside ``path``, then rename: never a half-written file."""
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", dir=path.parent)
    try:
        with os.fdopen(fd, "w", encoding="utf-8", newline="") as f:
            f.write(data)
        publish(tmp)
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise
