#!/usr/bin/env bash
# Install FarLab into .venv and start it on the embedded default (SQLite file farlab.db).
# Without a Slack bot token (in the environment or .env): the offline Slack console over the
# demo lab. With one: the Slack app, REST API and health over HTTP. Extra arguments go to
# `python -m bot console` or `python -m bot serve`.
set -euo pipefail
cd "$(dirname "$0")/.."
PY=$(command -v python3.11 || command -v python3)
[ -x .venv/bin/python ] || "$PY" -m venv .venv
.venv/bin/python -m pip install -q --disable-pip-version-check -r requirements.txt
if [ -z "${SLACK_BOT_TOKEN:-}" ] && ! grep -qsiE '^[[:space:]]*SLACK_BOT_TOKEN=.' .env; then
    exec .venv/bin/python -m bot console --demo "$@"
fi
exec .venv/bin/python -m bot serve "$@"
