"""What the source kinds (HTML, xlsx, docx) share: fixed bytes for Office packages, and
LibreOffice's conversions, run once over a batch of documents.

Office writers stamp the time of saving into the package (zip entry times, the core
properties) and LibreOffice Writer adds random revision ids (``w:rsid``); both are fixed
here, so the same seed gives the same bytes on the same LibreOffice version.
"""

from __future__ import annotations

import io
import os
import re
import shutil
import subprocess
import tempfile
import zipfile
from pathlib import Path

FIXED = "2024-04-01T00:00:00Z"
FIXED_ZIP = (2024, 4, 1, 0, 0, 0)

# LibreOffice's way from the file a provider starts from to the file it publishes
ROUTES = {
    "xlsx": ["ods", "xlsx:Calc MS Excel 2007 XML"],  # a workbook opened in Calc, kept as .ods, saved as .xlsx
    "docx": ["odt", "docx:MS Word 2007 XML"],  # a document kept as .odt in Writer, saved as .docx
    "html": ["odt", "html:HTML (StarWriter)"],  # that .odt exported by Writer as a web page
}


def _fix_part(name: str, body: bytes) -> bytes:
    if name == "docProps/core.xml":
        body = re.sub(rb"(<dcterms:(?:created|modified)[^>]*>)[^<]*", rb"\g<1>" + FIXED.encode(), body)
        body = re.sub(rb"<cp:revision>[^<]*</cp:revision>", b"<cp:revision>1</cp:revision>", body)
    elif name == "docProps/app.xml":
        body = re.sub(rb"<TotalTime>[^<]*</TotalTime>", b"<TotalTime>0</TotalTime>", body)
    elif name.startswith("word/") and name.endswith(".xml"):
        body = re.sub(rb'\s+w:rsid\w*="[0-9A-Fa-f]+"', b"", body)
        body = re.sub(rb"<w:rsids>.*?</w:rsids>", b"", body, flags=re.S)
        body = re.sub(rb'\s+w14:(?:paraId|textId)="[0-9A-Fa-f]+"', b"", body)
    return body


def zip_fixed(data: bytes) -> bytes:
    """The package again with fixed times and revision ids, its parts in their order."""
    src = zipfile.ZipFile(io.BytesIO(data))
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as z:
        for info in src.infolist():
            fixed = zipfile.ZipInfo(info.filename, date_time=FIXED_ZIP)
            fixed.compress_type = zipfile.ZIP_DEFLATED
            fixed.external_attr = 0o644 << 16
            z.writestr(fixed, _fix_part(info.filename, src.read(info.filename)))
    return out.getvalue()


def html_fixed(data: bytes) -> bytes:
    """Writer's page with its time stamps fixed."""
    return re.sub(rb'(<meta name="(?:created|changed)" content=")[^"]*', rb"\g<1>2024-04-01T00:00:00", data)


def soffice() -> str | None:
    return shutil.which("soffice")


def convert(files: dict[str, bytes], kind: str) -> dict[str, bytes]:
    """Each file (name -> bytes) taken along LibreOffice's route to ``kind``: one soffice run
    per step over the whole batch. Returns name (with ``kind``'s suffix) -> fixed bytes."""
    exe = soffice()
    if exe is None:
        raise RuntimeError("soffice not installed")
    if not files:
        return {}
    with tempfile.TemporaryDirectory(prefix="tariff-corpus-lo-") as tmp:
        work = Path(tmp)
        env = {**os.environ, "HOME": str(work / "home")}
        src = work / "in"
        src.mkdir()
        for name, data in files.items():
            (src / name).write_bytes(data)
        current = sorted(src.iterdir())
        for n, step in enumerate(ROUTES[kind]):
            out = work / f"step{n}"
            out.mkdir()
            subprocess.run([exe, "--headless", "--norestore", "--convert-to", step, "--outdir", str(out),
                            *map(str, current)], check=True, capture_output=True, env=env, timeout=1800)
            suffix = "." + step.split(":")[0]
            current = [out / (p.stem + suffix) for p in current]
            lost = [p.name for p in current if not p.exists()]
            if lost:
                raise RuntimeError(f"LibreOffice made no {', '.join(lost)}")
        return {p.name: html_fixed(p.read_bytes()) if kind == "html" else zip_fixed(p.read_bytes()) for p in current}
