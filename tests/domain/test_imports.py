"""Importing a lab's spreadsheet: preview first, then all or nothing, and again is no change."""

from __future__ import annotations

import codecs
import io

import pytest
from openpyxl import Workbook

from domain import imports, instruments, parts, stock
from domain.errors import Forbidden, InvalidInput
from domain.permissions import SYSTEM
from tests.factories import make_user

PARTS_CSV = (
    "Part No,Name,Qty,Min,Description,Instruments,\n"
    "FIL-1,Rhenium filament,12.0,5,Cabinet 3,MAT253; ,\n"
    '"GSK-7","Copper gasket, 16 mm"," 40 ",10,"Shelf 2\nback row","MAT253:2; Kiel IV",\n'
    "\n"
    ",,,,,,\n"
)


@pytest.fixture
def lab(ctx):
    instruments.create_instrument(ctx, actor=SYSTEM, name="MAT253", model="MAT 253")
    instruments.create_instrument(ctx, actor=SYSTEM, name="Kiel IV", model="Kiel")
    return make_user(ctx, "manager")


def _import(ctx, actor, text, *, kind="parts", name="lab.csv", apply=True, **options):
    data = text.encode() if isinstance(text, str) else text
    run = imports.import_file if apply else imports.preview_import
    return run(ctx, actor=actor, kind=kind, data=data, file_name=name, **options)


def test_a_preview_reports_what_would_change_and_writes_nothing(ctx, lab):
    report = _import(ctx, lab, PARTS_CSV, apply=False)
    assert report.errors == ()
    assert (len(report.created), len(report.changed), report.unchanged) == (2, 0, 0)
    assert report.applied is False
    assert [row.key for row in report.created] == ["FIL-1", "GSK-7"]
    assert parts.list_parts(ctx, actor=SYSTEM).items == ()


def test_an_import_creates_parts_links_and_stock_with_ledger_rows_naming_the_file(ctx, lab):
    report = _import(ctx, lab, PARTS_CSV)
    assert report.applied is True
    gasket = parts.find_part(ctx, actor=SYSTEM, ref="gsk-7")
    assert (gasket.name, gasket.quantity_in_stock, gasket.minimum_stock_level) == (
        "Copper gasket, 16 mm",
        40,
        10,
    )
    assert gasket.description == "Shelf 2\nback row"
    detail = parts.part_detail(ctx, actor=SYSTEM, part_id=gasket.id)
    assert sorted((u.instrument_name, u.quantity_required) for u in detail.uses) == [
        ("Kiel IV", 1),
        ("MAT253", 2),
    ]
    [movement] = stock.part_history(ctx, actor=SYSTEM, part_id=gasket.id).items
    assert (movement.delta, movement.source, movement.reason) == (40, "import", "Import of lab.csv")
    assert movement.actor_username == lab.username


def test_the_same_file_twice_changes_nothing_the_second_time(ctx, lab):
    _import(ctx, lab, PARTS_CSV)
    again = _import(ctx, lab, PARTS_CSV)
    assert (again.created, again.changed, again.unchanged) == ((), (), 2)


def test_changes_name_their_fields_and_a_new_count_is_a_stocktake(ctx, lab):
    _import(ctx, lab, PARTS_CSV)
    report = _import(ctx, lab, "PN,Qty,Min\nfil-1,9,5\nGSK-7,40,12\n", name="count.csv")
    changes = {row.key: [(c.field, c.old, c.new) for c in row.changes] for row in report.changed}
    assert changes == {
        "FIL-1": [("part_number", "FIL-1", "fil-1"), ("quantity_in_stock", "12", "9")],
        "GSK-7": [("minimum_stock_level", "10", "12")],
    }
    part = parts.find_part(ctx, actor=SYSTEM, ref="fil-1")
    latest = stock.part_history(ctx, actor=SYSTEM, part_id=part.id).items[0]
    assert (latest.delta, latest.quantity_after, latest.reason) == (-3, 9, "Import of count.csv")


def test_with_errors_nothing_is_written_and_each_error_names_row_and_column(ctx, lab):
    text = (
        "Part number,Name,Quantity,Minimum,Instruments,Colour\n"
        "A-0,Bolt,2.5,1,,red\n"
        "A-2,Nut,-3,1,,\n"
        "A-3,Washer,x,200000,,\n"
        "A-4,Spacer,1,1,Orbitrap,\n"
        "A-1,Bolt,1,1,,\n"
        "a-1,Bolt again,1,1,,\n"
        ",Nameless,1,1,,\n"
        "A-5,,1,1,,\n"
    )
    report = _import(ctx, lab, text)
    assert report.applied is False
    assert report.ignored_columns == ("Colour",)
    found = [(e.row, e.column, e.message) for e in report.errors]
    assert (2, "Quantity", "'2.5' is not a whole number; FarLab counts whole units.") in found
    assert (3, "Quantity", "'-3' is negative; write 0 or more.") in found
    assert (4, "Quantity", "'x' is not a number.") in found
    assert (4, "Minimum", "200,000 is out of range: 0 to 100,000.") in found
    assert any(row == 5 and "Orbitrap" in message for row, _, message in found)
    assert (7, None, "a-1 is in rows 6 and 7; keep one.") in found
    assert (8, "Part number", "The part number is empty.") in found
    assert (9, "Name", "The new part A-5 needs a name.") in found
    assert parts.list_parts(ctx, actor=SYSTEM).items == ()


@pytest.mark.parametrize(
    ("data", "message"),
    [
        (b"", "The file is empty."),
        (b"Part number,Name\n", "The file has a header row but no rows below it."),
        (b"%PDF-1.7\n...", "This is a PDF document, not a CSV or XLSX file."),
        (b"\x89PNG\r\n\x1a\n....", "This is a PNG image, not a CSV or XLSX file."),
        (bytes(range(256)) * 4, "This is not a CSV or XLSX file."),
        (b"Name,Qty\nBolt,1\n", "The file has no part number column"),
        (b"PN,Part number\nA,B\n", "both mean part_number"),
    ],
)
def test_a_file_that_cannot_be_imported_says_why_and_writes_nothing(
    ctx, lab, refused, data, message
):
    with refused(InvalidInput, field="file") as refusal:
        _import(ctx, lab, data)
    assert message in str(refusal.error)


def test_files_over_the_limits_are_refused(ctx, lab, refused, monkeypatch):
    from domain import table_files

    monkeypatch.setattr(table_files, "MAX_FILE_BYTES", 100)
    with refused(InvalidInput, field="file") as refusal:
        _import(ctx, lab, "PN,Name\n" + "A,B\n" * 50)
    assert "files up to 20 MB" in str(refusal.error)
    monkeypatch.setattr(table_files, "MAX_FILE_BYTES", 10**6)
    monkeypatch.setattr(table_files, "MAX_ROWS", 3)
    with refused(InvalidInput, field="file") as refusal:
        _import(ctx, lab, "PN,Name\n" + "".join(f"A{n},B\n" for n in range(4)))
    assert "more than 3 rows" in str(refusal.error)


@pytest.mark.parametrize(
    "encoded",
    [
        "PN\tName\tQty\nµ-1\tµ-Ventil Ø6 mm\t3\n".encode("utf-16"),
        codecs.BOM_UTF8 + "PN,Name,Qty\nµ-1,µ-Ventil Ø6 mm,3\n".encode(),
        "PN;Name;Qty\r\nµ-1;µ-Ventil Ø6 mm;3\r\n".encode(),
    ],
    ids=["utf-16 tabs", "utf-8 bom commas", "utf-8 semicolons crlf"],
)
def test_encodings_and_separators_are_detected(ctx, lab, encoded):
    report = _import(ctx, lab, encoded)
    assert report.applied, report.errors
    part = parts.find_part(ctx, actor=SYSTEM, ref="µ-1")
    assert (part.name, part.quantity_in_stock) == ("µ-Ventil Ø6 mm", 3)
    found = parts.search_parts(ctx, actor=SYSTEM, query="VENTIL ø6").items
    assert [p.part_number for p in found] == ["µ-1"]  # imported rows get their search key


def _xlsx(rows, *, title="Parts", extra_sheet=None):
    book = Workbook()
    sheet = book.active
    sheet.title = title
    for row in rows:
        sheet.append(row)
    if extra_sheet:
        other = book.create_sheet(extra_sheet[0])
        for row in extra_sheet[1]:
            other.append(row)
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def test_xlsx_first_sheet_or_a_named_one(ctx, lab):
    data = _xlsx(
        [("Part No", "Name", "On hand"), ("X-1", "Cuvette", 12.0), (None, None, None)],
        extra_sheet=("Spare", [("PN", "Name"), ("Y-1", "Tip")]),
    )
    assert _import(ctx, lab, data, name="lab.xlsx").applied
    assert parts.find_part(ctx, actor=SYSTEM, ref="X-1").quantity_in_stock == 12
    assert _import(ctx, lab, data, name="lab.xlsx", sheet="Spare").applied
    assert parts.find_part(ctx, actor=SYSTEM, ref="Y-1").name == "Tip"
    with pytest.raises(InvalidInput, match="There is no sheet 'Nope'; sheets: Parts, Spare"):
        _import(ctx, lab, data, name="lab.xlsx", sheet="Nope")


def test_deactivating_missing_parts_needs_the_flag_and_never_deletes(ctx, lab):
    _import(ctx, lab, PARTS_CSV)
    only_one = "PN,Name\nFIL-1,Rhenium filament\n"
    assert _import(ctx, lab, only_one).deactivated == ()
    report = _import(ctx, lab, only_one, deactivate_missing=True)
    assert report.deactivated == ("GSK-7",)
    gasket = parts.find_part(ctx, actor=SYSTEM, ref="GSK-7")
    assert gasket.is_active is False


@pytest.mark.usefixtures("lab")
def test_members_may_not_import(ctx, refused):
    member = make_user(ctx, "member")
    with refused(Forbidden):
        _import(ctx, member, PARTS_CSV)


def test_instruments_and_links_import_by_name_and_number(ctx, lab):
    text = (
        "Name,Model,Serial,Status,Maintenance due\n"
        "MAT253,MAT 253 Plus,SN-1,out of service,2027-01-31\n"
        "Delta V,Delta V Advantage,SN-2,operational,\n"
    )
    report = _import(ctx, lab, text, kind="instruments")
    assert [r.key for r in report.created] == ["Delta V"]
    assert [r.key for r in report.changed] == ["MAT253"]
    mat = instruments.find_instrument(ctx, actor=SYSTEM, ref="MAT253")
    assert (mat.model, mat.status, mat.serial_number) == ("MAT 253 Plus", "out_of_service", "SN-1")
    history = instruments.status_history(ctx, actor=SYSTEM, instrument_id=mat.id)
    assert history[0].note == "Import of lab.csv"
    _import(ctx, lab, "PN,Name\nFIL-1,Filament\n")
    links = "Instrument,Part number,Qty,Critical\nDelta V,FIL-1,2,yes\nDelta V,NOPE,1,no\n"
    bad = _import(ctx, lab, links, kind="links")
    assert [(e.row, e.message) for e in bad.errors] == [(3, "There is no part NOPE.")]
    good = _import(ctx, lab, links.rsplit("Delta V,NOPE", 1)[0], kind="links")
    assert [r.key for r in good.created] == ["Delta V / FIL-1"]
    assert _import(ctx, lab, links.rsplit("Delta V,NOPE", 1)[0], kind="links").unchanged == 1
