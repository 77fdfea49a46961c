"""``python -m scheduler``: the scheduler on its own.

    python -m scheduler                  run the jobs on their schedule until stopped
    python -m scheduler run-once [job]   run every job (or one) now, then exit

Run it beside ``python -m bot serve --no-scheduler`` (or with several serve processes
against one PostgreSQL: each job runs in one process at a time either way).
"""

from __future__ import annotations

import argparse
import signal
import sys
import threading
from collections.abc import Sequence
from typing import Any

from farlab.settings import SettingsError, load_settings
from farlab.wiring import (
    build_client,
    build_context,
    build_scheduler,
    configure_logging,
    prepare_schema,
)
from persistence.db import DatabaseUnavailable
from scheduler.jobs import JOB_IDS


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="python -m scheduler", description=__doc__.split("\n")[0])
    sub = parser.add_subparsers(dest="command")
    once = sub.add_parser("run-once", help="run the jobs (or one job) now, then exit")
    once.add_argument("job", nargs="?", choices=JOB_IDS)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    args = _parser().parse_args(argv)
    try:
        settings = load_settings()
        if settings.slack_bot_token is None:
            raise SettingsError("SLACK_BOT_TOKEN is required to post alerts to Slack")
    except SettingsError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 2
    configure_logging(settings)
    try:
        ctx = build_context(settings)
        prepare_schema(settings, ctx)
    except DatabaseUnavailable as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 1
    client = build_client(
        settings.slack_bot_token.get_secret_value(), base_url=settings.slack_api_url
    )
    scheduler = build_scheduler(settings, ctx, client)
    if args.command == "run-once":
        outcomes = scheduler.run_once((args.job,) if args.job else JOB_IDS)
        for outcome in outcomes:
            print(f"{outcome.job_id}: {outcome.status}: {outcome.detail}")
        return 1 if any(o.status == "failed" for o in outcomes) else 0
    stop = threading.Event()

    def on_signal(_signum: int, _frame: Any) -> None:
        stop.set()

    signal.signal(signal.SIGTERM, on_signal)
    signal.signal(signal.SIGINT, on_signal)
    scheduler.start()
    stop.wait()
    scheduler.shutdown()
    ctx.db.dispose()
    return 0
