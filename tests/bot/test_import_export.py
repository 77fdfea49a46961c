"""Importing a spreadsheet from Slack and exporting tables into DMs, end to end: signed
requests to the real app, files in the Slack stand-in, what Slack would show.

``/farlab import`` opens a form with a file input; the submission is answered at once and
the preview arrives by DM (nothing written) with Import and Cancel; Import applies it once.
``/farlab export`` shares the table's file into the person's DM.
"""

from __future__ import annotations

import csv
import io
from typing import Any

import pytest

from bot.ids import ActionId
from domain import imports, instruments, parts
from domain.permissions import SYSTEM
from tests.bot.conftest import PEOPLE, Lab
from tests.bot.steps import (
    click,
    click_and_see,
    everything_said,
    lab_state,
    modal_from_command,
    replies_to,
    say,
    submit,
)
from tests.helpers import Clock

FILE_LABEL = "CSV or Excel (XLSX) file"
LAB_CSV = (
    b"Part No,Name,Qty,Min,Instruments\n"
    b"FIL-1,Rhenium filament,12,5,MAT253\n"
    b'"GSK-7","Copper gasket, 16 mm",40,10,\n'
)


@pytest.fixture(autouse=True)
def _mat253(lab: Lab) -> None:
    """The instrument the files link parts to."""
    instruments.create_instrument(lab.ctx, actor=SYSTEM, name="MAT253", model="MAT 253")


def _dms(lab: Lab, role: str) -> list[dict[str, Any]]:
    return lab.harness.stand_in.messages(PEOPLE[role])


def _upload(
    lab: Lab, role: str, data: bytes, *, name: str = "lab.csv", **answers: Any
) -> dict[str, Any]:
    """Pick the file in /farlab import's form and submit it; the ack body."""
    stand_in = lab.harness.stand_in
    view = modal_from_command(lab, role, "import")
    picked = stand_in.file_info(stand_in.add_file(name, data, user=PEOPLE[role]))
    return submit(lab, role, view, {FILE_LABEL: picked, **answers})


def _preview(lab: Lab, role: str, data: bytes, **kwargs: Any) -> dict[str, Any]:
    """Upload the file and wait for the preview in the person's DM."""
    seen = len(_dms(lab, role))
    assert _upload(lab, role, data, **kwargs) == {}  # the form closes at once
    stand_in = lab.harness.stand_in
    stand_in.wait_until(lambda: len(_dms(lab, role)) > seen)
    return _dms(lab, role)[seen]


def _buttons(message: dict[str, Any]) -> list[str]:
    return [
        element["action_id"]
        for block in message.get("blocks", [])
        for element in block.get("elements", [])
        if element.get("type") == "button"
    ]


def _refusal(lab: Lab, role: str, action_id: str, message: dict[str, Any]) -> str:
    """Press a button that is refused; the refusal only the clicker sees."""
    return everything_said(click_and_see(lab, role, action_id, message))


def test_import_opens_a_form_with_one_csv_or_xlsx_file(lab: Lab):
    view = modal_from_command(lab, "manager", "import")
    [upload] = [b for b in view["blocks"] if b.get("element", {}).get("type") == "file_input"]
    assert upload["element"]["filetypes"] == ["csv", "xlsx"]
    assert upload["element"]["max_files"] == 1
    assert upload["optional"] is False
    said = everything_said(view)
    assert "The file holds" in said
    assert "Deactivate parts (or instruments) missing from the file" in said
    kinds = [b for b in view["blocks"] if b.get("block_id") == "kind"]
    assert kinds[0]["element"]["initial_option"]["value"] == "parts"
    instruments_view = modal_from_command(lab, "admin", "import instruments")
    kinds = [b for b in instruments_view["blocks"] if b.get("block_id") == "kind"]
    assert kinds[0]["element"]["initial_option"]["value"] == "instruments"


def test_a_member_may_not_import(lab: Lab):
    answer = say(lab, "member", "import")
    assert "may not manage parts" in everything_said(answer)
    assert lab.harness.stand_in.calls("views.open") == []
    # Nor by submitting a manager's form: refused in the form, nothing read or written.
    view = modal_from_command(lab, "manager", "import")
    picked = lab.harness.stand_in.file_info(lab.harness.stand_in.add_file("lab.csv", LAB_CSV))
    refused = submit(lab, "member", view, {FILE_LABEL: picked})
    assert refused["response_action"] == "errors"
    assert "may not manage parts" in refused["errors"]["file"]
    assert lab.harness.stand_in.calls("files.info") == []


def test_a_form_sent_without_a_file_is_refused_in_the_form(lab: Lab):
    view = modal_from_command(lab, "manager", "import")
    refused = submit(lab, "manager", view, {})
    assert refused == {
        "response_action": "errors",
        "errors": {"file": "Choose one CSV or XLSX file."},
    }


def test_a_good_file_gives_a_preview_by_dm_with_import_and_cancel_and_writes_nothing(lab: Lab):
    before = lab_state(lab)
    preview = _preview(lab, "manager", LAB_CSV)
    said = everything_said(preview)
    assert "Preview of lab.csv (parts, 2 rows): 2 to create, 0 to change, 0 unchanged." in said
    assert "row 2: create *FIL-1*: name Rhenium filament; minimum_stock_level 5" in said
    assert "Copper gasket, 16 mm" in said
    assert "expires in 30 minutes" in said
    assert _buttons(preview) == [ActionId.IMPORT_CONFIRM, ActionId.IMPORT_CANCEL]
    assert lab_state(lab) == before
    # Read with the bot's token: files.info, then the download URL it gave.
    stand_in = lab.harness.stand_in
    [download] = stand_in.calls("file_download")
    assert download.headers["authorization"] == "Bearer xoxb-farlab-local"


def test_import_applies_the_preview_once_and_updates_it_in_place(lab: Lab):
    preview = _preview(lab, "manager", LAB_CSV)
    click(lab, "manager", ActionId.IMPORT_CONFIRM, preview)
    stand_in = lab.harness.stand_in
    [update] = stand_in.wait_for("chat.update", 1)
    assert update.body["ts"] == preview["ts"]
    [shown] = _dms(lab, "manager")
    assert shown["text"] == "Imported lab.csv: 2 created, 0 changed, 0 unchanged."
    assert _buttons(shown) == []
    gasket = parts.find_part(lab.ctx, actor=SYSTEM, ref="GSK-7")
    assert (gasket.name, gasket.quantity_in_stock) == ("Copper gasket, 16 mm", 40)
    after = lab_state(lab)
    # The preview's buttons pressed again (a double click, or a copy of the message).
    refusal = _refusal(lab, "manager", ActionId.IMPORT_CONFIRM, preview)
    assert "lab.csv was already imported; nothing was changed this time." in refusal
    assert lab_state(lab) == after


def test_someone_elses_click_is_refused_and_changes_nothing(lab: Lab):
    preview = _preview(lab, "manager", LAB_CSV)
    before = lab_state(lab)
    refusal = _refusal(lab, "admin", ActionId.IMPORT_CONFIRM, preview)
    assert "Only the person who uploaded this file can import or cancel it." in refusal
    assert "may not manage parts" in _refusal(lab, "member", ActionId.IMPORT_CONFIRM, preview)
    assert "Only the person" in _refusal(lab, "admin", ActionId.IMPORT_CANCEL, preview)
    assert lab_state(lab) == before
    click(lab, "manager", ActionId.IMPORT_CONFIRM, preview)  # still the manager's to import
    lab.harness.stand_in.wait_for("chat.update", 1)
    assert parts.find_part(lab.ctx, actor=SYSTEM, ref="FIL-1").quantity_in_stock == 12


def test_a_click_after_30_minutes_is_refused(lab: Lab, clock: Clock):
    preview = _preview(lab, "manager", LAB_CSV)
    before = lab_state(lab)
    clock.advance(minutes=30, seconds=1)
    refusal = _refusal(lab, "manager", ActionId.IMPORT_CONFIRM, preview)
    assert "expired after 30 minutes and nothing was imported" in refusal
    assert lab_state(lab) == before


def test_cancel_keeps_the_file_out_and_says_so_in_place(lab: Lab):
    preview = _preview(lab, "manager", LAB_CSV)
    before = lab_state(lab)
    click(lab, "manager", ActionId.IMPORT_CANCEL, preview)
    lab.harness.stand_in.wait_for("chat.update", 1)
    [shown] = _dms(lab, "manager")
    assert "Cancelled the import of lab.csv; nothing was changed." in shown["text"]
    refusal = _refusal(lab, "manager", ActionId.IMPORT_CONFIRM, preview)
    assert "The import of lab.csv was cancelled" in refusal
    assert lab_state(lab) == before


def test_a_file_with_errors_shows_them_escaped_and_offers_no_import(lab: Lab):
    data = b"PN,Name,Qty,Instruments\nA-1,Bolt,2.5,\nA-2,<b>Nut</b> & co,1,<Orbitrap>\n"
    before = lab_state(lab)
    preview = _preview(lab, "manager", data, name="bad <lab>.csv")
    said = everything_said(preview)
    assert "Preview of bad &lt;lab&gt;.csv (parts, 2 rows)" in said
    assert "• row 2, Qty: '2.5' is not a whole number; FarLab counts whole units." in said
    assert "&lt;Orbitrap&gt;" in said
    assert "<Orbitrap>" not in said
    assert "Nothing can be imported until every row is right" in said
    assert _buttons(preview) == []
    assert lab_state(lab) == before


def test_a_long_report_comes_whole_as_a_file_in_the_dm(lab: Lab):
    rows = "".join(f"B-{n},Bolt {n},{n}.5\n" for n in range(1, 16))
    preview = _preview(lab, "manager", f"PN,Name,Qty\n{rows}".encode())
    assert "*Errors* (the first 10 of 15):" in everything_said(preview)
    assert "Every error and change is in the report file below." in everything_said(preview)
    stand_in = lab.harness.stand_in
    stand_in.wait_until(lambda: len(stand_in.files_in(PEOPLE["manager"])) == 1)
    [report] = stand_in.files_in(PEOPLE["manager"])
    assert report["name"] == "lab-report.csv"
    lines = list(csv.reader(io.StringIO(stand_in.file_bytes(report["id"]).decode("utf-8-sig"))))
    assert lines[0] == ["row", "what", "key", "column or field", "was", "becomes", "message"]
    assert len(lines) == 16
    assert lines[15][:2] == ["16", "error"]


@pytest.mark.parametrize(
    ("break_it", "problem"),
    [
        ("deleted", "Slack says the file is not there any more (file_deleted): it was deleted."),
        ("no access", "Slack does not let FarLab read it (access_denied)."),
        ("403", "Slack would not let FarLab download it (HTTP 403)"),
        ("404", "Slack would not let FarLab download it (HTTP 404)"),
    ],
)
def test_a_file_the_bot_cannot_get_is_told_by_dm_and_nothing_is_written(
    lab: Lab, break_it: str, problem: str
):
    stand_in = lab.harness.stand_in
    view = modal_from_command(lab, "manager", "import")
    file_id = stand_in.add_file("lab.csv", LAB_CSV, user=PEOPLE["manager"])
    picked = stand_in.file_info(file_id)
    if break_it == "deleted":
        stand_in.delete_file(file_id)
    elif break_it == "no access":
        stand_in.error("files.info", "access_denied")
    else:
        stand_in.fail("file_download", int(break_it), retry_after=None)
    before = lab_state(lab)
    assert submit(lab, "manager", view, {FILE_LABEL: picked}) == {}
    stand_in.wait_until(lambda: len(_dms(lab, "manager")) == 1)
    said = everything_said(_dms(lab, "manager")[0])
    assert problem in said
    assert "Nothing was changed." in said
    assert lab_state(lab) == before


def test_a_file_over_20_mb_is_refused_by_its_size_before_downloading(lab: Lab):
    big = LAB_CSV + b"x" * (20 * 1024 * 1024)
    preview = _preview(lab, "manager", big)
    assert "FarLab could not import lab.csv: it is 21.0 MB; files up to 20 MB" in (
        everything_said(preview)
    )
    assert lab.harness.stand_in.calls("file_download") == []


def test_a_file_that_is_not_a_table_is_refused_by_dm(lab: Lab):
    preview = _preview(lab, "manager", b"%PDF-1.7 ...", name="lab.csv")
    assert "This is a PDF document, not a CSV or XLSX file." in everything_said(preview)


def _exported(lab: Lab, role: str) -> tuple[str, bytes]:
    stand_in = lab.harness.stand_in
    stand_in.wait_until(lambda: len(stand_in.files_in(PEOPLE[role])) == 1)
    [shared] = stand_in.files_in(PEOPLE[role])
    return shared["name"], stand_in.file_bytes(shared["id"])


def test_export_shares_a_csv_into_the_dm_that_imports_back_to_no_change(lab: Lab, clock: Clock):
    imports.import_file(lab.ctx, actor=SYSTEM, kind="parts", data=LAB_CSV, file_name="seed.csv")
    answer = say(lab, "member", "export parts")
    name = f"farlab-parts-{clock.now:%Y-%m-%d}.csv"
    assert everything_said(answer).startswith(f":inbox_tray: Sent {name} to your DMs.")
    shared_name, data = _exported(lab, "member")
    assert shared_name == name
    [message] = _dms(lab, "member")
    assert message["text"] == "FarLab's parts: 2 rows."
    again = imports.preview_import(
        lab.ctx, actor=lab.actors["manager"], kind="parts", data=data, file_name=name
    )
    assert (again.errors, again.created, again.changed, again.unchanged) == ((), (), (), 2)


def test_export_as_xlsx(lab: Lab, clock: Clock):
    say(lab, "member", "export instruments xlsx")
    name, data = _exported(lab, "member")
    assert name == f"farlab-instruments-{clock.now:%Y-%m-%d}.xlsx"
    assert data.startswith(b"PK\x03\x04")
    again = imports.preview_import(
        lab.ctx, actor=lab.actors["manager"], kind="instruments", data=data, file_name=name
    )
    assert (again.errors, again.created, again.changed, again.unchanged) == ((), (), (), 1)


def test_export_of_something_unknown_says_what_can_be_exported(lab: Lab):
    said = everything_said(say(lab, "member", "export widgets"))
    assert (
        "Export one of parts, instruments, links, history, alerts, shopping-list, not 'widgets'."
        in said
    )
    said = everything_said(say(lab, "member", "export parts pdf"))
    assert "Export as csv or xlsx, not 'pdf'." in said
    assert lab.harness.stand_in.calls("files.getUploadURLExternal") == []


def test_an_export_slack_refuses_is_followed_up(lab: Lab):
    stand_in = lab.harness.stand_in
    stand_in.error("files.completeUploadExternal", "not_allowed")
    say(lab, "member", "export alerts")
    [follow_up] = stand_in.wait_for("response_url", 1)
    assert "could not send farlab-alerts-" in everything_said(follow_up.body)
    assert "Slack refused it (not_allowed)" in everything_said(follow_up.body)


def test_help_lists_import_and_export_to_those_who_may_run_them(lab: Lab):
    member, manager = (everything_said(say(lab, role, "help")) for role in ("member", "manager"))
    assert (
        "/farlab export parts|instruments|links|history|alerts|shopping-list [csv|xlsx]" in member
    )
    assert "/farlab import" not in member  # managers and admins import
    assert "/farlab import [parts|instruments|links]`: import a CSV" in manager
    assert "then Import _(managers)_" in manager


def test_replies_are_only_to_the_person_who_imports(lab: Lab):
    _preview(lab, "manager", LAB_CSV)
    assert replies_to(lab.harness.stand_in, "admin") == []
