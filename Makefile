# SGD from Scratch: the two commands a newcomer needs, and a few for maintainers.
#
#   make lab      create .venv if needed, install the course, open JupyterLab on notebooks/
#                 (extra JupyterLab arguments: make lab ARGS="--no-browser --port 8899")
#   make test     create .venv if needed, install the course with its test extra, run every test
#   make instructor-lab   JupyterLab with nbgrader's Formgrader (after make test installed it)
#
# Both are idempotent: the install step re-runs only when pyproject.toml changed.

PYTHON ?= python3
VENV   ?= .venv
BIN    := $(VENV)/bin
ARGS   ?=
# JupyterLab refuses to run as root (containers, some CI machines) unless told it may.
ROOT_FLAG := $(if $(filter 0,$(shell id -u)),--allow-root)
PYTEST_ARGS ?=
# The course's Jupyter configuration (jupyter-config/README.md), read before any other:
# course/ silences JupyterLab's news pop-up and update checks; learner/ hides the grading tools
# (nbgrader), which `make test` installs into the same .venv. They replace any JUPYTER_CONFIG_PATH
# inherited (e.g. from a terminal inside `make lab`'s JupyterLab).
COURSE_CONFIG  := $(CURDIR)/jupyter-config/course
LEARNER_CONFIG := $(CURDIR)/jupyter-config/learner:$(COURSE_CONFIG)

.PHONY: lab instructor-lab test exercises bench progress clean help
.DEFAULT_GOAL := help

help:
	@echo "make lab        open the course in JupyterLab (make lab ARGS=--no-browser to not open a browser)"
	@echo "make test       run every test (library, notebooks, exercises, browser)"
	@echo "make instructor-lab  JupyterLab with nbgrader's Formgrader, for grading (installs the test extra)"
	@echo "make exercises  regenerate exercises/ from solutions/ (maintainers)"
	@echo "make progress   grade your exercise notebooks and print a progress table"
	@echo "make bench      run the benchmarks in benchmarks/ (not part of make test)"
	@echo "make clean      remove .venv and build leftovers (your notebooks are kept)"

$(BIN)/python:
	@$(PYTHON) -c 'import sys; sys.exit(0 if sys.version_info >= (3, 10) else "SGD from Scratch needs Python 3.10 or newer; found " + sys.version.split()[0] + ". Run: make PYTHON=python3.12 ...")'
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip

# One stamp per install flavour; each is rebuilt only when pyproject.toml is newer.
$(VENV)/.installed-lab: pyproject.toml | $(BIN)/python
	$(BIN)/python -m pip install --quiet -e .
	@touch $@

$(VENV)/.installed-test: pyproject.toml | $(BIN)/python
	$(BIN)/python -m pip install --quiet -e ".[test]"
	@touch $@ $(VENV)/.installed-lab

$(VENV)/.installed-bench: pyproject.toml | $(BIN)/python
	$(BIN)/python -m pip install --quiet -e ".[test,bench]"
	@touch $@ $(VENV)/.installed-test $(VENV)/.installed-lab

# $(call jupyterlab,CONFIG_PATH,START_FOLDER): JupyterLab on the course folder.
# .venv/bin goes first on PATH so that a terminal opened inside JupyterLab runs the course's
# Python (python -m sgdlib progress works there as it does here).
jupyterlab = PATH="$(CURDIR)/$(BIN):$$PATH" JUPYTER_CONFIG_PATH="$(1)" $(BIN)/jupyter lab --ServerApp.root_dir="$(CURDIR)" --LabApp.default_url=/lab/tree/$(2) $(ROOT_FLAG) $(ARGS)

lab: $(VENV)/.installed-lab
	$(call jupyterlab,$(LEARNER_CONFIG),notebooks)

# nbgrader comes with the test extra; grading steps: solutions/README.md.
instructor-lab: $(VENV)/.installed-test
	$(call jupyterlab,$(COURSE_CONFIG),solutions)

test: $(VENV)/.installed-test
	$(BIN)/python -m pytest $(PYTEST_ARGS)

exercises: $(VENV)/.installed-test
	$(BIN)/python -m sgdlib.grading.generate

progress: $(VENV)/.installed-lab
	$(BIN)/python -m sgdlib progress

bench: $(VENV)/.installed-bench
	$(BIN)/python -m benchmarks $(ARGS)

clean:
	rm -rf $(VENV) .pytest_cache build *.egg-info
