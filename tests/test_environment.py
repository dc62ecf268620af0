"""The three ways to install the course agree: pyproject.toml, environment.yml and binder/.

``make lab`` installs from ``pyproject.toml``; conda users create ``environment.yml``; Binder
builds ``binder/`` (and ``binder/start`` gives its JupyterLab ``make lab``'s configuration). A
package or bound changed in one place only would give learners on one route a different course,
so these tests pin them together: the same runtime packages, the same version bounds, a Python
that ``requires-python`` allows, and sgdlib itself installed from the checkout.

YAML is read with PyYAML, which comes with JupyterLab (jupyter_server -> jupyter_events ->
pyyaml), so it adds no dependency.
"""

from __future__ import annotations

import os
import re
import subprocess
from pathlib import Path

import pytest
import yaml
from packaging.requirements import Requirement
from packaging.specifiers import SpecifierSet

try:
    import tomllib
except ModuleNotFoundError:  # Python 3.10: pytest itself depends on tomli there
    import tomli as tomllib

REPO = Path(__file__).resolve().parents[1]
ENVIRONMENTS = {
    "environment.yml": REPO / "environment.yml",
    "binder/environment.yml": REPO / "binder" / "environment.yml",
}
#: conda-forge names that differ from PyPI's. matplotlib-base is matplotlib without the Qt GUI.
CONDA_TO_PYPI = {"matplotlib-base": "matplotlib"}
#: How repo2docker reads the Python version of an environment.yml (repo2docker,
#: buildpacks/conda/__init__.py, PYTHON_REGEX). Anything else (e.g. ">=3.10") is ignored and
#: repo2docker falls back to its own default Python.
REPO2DOCKER_PYTHON = re.compile(r"python\s*=+\s*([\d\.]*)")
#: A conda match spec as we write them: "name", "name >=1.2,<2" or "name=3.12".
CONDA_SPEC = re.compile(r"^(?P<name>[A-Za-z0-9_.\-]+)\s*(?P<spec>[=<>!~].*)?$")


def pyproject() -> dict:
    with open(REPO / "pyproject.toml", "rb") as f:
        return tomllib.load(f)


def runtime_requirements() -> dict[str, SpecifierSet]:
    """[project].dependencies as {name: specifier set}."""
    requirements = [Requirement(line) for line in pyproject()["project"]["dependencies"]]
    return {r.name.lower(): r.specifier for r in requirements}


def conda_specifier(spec: str | None) -> SpecifierSet:
    """Translate a conda version spec into a PEP 440 one ("=3.12" means "3.12.*")."""
    if not spec:
        return SpecifierSet()
    spec = spec.replace(" ", "")
    if re.fullmatch(r"=[\d.]+", spec):
        return SpecifierSet(f"=={spec[1:]}.*")
    return SpecifierSet(spec)


def load_environment(path: Path) -> tuple[dict[str, SpecifierSet], list[str], dict]:
    """Return ({name: specifier} of the conda packages, the pip lines, the whole YAML)."""
    env = yaml.safe_load(path.read_text(encoding="utf-8"))
    conda, pip = {}, []
    for dep in env["dependencies"]:
        if isinstance(dep, dict):
            pip += [str(line) for line in dep.get("pip", [])]
            continue
        match = CONDA_SPEC.match(str(dep).strip())
        assert match, f"{path.name}: cannot read the conda spec {dep!r}"
        conda[match["name"].lower()] = conda_specifier(match["spec"])
    return conda, pip, env


@pytest.mark.parametrize("name", ENVIRONMENTS)
def test_conda_environment_lists_the_runtime_dependencies_of_pyproject_with_the_same_bounds(name):
    conda, _, _ = load_environment(ENVIRONMENTS[name])
    packages = {
        CONDA_TO_PYPI.get(pkg, pkg): spec
        for pkg, spec in conda.items() if pkg not in ("python", "pip")
    }
    expected = runtime_requirements()
    assert set(packages) == set(expected), (
        f"{name} installs {sorted(packages)}, pyproject.toml requires {sorted(expected)}"
    )
    for pkg, spec in expected.items():
        assert packages[pkg] == spec, (
            f"{name}: {pkg} {packages[pkg] or '(no bound)'}, pyproject.toml: {pkg} {spec}"
        )


@pytest.mark.parametrize("name", ENVIRONMENTS)
def test_conda_environment_uses_conda_forge_only_and_has_pip(name):
    conda, _, env = load_environment(ENVIRONMENTS[name])
    assert env["channels"][0] == "conda-forge", f"{name}: conda-forge must be the first channel"
    assert "defaults" not in env["channels"], f"{name}: no Anaconda defaults channel"
    assert "pip" in conda, f"{name}: list pip, or conda warns and may use another pip"


def test_environment_yml_python_bound_is_requires_python():
    conda, _, _ = load_environment(ENVIRONMENTS["environment.yml"])
    assert conda["python"] == SpecifierSet(pyproject()["project"]["requires-python"])


def test_environment_yml_installs_sgdlib_from_the_checkout():
    _, pip, _ = load_environment(ENVIRONMENTS["environment.yml"])
    # conda runs pip in the folder of the environment file, so "." is the repository.
    assert any(line.strip() in ("-e .", ".") for line in pip), (
        f"environment.yml's pip section must install the course ('-e .'); it has {pip}"
    )


def test_binder_pins_a_python_that_repo2docker_reads_and_requires_python_allows():
    text = ENVIRONMENTS["binder/environment.yml"].read_text(encoding="utf-8")
    conda, _, _ = load_environment(ENVIRONMENTS["binder/environment.yml"])
    versions = [
        m.group(1) for line in text.splitlines()
        if (m := REPO2DOCKER_PYTHON.match(line.strip().lstrip("- ").strip()))
    ]
    assert versions and versions[0], (
        "binder/environment.yml must pin python=X.Y: repo2docker ignores other specs"
    )
    allowed = SpecifierSet(pyproject()["project"]["requires-python"])
    assert allowed.contains(versions[0]), f"python {versions[0]} is outside {allowed}"
    assert conda["python"].contains(versions[0])


def test_binder_postbuild_installs_sgdlib_from_the_repository():
    post_build = REPO / "binder" / "postBuild"
    text = post_build.read_text(encoding="utf-8")
    assert text.startswith("#!/bin/bash"), "repo2docker runs postBuild as a script: shebang"
    assert re.search(r"^set -e", text, re.MULTILINE), (
        "postBuild must stop on errors (repo2docker does not, by default)"
    )
    # repo2docker runs binder/postBuild from the repository's top folder.
    assert re.search(r"^\s*python -m pip install\b.*\s(-e\s+)?\.\s*$", text, re.MULTILINE), text
    if os.name == "posix":
        assert os.access(post_build, os.X_OK), "binder/postBuild must be executable (chmod +x)"


def test_binder_folder_holds_only_what_repo2docker_should_read():
    # A Dockerfile would make repo2docker ignore every other file; requirements.txt or a
    # second environment file would install a different set of packages.
    names = {p.name for p in (REPO / "binder").iterdir()}
    assert names == {"environment.yml", "postBuild", "start"}, sorted(names)


@pytest.mark.skipif(os.name != "posix", reason="binder/start is a bash script (Binder is Linux)")
def test_binder_start_gives_jupyterlab_the_configuration_make_lab_gives_it(tmp_path):
    # repo2docker runs binder/start before JupyterLab, with JupyterLab's command as arguments.
    from browser.labserver import LEARNER

    start = REPO / "binder" / "start"
    assert os.access(start, os.X_OK), "binder/start must be executable (chmod +x)"
    env = {k: v for k, v in os.environ.items() if k != "JUPYTER_CONFIG_PATH"}
    run = subprocess.run([str(start), "printenv", "JUPYTER_CONFIG_PATH"], cwd=tmp_path, env=env,
                         capture_output=True, text=True, check=True)
    assert run.stdout.strip().split(":") == [str(p) for p in LEARNER.config_path], run.stdout
