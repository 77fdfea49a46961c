"""The composition root's tests: settings, the command lines and real ``serve`` processes."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from farlab.settings import Settings


@pytest.fixture
def clean_env(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> Path:
    """No FarLab variables from the surrounding environment and no ``.env`` to read."""
    for name in list(os.environ):
        if name.lower() in Settings.model_fields:
            monkeypatch.delenv(name)
    monkeypatch.chdir(tmp_path)
    monkeypatch.setenv("DATABASE_URL", f"sqlite:///{tmp_path / 'farlab.db'}")
    return tmp_path
