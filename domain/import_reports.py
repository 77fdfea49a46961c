"""An import's report as a CSV file: every error, every field each row creates or changes,
what it deactivates and the columns it ignored, one line each (a preview shows only the
first of them; this is the whole of it)."""

from __future__ import annotations

import io
from collections.abc import Iterator

from domain.exports import write_csv
from domain.import_plans import ImportReport

REPORT_HEADER = ("row", "what", "key", "column or field", "was", "becomes", "message")


def report_file_name(report: ImportReport) -> str:
    """``lab-report.csv`` for ``lab.csv``."""
    stem = report.file_name.rsplit(".", 1)[0] or "import"
    return f"{stem}-report.csv"


def report_csv(report: ImportReport) -> bytes:
    """The whole report as CSV (UTF-8 with a BOM, as exports are written)."""
    out = io.BytesIO()
    write_csv(REPORT_HEADER, report_lines(report), out)
    return out.getvalue()


def report_lines(report: ImportReport) -> Iterator[tuple[str, ...]]:
    for error in report.errors:
        row = str(error.row) if error.row else ""
        yield (row, "error", "", error.column or "", "", "", error.message)
    for planned in (*report.created, *report.changed):
        if not planned.changes:
            yield (str(planned.row), planned.action, planned.key, "", "", "", "")
        for change in planned.changes:
            was = "" if planned.action == "create" else change.old
            yield (str(planned.row), planned.action, planned.key, change.field, was, change.new, "")
    for key in report.deactivated:
        yield ("", "deactivate", key, "active", "yes", "no", "not in the file")
    for column in report.ignored_columns:
        yield ("", "ignored", "", column, "", "", "FarLab does not know this column")
