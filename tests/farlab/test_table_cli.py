"""``python -m bot import`` and ``export``, run as a lab's IT person would run them."""

from __future__ import annotations

import csv
import io
from pathlib import Path

from domain import parts, stock
from domain.permissions import SYSTEM
from tests.farlab.test_cli import open_context, run_bot

GOOD = "Part No,Name,Qty,Min,Colour\nA-1,Bolt,3,5,red\nA-2,Nut,2,1,\n"


def _file(tmp_path: Path, text: str, name: str = "lab.csv") -> Path:
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return path


def test_import_prints_the_preview_then_applies_it(tmp_path):
    db = tmp_path / "farlab.db"
    done = run_bot(db, "import", str(_file(tmp_path, GOOD)), "--as", "nobody")
    assert done.returncode == 1
    assert "There is no active account named nobody." in done.stderr
    done = run_bot(db, "import", str(_file(tmp_path, GOOD)))
    assert done.returncode == 0, done.stderr
    assert "lab.csv (parts, 2 rows): 2 to create, 0 to change, 0 unchanged." in done.stdout
    assert "Columns FarLab does not know, ignored: 'Colour'" in done.stdout
    assert "Imported lab.csv: 2 created, 0 changed, 0 unchanged." in done.stdout
    ctx = open_context(db)
    bolt = parts.find_part(ctx, actor=SYSTEM, ref="A-1")
    [row] = stock.part_history(ctx, actor=SYSTEM, part_id=bolt.id).items
    assert (row.source, row.reason, row.delta) == ("import", "Import of lab.csv", 3)
    again = run_bot(db, "import", str(_file(tmp_path, GOOD)))
    assert again.returncode == 0
    assert "Nothing to change: FarLab already matches the file." in again.stdout


def test_a_file_with_errors_exits_1_and_writes_nothing(tmp_path):
    db = tmp_path / "farlab.db"
    bad = _file(tmp_path, "Part No,Name,Qty\nA-1,Bolt,2.5\nA-2,Nut,1\n")
    done = run_bot(db, "import", str(bad))
    assert done.returncode == 1
    assert "row 2, Qty: '2.5' is not a whole number" in done.stdout
    assert "Nothing was imported" in done.stdout
    assert parts.list_parts(open_context(db), actor=SYSTEM).items == ()
    dry = run_bot(db, "import", str(_file(tmp_path, GOOD)), "--dry-run")
    assert (dry.returncode, "2 to create" in dry.stdout) == (0, True)
    assert parts.list_parts(open_context(db), actor=SYSTEM).items == ()


def test_export_writes_a_file_or_standard_output(tmp_path):
    db = tmp_path / "farlab.db"
    assert run_bot(db, "import", str(_file(tmp_path, GOOD))).returncode == 0
    out = run_bot(db, "export", "parts", "-o", "-")
    rows = list(csv.reader(io.StringIO(out.stdout.lstrip("\ufeff"))))
    assert [r[0] for r in rows] == ["part_number", "A-1", "A-2"]
    done = run_bot(db, "export", "links", "--format", "xlsx", "-o", "links.xlsx")
    assert done.returncode == 0
    assert "Wrote 0 links rows to links.xlsx." in done.stdout
    assert (tmp_path / "links.xlsx").read_bytes().startswith(b"PK")
    wrong = run_bot(db, "export", "users")
    assert wrong.returncode == 2
    assert "invalid choice: 'users'" in wrong.stderr


def test_a_large_file_shows_its_progress_and_imports(tmp_path):
    db = tmp_path / "farlab.db"
    rows = "".join(f"B-{n},Bolt {n},{n % 7}\n" for n in range(6000))
    done = run_bot(
        db, "import", str(_file(tmp_path, "PN,Name,Qty\n" + rows)), env={"COLUMNS": "100"}
    )
    assert done.returncode == 0, done.stderr
    assert "Imported lab.csv: 6,000 created, 0 changed, 0 unchanged." in done.stdout
    assert "Writing ..." in done.stdout


def test_the_progress_bar_shows_for_large_files_only():
    from rich.console import Console

    from farlab.table_cli import PROGRESS_FROM, _Bar

    out = io.StringIO()
    bar = _Bar(Console(file=out, force_terminal=True, width=80), "Checking big.csv")
    bar(0, PROGRESS_FROM - 1)
    assert bar.bar is None
    bar(0, PROGRESS_FROM)
    assert bar.bar is not None
    bar(PROGRESS_FROM, PROGRESS_FROM)
    assert bar.bar.finished
    assert "Checking big.csv" in out.getvalue()
