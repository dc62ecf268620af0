"""Sphinx extension of the course website: what a lesson page adds to its notebook.

* At the top of each lesson (``notebooks/*``): download the notebook, open it on Binder.
* Under each saved explorer (a cell whose output is a widget): "this explorer runs live in the
  notebook", with the same two links. On the page the explorer is static: its saved figure and
  the sliders where they were when the lesson was executed (course.css greys them out and
  makes them ignore the mouse, so nothing seems to move without the figure following).
* matplotlib's JavaScript animations (``FuncAnimation.to_jshtml()``) link Font Awesome 4 from a
  CDN for their buttons; the link is pointed at the site's own copy (_static/vendor).
"""

from __future__ import annotations

import posixpath
import re

from docutils import nodes

WIDGET_VIEW = "application/vnd.jupyter.widget-view+json"
FONT_AWESOME_CDN = re.compile(r"https?://[^\"']*/font-awesome/[\d.]+/css/font-awesome(\.min)?\.css")
FONT_AWESOME_LOCAL = "_static/vendor/font-awesome/css/font-awesome.min.css"


def binder_url(repository: str, ref: str, docname: str) -> str:
    return (f"https://mybinder.org/v2/gh/{repository}/{ref}"
            f"?urlpath=lab/tree/{docname}.ipynb")


def _links_html(repository: str, ref: str, docname: str) -> str:
    name = posixpath.basename(docname) + ".ipynb"
    return (f'<a class="course-download" href="{name}" download>download the notebook</a>'
            f' or <a class="course-binder" href="{binder_url(repository, ref, docname)}">'
            f"open it on Binder</a>")


def _start_html(docname: str) -> str:
    """A downloaded notebook imports the course's library: where to get the course."""
    index = posixpath.relpath("index.html", posixpath.dirname(docname) or ".")
    return (f'(a downloaded notebook needs the course beside it: see <a href="{index}'
            f'#start-in-two-commands">Start in two commands</a>; Binder has it all)')


def _is_cell(node: nodes.Node) -> bool:
    return isinstance(node, nodes.container) and "cell" in node.get("classes", [])


def add_links(app, doctree: nodes.document, docname: str) -> None:
    root_to_static = posixpath.relpath("_static", posixpath.dirname(docname) or ".")
    for raw in list(doctree.findall(nodes.raw)):
        if FONT_AWESOME_CDN.search(raw.astext()):
            text = FONT_AWESOME_CDN.sub(
                posixpath.join(root_to_static, FONT_AWESOME_LOCAL.split("/", 1)[1]), raw.astext())
            raw.replace_self(nodes.raw(text, text, format=raw.get("format", "html")))
    if not docname.startswith("notebooks/"):
        return
    links = _links_html(app.config.course_repository, app.config.course_binder_ref, docname)
    top = nodes.raw("", f'<p class="course-lesson-links">This lesson is a Jupyter notebook: '
                        f"{links}, and run it yourself {_start_html(docname)}.</p>",
                    format="html")
    title = next(iter(doctree.findall(nodes.title)), None)
    section = title.parent if title is not None else doctree
    section.insert(section.index(title) + 1 if title is not None else 0, top)

    seen = set()
    for raw in list(doctree.findall(nodes.raw)):
        if WIDGET_VIEW not in raw.astext():
            continue
        cell = raw.parent
        while cell is not None and not _is_cell(cell):
            cell = cell.parent
        if cell is None or id(cell) in seen:
            continue
        seen.add(id(cell))
        note = nodes.raw("", f'<p class="course-live-note">This explorer runs live in the '
                             f"notebook: {links}, and move the sliders. Here it is a picture: "
                             f"the figure and the sliders as the lesson saved them.</p>",
                         format="html")
        cell.parent.insert(cell.parent.index(cell) + 1, note)


def setup(app):
    app.add_config_value("course_repository", "OWNER/sgd-from-scratch", "html")
    app.add_config_value("course_binder_ref", "HEAD", "html")
    app.connect("doctree-resolved", add_links)
    return {"version": "1.0", "parallel_read_safe": True, "parallel_write_safe": True}
