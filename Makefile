# Two entry points a new user needs: `make run` and `make test`.
PY ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed

.PHONY: run test setup clean golden

$(STAMP): pyproject.toml
	$(PY) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e '.[dev,ocr,dask]'
	touch $(STAMP)

setup: $(STAMP)

# Extract every bundled fixture and write the outputs under out/.
run: $(STAMP)
	$(BIN)/python scripts/run_fixtures.py --out out

test: $(STAMP)
	$(BIN)/python -m pytest -q

# Regenerate golden files on purpose (review the diff before committing).
golden: $(STAMP)
	TARIFF_REGEN_GOLDEN=1 $(BIN)/python -m pytest -q tests/test_golden.py

clean:
	rm -rf $(VENV) out .pytest_cache
