"""``farlab backup FILE`` and ``farlab wait-for-database``: the database, seen from outside.

``backup`` copies an SQLite database with SQLite's online backup API (FarLab may go on
running); for PostgreSQL it prints the ``pg_dump`` and ``pg_restore`` lines to use.
``wait-for-database`` tries to connect until the database answers or the time is up (the
container's start script runs it before anything else).
"""

from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path
from typing import Any

from sqlalchemy.engine import make_url

from farlab.settings import Settings
from persistence.backup import BackupError, backup_sqlite, postgres_commands, sqlite_database_file
from persistence.db import Database, DatabaseUnavailable

COMMANDS = ("backup", "wait-for-database")
RETRY_SECONDS = 1.0


def add_commands(sub: Any) -> None:
    backup = sub.add_parser(
        "backup",
        help="back up the database to FILE (SQLite), or print the pg_dump line (PostgreSQL)",
    )
    backup.add_argument("file", type=Path, metavar="FILE")
    backup.add_argument("--force", action="store_true", help="replace FILE if it exists")
    wait = sub.add_parser(
        "wait-for-database", help="wait until the database answers (at most --timeout seconds)"
    )
    wait.add_argument("--timeout", type=_seconds, default=60.0, help="seconds (default 60)")


def _seconds(text: str) -> float:
    try:
        value = float(text)
    except ValueError:
        value = -1
    if not 0 <= value <= 3600:
        raise argparse.ArgumentTypeError(
            f"must be a number of seconds from 0 to 3600, not {text!r}"
        )
    return value


def run(args: argparse.Namespace, settings: Settings) -> int:
    if args.command == "backup":
        return _backup(settings.database_url, args.file, force=args.force)
    return wait_for_database(settings.database_url, args.timeout)


def _backup(url: str, target: Path, *, force: bool) -> int:
    try:
        source = sqlite_database_file(url)
        if source is not None:
            size = backup_sqlite(source, target, overwrite=force)
            print(f"Backed up {source} to {target.absolute()} ({size:,} bytes).")
            return 0
    except BackupError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 1
    lines = postgres_commands(url, str(target))
    print("FarLab does not dump PostgreSQL itself. Back up with:\n")
    print(f"    {lines.dump}\n")
    print("and restore (into an empty database, or replacing FarLab's tables) with:\n")
    print(f"    {lines.restore}\n")
    if lines.password_left_out:
        print("The password in DATABASE_URL is left out: give it in PGPASSWORD or ~/.pgpass.")
    return 0


def wait_for_database(url: str, timeout: float) -> int:
    """0 once the database answers; 1 with the last reason once ``timeout`` has passed."""
    deadline = time.monotonic() + timeout
    shown = make_url(url).render_as_string(hide_password=True)
    while True:
        left = deadline - time.monotonic()
        db = Database.from_url(_with_connect_timeout(url, left))
        try:
            db.check_available()
            print(f"The database answers ({shown}).")
            return 0
        except DatabaseUnavailable as exc:
            reason = exc.reason
        finally:
            db.dispose()
        left = deadline - time.monotonic()
        if left < RETRY_SECONDS:
            print(
                f"error: no answer from the database within {timeout:g} s: {reason}",
                file=sys.stderr,
            )
            return 1
        print(f"Waiting for the database ({reason}); {left:.0f} s left.", file=sys.stderr)
        time.sleep(RETRY_SECONDS)


def _with_connect_timeout(url: str, left: float) -> str:
    """PostgreSQL: one attempt gives up when the time is up (libpq's connect_timeout)."""
    parsed = make_url(url)
    if parsed.get_backend_name() != "postgresql" or "connect_timeout" in parsed.query:
        return url
    seconds = str(max(2, min(10, int(left))))  # libpq takes whole seconds, 2 at least
    return parsed.update_query_dict({"connect_timeout": seconds}).render_as_string(
        hide_password=False
    )
