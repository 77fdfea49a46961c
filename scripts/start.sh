#!/usr/bin/env bash
# Install FarLab into .venv and start it on the embedded default (SQLite file farlab.db).
set -euo pipefail
cd "$(dirname "$0")/.."
PY=$(command -v python3.11 || command -v python3)
[ -x .venv/bin/python ] || "$PY" -m venv .venv
.venv/bin/python -m pip install -q --disable-pip-version-check -r requirements.txt
.venv/bin/python -m bot migrate
.venv/bin/python -m bot seed-demo
