# Brink: `make lab` to teach and learn, `make test` to check everything.
# Both create .venv when it is missing and install what is needed; `make setup` is the shared part.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.brink-installed
TEST_STAMP := $(VENV)/.brink-test-installed
ARTIFACTS := test-artifacts
LAB_PORT ?= 8888
ROOT_FLAG := $(shell [ "$$(id -u)" = 0 ] && echo --allow-root)

.PHONY: setup setup-test lab test notebooks bench clean

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

lab: setup
	$(BIN)/jupyter lab notebooks/00-start-here.ipynb --ip=127.0.0.1 --port=$(LAB_PORT) \
	  --IdentityProvider.token=$$($(BIN)/python -c 'import secrets; print(secrets.token_hex(24))') \
	  --ServerApp.open_browser=True $(ROOT_FLAG)

test: setup-test
	mkdir -p $(ARTIFACTS)
	$(BIN)/python -m pytest tests lib/brink --doctest-modules -q
	BRINK_ANSWERS=$$(mktemp -d) $(BIN)/python -m pytest --nbval notebooks exercises -q
	@echo "Screenshots and reports: $(ARTIFACTS)/"

# Re-execute the notebooks and store their outputs (after a change to the data or the library).
notebooks: setup-test
	$(BIN)/python scripts/run_notebooks.py notebooks/*.ipynb exercises/*.ipynb

# Time each notebook top to bottom without saving (the figures in the README).
bench: setup-test
	$(BIN)/python scripts/run_notebooks.py --no-write notebooks/*.ipynb exercises/*.ipynb

clean:
	rm -rf $(VENV) $(ARTIFACTS)
