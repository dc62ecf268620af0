"""The README keeps its promises: its links and paths exist, its commands are real.

The README is the first thing a learner reads; a dead link or a ``make`` target that does not
exist is the first thing that goes wrong. These tests read it as text.
"""

from __future__ import annotations

import re
from pathlib import Path
from urllib.parse import unquote

import pytest

REPO = Path(__file__).resolve().parents[1]
README = (REPO / "README.md").read_text(encoding="utf-8")

#: Paths the README names that are created by running the course, not committed.
GENERATED = (".venv", "nbgrader/", "tests/browser/screenshots")
#: File endings that make an inline-code span a path (``sgdlib.optim`` is a module, not a file).
PATH_SUFFIXES = (".ipynb", ".py", ".md", ".yml", ".toml", ".txt", ".png", ".cfg")
TOP_LEVEL_FILES = ("Makefile", "LICENSE")

LINK = re.compile(r"!?\[(?:[^\[\]]|\[[^\]]*\])*\]\(([^)\s]+)(?:\s+\"[^\"]*\")?\)")
CODE_BLOCK = re.compile(r"^```[^\n]*\n(.*?)^```", re.MULTILINE | re.DOTALL)
CODE_SPAN = re.compile(r"`([^`\n]+)`")


def relative_links() -> list[str]:
    targets = [m.group(1) for m in LINK.finditer(README)]
    return [t for t in targets if not re.match(r"^[a-z][a-z0-9+.-]*:|^#", t)]


def code_spans() -> list[str]:
    without_blocks = CODE_BLOCK.sub("", README)
    return [m.group(1).strip() for m in CODE_SPAN.finditer(without_blocks)]


def named_paths() -> list[str]:
    """Inline-code spans that are paths in the repository (``notebooks/``, ``environment.yml``)."""
    paths = []
    for span in code_spans():
        if not re.fullmatch(r"[\w.\-/]+", span) or span.startswith(GENERATED):
            continue
        if "/" in span or span.endswith(PATH_SUFFIXES) or span in TOP_LEVEL_FILES:
            paths.append(span)
    return paths


def commands() -> str:
    """All code: fenced blocks and inline spans, where the README's commands are."""
    return "\n".join([*CODE_BLOCK.findall(README), *code_spans()])


def makefile_targets() -> set[str]:
    text = (REPO / "Makefile").read_text(encoding="utf-8")
    return set(re.findall(r"^([A-Za-z][\w-]*)\s*:(?!=)", text, re.MULTILINE))


def test_readme_has_relative_links_and_names_paths():
    # Guards the two tests below against passing on a README whose links they cannot read.
    assert len(relative_links()) >= 5 and len(named_paths()) >= 10


@pytest.mark.parametrize("target", sorted(set(relative_links())))
def test_relative_link_in_readme_points_to_an_existing_file(target):
    path = unquote(target.split("#")[0].split("?")[0])
    assert (REPO / path).exists(), f"README links to {target}, which does not exist"


@pytest.mark.parametrize("path", sorted(set(named_paths())))
def test_path_named_in_readme_exists(path):
    assert (REPO / path).exists(), f"README names `{path}`, which does not exist"


def test_readme_gives_the_two_commands_before_the_alternatives():
    text = README
    for command in ("make lab", "make test"):
        assert re.search(rf"^{command}\b", commands(), re.MULTILINE), (
            f"`{command}` is not given as a command"
        )
    first = max(text.index("make lab"), text.index("make test"))
    for alternative in ("conda env create -f environment.yml", "mybinder.org", "Scripts"):
        assert alternative in text, f"the README lost the alternative {alternative!r}"
        assert first < text.index(alternative), f"{alternative!r} comes before `make lab`"
    assert 'make lab ARGS="--no-browser"' in text


def test_every_make_target_in_readme_is_in_the_makefile():
    named = set(re.findall(r"\bmake ([a-z][\w-]*)", commands()))
    assert {"lab", "test", "progress"} <= named
    missing = named - makefile_targets()
    assert not missing, f"the README names make targets the Makefile lacks: {sorted(missing)}"


def test_every_lesson_and_exercise_notebook_is_linked_from_the_syllabus():
    links = set(relative_links())
    for folder in ("notebooks", "exercises"):
        for notebook in sorted((REPO / folder).glob("*.ipynb")):
            target = f"{folder}/{notebook.name}"
            assert target in links, f"{target} is missing from the README's syllabus"


def test_syllabus_lists_chapters_01_to_06():
    rows = re.findall(r"^\| (0\d) ", README, re.MULTILINE)
    assert rows == ["01", "02", "03", "04", "05", "06"], rows
