"""Sphinx configuration of the course website (built by website/build.py: ``make site``).

The notebooks are shown as committed (executed, never re-run). Every script, style sheet and font
a page loads is served by the site itself (_static/vendor/README.md): MathJax 3, require.js and
the widgets' html-manager are configured here to load from there, not from a CDN.
"""

import os
import sys

sys.path.insert(0, os.path.abspath("_ext"))

project = "SGD from Scratch"
author = "SGD from Scratch contributors"
copyright = "SGD from Scratch contributors, MIT licence"

extensions = ["myst_nb", "course_site"]
exclude_patterns = ["_build", "_extra", "**/.ipynb_checkpoints", "Thumbs.db"]
# Served as they are: each lesson's notebook (its page's download link) and the exercise
# notebooks (downloads of the exercises page).
html_extra_path = ["_extra"]
# No _sources/ copies: the staged notebooks there have rewritten links, so the only download
# is the committed notebook from _extra (the theme's download button is off for the same reason).
html_copy_source = False

# The notebooks are committed executed: show their saved outputs, never run them.
nb_execution_mode = "off"
myst_enable_extensions = ["dollarmath", "amsmath"]
# As in JupyterLab: $$...$$ may stand inside a paragraph (lesson 3 writes it in lists).
myst_dmath_double_inline = True
myst_heading_anchors = 3
# A notebook's tracebacks would be a bug in the lesson (its cells are tested), not a page to hide.
nb_output_stderr = "show"

# MathJax 3 from the site itself. Its configuration (with the MathJax-2 `Hub.Queue` the
# html-manager calls, see _static/mathjax-config.js) loads first.
mathjax_path = "vendor/mathjax/es5/tex-mml-chtml.js"
mathjax3_config = None
# After Sphinx's own `window.MathJax = {...}` (priority 500, which myst-nb fills in), before the
# deferred MathJax script runs.
html_js_files = [("mathjax-config.js", {"priority": 501}), "course.js"]
html_css_files = ["course.css"]

# The saved explorers: require.js and the html-manager, from the site itself too.
nb_ipywidgets_js = {
    "vendor/requirejs/require.js": {},
    "vendor/html-manager/dist/embed-amd.js": {"defer": "defer"},
}

html_theme = "sphinx_book_theme"
html_title = "SGD from Scratch"
html_static_path = ["_static"]
html_theme_options = {
    "home_page_in_toc": True,
    "show_toc_level": 2,
    # Off: it would offer the staged copy (see html_copy_source); each lesson links the notebook.
    "use_download_button": False,
    # For projecting: hides both sidebars, so the figures get the whole width.
    "use_fullscreen_button": True,
    "use_repository_button": False,
    # The theme's own icon links and analytics would load from outside: none.
    "icon_links": [],
}
# pydata-sphinx-theme reads the colour mode from the page context (empty: a console error).
html_context = {"default_mode": "auto"}
html_sidebars = {"**": ["navbar-logo.html", "search-field.html", "sbt-sidebar-nav.html"]}
html_last_updated_fmt = None
html_show_sourcelink = False

# website/build.py passes the repository (owner/name) for the Binder and source links.
# (as -D overrides; these defaults are for a bare sphinx-build).
course_repository = "OWNER/sgd-from-scratch"
course_binder_ref = "HEAD"
