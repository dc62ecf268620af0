"""Refresh the JavaScript and fonts the website serves itself (maintainers only).

The site needs no CDN: MathJax 3, require.js, the Jupyter widgets' html-manager and Font Awesome 4
(the play buttons of matplotlib's JavaScript animations) are committed under
``website/_static/vendor/``, each with its licence, so ``make site`` works without npm and
without a network. This script re-creates that folder from the npm registry with ``npm pack``
(npm is needed here only), keeping the few files a page loads. Run it after changing a version
below, then rebuild the site and run ``tests/test_site.py``.

    python website/vendor.py
"""

from __future__ import annotations

import json
import shutil
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


def main() -> None:
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


if __name__ == "__main__":
    main()
