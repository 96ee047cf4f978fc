#!/usr/bin/env bash
# The Debian packages the tests use, installed when they are missing. `make run`,
# `make test` and .ci/run all call this one script, so what they install cannot drift.
#
#   tesseract-ocr tesseract-ocr-jpn  OCR of scanned pages (tests/test_pdf.py, the OCR tests)
#   fonts-ipaexfont-gothic           the IPAex font: regenerating the PDF fixtures, the OCR
#                                    image tests (tests/test_pdf.py, tests/test_ocr_geometry.py)
#   sqlite3                          loading the SQLite export with the sqlite3 tool
#                                    (tests/test_dataset.py)
#   chromium chromium-driver         the HTML report in a real browser (tests/test_report.py)
#
# LibreOffice is not installed: scripts/make_spreadsheet_fixture.py and
# make_source_fixtures.py --libreoffice use it to regenerate committed fixtures by hand, and
# make_corpus.py makes its LibreOffice documents with it when it is there (without it, it
# makes them with openpyxl / python-docx instead, and tests/test_corpus_kinds.py runs either way).
#
# As root (and with apt-get) it runs `apt-get update` and installs what is missing. As
# anyone else it names what is missing; the tests that need it skip with a message that
# names it, and every other test runs. TARIFF_SYSTEM_PACKAGES=0 skips the install.
# A failed install is an error in CI (CI=true); elsewhere it is reported and the tests
# that need the package skip.
set -euo pipefail

has() { command -v "$1" >/dev/null 2>&1; }

need=()
if ! has tesseract; then
  need+=(tesseract-ocr tesseract-ocr-jpn)
elif ! tesseract --list-langs 2>/dev/null | grep -qx jpn; then
  need+=(tesseract-ocr-jpn)
fi
[ -f /usr/share/fonts/opentype/ipaexfont-gothic/ipaexg.ttf ] || need+=(fonts-ipaexfont-gothic)
has sqlite3 || need+=(sqlite3)
{ has chromium && has chromedriver; } || need+=(chromium chromium-driver)

[ "${#need[@]}" -eq 0 ] && exit 0

if [ "${TARIFF_SYSTEM_PACKAGES:-1}" = 0 ]; then
  echo "system-packages: not installed (TARIFF_SYSTEM_PACKAGES=0): ${need[*]}; the tests that need them skip" >&2
  exit 0
fi
if [ "$(id -u)" != 0 ] || ! has apt-get; then
  echo "system-packages: not installed: ${need[*]}; the tests that need them skip." >&2
  echo "system-packages: to run them: sudo apt-get install ${need[*]}" >&2
  exit 0
fi

echo "system-packages: installing ${need[*]}" >&2
apt=(apt-get -qq -o DPkg::Lock::Timeout=600)
if "${apt[@]}" update >/dev/null &&
   DEBIAN_FRONTEND=noninteractive "${apt[@]}" install -y --no-install-recommends "${need[@]}" >/dev/null; then
  exit 0
fi
echo "system-packages: apt-get could not install ${need[*]}" >&2
[ "${CI:-}" = true ] && exit 1
echo "system-packages: the tests that need them skip" >&2
exit 0
