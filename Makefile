# Two entry points a new user needs: `make run` and `make test`. Both install the system
# packages the tests use when run as root (scripts/system-packages.sh; as anyone else the
# tests that need a missing one skip, naming it) and the Python packages at the versions
# pinned in constraints.txt.
PY ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed
LOCK := constraints.txt
# every extra pyproject.toml declares, as the lock covers them all
EXTRAS := $(shell $(PY) -c "import tomllib; print(','.join(sorted(tomllib.load(open('pyproject.toml', 'rb'))['project'].get('optional-dependencies', {}))))")

.PHONY: run test setup system-packages clean golden lock

$(STAMP): pyproject.toml $(LOCK)
	$(PY) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet -c $(LOCK) pip
	$(BIN)/python -m pip install --quiet -c $(LOCK) --build-constraint $(LOCK) -e '.[$(EXTRAS)]'
	touch $(STAMP)

setup: $(STAMP)

system-packages:
	bash scripts/system-packages.sh

# Extract every bundled fixture and write the outputs under out/.
run: system-packages $(STAMP)
	$(BIN)/python scripts/run_fixtures.py --out out

test: system-packages $(STAMP)
	$(BIN)/python -m pytest -q

# Regenerate golden files on purpose (review the diff before committing).
golden: $(STAMP)
	TARIFF_REGEN_GOLDEN=1 $(BIN)/python -m pytest -q tests/test_golden.py

# Refresh constraints.txt: the newest releases pyproject.toml allows, resolved in a fresh
# virtualenv (review the diff, then `make test`; the next make reinstalls from it).
lock:
	$(PY) scripts/lock.py

clean:
	rm -rf $(VENV) out .pytest_cache
