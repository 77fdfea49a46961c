"""FarLab's version: the source checkout's ``pyproject.toml`` when this code runs from one,
else the installed package's metadata."""

from __future__ import annotations

import tomllib
from importlib import metadata
from pathlib import Path

PYPROJECT = Path(__file__).resolve().parent.parent / "pyproject.toml"


def farlab_version() -> str:
    try:
        with PYPROJECT.open("rb") as file:
            project = tomllib.load(file).get("project", {})
        if project.get("name") == "farlab":
            return str(project["version"])
    except (OSError, KeyError, tomllib.TOMLDecodeError):
        pass
    try:
        return metadata.version("farlab")
    except metadata.PackageNotFoundError:
        return "unknown"
