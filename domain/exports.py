"""Export FarLab's data as CSV (UTF-8 with a BOM, which Excel opens as UTF-8) or XLSX: parts,
instruments, links, the stock history and alerts. Parts, instruments and links files use
the import's own headers, so an export imports back to zero changes.

The file is written inside one read transaction (a consistent picture) to a temporary file
that stays in memory up to a few megabytes and then moves to disk, so any size exports at
constant memory; the caller streams it and closes it.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from datetime import date, datetime
from enum import StrEnum
from itertools import groupby
from tempfile import SpooledTemporaryFile
from typing import IO, Any

from domain.context import DomainContext
from domain.errors import InvalidInput
from domain.import_columns import INSTRUMENT_COLUMNS, LINK_COLUMNS, PART_COLUMNS, write_uses
from domain.permissions import Action, Actor, require
from domain.shopping_list import SHOPPING_HEADER, shopping_file_rows
from domain.table_files import FORMULA_STARTS
from persistence import exports as rows_of
from persistence.db import Session

IN_MEMORY_BYTES = 4 * 1024 * 1024
MEDIA_TYPES = {
    "csv": "text/csv; charset=utf-8",
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
}
# Spreadsheet programs run a cell starting with one of FORMULA_STARTS as a formula:
# exported text that starts so gets a leading apostrophe (which the import takes off).


class ExportKind(StrEnum):
    PARTS = "parts"
    INSTRUMENTS = "instruments"
    LINKS = "links"
    HISTORY = "history"
    ALERTS = "alerts"
    SHOPPING_LIST = "shopping-list"


HEADERS = {
    ExportKind.SHOPPING_LIST: SHOPPING_HEADER,
    ExportKind.PARTS: tuple(c.field for c in PART_COLUMNS),
    ExportKind.INSTRUMENTS: ("name", *(c.field for c in INSTRUMENT_COLUMNS[1:])),
    ExportKind.LINKS: tuple(c.field for c in LINK_COLUMNS),
    ExportKind.HISTORY: (
        "created_at",
        "part_number",
        "part_name",
        "change",
        "quantity_after",
        "source",
        "reason",
        "by",
        "instrument",
    ),
    ExportKind.ALERTS: (
        "id",
        "created_at",
        "kind",
        "severity",
        "status",
        "part_number",
        "instrument",
        "message",
        "raised_by",
        "acknowledged_at",
        "resolved_at",
        "resolution_note",
    ),
}


@dataclass
class ExportFile:
    file_name: str
    media_type: str
    rows: int
    content: IO[bytes]  # at its start; the caller closes it


def export_kind(value: str) -> ExportKind:
    try:
        return ExportKind(value.strip().lower())
    except ValueError:
        kinds = ", ".join(ExportKind)
        raise InvalidInput.field("kind", f"Export one of {kinds}, not {value!r}.") from None


def export_format(value: str) -> str:
    fmt = value.strip().lower()
    if fmt not in MEDIA_TYPES:
        raise InvalidInput.field("format", f"Export as csv or xlsx, not {value!r}.")
    return fmt


def export_file_name(ctx: DomainContext, *, kind: str, fmt: str = "csv") -> str:
    """``farlab-parts-2026-12-07.csv``: the name ``export_table`` gives the file today
    (``InvalidInput`` naming the field for an unknown kind or format)."""
    return f"farlab-{export_kind(kind).value}-{ctx.now():%Y-%m-%d}.{export_format(fmt)}"


def export_table(ctx: DomainContext, *, actor: Actor, kind: str, fmt: str = "csv") -> ExportFile:
    """The whole table of ``kind`` as a CSV or XLSX file (anyone who can view)."""
    require(actor, Action.VIEW)
    what, fmt = export_kind(kind), export_format(fmt)
    out: IO[bytes] = SpooledTemporaryFile(max_size=IN_MEMORY_BYTES)  # noqa: SIM115 - the caller closes it
    try:
        with ctx.transaction() as session:
            counted = _Counted(_rows(session, what))
            if fmt == "csv":
                write_csv(HEADERS[what], counted, out)
            else:
                write_xlsx(HEADERS[what], counted, out, title=what.value)
    except BaseException:
        out.close()
        raise
    out.seek(0)
    name = export_file_name(ctx, kind=what, fmt=fmt)
    return ExportFile(name, MEDIA_TYPES[fmt], counted.n, out)


class _Counted:
    def __init__(self, rows: Iterable[tuple[Any, ...]]) -> None:
        self.rows, self.n = rows, 0

    def __iter__(self) -> Iterator[tuple[Any, ...]]:
        for row in self.rows:
            self.n += 1
            yield row


def _rows(session: Session, kind: ExportKind) -> Iterator[tuple[Any, ...]]:
    if kind is ExportKind.PARTS:
        return _parts_with_uses(session)
    if kind is ExportKind.SHOPPING_LIST:
        return shopping_file_rows(session)
    source = {
        ExportKind.INSTRUMENTS: rows_of.instrument_rows,
        ExportKind.LINKS: rows_of.link_rows,
        ExportKind.HISTORY: rows_of.movement_rows,
        ExportKind.ALERTS: rows_of.alert_rows,
    }[kind]
    return source(session)


def _parts_with_uses(session: Session) -> Iterator[tuple[Any, ...]]:
    """Each part's row with its ``instruments`` cell: the parts and their links are two
    streams in part-id order, merged as they go, so memory stays flat at any size."""
    uses = groupby(rows_of.active_uses_by_part(session), key=lambda use: use[0])
    pending = next(uses, None)
    for part_id, *fields in rows_of.part_rows(session):
        while pending is not None and pending[0] < part_id:
            pending = next(uses, None)
        cell = ""
        if pending is not None and pending[0] == part_id:
            cell = write_uses([(name, quantity) for _, name, quantity in pending[1]])
            pending = next(uses, None)
        yield (*fields, cell)


def cell_text(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "yes" if value else "no"
    if isinstance(value, datetime):
        return value.isoformat().replace("+00:00", "Z")
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, str) and value.startswith(FORMULA_STARTS):
        return "'" + value
    return str(value)


def write_csv(header: tuple[str, ...], rows: Iterable[tuple[Any, ...]], out: IO[bytes]) -> None:
    text = io.TextIOWrapper(out, encoding="utf-8-sig", newline="")
    writer = csv.writer(text)
    writer.writerow(header)
    for row in rows:
        writer.writerow([cell_text(v) for v in row])
    text.flush()
    text.detach()


def write_xlsx(
    header: tuple[str, ...], rows: Iterable[tuple[Any, ...]], out: IO[bytes], *, title: str
) -> None:
    from openpyxl import Workbook  # only exports pay for it

    book = Workbook(write_only=True)
    sheet = book.create_sheet(title)
    sheet.append(header)
    for row in rows:
        sheet.append(
            [v if isinstance(v, int) and not isinstance(v, bool) else cell_text(v) for v in row]
        )
    book.save(out)
