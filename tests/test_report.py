"""`tariff report` in a real browser: headless Chromium opens the HTML file and we check,
through the DOM the reader sees, that every inconsistency the checker reports on a PDF is
boxed in red on the right page of the right document, over the printed row it is about,
and that hovering a box tells the reader what is wrong.

Skips without Chromium and chromedriver (Debian: chromium chromium-driver), or without
OCR (the scanned fixtures are in the report), except in CI, where .ci/run installs them
and a skip would hide a broken report.
"""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys

import pytest

from extractor.check import check
from extractor.cli import _read_all

from .conftest import FIXTURES, ROOT

PDFS = [FIXTURES / "pdf", FIXTURES / "scan"]


def _browser():
    browser = shutil.which("chromium") or shutil.which("chromium-browser") or shutil.which("google-chrome")
    driver = shutil.which("chromedriver")
    try:
        from selenium import webdriver
        from selenium.webdriver.chrome.service import Service
    except ImportError:
        browser = None
    if not (browser and driver):
        msg = "a real browser is needed: install chromium, chromium-driver and `pip install .[dev]`"
        if os.environ.get("CI"):
            pytest.fail(msg + " (CI must run this test, not skip it)")
        pytest.skip(msg)
    opts = webdriver.ChromeOptions()
    opts.binary_location = browser
    for a in ("--headless=new", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage",
              "--disable-background-networking", "--window-size=1600,1200", "--allow-file-access-from-files"):
        opts.add_argument(a)
    return webdriver.Chrome(service=Service(driver), options=opts)


def _needs_ocr():
    from extractor.sources.tesseract import available

    missing = available()
    if missing:
        msg = f"the report shows the scanned fixtures too, and OCR cannot run: install {missing}"
        if os.environ.get("CI"):
            pytest.fail(msg + " (CI must run this test, not skip it)")
        pytest.skip(msg)


@pytest.fixture(scope="module")
def report_file(tmp_path_factory):
    _needs_ocr()
    out = tmp_path_factory.mktemp("report") / "report.html"
    r = subprocess.run([sys.executable, "-m", "extractor", "report", *map(str, PDFS), "-o", str(out)],
                       capture_output=True, text=True, cwd=ROOT)
    assert r.returncode == 0, r.stderr
    return out


@pytest.fixture(scope="module")
def expected():
    _needs_ocr()
    results, bad = _read_all([str(p) for p in PDFS], quiet=True)
    assert bad == 0
    report = check(results, [])
    errors = [(d.result.doc, f) for d in report.documents for f in d.findings if f.severity == "error"]
    assert errors, "the PDF fixtures carry known inconsistencies; the checker found none"
    return report, errors


@pytest.fixture(scope="module")
def browser(report_file):
    drv = _browser()
    drv.get(report_file.as_uri())
    yield drv
    drv.quit()


def _rect(drv, el):
    return drv.execute_script("const r=arguments[0].getBoundingClientRect();"
                              "return [r.left+scrollX, r.top+scrollY, r.right+scrollX, r.bottom+scrollY];", el)


def test_every_pdf_error_has_a_bbox(expected):
    _, errors = expected
    missing = [(doc, f.code, f.page, f.line) for doc, f in errors if not f.bbox]
    assert not missing, f"errors without a place to box: {missing}"


def _printed_under(pdf_page, box) -> str:
    """The text whose characters are centred inside ``box`` (PDF points, top-left)."""
    x0, top, x1, bottom = box
    chars = sorted((c for c in pdf_page.chars
                    if x0 <= (c["x0"] + c["x1"]) / 2 <= x1 and top <= (c["top"] + c["bottom"]) / 2 <= bottom),
                   key=lambda c: (round(c["top"]), c["x0"]))
    return "".join(c["text"] for c in chars)


def test_each_error_is_boxed_on_its_page_over_its_amount(browser, expected):
    """Each error's red box is on its document's page, inside the page image and inside
    the row the finding names; where the PDF has a text layer the box sits exactly over
    the printed number the finding quotes (read back from the PDF under the box's
    on-screen position)."""
    import pdfplumber
    from selenium.webdriver.common.by import By

    report, errors = expected
    boxes = browser.find_elements(By.CSS_SELECTOR, ".box.flag.finding")
    assert len(boxes) >= len(errors)
    amounts = 0
    for doc, f in errors:
        d = next(x for x in report.documents if x.result.doc == doc)
        section = browser.find_element(By.CSS_SELECTOR, f'section.doc[data-doc="{doc}"]')
        page = section.find_element(By.CSS_SELECTOR, f'.page[data-page="{f.page}"]')
        img = page.find_element(By.TAG_NAME, "img")
        # the image really shows: it decoded to the size the boxes were laid out for
        natural = browser.execute_script("return [arguments[0].naturalWidth, arguments[0].naturalHeight]", img)
        assert natural[0] > 500 and natural[1] > 500, natural
        k = [x for x in d.findings if x.severity != "info"].index(f)
        fid = f"d{report.documents.index(d)}f{k}"
        mine = page.find_elements(By.CSS_SELECTOR, f'[id="{fid}"], [id^="{fid}-"]')
        assert mine, f"{doc} p{f.page}: no red box for {f.code} on this page"
        ix0, iy0, ix1, iy1 = _rect(browser, img)
        to_pt = natural[0] / (ix1 - ix0) / 1.5  # screen px -> PDF points
        rx0, rtop, rx1, rbottom = (float(v) for v in f.bbox)
        for b in mine:
            assert "finding" in b.get_attribute("class").split() and b.get_attribute("data-code") == f.code
            assert b.value_of_css_property("border-top-color") in ("rgba(221, 0, 0, 1)", "rgb(221, 0, 0)")
            x0, y0, x1, y1 = _rect(browser, b)
            assert ix0 <= x0 < x1 <= ix1 + 1 and iy0 <= y0 < y1 <= iy1 + 1, f"{doc}: box outside the page"
            pt = [(x0 - ix0) * to_pt, (y0 - iy0) * to_pt, (x1 - ix0) * to_pt, (y1 - iy0) * to_pt]
            assert rx0 - 2 <= pt[0] < pt[2] <= rx1 + 2 and rtop - 2 <= pt[1] < pt[3] <= rbottom + 2, \
                f"{doc} line {f.line}: red box {pt} not inside its row {f.bbox}"
            if d.result.source_kind == "pdf":  # a text layer: the box covers the printed number itself
                assert b.get_attribute("data-scope") == "amount", f"{doc} line {f.line}: {f.code} not located on the row"
                with pdfplumber.open(d.result.path) as pdf:
                    under = _printed_under(pdf.pages[f.page - 1], pt)
                want = re.search(r"\d[\d,]*", f.printed).group(0)
                assert re.sub(r"\D", "", under) == want.replace(",", ""), (doc, f.code, under, f.printed)
                amounts += 1
            else:  # a scan: no text layer to place the number, so the row is boxed
                assert b.get_attribute("data-scope") == "row"
        # the flagged row is highlighted in the table beside the page
        assert page.find_elements(By.CSS_SELECTOR, ".rows tr.flag")
    assert amounts >= 5


def test_hover_and_findings_list(browser, expected, tmp_path):
    from selenium.webdriver.common.action_chains import ActionChains
    from selenium.webdriver.common.by import By

    _, errors = expected
    box = browser.find_elements(By.CSS_SELECTOR, ".box.flag.finding")[0]
    tip = browser.find_element(By.ID, "tip")
    assert not tip.is_displayed()
    browser.execute_script("arguments[0].scrollIntoView({block:'center'})", box)
    ActionChains(browser).move_to_element(box).perform()
    assert tip.is_displayed()
    assert tip.text.startswith(box.get_attribute("data-code") + ":")
    # every error in the findings list links to its red box
    links = browser.find_elements(By.CSS_SELECTOR, "ul.findings li.error a")
    assert len(links) == len(errors)
    for a in links:
        target = a.get_attribute("href").split("#", 1)[1]
        assert browser.find_element(By.ID, target).get_attribute("class") == "box flag finding"
    assert browser.save_screenshot(str(tmp_path / "report.png"))
    assert (tmp_path / "report.png").stat().st_size > 10_000


def test_report_batch_with_bad_input_is_deterministic(tmp_path):
    """A bad file gets its one line and exit 2; the others are still reported, and the
    same inputs give the same bytes."""
    paths = [FIXTURES / "pdf" / "shogai_jyudo_libreoffice.pdf", FIXTURES / "bad" / "truncated.pdf",
             FIXTURES / "text"]
    outs = []
    for k in range(2):
        out = tmp_path / f"r{k}.html"
        r = subprocess.run([sys.executable, "-m", "extractor", "report", *map(str, paths), "-o", str(out)],
                           capture_output=True, text=True, cwd=ROOT)
        assert r.returncode == 2
        lines = r.stderr.strip().splitlines()
        assert lines[0].startswith(f"tariff: {FIXTURES / 'bad' / 'truncated.pdf'}: ") and "Traceback" not in r.stderr
        assert lines[-1].startswith(f"{out}: 4 documents, 1 error, ")
        outs.append(out.read_bytes())
    assert outs[0] == outs[1]
    text = outs[0].decode()
    assert text.count('<section class="doc"') == 4 and "truncated.pdf" not in text


def test_report_of_an_encrypted_pdf_uses_the_password(tmp_path):
    out = tmp_path / "r.html"
    r = subprocess.run([sys.executable, "-m", "extractor", "report", str(FIXTURES / "bad" / "encrypted.pdf"),
                        "--password", "secret", "-o", str(out)], capture_output=True, text=True, cwd=ROOT)
    assert r.returncode == 0, r.stderr
    assert r.stderr.startswith(f"{out}: 1 document, ")
    assert out.read_text("utf-8").count('<div class="page"') == 1  # the page image, not a failure
