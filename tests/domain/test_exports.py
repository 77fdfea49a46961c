"""Exports: every table as CSV or XLSX, and parts, instruments and links import back to
zero changes, odd characters included."""

from __future__ import annotations

import csv
import io

import pytest
from openpyxl import load_workbook

from domain import alerts, exports, imports, instruments, parts, stock
from domain.errors import InvalidInput
from domain.permissions import SYSTEM
from tests.factories import make_user

ODD = 'Dichtung "Ø6", µ-Ventil 🧪\nzweite Zeile; mit Komma'


@pytest.fixture
def lab(ctx):
    mat = instruments.create_instrument(
        ctx, actor=SYSTEM, name="MAT253", model="MAT 253", serial_number="SN-1"
    )
    kiel = instruments.create_instrument(ctx, actor=SYSTEM, name="Kiel IV", model="Kiel")
    parts.create_part(
        ctx,
        actor=SYSTEM,
        part_number="FIL-1",
        name="Rhenium filament",
        description=ODD,
        category="=cmd|' /C calc'!A0",
        quantity_in_stock=12,
        minimum_stock_level=5,
        instrument_ids=(mat.id, kiel.id),
    )
    gasket = parts.create_part(
        ctx, actor=SYSTEM, part_number="GSK-7", name="Élan gasket", quantity_in_stock=3
    )
    parts.link_part(ctx, actor=SYSTEM, instrument_id=mat.id, part_id=gasket.id, quantity_required=4)
    stock.adjust_stock(
        ctx, actor=SYSTEM, part_id=gasket.id, delta=-1, reason="test", source="slack"
    )
    alerts.raise_alert(ctx, actor=SYSTEM, message="Leak, again", instrument_id=kiel.id)
    return make_user(ctx, "member")


def _csv(export: exports.ExportFile) -> list[list[str]]:
    data = export.content.read()
    export.content.close()
    assert data.startswith(b"\xef\xbb\xbf")  # Excel reads the BOM as "this is UTF-8"
    return list(csv.reader(io.StringIO(data.decode("utf-8-sig"), newline="")))


def test_parts_export_with_their_instruments_and_formulas_made_harmless(ctx, lab):
    export = exports.export_table(ctx, actor=lab, kind="parts")
    assert export.file_name.startswith("farlab-parts-")
    assert export.media_type.startswith("text/csv")
    header, *rows = _csv(export)
    assert header[:2] == ["part_number", "name"]
    assert header[-1] == "instruments"
    by_number = {row[0]: dict(zip(header, row, strict=True)) for row in rows}
    assert by_number["FIL-1"]["instruments"] == "Kiel IV; MAT253"
    assert by_number["GSK-7"]["instruments"] == "MAT253:4"
    assert by_number["FIL-1"]["description"] == ODD
    assert by_number["FIL-1"]["category"].startswith("'=")
    assert (by_number["GSK-7"]["quantity_in_stock"], by_number["GSK-7"]["critical"]) == ("2", "no")


@pytest.mark.parametrize("fmt", ["csv", "xlsx"])
@pytest.mark.parametrize("kind", ["parts", "instruments", "links"])
def test_an_export_imports_back_to_zero_changes(ctx, lab, kind, fmt):
    manager = make_user(ctx, "manager")
    export = exports.export_table(ctx, actor=lab, kind=kind, fmt=fmt)
    data = export.content.read()
    export.content.close()
    report = imports.preview_import(
        ctx, actor=manager, kind=kind, data=data, file_name=export.file_name
    )
    assert report.errors == ()
    assert (report.created, report.changed) == ((), ())
    assert report.unchanged == export.rows > 0
    assert report.ignored_columns == ()


def test_history_and_alerts_export_as_xlsx(ctx, lab):
    export = exports.export_table(ctx, actor=lab, kind="history", fmt="xlsx")
    book = load_workbook(export.content, read_only=True)
    rows = list(book.worksheets[0].iter_rows(values_only=True))
    assert rows[0][:4] == ("created_at", "part_number", "part_name", "change")
    assert ("GSK-7", -1, 2, "test") in [(r[1], r[3], r[4], r[6]) for r in rows[1:]]
    header, *alert_rows = _csv(exports.export_table(ctx, actor=lab, kind="alerts"))
    assert [dict(zip(header, r, strict=True))["message"] for r in alert_rows] == ["Leak, again"]


def test_an_unknown_kind_or_format_is_refused(ctx, lab):
    with pytest.raises(InvalidInput, match="Export one of parts, instruments, links"):
        exports.export_table(ctx, actor=lab, kind="users")
    with pytest.raises(InvalidInput, match="csv or xlsx"):
        exports.export_table(ctx, actor=lab, kind="parts", fmt="pdf")
