"""The import form and the preview DM: valid Block Kit within Slack's limits at any size,
user text escaped, Import and Cancel only when there is something to import."""

from __future__ import annotations

from datetime import UTC, datetime

from bot.blocks import imports as b
from bot.blocks.values import unpack
from bot.ids import ActionId
from domain.import_plans import FieldChange, ImportReport, RowError, RowPlan
from domain.import_previews import KeptPreview, PreviewCancelled
from tests.bot import blocks_samples as s

KEPT = KeptPreview(7, "tok-" + "x" * 28, datetime(2026, 12, 7, 12, 30, tzinfo=UTC))
HOSTILE = "<!channel> *bold* & <@U123> `tick`"


def _report(*, errors: int = 0, created: int = 0, changed: int = 0, **extra) -> ImportReport:
    return ImportReport(
        kind="parts",
        file_name=extra.pop("file_name", "lab.csv"),
        rows=errors + created + changed,
        created=tuple(
            RowPlan(n + 2, f"P-{n}", "create", (FieldChange("name", "", f"Part {n}"),))
            for n in range(created)
        ),
        changed=tuple(
            RowPlan(n + 2, f"Q-{n}", "change", (FieldChange("minimum_stock_level", "1", "5"),))
            for n in range(changed)
        ),
        unchanged=extra.pop("unchanged", 0),
        deactivated=extra.pop("deactivated", ()),
        errors=tuple(
            RowError(n + 2, "Qty", f"'{n}.5' is not a whole number.") for n in range(errors)
        ),
        ignored_columns=extra.pop("ignored_columns", ()),
        applied=extra.pop("applied", False),
    )


def test_the_form_is_a_valid_modal_with_one_file() -> None:
    view = b.import_modal(channel_id="C0LAB", kind="links")
    s.assert_valid_view(view)
    element = view["blocks"][1]["element"]
    assert (element["type"], element["filetypes"], element["max_files"]) == (
        "file_input",
        ["csv", "xlsx"],
        1,
    )
    assert view["blocks"][2]["element"]["initial_option"]["value"] == "links"
    assert unpack(view["private_metadata"]) == {"channel": "C0LAB"}


def test_a_preview_that_can_be_imported_has_import_and_cancel_carrying_id_and_token() -> None:
    preview = b.render_import_preview(_report(created=2, changed=1, unchanged=4), KEPT)
    s.assert_valid_message(preview)
    assert preview["text"] == (
        "Preview of lab.csv (parts, 3 rows): 2 to create, 1 to change, 4 unchanged."
    )
    [confirm, cancel] = s.buttons(preview)
    assert (confirm["action_id"], confirm["style"]) == (ActionId.IMPORT_CONFIRM, "primary")
    assert cancel["action_id"] == ActionId.IMPORT_CANCEL
    assert unpack(confirm["value"]) == unpack(cancel["value"]) == {"id": 7, "t": KEPT.token}
    shown = "\n".join(s.texts(preview))
    assert "• row 2: create *P-0*: name Part 0" in shown
    assert "• row 2: change *Q-0*: minimum_stock_level 1 → 5" in shown


def test_a_preview_with_errors_or_nothing_to_do_has_no_buttons() -> None:
    with_errors = b.render_import_preview(_report(errors=1, created=1), None)
    s.assert_valid_message(with_errors)
    assert s.buttons(with_errors) == []
    assert "Nothing can be imported until every row is right" in "\n".join(s.texts(with_errors))
    same = b.render_import_preview(_report(unchanged=3), None)
    assert s.buttons(same) == []
    assert "FarLab already matches the file" in "\n".join(s.texts(same))


def test_a_huge_preview_stays_within_slacks_limits_and_shows_the_first_rows() -> None:
    report = _report(errors=5000, created=100_000, changed=50_000, deactivated=("X",) * 900)
    assert b.needs_full_report(report)
    preview = b.render_import_preview(report, None, full_report=True)
    s.assert_valid_message(preview)
    shown = "\n".join(s.texts(preview))
    assert "*Errors* (the first 10 of 5,000):" in shown
    assert "*Changes* (the first 10 of 150,000):" in shown
    assert "and 890 more" in shown
    assert "Every error and change is in the report file below." in shown
    assert not b.needs_full_report(_report(errors=10, created=5, changed=5))


def test_user_text_from_the_file_is_escaped_everywhere() -> None:
    report = ImportReport(
        kind="parts",
        file_name=HOSTILE + ".csv",
        rows=2,
        created=(RowPlan(2, HOSTILE, "create", (FieldChange(HOSTILE, "", HOSTILE),)),),
        changed=(),
        unchanged=0,
        deactivated=(HOSTILE,),
        errors=(RowError(3, HOSTILE, HOSTILE),),
        ignored_columns=(HOSTILE,),
    )
    for message in (
        b.render_import_preview(report, KEPT),
        b.render_import_done(report, by=HOSTILE),
        b.render_import_not_applied(report),
        b.render_import_cancelled(PreviewCancelled("parts", HOSTILE)),
        b.render_file_not_read(HOSTILE, HOSTILE),
        b.render_export_sent(HOSTILE),
        b.render_export_not_sent(HOSTILE, HOSTILE),
    ):
        s.assert_valid_message(message)
    assert "&lt;!channel&gt;" in b.render_import_preview(report, KEPT)["text"]


def test_the_imported_message_names_the_counts_and_who() -> None:
    done = b.render_import_done(_report(created=2, changed=1, applied=True), by="lab.manager")
    s.assert_valid_message(done)
    assert done["text"] == "Imported lab.csv: 2 created, 1 changed, 0 unchanged."
    assert "Imported by lab.manager" in "\n".join(s.texts(done))
    assert s.buttons(done) == []
