# Learning Hub: `make run` serves the site with demo data; `make test` runs the suite.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
DEMO_PASSWORD ?= learning-hub-demo
# `make run PORT=8000` where 5000 is taken.
PORT ?= 5000
export APP_ENV ?= development
FLASK := $(BIN)/flask --app wsgi

.PHONY: run test lint format content-check bench screenshots clean

$(BIN)/activate:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip

$(VENV)/.installed: requirements.txt | $(BIN)/activate
	$(BIN)/python -m pip install --quiet -r requirements.txt
	touch $@

$(VENV)/.installed-dev: requirements.txt requirements-dev.txt $(VENV)/.installed
	$(BIN)/python -m pip install --quiet -r requirements-dev.txt
	touch $@

run: $(VENV)/.installed
	$(FLASK) db upgrade
	$(FLASK) seed-demo --if-empty --password $(DEMO_PASSWORD)
	$(FLASK) run --host 127.0.0.1 --port $(PORT)

# The suite runs on every core (pytest-xdist); PYTEST_WORKERS=0 runs it in one process.
PYTEST_WORKERS ?= auto
test: $(VENV)/.installed-dev
	APP_ENV=testing $(BIN)/python -m pytest -n $(PYTEST_WORKERS) $(PYTEST_ARGS)

# Refresh docs/screenshots/ from the browser journeys (needs Chromium).
screenshots: $(VENV)/.installed-dev
	APP_ENV=testing SCREENSHOTS_DIR=docs/screenshots $(BIN)/python -m pytest tests/e2e

content-check: $(VENV)/.installed
	$(FLASK) content check

# Benchmarks need wrk (apt-get install -y wrk); they report, they never fail on timings.
bench: $(VENV)/.installed-dev
	$(BIN)/python -m bench.run --database sqlite --scale 1 --seconds 3
	$(BIN)/python -m bench.run --database postgres --scale 1 --seconds 3
	$(BIN)/python -m bench.run --database sqlite --scale 10 --seconds 3 --only dashboard --only insights
	$(BIN)/python -m bench.run --database postgres --scale 10 --seconds 3 --only dashboard --only insights
	$(BIN)/python -m bench.run --database sqlite --scale 1 --seconds 3 --only dashboard --cold
	$(BIN)/python -m bench.run --database sqlite --scale 10 --seconds 3 --only dashboard --cold
	$(BIN)/python -m bench.run --database postgres --scale 1 --seconds 3 --only dashboard --cold
	$(BIN)/python -m bench.run --database postgres --scale 10 --seconds 3 --only dashboard --cold

lint: $(VENV)/.installed-dev
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/lint-imports

format: $(VENV)/.installed-dev
	$(BIN)/ruff format .
	$(BIN)/ruff check --fix .

clean:
	rm -rf $(VENV) .pytest_cache
