"""Planning an import: what each row of a file creates or changes, what is wrong with it,
and (once nothing is) the writes, made by ``apply`` in the caller's transaction.

A plan reads what it needs a thousand rows at a time and keeps the rows it will write, so
the preview and the commit see the same thing and the commit never asks per row.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from domain.errors import InvalidInput
from domain.import_columns import CellError, Column, read_cell
from domain.table_files import Table
from persistence import imports as rows_of
from persistence.db import Session


@dataclass(frozen=True)
class FieldChange:
    field: str
    old: str
    new: str


@dataclass(frozen=True)
class RowPlan:
    row: int
    key: str
    action: str  # "create" or "change"
    changes: tuple[FieldChange, ...] = ()


@dataclass(frozen=True)
class RowError:
    row: int | None  # None: the file as a whole
    column: str | None
    message: str


@dataclass(frozen=True)
class ImportReport:
    kind: str
    file_name: str
    rows: int
    created: tuple[RowPlan, ...]
    changed: tuple[RowPlan, ...]
    unchanged: int
    deactivated: tuple[str, ...]
    errors: tuple[RowError, ...]
    ignored_columns: tuple[str, ...]
    applied: bool = False

    @property
    def changes_anything(self) -> bool:
        return bool(self.created or self.changed or self.deactivated)


def shown(value: object) -> str:
    """A value as a report shows it."""
    if value is None or value == "":
        return "(empty)"
    if isinstance(value, bool):
        return "yes" if value else "no"
    if hasattr(value, "isoformat"):
        return str(value.isoformat())
    return str(value)


@dataclass
class Plan:
    """What every kind's plan has in common: the file, its columns, the report so far."""

    session: Session
    table: Table
    columns: dict[int, Column]
    now: datetime
    actor_id: int | None
    deactivate_missing: bool = False
    errors: list[RowError] = field(default_factory=list)
    created: list[RowPlan] = field(default_factory=list)
    changed: list[RowPlan] = field(default_factory=list)
    deactivated: list[str] = field(default_factory=list)
    unchanged: int = 0
    seen: dict[str, int] = field(default_factory=dict)
    stock_moves: int = 0  # ledger rows written by ``apply``
    # Told (rows checked, rows in all) every thousand rows, e.g. for a progress bar.
    progress: Callable[[int, int], None] | None = None

    @property
    def reason(self) -> str:
        return f"Import of {self.table.file_name}"[:500]

    def error(self, row: int | None, column: str | None, message: str) -> None:
        self.errors.append(RowError(row, column, message))

    def header_of(self, field_name: str) -> str:
        for position, column in self.columns.items():
            if column.field == field_name:
                return self.table.header[position]
        return field_name

    def values(self) -> list[tuple[int, dict[str, Any]]]:
        """Each row's values by column field (an empty cell is ``None``); a row with a
        bad cell is left out, its errors reported."""
        read = []
        total = len(self.table.rows)
        for done, row in enumerate(self.table.rows):
            if self.progress is not None and done % 1000 == 0:
                self.progress(done, total)
            before = len(self.errors)
            values: dict[str, Any] = {}
            for position, column in self.columns.items():
                text = row.cells[position] if position < len(row.cells) else ""
                if not text:
                    values[column.field] = None
                    continue
                try:
                    values[column.field] = read_cell(column, text)
                except CellError as problem:
                    self.error(row.number, self.table.header[position], str(problem))
            if len(self.errors) == before:
                read.append((row.number, values))
        if self.progress is not None:
            self.progress(total, total)
        return read

    def first_time(self, row: int, key: str, shown_key: str) -> bool:
        """False (and an error naming both rows) when ``key`` was in an earlier row."""
        earlier = self.seen.setdefault(key.lower(), row)
        if earlier != row:
            self.error(row, None, f"{shown_key} is in rows {earlier} and {row}; keep one.")
            return False
        return True

    def cleaned(self, row: int, clean: Any, fields: dict[str, Any], names: dict[str, str]) -> bool:
        """Check ``fields`` with the domain's rules (``clean``); errors name the column."""
        try:
            fields.update(clean(fields))
        except InvalidInput as problem:
            for attr, message in (problem.errors or {"": str(problem)}).items():
                self.error(row, self.header_of(names.get(attr, attr)), message)
            return False
        return True

    def record(self, row: int, key: str, changes: list[FieldChange], *, new: bool) -> None:
        if new:
            self.created.append(RowPlan(row, key, "create", tuple(changes)))
        elif changes:
            self.changed.append(RowPlan(row, key, "change", tuple(changes)))
        else:
            self.unchanged += 1

    def report(self, kind: str, ignored: list[str], *, applied: bool = False) -> ImportReport:
        errors = sorted(self.errors, key=lambda e: (e.row or 0, e.column or ""))
        return ImportReport(
            kind=kind,
            file_name=self.table.file_name,
            rows=len(self.table.rows),
            created=tuple(self.created),
            changed=tuple(self.changed),
            unchanged=self.unchanged,
            deactivated=tuple(self.deactivated),
            errors=tuple(errors),
            ignored_columns=tuple(ignored),
            applied=applied,
        )


def updates_of(row: Any, wanted: dict[str, Any], names: dict[str, str]) -> list[FieldChange]:
    """The fields of ``row`` that ``wanted`` changes, as the report shows them."""
    return [
        FieldChange(names.get(attr, attr), shown(getattr(row, attr)), shown(value))
        for attr, value in wanted.items()
        if getattr(row, attr) != value
    ]


def add_new(session: Session, rows: list[Any]) -> None:
    rows_of.add_all(session, rows)
