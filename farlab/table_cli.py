"""``python -m bot import`` and ``python -m bot export``: a lab's spreadsheet in and out.

Typing the import command is the confirmation: the preview is printed and then applied.
Only at a terminal does it ask first (``--yes`` skips the question). The exit status says
whether anything was refused: 0 imported (or nothing to do), 1 the file has errors and
nothing was written, 3 the person said no.
"""

from __future__ import annotations

import argparse
import shutil
import sys
from pathlib import Path
from typing import IO

from rich.console import Console
from rich.progress import Progress, TaskID

from domain import exports, imports
from domain.context import DomainContext
from domain.import_plans import ImportReport
from domain.permissions import SYSTEM, Actor
from domain.users import actor_named

ERRORS_SHOWN = 20
CHANGES_SHOWN = 10
PROGRESS_FROM = 5000  # rows: smaller files are checked before a bar would be seen


class _Bar:
    """A progress bar of the rows checked, shown for files of ``PROGRESS_FROM`` rows or
    more and gone once they all are (the domain calls it as it goes)."""

    def __init__(self, out: Console, label: str) -> None:
        self.out, self.label = out, label
        self.bar: Progress | None = None
        self.task: TaskID | None = None

    def __call__(self, done: int, total: int) -> None:
        if total < PROGRESS_FROM:
            return
        if self.bar is None:
            self.bar = Progress(console=self.out, transient=True)
            self.bar.start()
            self.task = self.bar.add_task(self.label, total=total)
        assert self.task is not None
        self.bar.update(self.task, completed=done)
        if done >= total:
            self.bar.stop()


def add_commands(sub: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    load = sub.add_parser(
        "import",
        help="import parts, instruments or links from a CSV or XLSX file",
        description="Import a CSV or XLSX file: a preview, then every row in one transaction "
        "(none if any row has an error). See README, 'Import and export'.",
    )
    load.add_argument("file", type=Path)
    load.add_argument("--kind", default="parts", choices=["parts", "instruments", "links"])
    load.add_argument("--dry-run", action="store_true", help="show the preview, write nothing")
    load.add_argument("--sheet", metavar="NAME", help="the workbook's sheet (default: the first)")
    load.add_argument(
        "--deactivate-missing",
        action="store_true",
        help="deactivate active parts (or instruments) absent from the file; never deletes",
    )
    load.add_argument("--yes", action="store_true", help="do not ask at a terminal")
    load.add_argument(
        "--as", dest="as_user", metavar="USERNAME", help="the account the ledger names"
    )
    dump = sub.add_parser("export", help="export a table as CSV or XLSX")
    dump.add_argument("kind", choices=[kind.value for kind in exports.ExportKind])
    dump.add_argument("--format", dest="fmt", default="csv", choices=["csv", "xlsx"])
    dump.add_argument(
        "-o", "--output", metavar="FILE", help="where to write it (- for standard output)"
    )


def run_import(ctx: DomainContext, args: argparse.Namespace, out: Console) -> int:
    actor: Actor = actor_named(ctx, args.as_user) if args.as_user else SYSTEM
    data = args.file.read_bytes()
    options = {
        "actor": actor,
        "kind": args.kind,
        "data": data,
        "file_name": args.file.name,
        "sheet": args.sheet,
        "deactivate_missing": args.deactivate_missing,
    }
    checking = _Bar(out, f"Checking {args.file.name}")
    if args.dry_run:
        report = imports.preview_import(ctx, progress=checking, **options)
        show_report(report, out)
        return 1 if report.errors else 0
    asked: list[bool] = []

    def confirm(preview: ImportReport) -> bool:
        show_report(preview, out)
        if not preview.changes_anything:
            return False
        if not (args.yes or not sys.stdin.isatty()):
            asked.append(out.input("Import it? [y/N] ").strip().lower() in ("y", "yes"))
            if not asked[-1]:
                return False
        out.print("Writing ...")
        return True

    report = imports.import_file(ctx, confirm=confirm, progress=checking, **options)
    if report.errors:
        show_report(report, out)
        out.print("[red]Nothing was imported: fix the rows above and run it again.[/]")
        return 1
    if report.applied:
        out.print(f"[green]Imported {args.file.name}:[/] {_counts(report)}.")
        return 0
    if not report.changes_anything:
        out.print("Nothing to change: FarLab already matches the file.")
        return 0
    out.print("Nothing was imported.")
    return 3 if asked else 0


def run_export(ctx: DomainContext, args: argparse.Namespace, out: Console) -> int:
    with out.status(f"Exporting {args.kind} ..."):
        export = exports.export_table(ctx, actor=SYSTEM, kind=args.kind, fmt=args.fmt)
    with export.content:
        if args.output == "-":
            _copy(export.content, sys.stdout.buffer)
            return 0
        target = Path(args.output or export.file_name)
        with target.open("wb") as file:
            _copy(export.content, file)
    out.print(f"Wrote {export.rows:,} {args.kind} rows to {target}.")
    return 0


def _copy(source: IO[bytes], target: IO[bytes]) -> None:
    shutil.copyfileobj(source, target, length=1024 * 1024)


def _counts(report: ImportReport) -> str:
    parts = [
        f"{len(report.created):,} to create"
        if not report.applied
        else f"{len(report.created):,} created",
        f"{len(report.changed):,} to change"
        if not report.applied
        else f"{len(report.changed):,} changed",
        f"{report.unchanged:,} unchanged",
    ]
    if report.deactivated:
        verb = "deactivated" if report.applied else "to deactivate"
        parts.append(f"{len(report.deactivated):,} {verb}")
    if report.errors:
        parts.append(f"{len(report.errors):,} error" + ("s" if len(report.errors) > 1 else ""))
    return ", ".join(parts)


def show_report(report: ImportReport, out: Console) -> None:
    out.print(
        f"[bold]{report.file_name}[/] ({report.kind}, {report.rows:,} rows): {_counts(report)}."
    )
    if report.ignored_columns:
        ignored = ", ".join(repr(c) for c in report.ignored_columns)
        out.print(f"[yellow]Columns FarLab does not know, ignored:[/] {ignored}", markup=True)
    for error in report.errors[:ERRORS_SHOWN]:
        where = f"row {error.row}" if error.row else "file"
        column = f", {error.column}" if error.column else ""
        out.print(f"  [red]{where}{column}:[/] {error.message}", highlight=False)
    if len(report.errors) > ERRORS_SHOWN:
        out.print(f"  ... and {len(report.errors) - ERRORS_SHOWN:,} more errors.")
    for row in (*report.created, *report.changed)[:CHANGES_SHOWN]:
        fields = "; ".join(
            f"{c.field} {c.old} → {c.new}" if c.old else f"{c.field} {c.new}" for c in row.changes
        )
        out.print(f"  row {row.row}: {row.action} {row.key}: {fields}", highlight=False)
    more = len(report.created) + len(report.changed) - CHANGES_SHOWN
    if more > 0:
        out.print(f"  ... and {more:,} more rows.")
