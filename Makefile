# Two commands are all a newcomer needs: `make run` and `make test`.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed

.PHONY: run test setup clean bench evaluate translations catalogues fonts chromium screenshots

$(STAMP): pyproject.toml
	test -d $(VENV) || $(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet -e '.[test,bench]'
	touch $(STAMP)

# Compiled message catalogues (.mo) are built from the .po files, never committed.
translations: $(STAMP)
	$(BIN)/pybabel compile -d tender/translations

setup: $(STAMP) translations fonts chromium

# Debian packages the charts and the browser tests need, installed once when missing
# (tools/apt-install.sh waits for apt's lock when another apt runs, and prints apt's own
# error when it really fails).
APT_INSTALL := sh tools/apt-install.sh
CHROMIUM ?= /usr/bin/chromium
CJK_FONT ?= /usr/share/fonts/opentype/noto/NotoSansCJK-Regular.ttc

# Charts and reports draw Chinese: install Debian's Noto CJK fonts once, when no font has it.
fonts:
	@fc-list :lang=zh 2>/dev/null | grep -q . || test -e $(CJK_FONT) || \
	  $(APT_INSTALL) "charts need a CJK font" fonts-noto-cjk

# The browser tests (tests/e2e, Playwright) drive Debian's Chromium: install it once when missing.
chromium:
	@test -x $(CHROMIUM) || $(APT_INSTALL) "the browser tests in tests/e2e will be skipped" chromium

# Refresh the screenshots the README shows (docs/screenshots/) from a run of the browser tests.
README_SCREENSHOTS := 03-vendor-bid-preview 07-late-bid-refused 12-buyer-results-charts 10-evaluator-scores-blind 24-upload-problems-files-kept 33-buyer-results-year 40-buyer-form-error-summary 42-buyer-form-phone 43-buyer-form-steps 44-buyer-form-rule
screenshots: setup
	rm -rf docs/screenshots/latest
	$(BIN)/python -m pytest -q -m e2e tests/e2e
	cd docs/screenshots/latest && cp $(addsuffix .png,$(README_SCREENSHOTS)) ..

# The web app: migrate the database, add the demo (once), print the logins, serve.
# (Plain http on 127.0.0.1, so the session cookie may not be Secure-only here.)
run: setup
	$(BIN)/flask --app tender db upgrade
	$(BIN)/flask --app tender seed-demo
	@echo "Serving on http://127.0.0.1:5000"
	TENDER_COOKIE_SECURE=0 $(BIN)/flask --app tender run --host 127.0.0.1 --port 5000

# The offline evaluation of the samples, as `make run` did before the web app.
evaluate: setup
	$(BIN)/tender evaluate samples/tender.json samples/bids/*.json --panel samples/panel.json

# Refresh the catalogues after changing UI strings (then translate the new zh_CN entries).
catalogues: $(STAMP)
	$(BIN)/pybabel extract -F babel.cfg -k _l -o tender/translations/messages.pot --no-location --sort-output .
	$(BIN)/pybabel update -i tender/translations/messages.pot -d tender/translations --no-fuzzy-matching

# The lint and format checks (ruff, configured in pyproject.toml), then the whole suite on
# SQLite, then the tests that use a database (tests/integration) on the PostgreSQL of this
# machine (each run makes and drops its own database). The domain tests (tests/unit) and the
# command line's (tests/e2e_cli) touch no database, and the browser tests run on SQLite: on
# PostgreSQL they would run the same code a second time.
# Every step always runs, so every closing line is printed; any failure fails `make test`.
# The suite runs in JOBS processes (pytest-xdist; default: one per core; `make test JOBS=0`
# runs it in pytest's own process); --dist worksteal lets an idle process take tests queued
# for a busy one.
PG_TEST_URL ?= postgresql://postgres@127.0.0.1:5432/test
PG_TESTS ?= tests/integration
JOBS ?= auto
PYTEST := $(BIN)/python -m pytest -q -n $(JOBS) --dist worksteal
test: setup
	@status=0; \
	echo "== ruff check =="; \
	$(BIN)/ruff check . || status=$$?; \
	echo "== ruff format --check =="; \
	$(BIN)/ruff format --check . || status=$$?; \
	echo "== test suite on SQLite =="; \
	$(PYTEST) || status=$$?; \
	if $(BIN)/python -c "import socket; socket.create_connection(('127.0.0.1', 5432), 3).close()" 2>/dev/null; then \
	  echo "== test suite on PostgreSQL ($(PG_TEST_URL)) =="; \
	  TEST_DATABASE_URL=$(PG_TEST_URL) $(PYTEST) $(PG_TESTS) || status=$$?; \
	elif [ "$$CI" = "true" ]; then \
	  echo "PostgreSQL is not reachable at 127.0.0.1:5432: CI runs the suite on it, so this is a failure" >&2; status=1; \
	else \
	  echo "NOTICE: PostgreSQL is not reachable at 127.0.0.1:5432; the PostgreSQL run is skipped here (CI runs it)."; \
	fi; \
	exit $$status

bench: setup
	$(BIN)/python bench/evaluate_bench.py
	$(BIN)/python bench/year_bench.py

# the web app on 5 lots × 200 bids against 1,000 undivided bids (1–2.5 min; not in `make bench`)
.PHONY: bench-lots
bench-lots: setup
	$(BIN)/python bench/lots_web_bench.py

clean:
	rm -rf $(VENV) instance .pytest_cache
