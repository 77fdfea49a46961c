"""The package: pyproject.toml agrees with requirements.txt, and an installed ``farlab``
command works from any directory, without the source tree."""

from __future__ import annotations

import os
import shutil
import site
import subprocess
import sys
import tomllib
import zipfile
from pathlib import Path

import pytest
from packaging.requirements import Requirement

from persistence.db import make_engine
from persistence.migrate import newest_revision, schema_revision

ROOT = Path(__file__).resolve().parents[1]
# Every top-level package of the checkout but the tests and the benchmarks.
PACKAGES = tuple(
    sorted(
        p.parent.name
        for p in ROOT.glob("*/__init__.py")
        if p.parent.name not in ("tests", "bench") and not p.parent.name.startswith(".")
    )
)


def test_every_package_of_the_checkout_is_shipped() -> None:
    shipped = _pyproject()["tool"]["setuptools"]["packages"]["find"]["include"]
    assert sorted(name.rstrip("*") for name in shipped) == list(PACKAGES)
    assert "observability" in PACKAGES


def _pyproject() -> dict:
    return tomllib.loads((ROOT / "pyproject.toml").read_text())


def _requirements_txt() -> list[str]:
    lines = (ROOT / "requirements.txt").read_text().splitlines()
    return [line.strip() for line in lines if line.strip() and not line.startswith("#")]


def test_pyproject_dependencies_are_the_ranges_of_requirements_txt() -> None:
    declared = {str(Requirement(r)) for r in _pyproject()["project"]["dependencies"]}
    listed = {str(Requirement(r)) for r in _requirements_txt()}
    assert declared == listed


def _run(*args: str | Path, cwd: Path, env: dict[str, str]) -> str:
    done = subprocess.run(
        [str(a) for a in args], cwd=cwd, env=env, capture_output=True, text=True, timeout=60
    )
    assert done.returncode == 0, f"{args}: {done.stdout}{done.stderr}"
    return done.stdout


@pytest.fixture(scope="module")
def wheel(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A wheel built from a copy of the source (the build leaves nothing in the tree)."""
    tmp_path = tmp_path_factory.mktemp("build")
    source = tmp_path / "source"
    ignore = shutil.ignore_patterns("__pycache__", "*.pyc")
    for name in PACKAGES:
        shutil.copytree(ROOT / name, source / name, ignore=ignore)
    for name in ("pyproject.toml", "README.md", "LICENSE"):
        shutil.copy(ROOT / name, source / name)
    wheels = tmp_path / "wheels"
    _run(
        sys.executable,
        "-m",
        "pip",
        "wheel",
        "-q",
        "--no-deps",
        "--no-build-isolation",
        "--disable-pip-version-check",
        "-w",
        wheels,
        source,
        cwd=tmp_path,
        env=dict(os.environ),
    )
    (built,) = wheels.glob("farlab-*.whl")
    return built


def test_the_wheel_holds_the_product_and_its_data_files_but_no_tests(wheel: Path) -> None:
    archive = zipfile.ZipFile(wheel)
    names = set(archive.namelist())
    versions = sorted(p.name for p in (ROOT / "persistence/migrations/versions").glob("*.py"))
    assert {f"persistence/migrations/versions/{v}" for v in versions} <= names
    assert {"persistence/migrations/env.py", "persistence/migrations/script.py.mako"} <= names
    assert {"console/demo_parts.csv", "console/demo_script.txt"} <= names
    assert {f"{p}/__init__.py" for p in PACKAGES} <= names
    assert not [n for n in names if n.startswith(("tests/", "bench/")) or "__pycache__" in n]
    entry_points = next(n for n in names if n.endswith("entry_points.txt"))
    assert "farlab = farlab.cli:main" in archive.read(entry_points).decode()


def test_the_installed_farlab_command_runs_from_another_directory(
    wheel: Path, tmp_path: Path
) -> None:
    venv = tmp_path / "venv"
    _run(sys.executable, "-m", "venv", "--without-pip", venv, cwd=tmp_path, env=dict(os.environ))
    python = venv / "bin" / "python"
    _run(
        sys.executable,
        "-m",
        "pip",
        "--python",
        python,
        "install",
        "-q",
        "--no-deps",
        "--no-index",
        "--disable-pip-version-check",
        wheel,
        cwd=tmp_path,
        env=dict(os.environ),
    )
    # The dependencies come from the test environment (only them: no source tree on the path).
    packages = Path(
        _run(
            python, "-c", "import site; print(site.getsitepackages()[0])", cwd=tmp_path, env={}
        ).strip()
    )
    (packages / "shared_dependencies.pth").write_text(site.getsitepackages()[0] + "\n")
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    env = {
        "PATH": f"{venv / 'bin'}:/usr/bin:/bin",
        "HOME": str(elsewhere),
        "DATABASE_URL": f"sqlite:///{elsewhere / 'lab.db'}",
    }

    where = _run(
        python, "-c", "import persistence; print(persistence.__file__)", cwd=elsewhere, env=env
    )
    assert where.startswith(str(venv))
    version = _pyproject()["project"]["version"]
    assert _run("farlab", "--version", cwd=elsewhere, env=env).strip() == f"farlab {version}"
    assert "newest schema" in _run("farlab", "migrate", cwd=elsewhere, env=env)
    engine = make_engine(f"sqlite:///{elsewhere / 'lab.db'}")
    assert schema_revision(engine) == newest_revision()
    engine.dispose()
    help_text = _run("farlab", "serve", "--help", cwd=elsewhere, env=env)
    assert help_text.startswith("usage: farlab serve")
    for default, variable in (
        ("127.0.0.1", "FARLAB_HOST"),
        ("8000", "FARLAB_PORT"),
        ("1", "FARLAB_WORKERS"),
    ):
        assert f"(default {default}; env {variable})" in " ".join(help_text.split())
