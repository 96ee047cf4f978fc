#!/usr/bin/env python3
"""Hostile inputs of every kind the tool reads, built from a seed: ``make_fuzz.py --out DIR``.

Every file is made here (nothing is downloaded) from the committed fixtures and a seeded
random generator, so the same seed gives the same files. Kinds:

- PDF: bytes flipped, cut short, objects deleted (from every fixture PDF); a page tree
  that loops, one nested thousands deep, an array nested thousands deep; a ruled page with
  a 1e9 MediaBox and one with damaged /Resources; a decompression bomb (1 GiB of spaces
  in a ~1 MB content stream); a PDF with no pages;
- text, in each encoding the tool reads (UTF-8, UTF-8 with BOM, Shift_JIS/cp932, EUC-JP):
  bytes flipped and cut short in the middle of a character; NUL bytes; mixed encodings in
  one file; a 50 MB line; 2 million lines;
- wrong extensions: a PDF named .txt, text named .pdf, a PNG header named .pdf;
- links to /dev/zero and /dev/urandom named .txt and .pdf, FIFOs named .txt and .pdf;
- odd file names: a newline, bytes that are not UTF-8;
- good files: copies of the text and PDF fixtures (``good_*``), whose rows must come out
  exactly as from the fixtures themselves.

``manifest.json`` in DIR lists every file with its kind (``good``, ``hostile``, or
``special`` for the links and FIFOs). ``--small`` leaves out the two big text files (the
50 MB line and 2 million lines) for quick runs.
"""

from __future__ import annotations

import argparse
import json
import os
import random
import re
import zlib
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
FIXTURES = ROOT / "fixtures"


def pdf_from(objects: list[bytes], root: int = 1) -> bytes:
    """A PDF from object bodies (object i + 1 is objects[i]) with a correct xref."""
    out = bytearray(b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n")
    offsets = []
    for i, body in enumerate(objects, start=1):
        offsets.append(len(out))
        out += b"%d 0 obj\n" % i + body + b"\nendobj\n"
    xref = len(out)
    out += b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1)
    for off in offsets:
        out += b"%010d 00000 n \n" % off
    out += b"trailer\n<< /Size %d /Root %d 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (len(objects) + 1, root, xref)
    return bytes(out)


def stream(data: bytes, extra: bytes = b"") -> bytes:
    return b"<< /Length %d %s>>\nstream\n" % (len(data), extra) + data + b"\nendstream"


FONT = b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>"


def ruled_content() -> bytes:
    """A table of rules where one vertical rule stops inside it (so it is not a regular
    grid and pdfplumber is asked), with numbers in its cells."""
    ops = [b"0.5 w"]
    for y in (700, 680, 660, 640, 620):
        ops.append(b"50 %d m 450 %d l S" % (y, y))
    for x in (50, 250, 450):
        ops.append(b"%d 620 m %d 700 l S" % (x, x))
    ops.append(b"350 660 m 350 700 l S")  # stops half-way: merged cells below
    for i, y in enumerate((685, 665, 645, 625)):
        ops.append(b"BT /F1 9 Tf 60 %d Td (Item %d) Tj ET" % (y, i + 1))
        ops.append(b"BT /F1 9 Tf 260 %d Td (%d) Tj ET" % (y, 100 * (i + 1)))
    return b"\n".join(ops)


def one_page(content: bytes, mediabox: bytes = b"[0 0 595 842]", resources: bytes = b"<< /Font << /F1 4 0 R >> >>") -> bytes:
    return pdf_from([
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        b"<< /Type /Page /Parent 2 0 R /MediaBox " + mediabox + b" /Resources " + resources + b" /Contents 5 0 R >>",
        FONT,
        stream(content),
    ])


def looping_pages() -> bytes:
    """A page tree whose /Pages node lists itself as a kid."""
    return pdf_from([
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [2 0 R 3 0 R] /Count 2 >>",
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Resources << /Font << /F1 4 0 R >> >> /Contents 5 0 R >>",
        FONT,
        stream(b"BT /F1 12 Tf 50 700 Td (Fees 100) Tj ET"),
    ])


def deep_pages(depth: int = 5000) -> bytes:
    """A page tree nested ``depth`` levels deep, one page at the bottom."""
    objs = [b"<< /Type /Catalog /Pages 2 0 R >>"]
    for level in range(depth):
        n = 2 + level
        kid = n + 1
        parent = b" /Parent %d 0 R" % (n - 1) if level else b""
        objs.append(b"<< /Type /Pages /Kids [%d 0 R] /Count 1%s >>" % (kid, parent))
    page = 2 + depth
    objs.append(b"<< /Type /Page /Parent %d 0 R /MediaBox [0 0 595 842] /Resources << /Font << /F1 %d 0 R >> >> /Contents %d 0 R >>"
                % (page - 1, page + 1, page + 2))
    objs.append(FONT)
    objs.append(stream(b"BT /F1 12 Tf 50 700 Td (Fees 100) Tj ET"))
    return pdf_from(objs)


def deep_array(depth: int = 20000) -> bytes:
    """An array nested ``depth`` deep in the page's resources."""
    nested = b"[" * depth + b"]" * depth
    return one_page(b"BT /F1 12 Tf 50 700 Td (Fees 100) Tj ET",
                    resources=b"<< /Font << /F1 4 0 R >> /Deep " + nested + b" >>")


def bomb(size: int = 1 << 30) -> bytes:
    """A one-page PDF whose content stream is ``size`` bytes of spaces, Flate-compressed
    to about a thousandth of that."""
    z = zlib.compressobj(1)
    chunk = b" " * (1 << 20)
    parts = [z.compress(chunk) for _ in range(size // len(chunk))]
    parts.append(z.flush())
    data = b"".join(parts)
    return pdf_from([
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Resources << /Font << /F1 4 0 R >> >> /Contents 5 0 R >>",
        FONT,
        stream(data, b"/Filter /FlateDecode "),
    ])


def no_pages() -> bytes:
    return pdf_from([b"<< /Type /Catalog /Pages 2 0 R >>", b"<< /Type /Pages /Kids [] /Count 0 >>"])


def flipped(rng: random.Random, data: bytes, n: int) -> bytes:
    b = bytearray(data)
    for _ in range(n):
        b[rng.randrange(len(b))] = rng.randrange(256)
    return bytes(b)


def cut(rng: random.Random, data: bytes) -> bytes:
    return data[: rng.randrange(1, len(data))]


def dropped(rng: random.Random, data: bytes) -> bytes:
    objs = [m.span() for m in re.finditer(rb"\d+ 0 obj.*?endobj", data, flags=re.S)]
    if not objs:
        return cut(rng, data)
    a, b = objs[rng.randrange(len(objs))]
    return data[:a] + data[b:]


def build(out: Path, seed: int = 16, small: bool = False) -> dict[str, str]:
    """Write every input into ``out``; return {file name: kind}. Names are str, with bytes
    that are not UTF-8 held as surrogates (os.fsdecode)."""
    rng = random.Random(seed)
    out.mkdir(parents=True, exist_ok=True)
    kinds: dict[str, str] = {}

    def put(name: str | bytes, data: bytes, kind: str = "hostile") -> None:
        raw = name if isinstance(name, bytes) else name.encode("utf-8")
        with open(os.path.join(os.fsencode(out), raw), "wb") as f:
            f.write(data)
        kinds[os.fsdecode(raw)] = kind

    pdfs = sorted((FIXTURES / "pdf").glob("*.pdf"))
    texts = sorted((FIXTURES / "text").iterdir())
    for p in [*texts, *pdfs]:
        put(f"good_{p.name}", p.read_bytes(), "good")
    for i, p in enumerate(pdfs):
        data = p.read_bytes()
        put(f"flipped_{i}.pdf", flipped(rng, data, rng.randint(1, 60)))
        put(f"cut_{i}.pdf", cut(rng, data))
        put(f"dropped_{i}.pdf", dropped(rng, data))
    put("loop_pages.pdf", looping_pages())
    put("deep_pages.pdf", deep_pages())
    put("deep_array.pdf", deep_array())
    put("huge_mediabox_ruled.pdf", one_page(ruled_content(), mediabox=b"[0 0 1000000000 1000000000]"))
    put("exponent_mediabox_ruled.pdf", one_page(ruled_content(), mediabox=b"[0 0 1e9 1e9]"))  # not PDF syntax
    put("damaged_resources_ruled.pdf", one_page(ruled_content(), resources=b"<< /Font << /F1 4 0 R >> /ExtGState 99 0 R "
                                                 b"/XObject << /X1 98 0 R >> /ColorSpace [1 2 (x)] /Pattern (junk) >>"))
    put("broken_font_ruled.pdf", one_page(ruled_content(), resources=b"<< /Font << /F1 << /Subtype /Type0 "
                                           b"/DescendantFonts 99 0 R >> >> /XObject [1 2 (x)] >>"))
    put("bomb.pdf", bomb())
    put("no_pages.pdf", no_pages())
    # text in each encoding the tool reads
    sample = (FIXTURES / "text" / "shogai_kyotaku_3kyu.txt").read_bytes().decode("utf-8-sig").replace("\xa5", "￥")
    encoded = {"utf8": sample.encode("utf-8"), "utf8bom": sample.encode("utf-8-sig"),
               "sjis": sample.encode("cp932"), "eucjp": sample.encode("euc_jp")}
    for enc, data in encoded.items():
        put(f"flipped_{enc}.txt", flipped(rng, data, rng.randint(1, 30)))
        put(f"cut_{enc}.txt", data[: len(data) // 2 + 1])  # likely in the middle of a character
        put(f"nul_{enc}.txt", data.replace(b"\n", b"\x00\n", 7))
    put("mixed_encodings.txt", encoded["utf8"][:600] + encoded["sjis"][600:1200] + encoded["eucjp"][1200:])
    put("only_nul.txt", b"\x00" * 4096)
    if not small:
        put("line_50mb.txt", b"1,086\xe5\x8d\x98\xe4\xbd\x8d " * (50 * 1024 * 1024 // 11))
        put("lines_2m.txt", b"1\n" * 2_000_000)
    # wrong extensions
    put("pdf_named.txt", pdfs[0].read_bytes())
    put("text_named.pdf", encoded["utf8"])
    put("png_named.pdf", b"\x89PNG\r\n\x1a\n" + bytes(rng.randrange(256) for _ in range(2048)))
    # odd names: a good text under a name with a newline, and one whose bytes are not UTF-8
    put("new\nline.txt", encoded["utf8"], "good")
    put(b"latin1_\xe9\xff.txt", encoded["sjis"], "good")
    # links to endless devices, and FIFOs
    for name, dev in (("zero.txt", "/dev/zero"), ("zero.pdf", "/dev/zero"), ("urandom.pdf", "/dev/urandom")):
        link = out / name
        if link.is_symlink() or link.exists():
            link.unlink()
        link.symlink_to(dev)
        kinds[name] = "special"
    for name in ("fifo.txt", "fifo.pdf"):
        fifo = out / name
        if fifo.exists() or fifo.is_symlink():
            fifo.unlink()
        os.mkfifo(fifo)
        kinds[name] = "special"
    (out / "manifest.json").write_text(json.dumps({"seed": seed, "files": {k: kinds[k] for k in sorted(kinds)}},
                                                  ensure_ascii=True, indent=1) + "\n", encoding="utf-8")
    return kinds


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--out", required=True, metavar="DIR", help="folder to write the inputs into")
    ap.add_argument("--seed", type=int, default=16, help="random seed (default 16)")
    ap.add_argument("--small", action="store_true", help="leave out the 50 MB line and the 2 million lines")
    args = ap.parse_args()
    kinds = build(Path(args.out), args.seed, args.small)
    print(f"{args.out}: {len(kinds)} inputs ({sum(k == 'good' for k in kinds.values())} good)")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
