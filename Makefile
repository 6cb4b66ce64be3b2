# Brink: `make lab` to teach and learn, `make test` to check everything.
# Both create .venv when it is missing and install what is needed; `make setup` is the shared part.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.brink-installed
TEST_STAMP := $(VENV)/.brink-test-installed
ARTIFACTS := test-artifacts
LAB_PORT ?= 8888

.PHONY: setup setup-test lab test notebooks bench clean site lite

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip

$(STAMP): pyproject.toml | $(BIN)/python
	$(BIN)/python -m pip install --quiet -e .
	touch $@

$(TEST_STAMP): pyproject.toml $(STAMP)
	$(BIN)/python -m pip install --quiet -e ".[test]"
	touch $@

setup: $(STAMP)

setup-test: $(TEST_STAMP)

# JupyterLab on 127.0.0.1 with a fresh random token (scripts/lab.py; --allow-root only as root).
lab: setup
	$(BIN)/python scripts/lab.py --port $(LAB_PORT)

# Doctests; unit and data tests, the coursework and the browser suite; then strict nbval on every notebook
# (with an empty answer folder, so no one's saved answers change the outputs).
test: setup-test
	mkdir -p $(ARTIFACTS)
	$(BIN)/python -m pytest lib/brink --doctest-modules -q
	$(BIN)/python -m pytest tests -q -rs
	BRINK_ANSWERS=$$(mktemp -d) $(BIN)/python -m pytest --nbval notebooks exercises -q
	@if [ -x /usr/bin/chromium ]; then \
	  echo "Browser suite: ran. Screenshots in $(ARTIFACTS)/screenshots/"; \
	  cat $(ARTIFACTS)/latency.txt; \
	else \
	  echo "Browser suite: SKIPPED, /usr/bin/chromium is not installed (apt-get install chromium)"; fi

# Re-execute the notebooks and store their outputs (after a change to the data or the library).
notebooks: setup-test
	$(BIN)/python scripts/run_notebooks.py notebooks/*.ipynb exercises/*.ipynb

# Time each notebook top to bottom without saving (the figures in the README).
bench: setup-test
	$(BIN)/python scripts/run_notebooks.py --no-write notebooks/*.ipynb exercises/*.ipynb

clean:
	rm -rf $(VENV) $(ARTIFACTS)

# The course website, built from the committed notebooks into _site/ (see README: "Course website").
site: setup-test
	$(BIN)/python scripts/build_site.py --out _site
