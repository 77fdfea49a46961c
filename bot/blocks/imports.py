"""Importing and exporting files in Slack: the upload modal, the preview sent by DM (with
Import and Cancel), what became of it, and the answers about files.

Everything from the file (names, keys, values, the domain's messages about its rows) is
user text: escaped, on one line, fitted.
"""

from __future__ import annotations

from typing import Any

from bot.blocks import labels as lb
from bot.blocks.elements import Block, Message, actions, button, context, message, section
from bot.blocks.elements import sections_of_lines as lines_in_sections
from bot.blocks.inputs import checkbox_input, modal, select_input
from bot.blocks.text import MESSAGE_MAX_BLOCKS, escape
from bot.ids import ActionId, BlockId, CallbackId
from domain.import_plans import ImportReport, RowPlan
from domain.import_previews import PREVIEW_MINUTES, KeptPreview, PreviewCancelled
from domain.table_files import MAX_FILE_BYTES

ERRORS_SHOWN = 10
CHANGES_SHOWN = 10
KINDS = (("parts", "Parts"), ("instruments", "Instruments"), ("links", "Links"))
FILE_TYPES = ("csv", "xlsx")
VALUE_BUDGET = 80


def import_modal(*, channel_id: str, kind: str = "parts") -> dict[str, Any]:
    """The form of ``/farlab import``: one CSV or XLSX file, what it holds, and whether
    the parts (or instruments) it leaves out are deactivated."""
    upload: Block = {
        "type": "input",
        "block_id": BlockId.IMPORT_UPLOAD,
        "label": {"type": "plain_text", "text": "CSV or Excel (XLSX) file", "emoji": True},
        "element": {
            "type": "file_input",
            "action_id": ActionId.FIELD,
            "filetypes": list(FILE_TYPES),
            "max_files": 1,
        },
        "optional": False,
        "hint": {
            "type": "plain_text",
            "text": f"Up to {MAX_FILE_BYTES // (1024 * 1024)} MB. Column headers as in "
            "FarLab's own exports (part_number, name, quantity_in_stock, ...) or common "
            "names for them (Part No, Qty, Min, ...).",
        },
    }
    blocks: list[Block] = [
        section(
            "Upload a spreadsheet: FarLab checks every row and sends you a preview by direct "
            "message. Nothing is changed until you press *Import* there."
        ),
        upload,
        select_input(BlockId.IMPORT_KIND, "The file holds", choices=KINDS, initial=kind),
        checkbox_input(
            BlockId.DEACTIVATE_MISSING,
            "Missing from the file",
            text="Deactivate parts (or instruments) missing from the file",
            value="yes",
            checked=False,
            hint="They are deactivated, never deleted; left unticked, the file only adds "
            "and changes.",
        ),
    ]
    return modal(
        "Import a file",
        CallbackId.IMPORT_FILE,
        blocks,
        submit="Preview",
        metadata={"channel": channel_id},
    )


def counts(report: ImportReport) -> str:
    """``2 to create, 1 to change, 0 unchanged`` (``created``, ... once applied)."""
    done = report.applied
    words = [
        f"{len(report.created):,} {'created' if done else 'to create'}",
        f"{len(report.changed):,} {'changed' if done else 'to change'}",
        f"{report.unchanged:,} unchanged",
    ]
    if report.deactivated:
        words.append(f"{len(report.deactivated):,} {'deactivated' if done else 'to deactivate'}")
    if report.errors:
        many = len(report.errors) > 1
        words.append(f"{len(report.errors):,} error{'s' if many else ''}")
    return ", ".join(words)


def needs_full_report(report: ImportReport) -> bool:
    """Whether the preview leaves out errors or changes (then a report file follows it)."""
    changes = len(report.created) + len(report.changed)
    return len(report.errors) > ERRORS_SHOWN or changes > CHANGES_SHOWN


def render_import_preview(
    report: ImportReport, kept: KeptPreview | None, *, full_report: bool = False
) -> Message:
    """The preview DM: counts, the first errors and changes, and Import and Cancel when the
    file can be imported (``kept``)."""
    title = f"{lb.text(report.file_name)} ({escape(report.kind)}, {report.rows:,} rows)"
    summary = f":mag: *Preview of {title}*: {counts(report)}."
    blocks: list[Block] = [section(summary)]
    if report.ignored_columns:
        ignored = ", ".join(f"“{lb.text(c, VALUE_BUDGET)}”" for c in report.ignored_columns)
        blocks.append(context(f"Columns FarLab does not know, ignored: {ignored}"))
    lines = _error_lines(report) + _change_lines(report) + _deactivated_lines(report)
    room = MESSAGE_MAX_BLOCKS - len(blocks) - 3
    blocks += lines_in_sections(lines, room)[0]
    notes = []
    if report.errors:
        notes.append(
            ":no_entry: Nothing can be imported until every row is right: fix the rows and "
            "upload the file again with `/farlab import`."
        )
    elif kept is None:
        notes.append("Nothing to import: FarLab already matches the file.")
    else:
        notes.append(
            f"Nothing is changed until you press *Import*. This preview expires in "
            f"{PREVIEW_MINUTES} minutes."
        )
    if full_report:
        notes.append("Every error and change is in the report file below.")
    blocks.append(context(" ".join(notes)))
    if kept is not None:
        value = {"id": kept.id, "t": kept.token}
        blocks.append(
            actions(
                [
                    button("Import", ActionId.IMPORT_CONFIRM, value=value, style="primary"),
                    button("Cancel", ActionId.IMPORT_CANCEL, value=value),
                ],
                block_id=BlockId.IMPORT_ACTIONS,
            )
        )
    return message(f"Preview of {title}: {counts(report)}.", blocks)


def _error_lines(report: ImportReport) -> list[str]:
    if not report.errors:
        return []
    shown = report.errors[:ERRORS_SHOWN]
    lines = [f"*Errors*{_first_of(len(shown), len(report.errors))}:"]
    for error in shown:
        where = f"row {error.row}" if error.row else "the file"
        column = f", {lb.text(error.column, VALUE_BUDGET)}" if error.column else ""
        lines.append(f"• {where}{column}: {lb.text(error.message, lb.NOTE_BUDGET)}")
    return lines


def _change_lines(report: ImportReport) -> list[str]:
    planned = (*report.created, *report.changed)
    if not planned:
        return []
    shown = sorted(planned, key=lambda row: row.row)[:CHANGES_SHOWN]
    lines = [f"*Changes*{_first_of(len(shown), len(planned))}:"]
    lines += [f"• {_row_line(row)}" for row in shown]
    return lines


def _row_line(row: RowPlan) -> str:
    """``row 2: create *FIL-1*: name Rhenium filament; quantity_in_stock 12`` (a new row's
    key is not repeated among its fields)."""
    fields = "; ".join(
        f"{escape(c.field)} {lb.text(c.new, VALUE_BUDGET)}"
        if row.action == "create"
        else f"{escape(c.field)} {lb.text(c.old, VALUE_BUDGET)} → {lb.text(c.new, VALUE_BUDGET)}"
        for c in row.changes
        if row.action != "create" or c.new != row.key
    )
    line = f"row {row.row}: {row.action} *{lb.text(row.key, lb.NUMBER_BUDGET)}*"
    return f"{line}: {fields}" if fields else line


def _deactivated_lines(report: ImportReport) -> list[str]:
    if not report.deactivated:
        return []
    keys = report.deactivated[:CHANGES_SHOWN]
    named = ", ".join(lb.text(key, lb.NUMBER_BUDGET) for key in keys)
    left = len(report.deactivated) - len(keys)
    more = f" and {left:,} more" if left else ""
    verb = "Deactivated" if report.applied else "To deactivate (not in the file)"
    return [f"*{verb}*: {named}{more}"]


def _first_of(shown: int, total: int) -> str:
    return f" (the first {shown} of {total:,})" if shown < total else ""


def render_import_done(report: ImportReport, *, by: str) -> Message:
    """The preview, once imported (it replaces the preview in place)."""
    line = f":white_check_mark: *Imported {lb.text(report.file_name)}*: {counts(report)}."
    blocks: list[Block] = [section(line)]
    lines = _change_lines(report) + _deactivated_lines(report)
    blocks += lines_in_sections(lines, MESSAGE_MAX_BLOCKS - 2)[0]
    blocks.append(context(f"Imported by {lb.text(by)}; the stock history names the file."))
    return message(f"Imported {lb.text(report.file_name)}: {counts(report)}.", blocks)


def render_import_not_applied(report: ImportReport) -> Message:
    """Import pressed, but the file no longer imports cleanly: nothing was written."""
    line = (
        f":warning: *{lb.text(report.file_name)} was not imported*: FarLab changed since "
        f"the preview and {len(report.errors):,} rows no longer fit. Nothing was changed."
    )
    blocks: list[Block] = [section(line)]
    blocks += lines_in_sections(_error_lines(report), MESSAGE_MAX_BLOCKS - 2)[0]
    blocks.append(context("Fix the file and upload it again with `/farlab import`."))
    return message(f"{lb.text(report.file_name)} was not imported.", blocks)


def render_import_cancelled(cancelled: PreviewCancelled) -> Message:
    line = f":x: Cancelled the import of {lb.text(cancelled.file_name)}; nothing was changed."
    return message(line, [section(line)])


def render_file_not_read(file_name: str, problem: str) -> Message:
    """A file the bot could not get from Slack, or could not import at all."""
    named = lb.text(file_name) if file_name else "the file"
    line = f":warning: FarLab could not import {named}: {escape(problem)}"
    blocks = [section(line), context("Nothing was changed.")]
    return message(line, blocks)


def render_export_sent(file_name: str) -> Message:
    line = f":inbox_tray: Sent {lb.text(file_name)} to your DMs."
    return message(line, [section(line)])


def render_export_not_sent(file_name: str, problem: str) -> Message:
    line = f":warning: FarLab could not send {lb.text(file_name)} to your DMs: {escape(problem)}"
    return message(line, [section(line)])


def report_comment(report: ImportReport) -> str:
    """The comment on the report file shared after a long preview (mrkdwn)."""
    return f"Every error and change of {lb.text(report.file_name)}, one per line."
