"""Make docs/report.png, the README's picture of `tariff report`: the report for the PDF
fixtures, opened in headless Chromium, one flagged box hovered so its tooltip shows.

    python scripts/report_screenshot.py [--doc NAME] [--out docs/report.png]

Needs chromium, chromium-driver (Debian) and selenium (the dev extra).
"""

from __future__ import annotations

import argparse
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--doc", default="shogai_jyudo_libreoffice.pdf", help="the document to show")
    ap.add_argument("--out", default=str(ROOT / "docs" / "report.png"))
    args = ap.parse_args()
    from selenium import webdriver
    from selenium.webdriver.chrome.service import Service
    from selenium.webdriver.common.action_chains import ActionChains
    from selenium.webdriver.common.by import By

    with tempfile.TemporaryDirectory() as tmp:
        html = Path(tmp) / "report.html"
        subprocess.run([sys.executable, "-m", "extractor", "report", str(ROOT / "fixtures" / "pdf"),
                        "-o", str(html)], check=True, cwd=ROOT)
        opts = webdriver.ChromeOptions()
        opts.binary_location = shutil.which("chromium") or shutil.which("google-chrome")
        for a in ("--headless=new", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage",
                  "--window-size=1500,1000", "--hide-scrollbars"):
            opts.add_argument(a)
        drv = webdriver.Chrome(service=Service(shutil.which("chromedriver")), options=opts)
        try:
            drv.get(html.as_uri())
            section = drv.find_element(By.CSS_SELECTOR, f'section.doc[data-doc="{args.doc}"]')
            box = section.find_element(By.CSS_SELECTOR, ".box.flag.finding")
            drv.execute_script("arguments[0].scrollIntoView({block:'center'})", box)
            ActionChains(drv).move_to_element(box).perform()
            Path(args.out).parent.mkdir(parents=True, exist_ok=True)
            drv.save_screenshot(args.out)
        finally:
            drv.quit()
    print(args.out)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
