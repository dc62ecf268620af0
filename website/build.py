"""Build the course website from the committed, executed notebooks (never re-executed).

    python website/build.py [--out site] [--work build/site]

``make site`` runs this. It stages a Sphinx source folder (``--work``/src): this folder's
``conf.py``, ``_static/`` and ``_ext/``, every ``notebooks/*.ipynb`` as it is committed, the
exercise notebooks as downloads (solutions are never published), and four pages written from the
course's own Markdown, so the site never drifts from it:

* ``index``: README.md, the landing page (its syllabus links to every lesson);
* ``exercises``: README's "How the exercises work" and exercises/README.md, with downloads;
* ``notation``: README's notation table;
* ``benchmarks``: README's benchmark summary and benchmarks/README.md's full tables.

Links to other files of the repository point to the repository on GitHub (``SITE_REPOSITORY``,
default ``OWNER/sgd-from-scratch`` as in README.md's own links). Then it runs Sphinx (myst-nb,
sphinx-book-theme) into ``--out``. Any lesson added to ``notebooks/`` is picked up by itself.
"""

from __future__ import annotations

import argparse
import json
import os
import re
import shutil
import sys
import time
from pathlib import Path

WEBSITE = Path(__file__).resolve().parent
REPO = WEBSITE.parent
REPOSITORY = os.environ.get("SITE_REPOSITORY", "OWNER/sgd-from-scratch")
GITHUB = f"https://github.com/{REPOSITORY}/blob/HEAD/"

LINK = re.compile(r"(!?\[(?:[^\[\]]|\[[^\]]*\])*\])\(([^)\s]+)\)")
SECTION = re.compile(r"^## (.+)$", re.MULTILINE)


def lessons(repo: Path = REPO) -> list[Path]:
    """Every lesson notebook, in chapter order."""
    return sorted((repo / "notebooks").glob("[0-9][0-9]_*.ipynb"))


def exercise_notebooks(repo: Path = REPO) -> list[Path]:
    return sorted((repo / "exercises").glob("[0-9][0-9]_exercises_*.ipynb"))


def sections(markdown: str) -> dict[str, str]:
    """The README's level-2 sections by title (the text before the first one under "")."""
    parts = SECTION.split(markdown)
    found = {"": parts[0]}
    for title, body in zip(parts[1::2], parts[2::2]):
        found[title.strip()] = body
    return found


def rewrite_links(markdown: str, source_dir: str, page_dir: str = "") -> str:
    """Make the relative links of a Markdown file (in repository folder `source_dir`) work on a
    page in site folder `page_dir`: lessons stay pages, exercise notebooks become downloads,
    pictures are copied; anything else of the repository links to it on GitHub."""
    # A picture from outside (README's Binder badge) would be a request to another site on
    # every visit: its alternative text stands in for it.
    markdown = re.sub(r"!\[([^\]]*)\]\((?:https?:)?//[^)\s]+\)", r"\1", markdown)

    def fix(match: re.Match) -> str:
        text, target = match.groups()
        if re.match(r"^[a-z][a-z0-9+.-]*:|^#", target):
            return match.group(0)
        path, _, anchor = target.partition("#")
        repo_path = os.path.normpath(os.path.join(source_dir, path)).replace(os.sep, "/")
        if (re.fullmatch(r"notebooks/\d\d_[^/]+\.ipynb", repo_path) or text.startswith("!")
                or re.fullmatch(r"exercises/\d\d_exercises_[^/]+\.ipynb", repo_path)):
            local = os.path.relpath(repo_path, page_dir or ".").replace(os.sep, "/")
            if repo_path.startswith("exercises/"):
                return f"{{download}}`{text[1:-1]} <{local}>`"
            return f"{text}({local}{'#' + anchor if anchor else ''})"
        kind = "tree" if (REPO / repo_path).is_dir() else "blob"
        return f"{text}({GITHUB.replace('/blob/', f'/{kind}/')}{repo_path})"
    return LINK.sub(fix, markdown)


def demote(markdown: str) -> str:
    """One heading level down (a file's sections become a page's subsections)."""
    return re.sub(r"^(#+) ", r"#\1 ", markdown, flags=re.MULTILINE)


def write_pages(src: Path, repo: Path = REPO) -> None:
    readme = (repo / "README.md").read_text(encoding="utf-8")
    parts = sections(readme)
    # The landing page: the README, with the notation and benchmark tables on their own pages.
    landing = readme
    for title, page in (("Notation", "notation"), ("Benchmarks", "benchmarks")):
        landing = landing.replace(
            f"## {title}\n{parts[title]}",
            f"## {title}\n\nOn its own page: [{title.lower()}]({page}.md).\n\n")
    toc = "\n".join(f"notebooks/{p.stem}" for p in lessons(repo))
    landing = rewrite_links(landing, "") + (
        f"\n\n```{{toctree}}\n:hidden:\n:caption: Lessons\n:maxdepth: 1\n\n{toc}\n```\n\n"
        "```{toctree}\n:hidden:\n:caption: Reference\n:maxdepth: 1\n\n"
        "exercises\nnotation\nbenchmarks\n```\n")
    (src / "index.md").write_text(landing, encoding="utf-8")

    (src / "notation.md").write_text(
        "# Notation\n" + rewrite_links(parts["Notation"], ""), encoding="utf-8")

    bench = (repo / "benchmarks" / "README.md").read_text(encoding="utf-8")
    bench = bench.split("\n", 1)[1]  # without its "# Benchmarks" title
    (src / "benchmarks.md").write_text(
        "# Benchmarks\n" + rewrite_links(parts["Benchmarks"], "")
        + "\n## The full tables (benchmarks/README.md)\n"
        + demote(rewrite_links(bench, "benchmarks")), encoding="utf-8")

    rows = "\n".join(
        f"| {p.name[:2]} | {{download}}`{p.name} <exercises/{p.name}>` |"
        for p in exercise_notebooks(repo))
    exercises_readme = (repo / "exercises" / "README.md").read_text(encoding="utf-8")
    (src / "exercises.md").write_text(
        "# The exercises and how they are checked\n\n"
        "Each chapter's graded exercises are a notebook to download and run in JupyterLab "
        "(`make lab`), next to the lesson. The solutions are not published here.\n\n"
        f"| chapter | exercise notebook (download) |\n|---|---|\n{rows}\n\n"
        "## How the exercises work\n" + rewrite_links(parts["How the exercises work"], "")
        + "\n## The exercises folder (exercises/README.md)\n"
        + demote(rewrite_links(exercises_readme.split("\n", 1)[1], "exercises")),
        encoding="utf-8")


def stage_lesson(notebook: Path, target: Path) -> None:
    """Copy a lesson for Sphinx, its outputs untouched; only the links of its Markdown cells
    change (see :func:`rewrite_links`: ``../exercises/...`` becomes a download)."""
    nb = json.loads(notebook.read_text(encoding="utf-8"))
    for cell in nb["cells"]:
        if cell["cell_type"] == "markdown":
            source = "".join(cell["source"])
            cell["source"] = rewrite_links(source, "notebooks", "notebooks")
    target.write_text(json.dumps(nb), encoding="utf-8")


def stage(src: Path, repo: Path = REPO) -> None:
    """Fill the Sphinx source folder `src` (emptied first)."""
    shutil.rmtree(src, ignore_errors=True)
    src.mkdir(parents=True)
    shutil.copy2(WEBSITE / "conf.py", src / "conf.py")
    for folder in ("_static", "_ext"):
        shutil.copytree(WEBSITE / folder, src / folder,
                        ignore=shutil.ignore_patterns("__pycache__", "README.md"))
    (src / "notebooks").mkdir()
    extra = src / "_extra" / "notebooks"  # served as-is: the download next to each lesson page
    extra.mkdir(parents=True)
    for notebook in lessons(repo):
        stage_lesson(notebook, src / "notebooks" / notebook.name)
        shutil.copy2(notebook, extra / notebook.name)
    (src / "exercises").mkdir()
    for notebook in exercise_notebooks(repo):
        shutil.copy2(notebook, src / "exercises" / notebook.name)
    for folder in ("docs/img", "benchmarks/results"):
        for picture in sorted((repo / folder).glob("*.png")):
            (src / folder).mkdir(parents=True, exist_ok=True)
            shutil.copy2(picture, src / folder / picture.name)
    write_pages(src, repo)


def build(out: Path, work: Path, quiet: bool = True, repo: Path = REPO) -> float:
    """Stage the course in `repo` into `work`/src, build it in `work` and move the site to
    `out`; return the seconds it took."""
    from sphinx.cmd.build import build_main

    start = time.monotonic()
    src, html = work / "src", work / "html"
    stage(src, repo)
    shutil.rmtree(html, ignore_errors=True)
    # Sphinx writes into work/html, and myst-nb its images next to it (work/jupyter_execute),
    # so nothing lands beside `out`; the finished site is then moved to `out`.
    args = ["-b", "html", "-E", "-d", str(work / "doctrees"), str(src), str(html)]
    code = build_main(["-q", *args] if quiet else args)
    if code:
        raise SystemExit(f"sphinx-build failed with exit code {code}")
    (html / ".nojekyll").write_text("")  # GitHub Pages: serve _static/ as it is
    shutil.rmtree(out, ignore_errors=True)
    out.parent.mkdir(parents=True, exist_ok=True)
    shutil.move(str(html), str(out))
    return time.monotonic() - start


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--out", type=Path, default=REPO / "site")
    parser.add_argument("--work", type=Path, default=REPO / "build" / "site")
    parser.add_argument("--verbose", action="store_true")
    args = parser.parse_args(argv)
    seconds = build(args.out.resolve(), args.work.resolve(), quiet=not args.verbose)
    print(f"built {args.out} in {seconds:.1f} s; serve it with: make serve-site")
    return 0


if __name__ == "__main__":
    sys.exit(main())
