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

.PHONY: lab instructor-lab test tests-here exercises bench progress class-progress learners-branch site serve-site clean help
.DEFAULT_GOAL := help

help:
	@echo "make lab        open the course in JupyterLab (make lab ARGS=--no-browser to not open a browser)"
	@[ ! -d tests ] || echo "make test       run every test (library, notebooks, exercises, browser)"
	@[ ! -d tests ] || echo "make instructor-lab  JupyterLab with nbgrader's Formgrader, for grading (installs the test extra)"
	@[ ! -d solutions ] || echo "make exercises  regenerate exercises/ from solutions/ (maintainers)"
	@echo "make progress   grade your exercise notebooks and print a progress table"
	@[ ! -d tests ] || echo "make class-progress  a class's progress, one row per learner (CLASS=nbgrader/submitted JOBS=1)"
	@[ ! -d tests ] || echo "make learners-branch build the branch without solutions/ and tests/ for the hub (docs/teaching.md)"
	@[ ! -d tests ] || echo "make bench      run the benchmarks in benchmarks/ (not part of make test)"
	@[ ! -d website ] || echo "make site       build the course website into site/ from the executed notebooks"
	@[ ! -d website ] || echo "make serve-site build it, then serve it on http://127.0.0.1:8000 (SITE_PORT=...)"
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

# The learners' branch has no tests/ (make learners-branch): they live on the main branch.
tests-here:
	@[ -d tests ] || { echo "The tests are not on this branch (the learners' copy): they live on the course's main branch." >&2; exit 1; }

test: tests-here $(VENV)/.installed-test
	$(BIN)/python -m pytest $(PYTEST_ARGS)

exercises: $(VENV)/.installed-test
	$(BIN)/python -m sgdlib.grading.generate

# progress runs in the course's .venv when there is one; else in the Python on the PATH when it
# has the course (a hub's environment: never a 422 MB .venv per learner); else it makes .venv.
# class-progress: a class's table, one row per learner (docs/teaching.md); CLASS=folder.
CLASS ?= nbgrader/submitted
# Notebooks graded at once: at most the CPUs you have (a hub's limits.cpu; docs/teaching.md).
JOBS ?= 1
PROGRESS_ARGS ?=
progress:
	@if [ ! -x $(BIN)/python ] && $(PYTHON) -c 'import sgdlib.grading.progress, nbclient, ipykernel' 2>/dev/null; then \
		$(PYTHON) -m sgdlib progress $(PROGRESS_ARGS); \
	else \
		$(MAKE) --no-print-directory $(VENV)/.installed-lab && $(BIN)/python -m sgdlib progress $(PROGRESS_ARGS); \
	fi

class-progress:
	@$(MAKE) --no-print-directory progress PROGRESS_ARGS='--class "$(CLASS)" --csv class-progress.csv --jobs $(JOBS)'

# The learners' branch for the hub's nbgitpuller link (docs/teaching.md): HEAD's files without
# what only maintainers and instructors need (LEARNERS_DROP), with a note on top of README.md,
# committed on top of the previous learners' commit (never on main's history), in a temporary
# index: your working tree, index and checked-out branch are not touched. It stops when origin
# has the branch but this clone does not (a shallow, single-branch CI clone): a new root commit
# could only be force-pushed, and nbgitpuller would then "Backup and resync" every learner.
LEARNERS_BRANCH ?= learners
LEARNERS_DROP ?= solutions tests nbgrader_config.py conftest.py .ci website
LEARNERS_NOTE ?= > **This is the course for learners** (branch `$(LEARNERS_BRANCH)`). It leaves out the answers (`solutions/`), the tests, the grading set-up for instructors and the website build: they, and `make test`, live on the `main` branch.
learners-branch:
	@set -e; \
	parent=$$(git rev-parse -q --verify refs/heads/$(LEARNERS_BRANCH) || git rev-parse -q --verify refs/remotes/origin/$(LEARNERS_BRANCH) || true); \
	if [ -z "$$parent" ] && git remote get-url origin >/dev/null 2>&1; then \
		remote=$$(git ls-remote --heads origin $(LEARNERS_BRANCH)) || { echo "make learners-branch: cannot reach origin to see whether it has a $(LEARNERS_BRANCH) branch; stopped." >&2; exit 1; }; \
		if [ -n "$$remote" ]; then \
			echo "make learners-branch: origin has a $(LEARNERS_BRANCH) branch, but this clone has no copy of it (a shallow or single-branch clone, e.g. in CI). Run first:" >&2; \
			echo "  git fetch --depth=1 origin $(LEARNERS_BRANCH):refs/remotes/origin/$(LEARNERS_BRANCH)" >&2; \
			echo "A new branch without it would not fast-forward. Never force-push $(LEARNERS_BRANCH)." >&2; exit 1; fi; \
	fi; \
	index=$$(mktemp -d)/index; \
	GIT_INDEX_FILE=$$index git read-tree HEAD; \
	for drop in $(LEARNERS_DROP); do GIT_INDEX_FILE=$$index git rm -r -q --cached --ignore-unmatch "$$drop"; done; \
	if git cat-file -e HEAD:README.md 2>/dev/null; then \
		readme=$$({ printf '%s\n\n' '$(LEARNERS_NOTE)'; git show HEAD:README.md; } | git hash-object -w --stdin); \
		GIT_INDEX_FILE=$$index git update-index --cacheinfo 100644,$$readme,README.md; fi; \
	tree=$$(GIT_INDEX_FILE=$$index git write-tree); rm -rf "$$(dirname $$index)"; \
	if [ -n "$$parent" ] && [ "$$(git rev-parse $$parent^{tree})" = "$$tree" ]; then \
		echo "$(LEARNERS_BRANCH) is up to date with $$(git rev-parse --short HEAD)"; exit 0; fi; \
	commit=$$(git commit-tree $$tree $${parent:+-p $$parent} -m "Learners' copy of $$(git rev-parse --short HEAD), without $(LEARNERS_DROP)"); \
	git update-ref refs/heads/$(LEARNERS_BRANCH) $$commit; \
	echo "$(LEARNERS_BRANCH) = $$(git rev-parse --short HEAD) without $(LEARNERS_DROP). Publish it: git push origin $(LEARNERS_BRANCH) (never --force)"

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
