"""Build the course website from the committed, executed notebooks (never re-executed).

    python website/build.py [--out site] [--work build/site]

``make site`` runs this. It stages a Sphinx source folder (``--work``/src): this folder's
``conf.py``, ``_static/`` and ``_ext/``, every ``notebooks/*.ipynb`` as it is committed, the
exercise notebooks as downloads (solutions are never published), and four pages written from the
course's own Markdown, so the site never drifts from it:

* ``index``: README.md, the landing page (its syllabus links to every lesson);
* ``exercises``: a download and a Binder link per exercise notebook, and exercises/README.md
  (README's shorter "How the exercises work" stays on the landing page);
* ``notation``: README's notation table;
* ``benchmarks``: README's benchmark summary and benchmarks/README.md's full tables.

Links to other files of the repository point to the repository on GitHub: ``SITE_REPOSITORY``
(owner/name), else the GitHub repository of ``git remote get-url origin``, else
``OWNER/sgd-from-scratch`` as in README.md's own links, which the pages then use instead.
Binder opens ``SITE_BINDER_REF`` (default ``HEAD``; ``learners`` for the branch without
``solutions/`` that ``make learners-branch`` builds). Then it runs Sphinx (myst-nb,
sphinx-book-theme) into ``--out``. Any lesson added to ``notebooks/`` is picked up by itself.
"""

from __future__ import annotations

import argparse
import json
import os
import re
import shutil
import subprocess
import sys
import time
from pathlib import Path

WEBSITE = Path(__file__).resolve().parent
REPO = WEBSITE.parent
#: The placeholder README.md's own links use for the course's GitHub repository.
PLACEHOLDER = "OWNER/sgd-from-scratch"


def _repository() -> str:
    """SITE_REPOSITORY, else owner/name of a GitHub `origin`, else the placeholder."""
    if os.environ.get("SITE_REPOSITORY"):
        return os.environ["SITE_REPOSITORY"]
    try:
        origin = subprocess.run(["git", "remote", "get-url", "origin"], cwd=REPO, text=True,
                                capture_output=True, timeout=10).stdout.strip()
    except (OSError, subprocess.SubprocessError):
        origin = ""
    found = re.search(r"github\.com[:/]([\w.-]+/[\w.-]+?)(?:\.git)?/?$", origin)
    return found.group(1) if found else PLACEHOLDER


REPOSITORY = _repository()
BINDER_REF = os.environ.get("SITE_BINDER_REF") or "HEAD"
#: Where a page sends someone who downloaded a notebook and has no course yet.
START = "index.md#start-in-two-commands"
#: The pages written from the course's Markdown (besides one page per lesson).
PAGES = ("index", "exercises", "notation", "benchmarks")
#: Repository files that are pages of the site: their links go to the page, not to GitHub.
AS_PAGES = {"README.md": "index.md", "exercises/README.md": "exercises.md",
            "benchmarks/README.md": "benchmarks.md#the-full-tables"}

LINK = re.compile(r"(!?\[(?:[^\[\]]|\[[^\]]*\])*\])\(([^)\s]+)\)")
SECTION = re.compile(r"^## (.+)$", re.MULTILINE)


def lessons(repo: Path = REPO) -> list[Path]:
    """Every lesson notebook, in chapter order."""
    return sorted((repo / "notebooks").glob("[0-9][0-9]_*.ipynb"))


def exercise_notebooks(repo: Path = REPO) -> list[Path]:
    return sorted((repo / "exercises").glob("[0-9][0-9]_exercises_*.ipynb"))


class Sections(dict):
    """The README's level-2 sections by title; a missing one says which and where."""

    def __missing__(self, title: str) -> str:
        raise SystemExit(
            f"website/build.py: README.md has no section '## {title}' (it has: "
            f"{', '.join(repr(t) for t in self if t)}). The site builds a page from it: rename "
            f"it back, or change the title in website/build.py (write_pages).")


def sections(markdown: str) -> Sections:
    """The README's level-2 sections by title (the text before the first one under "")."""
    parts = SECTION.split(markdown)
    found = Sections({"": parts[0]})
    for title, body in zip(parts[1::2], parts[2::2]):
        found[title.strip()] = body
    return found


def binder_url(path: str, repository: str | None = None, ref: str | None = None) -> str:
    """Open the repository file `path` in JupyterLab on Binder."""
    return (f"https://mybinder.org/v2/gh/{repository or REPOSITORY}/{ref or BINDER_REF}"
            f"?urlpath=lab/tree/{path}")


def download_link(text: str, href: str) -> str:
    """A plain link with a `download` attribute. MyST keeps the HTML tags as they are and still
    reads the Markdown between them (a `code` span stays code, plain words stay plain)."""
    return f'<a class="course-download" href="{href}" download>{text}</a>'


def rewrite_links(markdown: str, source_dir: str, page_dir: str = "") -> str:
    """Make the relative links of a Markdown file (in repository folder `source_dir`) work on a
    page in site folder `page_dir`: lessons stay pages, exercise notebooks become downloads,
    pictures are copied; anything else of the repository links to it on GitHub."""
    # A picture from outside (README's Binder badge) would be a request to another site on
    # every visit: its alternative text stands in for it.
    markdown = re.sub(r"!\[([^\]]*)\]\((?:https?:)?//[^)\s]+\)", r"\1", markdown)
    # README's links to the course on GitHub and Binder name a placeholder repository.
    markdown = markdown.replace(f"mybinder.org/v2/gh/{PLACEHOLDER}/HEAD",
                                f"mybinder.org/v2/gh/{REPOSITORY}/{BINDER_REF}")
    owner, _, name = REPOSITORY.partition("/")
    markdown = markdown.replace("OWNER.github.io/sgd-from-scratch", f"{owner}.github.io/{name}")
    markdown = markdown.replace(PLACEHOLDER, REPOSITORY).replace(
        PLACEHOLDER.replace("/", "%2F"), REPOSITORY.replace("/", "%2F"))

    def fix(match: re.Match) -> str:
        text, target = match.groups()
        if re.match(r"^[a-z][a-z0-9+.-]*:|^#", target):
            return match.group(0)
        path, _, anchor = target.partition("#")
        repo_path = os.path.normpath(os.path.join(source_dir, path)).replace(os.sep, "/")
        if repo_path in AS_PAGES:
            page, _, page_anchor = AS_PAGES[repo_path].partition("#")
            local = os.path.relpath(page, page_dir or ".").replace(os.sep, "/")
            return f"{text}({local}#{anchor or page_anchor})" if anchor or page_anchor \
                else f"{text}({local})"
        if (re.fullmatch(r"notebooks/\d\d_[^/]+\.ipynb", repo_path) or text.startswith("!")
                or re.fullmatch(r"exercises/\d\d_exercises_[^/]+\.ipynb", repo_path)):
            local = os.path.relpath(repo_path, page_dir or ".").replace(os.sep, "/")
            if repo_path.startswith("exercises/"):
                # Served as it is from _extra/exercises (a download, never a page).
                return download_link(text[1:-1], local)
            return f"{text}({local}{'#' + anchor if anchor else ''})"
        kind = "tree" if (REPO / repo_path).is_dir() else "blob"
        return f"{text}(https://github.com/{REPOSITORY}/{kind}/HEAD/{repo_path})"
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
        parts[title]  # a clear error if the README renamed it
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
        + "\n## The full tables\n\nFrom `benchmarks/README.md`.\n"
        + demote(rewrite_links(bench, "benchmarks")), encoding="utf-8")

    rows = "\n".join(
        f"| {p.name[:2]} | {download_link(f'`{p.name}`', f'exercises/{p.name}')} "
        f"| [open it on Binder]({binder_url(f'exercises/{p.name}')}) |"
        for p in exercise_notebooks(repo))
    exercises_readme = (repo / "exercises" / "README.md").read_text(encoding="utf-8")
    parts["How the exercises work"]  # the landing page has it; fail clearly if it is renamed
    (src / "exercises.md").write_text(
        "# The exercises and how they are checked\n\n"
        "Each chapter's graded exercises are a notebook to run in JupyterLab next to the lesson. "
        "A notebook needs the course's library `sgdlib` beside it: get the course first "
        f"([Start in two commands]({START})), then work in its `exercises/` folder, or open "
        "the notebook on Binder, where everything is installed. The solutions are not "
        "published here.\n\n"
        f"| chapter | exercise notebook (download) | or |\n|---|---|---|\n{rows}\n\n"
        "## How they are checked\n\nFrom `exercises/README.md`.\n\n"
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
    (src / "_extra" / "exercises").mkdir()  # downloads only: never pages
    for notebook in exercise_notebooks(repo):
        shutil.copy2(notebook, src / "_extra" / "exercises" / notebook.name)
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
    args = ["-b", "html", "-E", "-d", str(work / "doctrees"), str(src), str(html),
            "-D", f"course_repository={REPOSITORY}", "-D", f"course_binder_ref={BINDER_REF}"]
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
