"""The registry and the families: each document goes to its family whatever its name,
line endings or encoding, and a document of no known family is a finding, not a crash."""

from __future__ import annotations

import pytest

from extractor import layouts
from extractor.pipeline import extract

from .conftest import seed, text_fixtures

FAMILY = {"000": "fee-leaflet", "001": "tabbed-schedule", "002": "scrambled-leaflet", "003": "sankou-grid", "004": "yen-split-table"}


def values(result):
    # rules differ legitimately (a legacy file's ￥ needs the width rule); values may not
    return [r.model_dump(exclude={"doc", "source", "rules"}) for r in result.rows]


@pytest.mark.parametrize("prefix", sorted(FAMILY))
def test_seed_goes_to_its_family(prefix):
    assert extract(seed(prefix)).recognizer == FAMILY[prefix]


@pytest.mark.parametrize("path", text_fixtures(), ids=lambda p: p.name)
def test_fixture_goes_to_a_family(path):
    res = extract(path)
    assert res.recognizer in set(FAMILY.values())
    assert res.rows


@pytest.mark.parametrize("prefix", sorted(FAMILY))
@pytest.mark.parametrize("encoding", ["cp932", "euc_jis_2004", "utf-8-sig"])
def test_name_line_endings_and_encoding_do_not_matter(tmp_path, prefix, encoding):
    src = seed(prefix)
    text = src.read_text(encoding="utf-8")
    copy = tmp_path / "renamed-document.txt"
    if not encoding.startswith("utf"):
        text = text.replace("¥", "￥")  # legacy Japanese encodings print the full-width yen sign
    copy.write_bytes(text.replace("\n", "\r\n").encode(encoding))
    assert values(extract(copy)) == values(extract(src))


def test_unknown_document_is_a_finding(tmp_path):
    p = tmp_path / "letter.txt"
    p.write_text("拝啓　時下ますますご清祥のこととお慶び申し上げます。\n敬具\n", encoding="utf-8")
    res = extract(p)
    assert res.rows == []
    assert [f.code for f in res.findings] == ["no-recognizer"]
    assert res.status == "failed"


def test_every_recognizer_is_registered_with_a_description():
    layouts.ranked  # noqa: B018 - import side effect loads the modules
    layouts._load_all()
    assert set(FAMILY.values()) <= set(layouts.REGISTRY)
    assert all(r.description for r in layouts.REGISTRY.values())
