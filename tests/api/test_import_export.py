"""``GET /api/export/{kind}`` and ``POST /api/import/{kind}``: the same files and report as
Slack and the command line, over HTTP."""

from __future__ import annotations

import csv
import io

from domain import parts
from domain.permissions import SYSTEM
from tests.api.support import assert_json_error, bearer

CSV = b"Part No,Name,Qty,Min,Colour\nNEW-1,Bolt,3,5,red\nFIL-1,Rhenium filament,9,5,\n"


def _upload(client, headers, data=CSV, *, kind="parts", name="lab.csv", **params):
    return client.post(
        f"/api/import/{kind}", files={"file": (name, data)}, params=params, headers=headers
    )


def test_a_dry_run_is_the_default_and_reports_without_writing(client, ctx, lab):
    answer = _upload(client, bearer(ctx, lab.manager))
    assert answer.status_code == 200, answer.text
    report = answer.json()
    assert report["applied"] is False
    assert [(r["key"], r["action"]) for r in report["created"]] == [("NEW-1", "create")]
    [changed] = report["changed"]
    assert (changed["row"], changed["key"]) == (3, "FIL-1")
    assert changed["changes"] == [{"field": "quantity_in_stock", "old": "6", "new": "9"}]
    assert report["ignored_columns"] == ["Colour"]
    assert parts.find_part(ctx, actor=SYSTEM, ref="FIL-1").quantity_in_stock == 6


def test_an_import_applies_every_row_or_none(client, ctx, lab):
    headers = bearer(ctx, lab.manager)
    done = _upload(client, headers, dry_run="false").json()
    assert done["applied"] is True
    assert parts.find_part(ctx, actor=SYSTEM, ref="NEW-1").quantity_in_stock == 3
    again = _upload(client, headers, dry_run="false").json()
    assert (again["created"], again["changed"], again["unchanged"]) == ([], [], 2)
    bad = _upload(client, headers, b"PN,Name,Qty\nNEW-2,Nut,1\nNEW-3,Pin,2.5\n", dry_run="false")
    assert bad.status_code == 422
    body = bad.json()
    assert body["detail"] == "The file has 1 error; nothing was imported."
    assert body["report"]["errors"] == [
        {
            "row": 3,
            "column": "Qty",
            "message": "'2.5' is not a whole number; FarLab counts whole units.",
        }
    ]
    assert not any(p.part_number == "NEW-2" for p in parts.list_parts(ctx, actor=SYSTEM).items)


def test_a_file_that_is_not_a_table_or_too_big_is_refused(client, ctx, lab, monkeypatch):
    headers = bearer(ctx, lab.manager)
    detail = assert_json_error(_upload(client, headers, b"%PDF-1.4 ..."), 422)
    assert "This is a PDF document, not a CSV or XLSX file." in str(detail)
    from api.routers import tables

    monkeypatch.setattr(tables, "MAX_FILE_BYTES", 10)
    assert "20 MB" in assert_json_error(_upload(client, headers), 413)


def test_members_export_but_may_not_import(client, ctx, lab):
    member = bearer(ctx, lab.member)
    assert "may not manage parts" in assert_json_error(_upload(client, member), 403)
    answer = client.get("/api/export/parts", headers=member)
    assert answer.status_code == 200
    assert answer.headers["content-type"].startswith("text/csv")
    assert answer.headers["content-disposition"].startswith('attachment; filename="farlab-parts-')
    rows = list(csv.reader(io.StringIO(answer.content.decode("utf-8-sig"))))
    assert {r[0] for r in rows[1:]} == {"FIL-1", "GSK-7"}
    assert answer.headers["x-row-count"] == "2"
    assert_json_error(client.get("/api/export/parts"), 401)


def test_an_xlsx_export_imports_back_to_zero_changes(client, ctx, lab):
    manager = bearer(ctx, lab.manager)
    exported = client.get("/api/export/parts", params={"format": "xlsx"}, headers=manager)
    assert exported.content.startswith(b"PK")
    report = _upload(client, manager, exported.content, name="parts.xlsx").json()
    assert (report["errors"], report["created"], report["changed"]) == ([], [], [])
    assert report["unchanged"] == 2
    assert assert_json_error(client.get("/api/export/users", headers=manager), 422)
