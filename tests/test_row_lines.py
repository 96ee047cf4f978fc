"""A row's line of JSON Lines written by pydantic's JSON writer is the line the json
module writes from the row's dict (issue 18: the faster writer, held to the slower one
it replaced), and a row the two would write differently is written the old way."""

from __future__ import annotations

import math
from pathlib import Path

import pytest

from extractor import pipeline
from extractor.output import dumps, row_json, row_line

from .conftest import FIXTURES

DOCS = sorted((FIXTURES / "pdf").glob("*.pdf")) + sorted((FIXTURES / "text").glob("*.txt"))[:8] + \
    sorted((FIXTURES / "html").glob("*.htm*"))[:2]


def _reference(row) -> str:
    return dumps(row_json(row)) + "\n"


@pytest.mark.parametrize("path", DOCS, ids=lambda p: p.name)
def test_every_row_of_a_fixture_is_written_as_the_json_module_writes_it(path: Path):
    rows = pipeline.extract(path).rows
    assert rows
    for r in rows:
        assert row_line(r) == _reference(r)


@pytest.mark.parametrize("confidence", [1.0, 0.0, 0.5, 0.1 + 0.2, 0.0001, 0.00009, 1e-7, 5.188912636955312e-05,
                                        math.nan, math.inf, 1e15, 1e16, -0.0])
def test_a_confidence_in_any_notation_is_written_as_the_json_module_writes_it(confidence):
    row = pipeline.extract(sorted((FIXTURES / "pdf").glob("*.pdf"))[0]).rows[0]
    row.confidence = confidence
    assert row_line(row) == _reference(row)


def test_text_that_is_not_utf8_is_written_as_the_json_module_writes_it():
    row = pipeline.extract(sorted((FIXTURES / "pdf").glob("*.pdf"))[0]).rows[0]
    row.item = "訪問\ud800介護\x00\x1f\u2028\"\\"
    assert row_line(row) == _reference(row)
