"""The course website (issue 15): built from the committed notebooks, readable offline.

One build per test session (``built_site``, into a temporary folder, the notebooks never
executed). Without a browser: every lesson in ``notebooks/`` has a page with its download and
Binder links and a row of the landing page's syllabus table linking to it; no page links to a file
or anchor of the site that does not exist, and no Markdown link of the course to a file of the
repository that does not exist; no page shows a Markdown role as text (``{download}`...```), the
staged copies of the notebooks or any solution. In headless
Chromium (marked ``browser``, skipped without /usr/bin/chromium), with every request to anything
but this machine blocked and counted, every page loads with no console error and no outside
request; pages with maths show MathJax's output and no raw TeX; each lesson shows every figure
its notebook has, cell by cell, and each saved explorer its figure and sliders; a JavaScript
animation advances when played. Chapters are found by globbing ``notebooks/*.ipynb``.

The checks are plain functions (``missing_pages``, ``syllabus_problems``, ``broken_links``,
``leftover_markup``, ``dead_repository_links``, ``published_solutions``, ``page_problems``,
``lesson_problems``, ``animation_advances``) so that each is also shown to fail on a small page or
course made broken on purpose.
"""

from __future__ import annotations

import functools
import http.server
import importlib.util
import re
import shutil
import sys
import threading
import warnings
from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import unquote, urlsplit

import nbformat
import pytest

REPO = Path(__file__).resolve().parents[2]
LESSONS = sorted((REPO / "notebooks").glob("*.ipynb"))
IMAGE_MIMES = ("image/png", "image/jpeg", "image/svg+xml", "image/gif")
WIDGET_VIEW = "application/vnd.jupyter.widget-view+json"
WIDGET_STATE = "application/vnd.jupyter.widget-state+json"
#: Seconds allowed for one page to load, typeset its maths and render its widgets.
PAGE_TIMEOUT = 30.0


def _load_builder():
    path = REPO / "website" / "build.py"
    spec = importlib.util.spec_from_file_location("course_site_build", path)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


builder = _load_builder()


# --- the build ------------------------------------------------------------------------------


@pytest.fixture(scope="session")
def built_site(tmp_path_factory) -> Path:
    pytest.importorskip("sphinx", reason="the site generator is in the test extra: "
                                         "pip install -e '.[test]' (make test does it)")
    pytest.importorskip("myst_nb")
    root = tmp_path_factory.mktemp("site")
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # the theme's and myst's notices about Sphinx 11
        seconds = builder.build(root / "html", root / "work")
    print(f"site built in {seconds:.1f} s")
    return root / "html"


# --- pages and links (no browser) -----------------------------------------------------------


def missing_pages(notebooks: list[Path], site: Path) -> list[str]:
    """Each lesson notebook needs its page and its downloadable copy next to it."""
    problems = []
    for notebook in notebooks:
        page = site / "notebooks" / f"{notebook.stem}.html"
        if not page.exists():
            problems.append(f"notebooks/{notebook.name} has no page ({page.name})")
            continue
        html = page.read_text(encoding="utf-8")
        if not (site / "notebooks" / notebook.name).exists():
            problems.append(f"notebooks/{notebook.name} cannot be downloaded from its page")
        if f'href="{notebook.name}" download' not in html:
            problems.append(f"{page.name} has no download link for {notebook.name}")
        if f"mybinder.org/v2/gh/" not in html or f"lab/tree/notebooks/{notebook.name}" not in html:
            problems.append(f"{page.name} has no Binder link for {notebook.name}")
        if "index.html#start-in-two-commands" not in html:
            problems.append(f"{page.name} does not say that a downloaded notebook needs the "
                            f"course (Start in two commands)")
    return problems


class _Text(HTMLParser):
    """A page's visible text (no scripts or styles), and the links inside its tables."""

    def __init__(self) -> None:
        super().__init__()
        self.text: list[str] = []
        self.skip = 0
        self.table_links: list[str] = []
        self.tables = 0

    def handle_starttag(self, tag, attrs):
        self.skip += tag in ("script", "style")
        self.tables += tag == "table"
        if tag == "a" and self.tables:
            self.table_links.append(dict(attrs).get("href", ""))

    def handle_endtag(self, tag):
        self.skip -= tag in ("script", "style")
        self.tables -= tag == "table"

    def handle_data(self, data):
        if not self.skip:
            self.text.append(data)


def page_text(page: Path) -> _Text:
    parser = _Text()
    parser.feed(page.read_text(encoding="utf-8", errors="replace"))
    return parser


#: A MyST role that reached the page as text: ``{download}`a <b>``` shown literally.
LEFTOVER_ROLE = re.compile(r"\{[a-z][a-z:-]*\}`")


def leftover_markup(site: Path) -> list[str]:
    """Pages whose text shows a Markdown role, and the staged notebooks published as they are."""
    problems = [f"{p.relative_to(site)} publishes a staged notebook"
                for p in (site / "_sources").rglob("*.ipynb")] if (site / "_sources").exists() \
        else []
    for page in sorted(site.rglob("*.html")):
        if page.relative_to(site).parts[0].startswith("_"):
            continue
        for found in LEFTOVER_ROLE.findall("".join(page_text(page).text)):
            problems.append(f"{page.relative_to(site)}: markup shown as text: {found}")
        if "btn-download" in page.read_text(encoding="utf-8"):
            problems.append(f"{page.relative_to(site)}: the theme's download button is back "
                            f"(it serves the staged notebook, not the committed one)")
    return problems


def syllabus_problems(notebooks: list[Path], site: Path) -> list[str]:
    """The landing page's syllabus table (not just its sidebar) links to every lesson but
    00, which the sentence above the table links."""
    links = page_text(site / "index.html").table_links
    return [f"no row of the syllabus table links to notebooks/{nb.stem}.html"
            for nb in notebooks if not nb.name.startswith("00_")
            and f"notebooks/{nb.stem}.html" not in links]


def dead_repository_links(repo: Path = REPO) -> list[str]:
    """Relative links of the Markdown the site is made of, to files of the repository that do
    not exist (the site sends them to GitHub, where they would be a 404)."""
    sources = {name: (repo / name).read_text(encoding="utf-8")
               for name in ("README.md", "exercises/README.md", "benchmarks/README.md")}
    for notebook in sorted((repo / "notebooks").glob("[0-9][0-9]_*.ipynb")):
        nb = nbformat.read(notebook, as_version=4)
        sources[f"notebooks/{notebook.name}"] = "\n".join(
            c.source for c in nb.cells if c.cell_type == "markdown")
    problems = []
    for name, markdown in sources.items():
        for _, target in builder.LINK.findall(markdown):
            if re.match(r"^[a-z][a-z0-9+.-]*:|^#|^//", target):
                continue
            path = (repo / Path(name).parent / unquote(target.partition("#")[0])).resolve()
            if not path.exists():
                problems.append(f"{name}: {target} does not exist")
    return problems


def solution_lines(repo: Path = REPO, shortest: int = 30) -> set[str]:
    """The lines between BEGIN and END SOLUTION of every nbgrader master in solutions/."""
    lines = set()
    for notebook in sorted((repo / "solutions").glob("*.ipynb")):
        for cell in nbformat.read(notebook, as_version=4).cells:
            inside = False
            for line in cell.source.splitlines():
                if "BEGIN SOLUTION" in line:
                    inside = True
                elif "END SOLUTION" in line:
                    inside = False
                elif inside and len(line.strip()) >= shortest \
                        and not line.strip().startswith("#"):
                    lines.add(line.strip())
    return lines


def published_solutions(site: Path, lines: set[str]) -> list[str]:
    """Pages that show nbgrader's solution markers or a line of a solution."""
    problems = []
    for page in sorted(site.rglob("*.html")):
        if page.relative_to(site).parts[0].startswith("_"):
            continue
        text = "".join(page_text(page).text)
        if "BEGIN SOLUTION" in text:
            problems.append(f"{page.relative_to(site)}: shows BEGIN SOLUTION")
        problems += [f"{page.relative_to(site)}: shows a solution's line: {line}"
                     for line in sorted(lines) if line in text]
    return problems


class _Links(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.links: list[str] = []
        self.ids: set[str] = set()

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if attrs.get("id"):
            self.ids.add(attrs["id"])
        if tag == "a" and attrs.get("name"):
            self.ids.add(attrs["name"])
        for key in ("href", "src"):
            if attrs.get(key) and not (tag == "link" and attrs.get("rel") == "preconnect"):
                self.links.append(attrs[key])


@functools.lru_cache(maxsize=None)
def _parse(path: Path) -> _Links:
    parser = _Links()
    parser.feed(path.read_text(encoding="utf-8", errors="replace"))
    return parser


def broken_links(site: Path) -> list[str]:
    """Every link and source of every page that points into the site must exist there, and
    its #anchor must exist in the page it points to."""
    problems = []
    for page in sorted(site.rglob("*.html")):
        if page.relative_to(site).parts[0] == "_static":
            continue  # the theme's templates, not pages
        for link in _parse(page).links:
            parts = urlsplit(link)
            if parts.scheme or link.startswith("//"):
                continue  # outside the site (Binder, GitHub): loaded only when clicked
            target = (page.parent / unquote(parts.path)).resolve() if parts.path else page
            if target.is_dir():
                target = target / "index.html"
            name = page.relative_to(site)
            if not target.exists() or site.resolve() not in target.parents:
                problems.append(f"{name}: {link} does not exist")
            elif parts.fragment and target.suffix == ".html" and (
                    unquote(parts.fragment) not in _parse(target).ids):
                problems.append(f"{name}: {link}: no #{parts.fragment} in {target.name}")
    return problems


def test_every_lesson_in_notebooks_has_a_page_with_download_and_binder_links(built_site):
    assert LESSONS, "no lesson in notebooks/"
    assert missing_pages(LESSONS, built_site) == []
    assert syllabus_problems(LESSONS, built_site) == []
    landing = (built_site / "index.html").read_text(encoding="utf-8")
    assert 'href="notebooks/00_start_here.html' in landing


def test_a_syllabus_row_without_its_lesson_link_is_reported(tmp_path):
    # The sidebar's toctree links every lesson; only the table's own links count.
    (tmp_path / "index.html").write_text(
        '<nav><a href="notebooks/01_a.html">1</a><a href="notebooks/02_b.html">2</a></nav>'
        '<p><a href="notebooks/00_start.html">start</a></p><table>'
        '<tr><td><a href="notebooks/01_a.html">A</a></td></tr>'
        '<tr><td>02 B (coming)</td></tr></table>')
    notebooks = [Path(f"notebooks/{n}.ipynb") for n in ("00_start", "01_a", "02_b")]
    assert syllabus_problems(notebooks, tmp_path) == [
        "no row of the syllabus table links to notebooks/02_b.html"]


def test_readme_links_name_the_sites_repository_and_binder_branch(monkeypatch):
    monkeypatch.setattr(builder, "REPOSITORY", "alice/course")
    monkeypatch.setattr(builder, "BINDER_REF", "learners")
    page = builder.rewrite_links((REPO / "README.md").read_text(encoding="utf-8"), "")
    assert "mybinder.org/v2/gh/alice/course/learners?" in page
    assert builder.PLACEHOLDER not in page and "OWNER%2Fsgd-from-scratch" not in page
    assert "https://github.com/alice/course/blob/HEAD/LICENSE" in page


def test_a_renamed_readme_section_is_a_clear_error():
    parts = builder.sections("# Course\n\n## Notations\n\nThe table.\n")
    with pytest.raises(SystemExit, match="README.md has no section '## Notation' .*'Notations'"):
        parts["Notation"]


def test_no_page_shows_markup_as_text_or_a_staged_notebook(built_site):
    assert leftover_markup(built_site) == []


def test_markup_shown_as_text_is_reported(tmp_path):
    (tmp_path / "_sources" / "notebooks").mkdir(parents=True)
    (tmp_path / "_sources" / "notebooks" / "01_x.ipynb").write_text("{}")
    (tmp_path / "a.html").write_text(
        "<p>Practise in {download}<code>`x.ipynb <../x.ipynb>`</code></p>"
        "<script>var s = '{download}`not text`';</script>")
    assert leftover_markup(tmp_path) == [
        "_sources/notebooks/01_x.ipynb publishes a staged notebook",
        "a.html: markup shown as text: {download}`"]


def test_every_repository_link_of_the_course_markdown_exists():
    assert dead_repository_links() == []


def test_a_dead_repository_link_is_reported(tmp_path):
    for name in ("README.md", "exercises/README.md", "benchmarks/README.md"):
        (tmp_path / name).parent.mkdir(parents=True, exist_ok=True)
        (tmp_path / name).write_text("# x\n")
    (tmp_path / "README.md").write_text(
        "[ok](exercises/README.md) [gone](sgdlib/nowhere.py#L3) [web](https://x.org/a)")
    (tmp_path / "notebooks").mkdir()
    assert dead_repository_links(tmp_path) == ["README.md: sgdlib/nowhere.py#L3 does not exist"]


def test_a_lesson_without_a_page_is_reported(built_site, tmp_path):
    ghost = tmp_path / "99_not_built.ipynb"
    ghost.write_text("{}")
    assert missing_pages([*LESSONS, ghost], built_site) == [
        "notebooks/99_not_built.ipynb has no page (99_not_built.html)"]


def test_no_page_has_a_broken_internal_link(built_site):
    problems = broken_links(built_site)
    assert problems == [], "\n".join(problems[:30])


def test_a_broken_link_or_anchor_is_reported(tmp_path):
    (tmp_path / "sub").mkdir()
    (tmp_path / "index.html").write_text(
        '<a href="sub/a.html#there">ok</a> <a href="sub/b.html">gone</a> '
        '<img src="_images/x.png"> <a href="sub/a.html#nowhere">bad anchor</a> '
        '<a href="https://mybinder.org/x">outside</a>')
    (tmp_path / "sub" / "a.html").write_text('<h1 id="there">A</h1>')
    assert broken_links(tmp_path) == [
        "index.html: sub/b.html does not exist",
        "index.html: _images/x.png does not exist",
        "index.html: sub/a.html#nowhere: no #nowhere in a.html",
    ]


def test_a_published_solution_is_reported(tmp_path):
    (tmp_path / "a.html").write_text(
        "<pre><span>    return</span> <span>2</span> / np.linalg.eigvalsh(H).max()</pre>"
        "<p>### BEGIN SOLUTION</p>")
    assert published_solutions(tmp_path, {"return 2 / np.linalg.eigvalsh(H).max()"}) == [
        "a.html: shows BEGIN SOLUTION",
        "a.html: shows a solution's line: return 2 / np.linalg.eigvalsh(H).max()"]


def test_the_pages_publish_no_solution_and_offer_every_exercise_notebook(built_site):
    assert not list(built_site.rglob("*solution*")), "solutions must not be published"
    lines = solution_lines()
    assert len(lines) > 10, "found no solution lines in solutions/: the check checks nothing"
    assert published_solutions(built_site, lines) == []
    exercises = (built_site / "exercises.html").read_text(encoding="utf-8")
    for notebook in sorted((REPO / "exercises").glob("[0-9][0-9]_exercises_*.ipynb")):
        link = rf'<a [^>]*href="[^"]*/{re.escape(notebook.name)}"'
        assert re.search(rf'<a [^>]*\bdownload\b[^>]*href="[^"]*/{re.escape(notebook.name)}"'
                         rf'|{link}[^>]*\bdownload\b', exercises), (
            f"the exercises page offers no download of {notebook.name}")
        assert f"lab/tree/exercises/{notebook.name}" in exercises, (
            f"the exercises page has no Binder link for {notebook.name}")
    for page in ("notation.html", "benchmarks.html"):
        assert "<table" in (built_site / page).read_text(encoding="utf-8"), page


# --- in the browser -------------------------------------------------------------------------


class _Quiet(http.server.SimpleHTTPRequestHandler):
    def log_message(self, *args):
        pass


@pytest.fixture(scope="session")
def site_url(built_site):
    """The built site served on 127.0.0.1 (a port the OS picks)."""
    handler = functools.partial(_Quiet, directory=str(built_site))
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_address[1]}"
    server.shutdown()
    server.server_close()


@pytest.fixture(scope="session")
def chromium(browser):
    """The session's one headless Chromium (tests/browser/conftest.py): a second Playwright
    started in the same session would fail ("Sync API inside the asyncio loop")."""
    return browser


class Visit:
    """One page opened with every request off this machine blocked and recorded."""

    def __init__(self, browser, url: str) -> None:
        self.context = browser.new_context(viewport={"width": 1300, "height": 900})
        self.page = self.context.new_page()
        self.outside: list[str] = []
        self.errors: list[str] = []
        self.context.route("**/*", self._route)
        self.page.on("console", lambda m: m.type == "error" and self.errors.append(
            f"console: {m.text} ({m.location.get('url', '')})"))
        self.page.on("pageerror", lambda e: self.errors.append(f"page error: {e}"))
        self.page.on("requestfailed", lambda r: urlsplit(r.url).hostname in ("127.0.0.1",)
                     and self.errors.append(f"failed request: {r.url}"))
        self.page.goto(url, wait_until="load", timeout=PAGE_TIMEOUT * 1000)
        # MathJax has typeset the page (and every widget label queued through Hub.Queue).
        # Pages without maths do not load it (only its configuration).
        self.has_mathjax = self.page.locator("script[src*='tex-mml-chtml']").count() > 0
        if self.has_mathjax:
            self.page.wait_for_function("() => window.MathJax && MathJax.startup"
                                        " && MathJax.startup.promise",
                                        timeout=PAGE_TIMEOUT * 1000)
            self.page.evaluate("() => MathJax.startup.promise.then(() => true)")

    def _route(self, route):
        host = urlsplit(route.request.url).hostname
        if host in ("127.0.0.1", "localhost"):
            route.continue_()
        else:
            self.outside.append(route.request.url)
            route.abort()

    def close(self) -> None:
        self.context.close()


#: Text of a page with its typeset maths, code and scripts taken out: what must hold no TeX.
PLAIN_TEXT = """() => {
  const body = document.querySelector('main') || document.body;
  const copy = body.cloneNode(true);
  copy.querySelectorAll('mjx-container, pre, code, script, style, textarea, .highlight')
      .forEach(e => e.remove());
  return copy.textContent;
}"""
RAW_TEX = re.compile(r"\$\$|\\[()\[\]]|\\[A-Za-z]+|\$[^$\s][^$]*\$")

#: Per code cell of a lesson page (myst-nb's div.cell): its loaded images outside widgets and
#: outside HTML outputs, and per widget output: sliders, loaded images, live note after it.
CELLS = """() => [...document.querySelectorAll('div.cell')].map(cell => {
  const out = cell.querySelector('.cell_output');
  const imgs = out ? [...out.querySelectorAll('img')].filter(
      i => !i.closest('.jupyter-widgets, .widget-output, .jupyter-widgets-view, .text_html')) : [];
  const widgets = out ? out.querySelectorAll('.jupyter-widgets.widget-container, '
      + '.jupyter-widgets-view, .widget-box') : [];
  const wimgs = out ? [...out.querySelectorAll('.widget-output img, .jupyter-widgets img')] : [];
  const next = cell.nextElementSibling;
  return {
    images: imgs.length,
    loaded: imgs.filter(i => i.complete && i.naturalWidth > 0).length,
    widgetViews: widgets.length,
    sliders: out ? out.querySelectorAll('.widget-slider').length : 0,
    widgetImages: wimgs.filter(i => i.complete && i.naturalWidth > 0).length,
    liveNote: !!(next && next.classList.contains('course-live-note')),
    movable: out ? [...out.querySelectorAll('.widget-slider, .widget-button')].filter(
        w => getComputedStyle(w).pointerEvents !== 'none').length : 0,
    errorWidgets: out ? out.querySelectorAll('.jupyter-widgets-error-widget').length : 0,
  };
})"""


def _code_cells(nb) -> list:
    """The code cells myst-nb shows as div.cell (it drops cells tagged remove-cell)."""
    return [c for c in nb.cells if c.cell_type == "code"
            and "remove-cell" not in c.metadata.get("tags", [])]


def _sliders_in_state(nb, model_id: str) -> int:
    state = nb.metadata.get("widgets", {}).get(WIDGET_STATE, {}).get("state", {})
    seen, todo, sliders = set(), [model_id], 0
    while todo:
        mid = todo.pop()
        if mid in seen or mid not in state:
            continue
        seen.add(mid)
        model = state[mid]
        if model.get("model_name", "").endswith("SliderModel"):
            sliders += 1
        children = model.get("state", {}).get("children", [])
        todo += [c.removeprefix("IPY_MODEL_") for c in children if isinstance(c, str)]
    return sliders


def lesson_problems(nb, cells: list[dict]) -> list[str]:
    """Compare what each code cell of the notebook saved with what its page shows."""
    code = _code_cells(nb)
    if len(code) != len(cells):
        return [f"{len(code)} code cells in the notebook, {len(cells)} on the page"]
    problems = []
    for k, (cell, shown) in enumerate(zip(code, cells)):
        outputs = cell.get("outputs", [])
        images = sum(1 for o in outputs if any(m in o.get("data", {}) for m in IMAGE_MIMES))
        if shown["images"] != images or shown["loaded"] != images:
            problems.append(f"code cell {k}: {images} figure(s) saved, {shown['images']} shown, "
                            f"{shown['loaded']} loaded")
        views = [o["data"][WIDGET_VIEW]["model_id"] for o in outputs
                 if WIDGET_VIEW in o.get("data", {})]
        if views:
            sliders = sum(_sliders_in_state(nb, v) for v in views)
            if shown["sliders"] < max(sliders, 1):
                problems.append(f"code cell {k}: saved explorer with {sliders} slider(s), "
                                f"{shown['sliders']} shown")
            if shown["widgetImages"] < 1:
                problems.append(f"code cell {k}: the saved explorer shows no figure")
            if shown["movable"]:
                problems.append(f"code cell {k}: {shown['movable']} slider(s) or button(s) of "
                                f"the saved explorer still take the mouse (nothing would follow)")
            if not shown["liveNote"]:
                problems.append(f"code cell {k}: no 'runs live in the notebook' note under "
                                f"the explorer")
        if shown["errorWidgets"]:
            problems.append(f"code cell {k}: a widget failed to render")
    return problems


def page_problems(visit: Visit) -> list[str]:
    """What is wrong with a page: errors, outside requests, raw TeX, untypeset maths."""
    problems = [*visit.errors, *(f"outside request: {u}" for u in visit.outside)]
    raw = RAW_TEX.findall(visit.page.evaluate(PLAIN_TEXT))
    if raw:
        problems.append(f"raw TeX left on the page: {raw[:5]}")
    math = visit.page.locator("span.math, div.math").count()
    typeset = visit.page.locator("span.math mjx-container, div.math mjx-container").count()
    if typeset < math:
        problems.append(f"{math - typeset} of {math} formulas not typeset by MathJax")
    return problems


def _pages(site: Path) -> list[str]:
    return sorted(str(p.relative_to(site)) for p in site.rglob("*.html")
                  if not p.relative_to(site).parts[0].startswith("_"))


PAGES = [*(f"{name}.html" for name in builder.PAGES), "search.html", "genindex.html",
         *(f"notebooks/{p.stem}.html" for p in LESSONS)]


@pytest.mark.browser
def test_site_pages_are_the_expected_ones(built_site):
    assert _pages(built_site) == sorted(PAGES)


@pytest.mark.browser
@pytest.mark.parametrize("name", PAGES)
def test_page_loads_offline_with_rendered_maths_figures_and_explorers(
        name, built_site, site_url, chromium):
    visit = Visit(chromium, f"{site_url}/{name}")
    try:
        problems = []
        if name.startswith("notebooks/"):
            # The notebook as it was built (another chapter may be rewritten meanwhile).
            staged = built_site.parent / "work" / "src" / name.replace(".html", ".ipynb")
            nb = nbformat.read(staged, as_version=4)
            if any(WIDGET_VIEW in o.get("data", {}) for c in _code_cells(nb)
                   for o in c.get("outputs", [])):
                visit.page.wait_for_selector(".widget-slider", timeout=PAGE_TIMEOUT * 1000)
                visit.page.wait_for_function(
                    "() => [...document.querySelectorAll('.widget-output img, .jupyter-widgets "
                    "img')].some(i => i.complete && i.naturalWidth > 0)",
                    timeout=PAGE_TIMEOUT * 1000)
            problems += lesson_problems(nb, visit.page.evaluate(CELLS))
            if "$" in "".join(c.source for c in nb.cells if c.cell_type == "markdown"):
                if visit.page.locator("mjx-container").count() == 0:
                    problems.append("the lesson has maths but the page shows none typeset")
        problems = page_problems(visit) + problems
    finally:
        visit.close()
    assert problems == [], f"{name}:\n" + "\n".join(problems)


@pytest.mark.browser
def test_outside_requests_are_blocked_and_counted(site_url, chromium):
    visit = Visit(chromium, f"{site_url}/notation.html")
    try:
        visit.page.evaluate("""() => { const l = document.createElement('link');
          l.rel = 'stylesheet';
          l.href = 'https://fonts.googleapis.com/css?family=Roboto+Mono';
          document.head.appendChild(l); }""")
        visit.page.wait_for_timeout(500)
        assert visit.outside == ["https://fonts.googleapis.com/css?family=Roboto+Mono"]
        assert any("outside request" in p for p in page_problems(visit))
    finally:
        visit.close()


@pytest.mark.browser
def test_the_html_managers_mathjax2_call_typesets_with_mathjax3(built_site, site_url, chromium):
    """The html-manager types ``MathJax.Hub.Queue(["Typeset", MathJax.Hub, el])`` for each widget
    label (MathJax 2's API); website/_static/mathjax-config.js makes it typeset ``el`` with
    MathJax 3 instead of throwing (the issue's 5 page errors on lesson 1)."""
    with_maths = next(p for p in LESSONS if "$" in "".join(
        c.source for c in nbformat.read(p, as_version=4).cells if c.cell_type == "markdown"))
    visit = Visit(chromium, f"{site_url}/notebooks/{with_maths.stem}.html")
    try:
        typeset = visit.page.evaluate(r"""async () => {
          const el = document.createElement('div'); el.className = 'cell_output';
          el.textContent = 'label \\(\\eta < 2/L\\)';
          document.querySelector('main').appendChild(el);
          MathJax.Hub.Queue(['Typeset', MathJax.Hub, el]);
          for (let i = 0; i < 100 && !el.querySelector('mjx-container'); i++)
            await new Promise(r => setTimeout(r, 50));
          return el.querySelectorAll('mjx-container').length; }""")
        assert typeset == 1
        assert visit.errors == []
    finally:
        visit.close()


# --- the JavaScript animation ---------------------------------------------------------------


def animation_advances(visit: Visit) -> tuple[bool, str]:
    """Press Play on the page's first JavaScript animation; did its frame change?"""
    page = visit.page
    buttons = page.locator(".anim-buttons")
    if buttons.count() == 0:
        return False, "no animation on the page"
    img = page.locator("img[id^='_anim_img']").first
    page.wait_for_function("el => el.src && el.src.startsWith('data:')",
                           arg=img.element_handle(), timeout=10_000)
    before = img.get_attribute("src")
    buttons.first.locator("button[title='Play']").click()
    try:
        page.wait_for_function("([el, old]) => el.src !== old", arg=[img.element_handle(), before],
                               timeout=10_000, polling=50)
    except Exception:  # noqa: BLE001 - Playwright's TimeoutError: the frame never changed
        return False, "the frame did not change within 10 s of pressing Play"
    # The buttons' icons: Font Awesome 4 from the site, or the SVGs the theme's Font Awesome
    # script puts in place of the <i class="fa ..."> elements.
    missing = page.evaluate("""() => [...document.querySelectorAll('.anim-buttons button')]
      .filter(b => { const s = b.querySelector('svg'); const i = b.querySelector('i.fa');
        return !(s && s.getBoundingClientRect().width > 0)
          && !(i && /FontAwesome/.test(getComputedStyle(i).fontFamily)); })
      .map(b => b.title)""")
    if missing:
        return False, f"the buttons {missing} show no icon"
    return True, ""


def _animation_notebook(path: Path, frames: int = 4) -> None:
    """A lesson with one executed cell whose output is a to_jshtml() animation."""
    import matplotlib
    matplotlib.use("Agg")
    import matplotlib.pyplot as plt
    from matplotlib.animation import FuncAnimation

    fig, ax = plt.subplots(figsize=(2, 2), dpi=40)
    (line,) = ax.plot([0, 1], [0, 0])
    anim = FuncAnimation(fig, lambda k: line.set_ydata([0, k]) or (line,), frames=frames,
                         interval=50)
    html = anim.to_jshtml()
    plt.close(fig)
    nb = nbformat.v4.new_notebook()
    nb.cells = [nbformat.v4.new_markdown_cell("# An animation\n\nThe step $\\eta$ moves."),
                nbformat.v4.new_code_cell("anim", execution_count=1, outputs=[
                    nbformat.v4.new_output("execute_result", {"text/html": html,
                                                              "text/plain": "<anim>"},
                                           execution_count=1)])]
    nbformat.write(nb, path)


@pytest.mark.browser
def test_animation_check_on_a_scratch_lesson(tmp_path, chromium):
    """The check of the real pages, shown to work: a tiny course whose only lesson holds an
    animation is built like the real site; the animation plays offline, with its icons."""
    repo = tmp_path / "course"
    for name in ("README.md", "exercises/README.md", "benchmarks/README.md"):
        (repo / name).parent.mkdir(parents=True, exist_ok=True)
        shutil.copy2(REPO / name, repo / name)
    (repo / "notebooks").mkdir()
    _animation_notebook(repo / "notebooks" / "04_animated.ipynb")
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # the theme's and myst's notices about Sphinx 11
        builder.build(tmp_path / "html", tmp_path / "work", repo=repo)
    handler = functools.partial(_Quiet, directory=str(tmp_path / "html"))
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    try:
        visit = Visit(chromium, f"http://127.0.0.1:{server.server_address[1]}"
                                f"/notebooks/04_animated.html")
        try:
            advanced, why = animation_advances(visit)
            problems = page_problems(visit)
        finally:
            visit.close()
    finally:
        server.shutdown()
        server.server_close()
    assert advanced, why
    assert problems == []


@pytest.mark.browser
def test_an_animation_of_the_lessons_advances_when_played(built_site, site_url, chromium):
    with_animation = [p for p in LESSONS if "anim-buttons" in p.read_text(encoding="utf-8")]
    if not with_animation:
        pytest.skip("no lesson has a JavaScript animation (FuncAnimation.to_jshtml()) yet; "
                    "chapter 4 adds one. test_animation_check_on_a_scratch_lesson checks the check")
    visit = Visit(chromium, f"{site_url}/notebooks/{with_animation[0].stem}.html")
    try:
        advanced, why = animation_advances(visit)
    finally:
        visit.close()
    assert advanced, f"{with_animation[0].name}: {why}"
