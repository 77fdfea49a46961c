"""ids never reused (SQLite AUTOINCREMENT) and per-account security stamps

Revision ID: 0005
Revises: 0004
Create Date: 2026-12-07

- ``users.security_stamp``: a random value that an account's access tokens and links
  carry; a new one refuses them all. Every existing account gets a random one. Tokens and
  links made before this revision carry none and are refused: people sign in again, and
  admins send invitations again.
- SQLite: every table with an integer id is rebuilt with ``AUTOINCREMENT``, so that the id
  of a deleted row is never given to a new one (PostgreSQL's sequences never hand an id
  out twice: nothing to do there). The rebuild follows SQLite's own recipe: a new table
  made from the old one's stored ``CREATE TABLE`` with only its primary key changed, the
  rows copied, the old table dropped, the new one renamed, and the indexes made again from
  their stored SQL, so CHECK constraints, foreign keys, partial and expression indexes are
  kept as they were. Foreign keys are off while migrating (``env.py``); the rebuild ends
  with ``PRAGMA foreign_key_check``. SQLite never recorded ids freed before this revision
  above the highest one still in use; those can be given out once more, and the security
  stamp refuses whatever an old token or link says about them.

A later migration that rebuilds one of these tables on SQLite (``batch_alter_table`` with
a recreate) must keep the keyword: ``table_kwargs={"sqlite_autoincrement": True}``; Alembic
cannot read it back from the database and would drop it silently.
``tests/persistence/test_ids_never_reused.py`` fails if a table loses it.
"""

from __future__ import annotations

import re
import secrets
from collections.abc import Callable

import sqlalchemy as sa
from alembic import op

revision = "0005"
down_revision = "0004"
branch_labels = None
depends_on = None

# Tables whose integer ``id`` is their primary key, in the order they are rebuilt.
TABLES = (
    "users",
    "slack_identities",
    "instruments",
    "instrument_status_changes",
    "parts",
    "instrument_parts",
    "stock_movements",
    "alerts",
    "alert_routes",
    "login_failures",
)

_CREATE = re.compile(r'^CREATE TABLE\s+("?)(\w+)\1\s*\(')
_TABLE_PK = re.compile(r',\s*CONSTRAINT (\w+) PRIMARY KEY \("?id"?\)')
_ID_COLUMN = re.compile(r'(\n\s*"?id"? INTEGER NOT NULL)(?=,)')
_COLUMN_PK = re.compile(
    r'(\n\s*"?id"? INTEGER NOT NULL) CONSTRAINT (\w+) PRIMARY KEY AUTOINCREMENT'
)


def _one(pattern: re.Pattern[str], sql: str, table: str) -> re.Match[str]:
    found = list(pattern.finditer(sql))
    if len(found) != 1:
        raise RuntimeError(f"cannot rebuild {table}: unexpected CREATE TABLE {sql!r}")
    return found[0]


def _with_autoincrement(sql: str, table: str) -> str:
    """``id INTEGER NOT NULL CONSTRAINT pk_x PRIMARY KEY AUTOINCREMENT`` (column level:
    AUTOINCREMENT is allowed nowhere else), in place of the table-level primary key."""
    name = _one(_TABLE_PK, sql, table).group(1)
    sql = _TABLE_PK.sub("", sql)
    _one(_ID_COLUMN, sql, table)
    sql = _ID_COLUMN.sub(rf"\1 CONSTRAINT {name} PRIMARY KEY AUTOINCREMENT", sql)
    if table == "users":  # the stamps are filled in by now
        sql = re.sub(r"\bsecurity_stamp VARCHAR\(64\)", "security_stamp VARCHAR(64) NOT NULL", sql)
    return sql


def _without_autoincrement(sql: str, table: str) -> str:
    """The table-level primary key again, as revision 0004 made it."""
    name = _one(_COLUMN_PK, sql, table).group(2)
    sql = _COLUMN_PK.sub(r"\1", sql)
    end = sql.rstrip().rindex(")")
    return f"{sql[:end].rstrip()}, \n\tCONSTRAINT {name} PRIMARY KEY (id)\n)"


def _rebuild(table: str, change: Callable[[str, str], str]) -> None:
    """Make ``table`` again from its own stored SQL, changed by ``change``, with its rows."""
    conn = op.get_bind()
    create = conn.execute(
        sa.text("SELECT sql FROM sqlite_master WHERE type = 'table' AND name = :t"), {"t": table}
    ).scalar_one()
    extras = list(
        conn.execute(
            sa.text(
                "SELECT sql FROM sqlite_master WHERE tbl_name = :t "
                "AND type IN ('index', 'trigger') AND sql IS NOT NULL ORDER BY rowid"
            ),
            {"t": table},
        ).scalars()
    )
    columns = ", ".join(
        f'"{row[1]}"' for row in conn.exec_driver_sql(f'PRAGMA table_info("{table}")')
    )
    temp = f"_rebuild_{table}"
    _one(_CREATE, create, table)
    conn.exec_driver_sql(change(_CREATE.sub(f'CREATE TABLE "{temp}" (', create), table))
    copy = f'INSERT INTO "{temp}" ({columns}) SELECT {columns} FROM "{table}"'  # noqa: S608
    conn.exec_driver_sql(copy)
    conn.exec_driver_sql(f'DROP TABLE "{table}"')
    conn.exec_driver_sql(f'ALTER TABLE "{temp}" RENAME TO "{table}"')
    for sql in extras:
        conn.exec_driver_sql(sql)


def _check_foreign_keys() -> None:
    broken = op.get_bind().exec_driver_sql("PRAGMA foreign_key_check").fetchall()
    if broken:
        raise RuntimeError(f"foreign keys broken by the rebuild: {broken[:5]}")


def _fill_stamps() -> None:
    users = sa.table("users", sa.column("id", sa.Integer), sa.column("security_stamp"))
    conn = op.get_bind()
    for user_id in conn.execute(sa.select(users.c.id)).scalars().all():
        stamp = secrets.token_urlsafe(24)
        conn.execute(users.update().where(users.c.id == user_id).values(security_stamp=stamp))


def upgrade() -> None:
    op.add_column("users", sa.Column("security_stamp", sa.String(length=64), nullable=True))
    _fill_stamps()
    if op.get_bind().dialect.name == "sqlite":
        for table in TABLES:
            _rebuild(table, _with_autoincrement)
        _check_foreign_keys()
    else:
        op.alter_column(
            "users", "security_stamp", existing_type=sa.String(length=64), nullable=False
        )


def downgrade() -> None:
    op.drop_column("users", "security_stamp")
    if op.get_bind().dialect.name == "sqlite":
        for table in TABLES:
            _rebuild(table, _without_autoincrement)
        _check_foreign_keys()
