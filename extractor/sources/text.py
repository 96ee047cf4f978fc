"""Plain text (.txt, .md) in UTF-8 (with or without BOM), Shift_JIS/cp932 or EUC-JP."""

from __future__ import annotations

import hashlib
from pathlib import Path

import regex as re

from .base import BadInput, Document, Line
from .files import TEXT_MAX_BYTES, read_limited

TEXT_SUFFIXES = {".txt", ".md", ".text", ".tsv"}
MAX_LINES = 200_000  # a fee document has a few thousand; more is refused before it is read
MAX_LINE_CHARS = 100_000  # one line longer than this is not a fee document's text
# Full-width Japanese only: half-width katakana are counted on their own, below.
_JAPANESE = re.compile(r"(?![\uff61-\uff9f])[\p{Hiragana}\p{Katakana}\p{Han}ー、。]")
# Half-width katakana are legitimate in Japanese documents (ｹｱﾌﾟﾗﾝ), but they are also
# what EUC-JP bytes look like when read as cp932, so they count against a reading
# when choosing between encodings, never towards rejecting the file.
_HALFWIDTH_KANA = re.compile(r"[\uff61-\uff9f]")
# Mojibake: replacement chars, C1 controls, private use. Not U+00A0-U+00FF: JIS X 0208
# maps × ÷ ° ± § ¨ ´ ¶ there, and '×95/100' is everywhere in fee documents.
_SUSPECT = re.compile(r"[\ufffd\u0080-\u009f\ue000-\uf8ff]")
# Line breaks only: str.splitlines() also splits on the form feed, which marks pages.
_LINE_BREAK = re.compile(r"\r\n|[\r\n]")


def decode(data: bytes) -> tuple[str, str]:
    """Bytes to text without mojibake: UTF-8 first (strict), then the Japanese legacy
    encodings, choosing the one whose text reads most like Japanese."""
    if data.startswith(b"\xef\xbb\xbf"):
        return data[3:].decode("utf-8"), "utf-8-sig"
    try:
        return data.decode("utf-8"), "utf-8"
    except UnicodeDecodeError:
        pass
    best: tuple[float, str, str] | None = None
    for enc in ("cp932", "euc_jp", "euc_jis_2004"):
        try:
            s = data.decode(enc)
        except UnicodeDecodeError:
            continue
        japanese, kana, suspect = (len(p.findall(s)) for p in (_JAPANESE, _HALFWIDTH_KANA, _SUSPECT))
        if japanese + kana <= 4 * suspect:
            continue  # reads as junk, not as Japanese
        score = japanese - kana - 4 * suspect
        if best is None or score > best[0]:
            best = (score, s, enc)
    if best is None:
        raise ValueError("not UTF-8, Shift_JIS/cp932 or EUC-JP")
    return best[1], best[2]


def read_text(path: Path) -> Document:
    data = read_limited(path, TEXT_MAX_BYTES)
    if not data.strip():
        raise BadInput(str(path), "is empty", "give the document's extracted text")
    try:
        content, encoding = decode(data)
    except ValueError as e:
        raise BadInput(str(path), f"cannot be decoded ({e})", "save it as UTF-8") from None
    lines: list[Line] = []
    page = 1
    texts = _LINE_BREAK.split(content)
    if texts and texts[-1] == "":
        texts.pop()  # a final newline ends the last line; it does not start a new one
    if len(texts) > MAX_LINES:
        raise BadInput(str(path), f"has {len(texts):,} lines, over the {MAX_LINES:,}-line limit",
                       "split the document, or check that this is the fee document")
    longest = max(range(len(texts)), key=lambda i: len(texts[i]), default=0)
    if texts and len(texts[longest]) > MAX_LINE_CHARS:
        raise BadInput(str(path), f"line {longest + 1} has {len(texts[longest]):,} characters, over the "
                       f"{MAX_LINE_CHARS:,} limit", "check that this is the fee document's text")
    for number, raw in enumerate(texts, start=1):
        if "\f" in raw:  # form feed: pdftotext's page break
            page += raw.count("\f")
            raw = raw.replace("\f", "")
        lines.append(Line.of(raw, number, page))
    paged = page > 1
    if not paged:
        for ln in lines:
            ln.page = None
    return Document(
        name=path.name,
        path=str(path),
        sha256=hashlib.sha256(data).hexdigest(),
        kind="text",
        lines=lines,
        encoding=encoding,
    )
