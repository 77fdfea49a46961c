"""The columns of FarLab's import and export files: their headers (FarLab's own export
headers, and the names labs commonly give them), and how a cell's text becomes a value.

A header is matched case-insensitively, with ``_``, ``-`` and repeated spaces read as one
space. A header that matches nothing is reported to the person, never silently dropped.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date
from enum import StrEnum

from domain.validation import MAX_QUANTITY
from domain.vocabulary import InstrumentStatus


class Kind(StrEnum):
    PARTS = "parts"
    INSTRUMENTS = "instruments"
    LINKS = "links"


class CellError(ValueError):
    """A cell's text is not a value of its column; the message says why, for people."""


@dataclass(frozen=True)
class Column:
    """``field``: the export header and the key rows are read into. ``kind`` says how a
    cell is read: text, count (0..100,000), positive, flag, date, status, days, uses."""

    field: str
    kind: str = "text"
    synonyms: tuple[str, ...] = ()
    required: bool = False


PART_COLUMNS = (
    Column(
        "part_number",
        synonyms=(
            "part no",
            "part no.",
            "part number",
            "part #",
            "pn",
            "p/n",
            "part",
            "item number",
            "item no",
            "item no.",
            "sku",
            "catalog number",
            "catalogue number",
            "cat no",
            "cat. no.",
            "article number",
            "number",
        ),
        required=True,
    ),
    Column("name", synonyms=("part name", "item", "item name", "title")),
    Column("description", synonyms=("details", "long description")),
    Column("category", synonyms=("type", "group", "part type")),
    Column("manufacturer", synonyms=("maker", "brand", "mfr", "make")),
    Column("unit", synonyms=("unit of measure", "unit_of_measure", "uom", "units")),
    Column("location", synonyms=("storage", "storage location", "place", "shelf", "bin")),
    Column(
        "quantity_in_stock",
        "count",
        synonyms=(
            "quantity",
            "qty",
            "on hand",
            "qty on hand",
            "quantity on hand",
            "stock",
            "in stock",
            "stock level",
            "current stock",
            "amount",
        ),
    ),
    Column(
        "minimum_stock_level",
        "count",
        synonyms=(
            "minimum",
            "min",
            "min stock",
            "minimum stock",
            "min qty",
            "minimum quantity",
            "reorder level",
            "reorder point",
            "par level",
            "safety stock",
        ),
    ),
    Column("critical", "flag", synonyms=("is critical", "is_critical")),
    Column("active", "flag", synonyms=("is active", "is_active")),
    Column("instruments", "uses", synonyms=("instrument", "used by", "used in", "used on")),
)

INSTRUMENT_COLUMNS = (
    Column("name", synonyms=("instrument", "instrument name"), required=True),
    Column("model", synonyms=("model number", "type")),
    Column("manufacturer", synonyms=("maker", "brand", "mfr", "make", "vendor")),
    Column("serial_number", synonyms=("serial", "serial no", "serial no.", "s/n", "sn")),
    Column("location", synonyms=("room", "lab", "place")),
    Column("description", synonyms=("details", "notes")),
    Column("status", "status", synonyms=("state",)),
    Column("next_maintenance_due", "date", synonyms=("maintenance due", "next maintenance")),
    Column("next_calibration_due", "date", synonyms=("calibration due", "next calibration")),
    Column("maintenance_interval_days", "days", synonyms=("maintenance interval",)),
    Column("calibration_interval_days", "days", synonyms=("calibration interval",)),
    Column("active", "flag", synonyms=("is active", "is_active")),
)

LINK_COLUMNS = (
    Column("instrument", synonyms=("instrument name", "instruments"), required=True),
    Column(
        "part_number",
        synonyms=("part no", "part no.", "part number", "part #", "pn", "p/n", "part", "sku"),
        required=True,
    ),
    Column("quantity_required", "positive", synonyms=("quantity", "qty", "qty required", "needs")),
    Column("critical", "flag", synonyms=("is critical", "is_critical")),
)

COLUMNS = {Kind.PARTS: PART_COLUMNS, Kind.INSTRUMENTS: INSTRUMENT_COLUMNS, Kind.LINKS: LINK_COLUMNS}

_SPACES = re.compile(r"[\s_\-]+")
_TRUE = {"yes", "y", "true", "1", "x", "✓", "ja", "oui", "si", "sí"}
_FALSE = {"no", "n", "false", "0", "nein", "non"}
_WHOLE = re.compile(r"[+]?\d+(\.0*)?")


def header_key(text: str) -> str:
    return _SPACES.sub(" ", text.strip().casefold()).strip()


def match_header(kind: Kind, header: tuple[str, ...]) -> tuple[dict[int, Column], list[str]]:
    """(position -> column) for the headers that name a column, and the headers that name
    none (empty headers of empty columns are not counted). A column named twice is an
    error."""
    names: dict[str, Column] = {}
    for column in COLUMNS[kind]:
        for name in (column.field, *column.synonyms):
            names.setdefault(header_key(name), column)
    found: dict[int, Column] = {}
    unknown: list[str] = []
    seen: dict[str, str] = {}
    for position, text in enumerate(header):
        matched = names.get(header_key(text))
        if matched is None:
            if text.strip():
                unknown.append(text)
            continue
        if matched.field in seen:
            raise CellError(
                f"The columns {seen[matched.field]!r} and {text!r} both mean {matched.field}; "
                "keep one."
            )
        seen[matched.field] = text
        found[position] = matched
    return found, unknown


def read_cell(column: Column, text: str) -> object:
    """The value of a non-empty cell, or ``CellError`` saying why it is not one."""
    if column.kind == "text":
        return text
    if column.kind in ("count", "positive", "days"):
        return _whole(column, text)
    if column.kind == "flag":
        return _flag(text)
    if column.kind == "date":
        try:
            return date.fromisoformat(text[:10])
        except ValueError:
            raise CellError(f"{text!r} is not a date; write it as 2027-01-31.") from None
    if column.kind == "status":
        value = header_key(text).replace(" ", "_")
        if value not in tuple(InstrumentStatus):
            raise CellError(
                f"{text!r} is not a status: operational, maintenance or out of service."
            )
        return value
    if column.kind == "uses":
        return read_uses(text)
    raise AssertionError(column.kind)


def _whole(column: Column, text: str) -> int:
    compact = text.replace(" ", "")
    if compact.startswith("-") and _WHOLE.fullmatch(compact[1:]):
        raise CellError(f"{text!r} is negative; write 0 or more.")
    if not _WHOLE.fullmatch(compact):
        try:
            float(compact)
        except ValueError:
            raise CellError(f"{text!r} is not a number.") from None
        raise CellError(f"{text!r} is not a whole number; FarLab counts whole units.")
    value = int(compact.split(".")[0])
    low, high = {"count": (0, MAX_QUANTITY), "positive": (1, MAX_QUANTITY), "days": (1, 3650)}[
        column.kind
    ]
    if not low <= value <= high:
        raise CellError(f"{value:,} is out of range: {low:,} to {high:,}.")
    return value


def _flag(text: str) -> bool:
    key = text.strip().casefold()
    if key in _TRUE:
        return True
    if key in _FALSE:
        return False
    raise CellError(f"{text!r} is not yes or no.")


def read_uses(text: str) -> tuple[tuple[str, int], ...]:
    """``MAT253; Kiel IV:2`` -> ((MAT253, 1), (Kiel IV, 2)): instrument names separated
    by ``;`` (or new lines), each with an optional ``:quantity`` needed."""
    uses: list[tuple[str, int]] = []
    for item in re.split(r"[;\n]", text):
        item = item.strip()
        if not item:
            continue
        name, quantity = item, 1
        head, sep, tail = item.rpartition(":")
        if sep and tail.strip().isdigit():
            name, quantity = head.strip(), int(tail.strip())
            if not 1 <= quantity <= MAX_QUANTITY:
                raise CellError(f"{item!r}: the quantity needed must be 1 to {MAX_QUANTITY:,}.")
        if not name:
            raise CellError(f"{item!r} names no instrument.")
        uses.append((name, quantity))
    return tuple(uses)


def write_uses(uses: list[tuple[str, int]]) -> str:
    return "; ".join(name if quantity == 1 else f"{name}:{quantity}" for name, quantity in uses)
