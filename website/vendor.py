"""Refresh the JavaScript and fonts the website serves itself (maintainers only).

The site needs no CDN: MathJax 3, require.js, the Jupyter widgets' html-manager and Font Awesome 4
(the play buttons of matplotlib's JavaScript animations) are committed under
``website/_static/vendor/``, each with its licence, so ``make site`` works without npm and
without a network. This script re-creates that folder from the npm registry with ``npm pack``
(npm is needed here only), keeping the few files a page loads, and writes each package's
licence notice, ``vendor/<folder>.LICENSE.txt``: its name, version and licence, then the
copyright and the licence's text from ``vendor/licences/`` (Font Awesome's npm package ships no
licence file; MathJax's own ``LICENSE`` is kept in its folder). Run it after changing a version
below, then rebuild the site and run ``tests/browser/test_site.py``.

    python website/vendor.py              # everything (needs npm)
    python website/vendor.py --licences   # only the *.LICENSE.txt notices (no npm)
"""

from __future__ import annotations

import json
import shutil
import sys
import subprocess
import tarfile
import tempfile
from pathlib import Path

VENDOR = Path(__file__).resolve().parent / "_static" / "vendor"

#: npm package, version, folder under vendor/, files kept (globs inside the package), licence.
PACKAGES = [
    ("mathjax", "3.2.2", "mathjax", [
        "es5/tex-mml-chtml.js", "es5/input/tex/extensions/**/*.js",
        "es5/output/chtml/fonts/woff-v2/*.woff", "LICENSE"], "Apache-2.0"),
    ("requirejs", "2.3.8", "requirejs", ["require.js"], "MIT"),
    ("@jupyter-widgets/html-manager", "1.0.15", "html-manager", [
        "dist/embed-amd.js", "dist/embed.js.LICENSE.txt", "dist/*.woff2", "dist/*.woff"],
        "BSD-3-Clause"),
    ("font-awesome", "4.7.0", "font-awesome", [
        "css/font-awesome.min.css", "fonts/fontawesome-webfont.woff2",
        "fonts/fontawesome-webfont.woff"], "OFL-1.1 (fonts) AND MIT (CSS)"),
]


#: folder -> the notice's first lines, then (copyright, licence text in licences/) per part.
NOTICES = {
    "requirejs": ("RequireJS {version} (https://github.com/requirejs/requirejs), MIT licence.",
                  [("Copyright jQuery Foundation and other contributors, https://jquery.org/",
                    "MIT")]),
    "html-manager": (
        "@jupyter-widgets/html-manager {version} (part of ipywidgets, "
        "https://github.com/jupyter-widgets/ipywidgets), BSD-3-Clause.\n"
        "The third-party code bundled in embed-amd.js is listed in "
        "html-manager/dist/embed.js.LICENSE.txt.",
        [("Copyright (c) 2015 Project Jupyter Contributors\nAll rights reserved.",
          "BSD-3-Clause")]),
    "font-awesome": (
        "Font Awesome {version} by Dave Gandy (https://fontawesome.com/v4/license/).\n"
        "The font files (fonts/) are under the SIL Open Font License 1.1; the CSS (css/) is "
        "under the MIT licence.\nBoth texts follow.",
        [("Fonts: Copyright (c) Dave Gandy, http://fontawesome.io, with Reserved Font Name "
          "Font Awesome.", "OFL-1.1"),
         ("CSS: Copyright (c) Dave Gandy, http://fontawesome.io", "MIT")]),
}


def write_notices() -> None:
    """vendor/<folder>.LICENSE.txt for each package of NOTICES, from licences/*.txt."""
    for name, version, folder, _, _ in PACKAGES:
        if folder not in NOTICES:
            continue  # MathJax: its LICENSE is in its folder
        head, parts = NOTICES[folder]
        text = head.format(version=version) + "\n"
        for copyright_line, licence in parts:
            body = (VENDOR / "licences" / f"{licence}.txt").read_text(encoding="utf-8")
            text += f"\n{copyright_line}\n\n{body.rstrip()}\n"
        (VENDOR / f"{folder}.LICENSE.txt").write_text(text, encoding="utf-8")
        print(f"{name}@{version} -> {(VENDOR / f'{folder}.LICENSE.txt').name}")


def main() -> None:
    if "--licences" in sys.argv[1:]:
        write_notices()
        return
    with tempfile.TemporaryDirectory() as tmp:
        for name, version, folder, keep, licence in PACKAGES:
            tgz = subprocess.run(["npm", "pack", f"{name}@{version}"], cwd=tmp, check=True,
                                 capture_output=True, text=True).stdout.strip().splitlines()[-1]
            unpacked = Path(tmp) / folder
            with tarfile.open(Path(tmp) / tgz) as archive:
                archive.extractall(unpacked, filter="data")
            package = unpacked / "package"
            target = VENDOR / folder
            shutil.rmtree(target, ignore_errors=True)
            for pattern in keep:
                for source in sorted(package.glob(pattern)):
                    dest = target / source.relative_to(package)
                    dest.parent.mkdir(parents=True, exist_ok=True)
                    shutil.copy2(source, dest)
            (target / "VENDORED.json").write_text(json.dumps(
                {"npm": name, "version": version, "license": licence, "files": keep}, indent=1)
                + "\n", encoding="utf-8")
            print(f"{name}@{version} -> {target.relative_to(VENDOR.parent.parent)} ({licence})")
    write_notices()


if __name__ == "__main__":
    main()
