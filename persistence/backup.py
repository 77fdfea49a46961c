"""Backups: an SQLite file copied with SQLite's online backup API, and the ``pg_dump`` and
``pg_restore`` lines for a PostgreSQL database (FarLab does not run those itself)."""

from __future__ import annotations

import os
import shlex
import sqlite3
from contextlib import closing
from dataclasses import dataclass
from pathlib import Path

from sqlalchemy.engine import URL, make_url


class BackupError(Exception):
    """The backup cannot be made; the message says why and what to do."""


def sqlite_database_file(url: str) -> Path | None:
    """The file an ``sqlite:///`` URL names, None for any other database; an in-memory
    SQLite database is refused."""
    parsed = make_url(url)
    if parsed.get_backend_name() != "sqlite":
        return None
    if parsed.database in (None, "", ":memory:"):
        raise BackupError("DATABASE_URL names an in-memory SQLite database: nothing to back up")
    return Path(str(parsed.database)).expanduser().absolute()


def backup_sqlite(source: Path, target: Path, *, overwrite: bool) -> int:
    """Copy the database ``source`` to ``target`` as one consistent snapshot, while other
    connections go on using it; return the backup's size in bytes.

    The copy is written beside ``target`` and moved there only when complete, so ``target``
    is never a half-written file; an existing ``target`` is replaced only if ``overwrite``.
    """
    if not source.is_file():
        raise BackupError(f"there is no database file at {source}")
    target = target.expanduser().absolute()
    if target.exists():
        if target.samefile(source):
            raise BackupError(f"{target} is the database itself: name another file")
        if not overwrite:
            raise BackupError(f"{target} exists: name another file, or pass --force to replace it")
    partial = target.with_name(f".{target.name}.partial-{os.getpid()}")
    try:
        # mode=rw: a missing file is an error, never a new empty database.
        with (
            closing(sqlite3.connect(f"{source.as_uri()}?mode=rw", uri=True)) as src,
            closing(sqlite3.connect(partial)) as dst,
        ):
            src.backup(dst)
        _move_into_place(partial, target, overwrite=overwrite)
    except sqlite3.Error as exc:
        raise BackupError(f"cannot back up {source} to {target}: {exc}") from None
    except OSError as exc:
        raise BackupError(f"cannot write {target}: {exc.strerror or exc}") from None
    finally:
        partial.unlink(missing_ok=True)
    return target.stat().st_size


def _move_into_place(partial: Path, target: Path, *, overwrite: bool) -> None:
    if overwrite:
        os.replace(partial, target)
        return
    try:  # a link fails if the name was taken meanwhile: nothing is ever overwritten
        os.link(partial, target)
    except FileExistsError:
        raise BackupError(f"{target} exists: name another file, or pass --force") from None


@dataclass(frozen=True)
class PostgresCommands:
    dump: str
    restore: str
    password_left_out: bool


def postgres_commands(url: str, target: str) -> PostgresCommands:
    """The ``pg_dump`` line that backs up the database ``url`` names to ``target`` (custom
    format) and the ``pg_restore`` line that restores it there. The password is left out
    of both (give it with ``PGPASSWORD`` or ``~/.pgpass``)."""
    parsed = make_url(url)
    address = URL.create(  # the same address, for libpq, without the password
        "postgresql",
        username=parsed.username,
        host=parsed.host,
        port=parsed.port,
        database=parsed.database,
        query=parsed.query,
    )
    conninfo = address.render_as_string(hide_password=False)
    dump = ["pg_dump", "--format=custom", f"--file={target}", f"--dbname={conninfo}"]
    restore = ["pg_restore", "--clean", "--if-exists", "--no-owner", f"--dbname={conninfo}"]
    return PostgresCommands(
        dump=shlex.join(dump),
        restore=shlex.join([*restore, target]),
        password_left_out=parsed.password is not None,
    )
