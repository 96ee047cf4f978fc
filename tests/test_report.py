"""`tariff report` in a real browser: headless Chromium opens the HTML file and we check,
through the DOM the reader sees, that every inconsistency the checker reports on a PDF is
boxed in red on the right page of the right document, over the printed row it is about,
and that hovering a box tells the reader what is wrong.

Skips without Chromium and chromedriver (Debian: chromium chromium-driver), except in CI,
where .ci/run installs them and a skip would hide a broken report.
"""

from __future__ import annotations

import os
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


@pytest.fixture(scope="module")
def report_file(tmp_path_factory):
    out = tmp_path_factory.mktemp("report") / "report.html"
    r = subprocess.run([sys.executable, "-m", "extractor", "report", *map(str, PDFS), "-o", str(out)],
                       capture_output=True, text=True, cwd=ROOT)
    assert r.returncode == 0, r.stderr
    return out


@pytest.fixture(scope="module")
def expected():
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


def test_each_error_is_boxed_on_its_page_over_its_row(browser, expected):
    from selenium.webdriver.common.by import By

    report, errors = expected
    boxes = browser.find_elements(By.CSS_SELECTOR, ".box.flag.finding")
    assert len(boxes) == len(errors)
    for doc, f in errors:
        section = browser.find_element(By.CSS_SELECTOR, f'section.doc[data-doc="{doc}"]')
        page = section.find_element(By.CSS_SELECTOR, f'.page[data-page="{f.page}"]')
        img = page.find_element(By.TAG_NAME, "img")
        # the image really shows: it decoded to the size the boxes were laid out for
        natural = browser.execute_script("return [arguments[0].naturalWidth, arguments[0].naturalHeight]", img)
        assert natural[0] > 500 and natural[1] > 500, natural
        # a red box with this finding's code sits on this page, inside the page image,
        # where the row's box is
        mine = [b for b in page.find_elements(By.CSS_SELECTOR, ".box.flag.finding")
                if b.get_attribute("data-code") == f.code]
        assert mine, f"{doc} p{f.page}: no red box for {f.code}"
        ix0, iy0, ix1, iy1 = _rect(browser, img)
        scale = (ix1 - ix0) / natural[0] * 1.5
        want = [float(v) * scale for v in f.bbox]
        near = []
        for b in mine:
            x0, y0, x1, y1 = _rect(browser, b)
            assert ix0 <= x0 < x1 <= ix1 + 1 and iy0 <= y0 < y1 <= iy1 + 1, f"{doc}: box outside the page"
            assert b.value_of_css_property("border-top-color") in ("rgba(221, 0, 0, 1)", "rgb(221, 0, 0)")
            near.append(max(abs(x0 - ix0 - want[0]), abs(y0 - iy0 - want[1]),
                            abs(x1 - ix0 - want[2]), abs(y1 - iy0 - want[3])))
        assert min(near) < 2, f"{doc} p{f.page} line {f.line}: red box not where the finding is ({min(near):.1f}px off)"
        # the flagged row is highlighted in the table beside the page
        assert page.find_elements(By.CSS_SELECTOR, ".rows tr.flag")


def test_boxed_row_is_the_printed_row(expected):
    """The finding's box covers the text it quotes (PDFs with a text layer)."""
    import pdfplumber

    from extractor.text import normalize

    report, errors = expected
    checked = 0
    for d in report.documents:
        if d.result.source_kind != "pdf":
            continue
        with pdfplumber.open(d.result.path) as pdf:
            for f in d.findings:
                if f.severity != "error":
                    continue
                page = pdf.pages[f.page - 1]
                x0, top, x1, bottom = (float(v) for v in f.bbox)
                # characters whose centre lies in the box (pdfium's glyph boxes are tighter
                # than pdfplumber's font boxes, so whole-char containment would be too strict)
                chars = sorted((c for c in page.chars
                                if x0 <= (c["x0"] + c["x1"]) / 2 <= x1 and top <= (c["top"] + c["bottom"]) / 2 <= bottom),
                               key=lambda c: (round(c["top"]), c["x0"]))
                inside = normalize("".join(c["text"] for c in chars))[0]
                digits = [t for t in __import__("re").findall(r"\d[\d,]*", inside) if len(t) >= 2]
                assert digits, f"{d.result.doc}: nothing printed inside the box of {f.code}"
                assert any(t in normalize(f.raw or "")[0] for t in digits), (d.result.doc, f.code, inside, f.raw)
                checked += 1
    assert checked >= 3


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
