"""``python -m bot``: migrate, create-admin, seed-demo, import, export, console, serve."""

from __future__ import annotations

import argparse
import getpass
import logging
import sys
from collections.abc import Sequence
from pathlib import Path

from domain.errors import DomainError
from farlab import table_cli
from farlab.settings import Settings, SettingsError, load_settings
from farlab.wiring import alert_schedule, build_context, configure_logging
from persistence.db import DatabaseUnavailable
from persistence.migrate import upgrade

log = logging.getLogger("farlab")


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="python -m bot", description="FarLab lab inventory.")
    sub = parser.add_subparsers(dest="command", required=True)
    sub.add_parser("migrate", help="upgrade the database to the newest schema")
    admin = sub.add_parser("create-admin", help="create the first admin account")
    admin.add_argument("--username", required=True)
    admin.add_argument("--email", required=True)
    admin.add_argument("--first-name", default="Lab")
    admin.add_argument("--last-name", default="Admin")
    admin.add_argument("--slack-team-id")
    admin.add_argument("--slack-user-id")
    admin.add_argument(
        "--password-stdin", action="store_true", help="read the password from standard input"
    )
    sub.add_parser("seed-demo", help="fill the database with a demo lab")
    console = sub.add_parser("console", help="a terminal Slack over the real bot, offline")
    console.add_argument("--demo", action="store_true", help="seed the demo lab first")
    console.add_argument("--as", dest="as_user", metavar="USERNAME", help="act as this account")
    console.add_argument("--script", type=Path, metavar="FILE", help="play a transcript")
    table_cli.add_commands(sub)
    serve = sub.add_parser(
        "serve",
        help="serve Slack, the REST API and health over HTTP",
        description="Serve Slack, the REST API and health over HTTP on one port.",
    )
    serve.add_argument("--host", default="127.0.0.1")
    serve.add_argument("--port", type=int, default=8000)
    serve.add_argument(
        "--workers",
        type=_worker_count,
        default=1,
        metavar="N",
        help="serve from N processes (default 1); above 1 needs PostgreSQL (SQLite is one "
        "writer). Each process runs the scheduler too, unless --no-scheduler: every job "
        "takes a PostgreSQL advisory lock, so it runs in one process at a time",
    )
    serve.add_argument(
        "--no-scheduler",
        action="store_true",
        help="do not run the scheduled jobs here (run `python -m scheduler` instead)",
    )
    return parser


def _worker_count(text: str) -> int:
    try:
        count = int(text)
    except ValueError:
        count = 0
    if count < 1:
        raise argparse.ArgumentTypeError(f"must be a whole number of 1 or more, not {text!r}")
    return count


def main(argv: Sequence[str] | None = None) -> int:
    args = _parser().parse_args(argv)
    try:
        settings = load_settings()
    except SettingsError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 2
    configure_logging(settings)
    try:
        return _run(args, settings)
    except SettingsError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 2
    except (DomainError, DatabaseUnavailable) as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 1


def _run(args: argparse.Namespace, settings: Settings) -> int:
    from console import demo
    from farlab import admin_cli

    if args.command == "migrate":
        ctx = build_context(settings)
        upgrade(ctx.db.engine)
        print(f"Database is at the newest schema ({ctx.db.engine.url.render_as_string()}).")
        return 0
    if args.command == "create-admin":
        ctx = build_context(settings)
        upgrade(ctx.db.engine)
        if args.password_stdin:
            password = sys.stdin.readline().rstrip("\n")
        else:
            password = getpass.getpass("Password for the new admin: ")
        print(admin_cli.create_admin(ctx, args, password))
        return 0
    if args.command == "seed-demo":
        ctx = build_context(settings)
        upgrade(ctx.db.engine)
        print(demo.seed_demo(ctx))
        return 0
    if args.command == "console":
        from console import quiet_logging, run_console

        quiet_logging()
        ctx = build_context(settings)
        upgrade(ctx.db.engine)
        if args.demo:
            print(demo.seed_demo(ctx))
        return run_console(
            ctx, as_user=args.as_user, script=args.script, schedule=alert_schedule(settings)
        )
    if args.command in ("import", "export"):
        from rich.console import Console

        ctx = build_context(settings)
        upgrade(ctx.db.engine)
        # Lines are not wrapped: a report piped to a file keeps one line per row.
        out = Console(stderr=args.command == "export" and args.output == "-", soft_wrap=True)
        run = table_cli.run_import if args.command == "import" else table_cli.run_export
        return run(ctx, args, out)
    if args.command == "serve":
        from farlab.web import serve

        if args.workers > 1 and settings.database_url.startswith("sqlite:"):
            raise SettingsError(
                f"--workers {args.workers}: SQLite is one writer; "
                "use PostgreSQL (DATABASE_URL) for several workers"
            )
        ctx = build_context(settings, secret_required=True)
        upgrade(ctx.db.engine)
        serve(
            settings,
            ctx,
            host=args.host,
            port=args.port,
            with_scheduler=not args.no_scheduler,
            workers=args.workers,
        )
        return 0
    raise AssertionError(args.command)
