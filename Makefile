# SGD from Scratch: the two commands a newcomer needs, and a few for maintainers.
#
#   make lab      create .venv if needed, install the course, open JupyterLab on notebooks/
#                 (extra JupyterLab arguments: make lab ARGS="--no-browser --port 8899")
#   make test     create .venv if needed, install the course with its test extra, run every test
#   make instructor-lab   JupyterLab with nbgrader's Formgrader (after make test installed it)
#   make site     build the course website into site/ (make serve-site: on http://127.0.0.1:8000)
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

.PHONY: lab instructor-lab test exercises bench progress class-progress learners-branch site serve-site clean help
.DEFAULT_GOAL := help

help:
	@echo "make lab        open the course in JupyterLab (make lab ARGS=--no-browser to not open a browser)"
	@echo "make test       run every test (library, notebooks, exercises, browser)"
	@echo "make instructor-lab  JupyterLab with nbgrader's Formgrader, for grading (installs the test extra)"
	@echo "make exercises  regenerate exercises/ from solutions/ (maintainers)"
	@echo "make progress   grade your exercise notebooks and print a progress table"
	@echo "make class-progress  a class's progress, one row per learner (CLASS=nbgrader/submitted)"
	@echo "make learners-branch build the branch without solutions/ for the hub (docs/teaching.md)"
	@echo "make bench      run the benchmarks in benchmarks/ (not part of make test)"
	@echo "make site       build the course website into site/ from the executed notebooks"
	@echo "make serve-site build it, then serve it on http://127.0.0.1:8000 (SITE_PORT=...)"
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

# Opens on the front door, notebooks/00_start_here.ipynb (the file browser shows notebooks/).
lab: $(VENV)/.installed-lab
	$(call jupyterlab,$(LEARNER_CONFIG),notebooks/00_start_here.ipynb)

# nbgrader comes with the test extra; grading steps: solutions/README.md.
instructor-lab: $(VENV)/.installed-test
	$(call jupyterlab,$(COURSE_CONFIG),solutions)

test: $(VENV)/.installed-test
	$(BIN)/python -m pytest $(PYTEST_ARGS)

exercises: $(VENV)/.installed-test
	$(BIN)/python -m sgdlib.grading.generate

# progress runs in the course's .venv when there is one; else in the Python on the PATH when it
# has the course (a hub's environment: never a 422 MB .venv per learner); else it makes .venv.
# class-progress: a class's table, one row per learner (docs/teaching.md); CLASS=folder.
CLASS ?= nbgrader/submitted
PROGRESS_ARGS ?=
progress:
	@if [ ! -x $(BIN)/python ] && $(PYTHON) -c 'import sgdlib.grading.progress, nbclient, ipykernel' 2>/dev/null; then \
		$(PYTHON) -m sgdlib progress $(PROGRESS_ARGS); \
	else \
		$(MAKE) --no-print-directory $(VENV)/.installed-lab && $(BIN)/python -m sgdlib progress $(PROGRESS_ARGS); \
	fi

class-progress:
	@$(MAKE) --no-print-directory progress PROGRESS_ARGS='--class "$(CLASS)" --csv class-progress.csv'

# The learners' branch for the hub's nbgitpuller link (docs/teaching.md): HEAD's files without
# solutions/, committed on top of the previous learners' commit (never on main's history), in a
# temporary index: your working tree, index and checked-out branch are not touched.
LEARNERS_BRANCH ?= learners
learners-branch:
	@set -e; index=$$(mktemp -d)/index; \
	GIT_INDEX_FILE=$$index git read-tree HEAD; \
	GIT_INDEX_FILE=$$index git rm -r -q --cached --ignore-unmatch solutions; \
	tree=$$(GIT_INDEX_FILE=$$index git write-tree); rm -rf "$$(dirname $$index)"; \
	parent=$$(git rev-parse -q --verify refs/heads/$(LEARNERS_BRANCH) || git rev-parse -q --verify refs/remotes/origin/$(LEARNERS_BRANCH) || true); \
	if [ -n "$$parent" ] && [ "$$(git rev-parse $$parent^{tree})" = "$$tree" ]; then \
		echo "$(LEARNERS_BRANCH) is up to date with $$(git rev-parse --short HEAD)"; exit 0; fi; \
	commit=$$(git commit-tree $$tree $${parent:+-p $$parent} -m "Learners' copy of $$(git rev-parse --short HEAD), without solutions/"); \
	git update-ref refs/heads/$(LEARNERS_BRANCH) $$commit; \
	echo "$(LEARNERS_BRANCH) = $$(git rev-parse --short HEAD) without solutions/. Publish it: git push origin $(LEARNERS_BRANCH)"

# The website: Sphinx with myst-nb (in the test extra), from the committed executed notebooks,
# never re-executed. website/build.py says how; its JavaScript is vendored (website/_static/vendor).
# SITE_REPOSITORY (owner/name on GitHub; default: from `git remote get-url origin`) is where the
# pages' Binder and source links point; SITE_BINDER_REF the branch Binder opens (HEAD; learners).
SITE_PORT ?= 8000
SITE_REPOSITORY ?=
SITE_BINDER_REF ?= HEAD
site: $(VENV)/.installed-test
	SITE_REPOSITORY="$(SITE_REPOSITORY)" SITE_BINDER_REF="$(SITE_BINDER_REF)" $(BIN)/python website/build.py --out site

serve-site: site
	$(BIN)/python -m http.server $(SITE_PORT) --bind 127.0.0.1 --directory site

bench: $(VENV)/.installed-bench
	$(BIN)/python -m benchmarks $(ARGS)

clean:
	rm -rf $(VENV) .pytest_cache build site *.egg-info
