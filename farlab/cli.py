"""``farlab`` (or ``python -m bot``): migrate, create-admin, seed-demo, import, export, console,
serve, backup, wait-for-database."""

from __future__ import annotations

import argparse
import getpass
import logging
import sys
from collections.abc import Sequence
from pathlib import Path

from domain.errors import DomainError
from farlab import database_cli, table_cli
from farlab.settings import Settings, SettingsError, load_settings
from farlab.version import farlab_version
from farlab.wiring import alert_schedule, build_context, configure_logging, prepare_schema
from persistence.db import DatabaseUnavailable
from persistence.migrate import upgrade

log = logging.getLogger("farlab")


def _parser(prog: str | None = None) -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog=prog, description="FarLab lab inventory.")
    parser.add_argument("--version", action="version", version=f"farlab {farlab_version()}")
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
    database_cli.add_commands(sub)
    serve = sub.add_parser(
        "serve",
        help="serve Slack, the REST API and health over HTTP",
        description="Serve Slack, the REST API and health over HTTP on one port.",
    )
    serve.add_argument("--host", help=_from_settings("the address to listen on", "farlab_host"))
    serve.add_argument("--port", type=int, help=_from_settings("the port", "farlab_port"))
    serve.add_argument(
        "--workers",
        type=_worker_count,
        metavar="N",
        help=_from_settings(
            "serve from N processes; above 1 needs PostgreSQL (SQLite is one "
            "writer). Each process runs the scheduler too, unless --no-scheduler: every job "
            "takes a PostgreSQL advisory lock, so it runs in one process at a time",
            "farlab_workers",
        ),
    )
    serve.add_argument(
        "--no-scheduler",
        action="store_true",
        help="do not run the scheduled jobs here (run `python -m scheduler` instead); "
        "default: run them, unless FARLAB_SCHEDULER=false",
    )
    return parser


def _from_settings(text: str, field: str) -> str:
    """An option's help: what it is, its default and the variable that changes the default."""
    return f"{text} (default {Settings.model_fields[field].default}; env {field.upper()})"


def _serve_defaults(args: argparse.Namespace, settings: Settings) -> None:
    """An option not given takes its value from the settings (FARLAB_HOST, ...)."""
    args.host = settings.farlab_host if args.host is None else args.host
    args.port = settings.farlab_port if args.port is None else args.port
    args.workers = settings.farlab_workers if args.workers is None else args.workers
    args.no_scheduler = args.no_scheduler or not settings.farlab_scheduler


def _worker_count(text: str) -> int:
    try:
        count = int(text)
    except ValueError:
        count = 0
    if count < 1:
        raise argparse.ArgumentTypeError(f"must be a whole number of 1 or more, not {text!r}")
    return count


def main(argv: Sequence[str] | None = None, prog: str | None = None) -> int:
    """Run one command; ``prog`` names the command line in its help (default: as called)."""
    args = _parser(prog).parse_args(argv)
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
        prepare_schema(settings, ctx)
        if args.password_stdin:
            password = sys.stdin.readline().rstrip("\n")
        else:
            password = getpass.getpass("Password for the new admin: ")
        print(admin_cli.create_admin(ctx, args, password))
        return 0
    if args.command == "seed-demo":
        ctx = build_context(settings)
        prepare_schema(settings, ctx)
        print(demo.seed_demo(ctx))
        return 0
    if args.command == "console":
        from console import quiet_logging, run_console

        quiet_logging()
        ctx = build_context(settings)
        prepare_schema(settings, ctx)
        if args.demo:
            print(demo.seed_demo(ctx))
        return run_console(
            ctx, as_user=args.as_user, script=args.script, schedule=alert_schedule(settings)
        )
    if args.command in database_cli.COMMANDS:
        return database_cli.run(args, settings)
    if args.command in ("import", "export"):
        from rich.console import Console

        ctx = build_context(settings)
        prepare_schema(settings, ctx)
        # Lines are not wrapped: a report piped to a file keeps one line per row.
        out = Console(stderr=args.command == "export" and args.output == "-", soft_wrap=True)
        run = table_cli.run_import if args.command == "import" else table_cli.run_export
        return run(ctx, args, out)
    if args.command == "serve":
        from farlab.web import serve

        _serve_defaults(args, settings)
        if args.workers > 1 and settings.database_url.startswith("sqlite:"):
            raise SettingsError(
                f"--workers {args.workers}: SQLite is one writer; "
                "use PostgreSQL (DATABASE_URL) for several workers"
            )
        ctx = build_context(settings, secret_required=True)
        prepare_schema(settings, ctx)
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
