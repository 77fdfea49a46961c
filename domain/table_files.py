"""Reading a spreadsheet a lab already has: CSV in the encodings and separators Excel and
other tools write, or XLSX; into a header and rows of text.

Nothing here knows what the columns mean (``domain.import_columns`` does). Every refusal is
an ``InvalidInput`` naming the file's problem in words a lab manager understands.
"""

from __future__ import annotations

import codecs
import csv
import io
import zipfile
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

from domain.errors import InvalidInput

MAX_FILE_BYTES = 20 * 1024 * 1024
MAX_ROWS = 200_000
SEPARATORS = (",", ";", "\t")
FORMULA_STARTS = ("=", "+", "-", "@")
# Magic numbers of files people upload by mistake, named in the refusal.
_NOT_A_TABLE = {
    b"%PDF": "a PDF document",
    b"\x89PNG": "a PNG image",
    b"\xff\xd8\xff": "a JPEG image",
    b"GIF8": "a GIF image",
    b"\xd0\xcf\x11\xe0": "an old Excel (.xls) or Word file: save it as .xlsx or CSV",
}


@dataclass(frozen=True)
class TableRow:
    number: int  # as the person sees it: the header is row 1
    cells: tuple[str, ...]


@dataclass(frozen=True)
class Table:
    """A file's header and its non-empty rows, every cell as text (stripped)."""

    file_name: str
    header: tuple[str, ...]
    rows: tuple[TableRow, ...]


def read_table(data: bytes, file_name: str, *, sheet: str | None = None) -> Table:
    """The header and rows of a CSV or XLSX file (the format is told by its content, not
    its name); the first sheet of a workbook unless ``sheet`` names one."""
    if len(data) > MAX_FILE_BYTES:
        raise InvalidInput.field(
            "file", f"The file is {len(data) / 1e6:.1f} MB; files up to 20 MB can be imported."
        )
    if not data.strip():
        raise InvalidInput.field("file", "The file is empty.")
    for magic, what in _NOT_A_TABLE.items():
        if data.startswith(magic):
            raise InvalidInput.field("file", f"This is {what}, not a CSV or XLSX file.")
    if data.startswith(b"PK\x03\x04"):
        lines = _xlsx_lines(data, sheet)
    else:
        if sheet is not None:
            raise InvalidInput.field("sheet", "Only XLSX workbooks have sheets.")
        lines = _csv_lines(_decode(data))
    return _table(file_name, lines)


def _table(file_name: str, lines: Iterator[tuple[int, list[str]]]) -> Table:
    header: tuple[str, ...] | None = None
    rows: list[TableRow] = []
    for number, raw in lines:
        cells = [_unguarded(cell.strip()) for cell in raw]
        while cells and not cells[-1]:
            cells.pop()  # trailing empty columns
        if not cells:
            continue  # empty rows, trailing ones included
        if header is None:
            header = tuple(cells)
            continue
        if len(rows) >= MAX_ROWS:
            raise InvalidInput.field(
                "file", f"The file has more than {MAX_ROWS:,} rows; split it into smaller files."
            )
        rows.append(TableRow(number, tuple(cells)))
    if header is None:
        raise InvalidInput.field("file", "The file has no header row and no rows.")
    if not rows:
        raise InvalidInput.field("file", "The file has a header row but no rows below it.")
    return Table(file_name=file_name, header=header, rows=tuple(rows))


def _unguarded(cell: str) -> str:
    """A cell without the apostrophe an export puts before text that a spreadsheet would
    run as a formula (``'=x`` is the text ``=x``)."""
    return cell[1:] if cell[:1] == "'" and cell[1:2] in FORMULA_STARTS else cell


def _decode(data: bytes) -> str:
    """Text of a CSV file: UTF-8 (with or without BOM), or UTF-16 with its BOM, as Excel's
    "Unicode text" writes it."""
    if data.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        try:
            return data.decode("utf-16")
        except UnicodeDecodeError:
            raise InvalidInput.field("file", "The file says it is UTF-16 but is not.") from None
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        if b"\x00" in data[:4096]:
            raise InvalidInput.field("file", "This is not a CSV or XLSX file.") from None
        raise InvalidInput.field(
            "file",
            f"The file is not UTF-8 text (byte {exc.start + 1}): save it as "
            '"CSV UTF-8" or as XLSX.',
        ) from None
    if "\x00" in text or sum(not (c.isprintable() or c in "\r\n\t") for c in text[:4096]) > 8:
        raise InvalidInput.field("file", "This is not a CSV or XLSX file.")
    return text


def _csv_lines(text: str) -> Iterator[tuple[int, list[str]]]:
    """Rows of CSV text with their line numbers, the separator found from the first line
    (comma, semicolon or tab: whichever splits it into the most columns outside quotes)."""
    first = text.split("\n", 1)[0]
    separator = max(SEPARATORS, key=lambda s: len(next(csv.reader([first], delimiter=s))))
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=separator, strict=True)
    try:
        for cells in reader:
            yield reader.line_num, cells
    except csv.Error as exc:
        raise InvalidInput.field(
            "file", f"Line {reader.line_num} cannot be read as CSV ({exc})."
        ) from None


def _xlsx_lines(data: bytes, sheet: str | None) -> Iterator[tuple[int, list[str]]]:
    from openpyxl import load_workbook  # only imports pay for it

    try:
        book = load_workbook(io.BytesIO(data), read_only=True, data_only=True)
    except (zipfile.BadZipFile, KeyError, OSError, ValueError):
        raise InvalidInput.field("file", "This is not a CSV or XLSX file.") from None
    try:
        if sheet is None:
            pages = book.worksheets
            if not pages:
                raise InvalidInput.field("file", "The workbook has no sheets.")
            page = pages[0]
        elif sheet in book.sheetnames:
            page = book[sheet]
        else:
            names = ", ".join(book.sheetnames)
            raise InvalidInput.field("sheet", f"There is no sheet {sheet!r}; sheets: {names}.")
        for number, values in enumerate(page.iter_rows(values_only=True), start=1):
            yield number, [_cell_text(value) for value in values]
    finally:
        book.close()


def _cell_text(value: Any) -> str:
    """A cell as the person typed it: whole floats without ``.0``, dates as ISO dates."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "yes" if value else "no"
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    if isinstance(value, datetime):
        return value.date().isoformat() if value.time() == datetime.min.time() else str(value)
    if isinstance(value, date):
        return value.isoformat()
    return str(value)
