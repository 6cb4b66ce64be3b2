# Brink: `make lab` to teach and learn, `make test` to check everything.
# Both create .venv when it is missing and install what is needed, at the versions of
# requirements/lock.txt; `make setup` is the shared part.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
LOCK := requirements/lock.txt
# A student release may come without the lock: then pip picks versions within pyproject's ranges.
CONSTRAINTS := $(if $(wildcard $(LOCK)),-c $(LOCK))
STAMP := $(VENV)/.brink-installed
TEST_STAMP := $(VENV)/.brink-test-installed
BYTECODE := $(VENV)/.brink-bytecode
ARTIFACTS := test-artifacts
LOGS := $(ARTIFACTS)/logs
LAB_PORT ?= 8888
# Test suites run in parallel by `make test`, longest first: every folder under tests/ is a suite of
# its own (tests/browser, tests/hub, ...), beside the doctests, the unit tests (tests/test_*.py) and
# strict nbval on the notebooks. Each writes $(LOGS)/<suite>.log; the logs are printed at the end.
FOLDER_SUITES := $(filter-out __pycache__,$(patsubst tests/%/,%,$(wildcard tests/*/)))
# The unit tests run as two suites of about equal measured seconds (tests/seconds.json, by file; a file not
# measured yet counts as the median), and the suites start longest first: scripts/test_plan.py plans both.
# `make test-seconds` rewrites tests/seconds.json from the last run's logs.
UNIT_TESTS := $(sort $(wildcard tests/test_*.py))
UNIT_1 := $(shell $(PYTHON) scripts/test_plan.py split 1 2 $(UNIT_TESTS))
UNIT_2 := $(shell $(PYTHON) scripts/test_plan.py split 2 2 $(UNIT_TESTS))
# The browser suite, the longest, runs as two lanes too (browser1, browser2: its test files split by measured
# seconds, each lane with a JupyterLab and a Chromium of its own), so no one suite holds up the run's end.
# `make suite-browser` still runs the whole folder at once.
BROWSER_TESTS := $(sort $(wildcard tests/browser/test_*.py))
BROWSER_1 := $(shell $(PYTHON) scripts/test_plan.py split 1 2 $(BROWSER_TESTS))
BROWSER_2 := $(shell $(PYTHON) scripts/test_plan.py split 2 2 $(BROWSER_TESTS))
ifndef SUITES
# `lint` (ruff and mypy, the gate on the code itself) is the folder suite tests/lint, with a rule of its own.
SUITES := $(shell $(PYTHON) scripts/test_plan.py order $(filter-out browser,$(FOLDER_SUITES)) browser1 browser2 \
                    unit1 unit2 notebooks doctest)
endif
# Three suites at once on two cores: a suite waits a good part of its time (for a kernel, a browser, a build,
# the package index), so two lanes leave the cores idle; on the last quiet fresh-clone run the suites used
# 991 CPU-s in 1,383 suite-s of wall time (0.72 of a core each, 1.4 of 2 cores with two at once).
JOBS ?= 3

.PHONY: setup setup-test lab test test-seconds suites notebooks bench lock clean site lite

# uv (a well-kept installer from PyPI) puts the lock into a new venv in seconds where pip takes minutes
# (measured on 2 cores: the full test install in ~6 s with an empty uv cache, ~4.5 min with pip). Plain pip
# stays the fallback: where uv cannot be installed, or fails (say, an index only pip is configured for),
# pip installs the same pins.
# pip upgrades itself only where uv cannot be installed (otherwise uv does the installing: on a fresh clone of a
# busy machine the upgrade alone took minutes).
$(BIN)/python:
	$(PYTHON) -m venv $(VENV)
	-$(BIN)/python -m pip install --quiet uv || $(BIN)/python -m pip install --quiet --upgrade pip

$(STAMP): pyproject.toml $(wildcard $(LOCK)) | $(BIN)/python
	$(BIN)/python -m uv pip install --python $(BIN)/python --quiet --compile-bytecode $(CONSTRAINTS) -e ".[lab]" \
	  || $(BIN)/python -m pip install --quiet $(CONSTRAINTS) -e ".[lab]"
	touch $@

$(TEST_STAMP): pyproject.toml $(wildcard $(LOCK)) $(STAMP)
	$(BIN)/python -m uv pip install --python $(BIN)/python --quiet --compile-bytecode $(CONSTRAINTS) -e ".[lab,test,browser,lite]" \
	  || $(BIN)/python -m pip install --quiet $(CONSTRAINTS) -e ".[lab,test,browser,lite]"
	touch $@

# Bytecode: pip compiles every module it installs, uv only when asked (--compile-bytecode, above). Without
# it, each new Python process (every kernel start, every test's subprocess) compiles pandas, Altair and
# Jupyter from source again wherever PYTHONDONTWRITEBYTECODE is set or site-packages is read-only: 2-4
# CPU-seconds each, measured on 2 cores. This stamp compiles a venv made before the flag, once (a file that
# does not compile is named, and setup goes on: importing it would fail with or without bytecode).
$(BYTECODE): | $(STAMP)
	-$(BIN)/python -m compileall -q -j 0 "$$($(BIN)/python -c 'import sysconfig; print(sysconfig.get_path("purelib"))')"
	touch $@

setup: $(STAMP) $(BYTECODE)

setup-test: $(TEST_STAMP) $(BYTECODE)

# JupyterLab on 127.0.0.1 with a fresh random token (python -m brink lab; --allow-root only as root).
lab: setup
	$(BIN)/python -m brink lab --port $(LAB_PORT)

# Every suite in parallel, each into its own log; then every log, and one closing line of totals. Each suite
# also leaves its wall seconds (<suite>.seconds) and the CPU time of all it ran (<suite>.cpu, the shell's `times`).
# The exit status is non-zero when any suite failed.
test: setup-test
	@rm -rf $(LOGS) && mkdir -p $(LOGS)
	@$(MAKE) --no-print-directory -j$(JOBS) -k suites; \
	  $(BIN)/python scripts/test_report.py $(LOGS) $(SUITES)

suites: $(addprefix suite-,$(SUITES))

# After a `make test`: its measured seconds (per suite, and per unit-test file) into tests/seconds.json.
test-seconds:
	$(PYTHON) scripts/test_plan.py record $(LOGS)

suite-%:
	@mkdir -p $(LOGS) && echo "make test: $* started"
	@start=$$(date +%s); \
	  $(MAKE) --no-print-directory run-$* > $(LOGS)/$*.log 2>&1; rc=$$?; \
	  echo $$rc > $(LOGS)/$*.rc; echo $$(( $$(date +%s) - start )) > $(LOGS)/$*.seconds; \
	  times > $(LOGS)/$*.cpu; \
	  echo "make test: $* finished (exit $$rc, $$(( $$(date +%s) - start )) s)"

# How each suite runs (a folder suite needs no rule of its own: run-% covers it).
run-doctest:
	$(BIN)/python -m pytest lib/brink --doctest-modules -q --junitxml=$(LOGS)/doctest.xml

# The first unit suite starts with `brink check` on the kit's data folder (every problem, one line each).
run-unit1:
	$(BIN)/brink check data
	$(BIN)/python -m pytest $(UNIT_1) -q -rfEs --durations=10 --junitxml=$(LOGS)/unit1.xml

run-unit2:
	$(BIN)/python -m pytest $(UNIT_2) -q -rfEs --durations=10 --junitxml=$(LOGS)/unit2.xml

# Strict nbval on every notebook, with an empty answer folder (no one's saved answers change the outputs).
run-notebooks:
	BRINK_ANSWERS=$$(mktemp -d) $(BIN)/python -m pytest --nbval notebooks exercises -q

# The click → feedback figures come from test_jupyterlab.py (test_latency_figures), printed by the lane that ran it.
run-browser:
	$(BIN)/python -m pytest tests/browser -q -rfEs --durations=5 --junitxml=$(LOGS)/browser.xml
	@if [ -f $(ARTIFACTS)/latency.txt ]; then cat $(ARTIFACTS)/latency.txt; fi

run-browser1 run-browser2: run-browser%:
	$(BIN)/python -m pytest $(BROWSER_$*) -q -rfEs --durations=5 --junitxml=$(LOGS)/browser$*.xml
	$(if $(filter tests/browser/test_jupyterlab.py,$(BROWSER_$*)),@if [ -f $(ARTIFACTS)/latency.txt ]; then cat $(ARTIFACTS)/latency.txt; fi)

# The gate on the code: ruff (configured in pyproject.toml: pyflakes, pycodestyle, bugbear, import order; it
# checks, it does not reformat) on the library, the scripts and the tests, mypy on the library, then tests/lint (that
# the gate fails on a bad file). Run `make suite-lint`, or the two commands, before landing a change to lib/, scripts/
# or tests/.
run-lint:
	$(BIN)/ruff check lib/brink scripts tests conftest.py
	$(BIN)/mypy lib/brink
	$(BIN)/python -m pytest tests/lint -q -rfEs --junitxml=$(LOGS)/lint.xml

run-%:
	$(BIN)/python -m pytest tests/$* -q -rfEs --durations=5 --junitxml=$(LOGS)/$*.xml

# Re-execute the notebooks and store their outputs (after a change to the data or the library).
notebooks: setup-test
	$(BIN)/python scripts/run_notebooks.py notebooks/*.ipynb exercises/*.ipynb

# Print the speed and memory figures as ratios measured in one run (the figures in the README: "Speed"),
# the time to grade and report 1,000 submissions with per-student papers, and a class of 30 in Chromium
# clicking "Check answer" at once (that one fails only if an answer is lost).
bench: setup-test
	$(BIN)/python scripts/bench.py
	$(BIN)/python scripts/bench_check.py
	$(BIN)/python scripts/bench_class.py
	$(BIN)/python scripts/bench_grading.py

# Rewrite requirements/lock.txt from a fresh venv: the current lock's versions, plus whatever a changed
# range or a deleted line lets pip choose anew.
lock:
	rm -rf $(ARTIFACTS)/lock-venv
	$(PYTHON) -m venv $(ARTIFACTS)/lock-venv
	$(ARTIFACTS)/lock-venv/bin/python -m pip install --quiet --upgrade pip
	$(ARTIFACTS)/lock-venv/bin/python -m pip install --quiet $(CONSTRAINTS) ".[lab,test,browser,lite]"
	sed -n '/^#/p' $(LOCK) > $(LOCK).new
	$(ARTIFACTS)/lock-venv/bin/python -m pip freeze --exclude brink >> $(LOCK).new
	mv $(LOCK).new $(LOCK)
	rm -rf $(ARTIFACTS)/lock-venv

clean:
	rm -rf $(VENV) $(ARTIFACTS)

# The course website, built from the committed notebooks into _site/ (see README: "Course website").
site: setup
	$(BIN)/python scripts/build_site.py --out _site

# The zero-install JupyterLite build (lessons, exercises, the brink wheel) into _lite/ (README: "Zero install").
lite: setup-test
	$(BIN)/python scripts/build_lite.py --out _lite
