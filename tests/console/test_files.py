"""Files in the console, end to end: a manager fills the import form's file input with a
path on this computer, gets the preview by DM, imports it; an export lands in the DMs and
``save`` writes it to disk."""

from __future__ import annotations

from pathlib import Path

from domain import imports, instruments, parts
from domain.permissions import SYSTEM
from tests.bot.conftest import Lab
from tests.console.support import play

LAB_CSV = "Part No,Name,Qty,Instruments\nFIL-1,Rhenium filament,12,MAT253\nGSK-7,Gasket,40,\n"


def _lab_file(tmp_path: Path, text: str = LAB_CSV, name: str = "lab.csv") -> Path:
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return path


def test_a_manager_imports_a_local_file_after_its_preview(lab: Lab, tmp_path: Path) -> None:
    instruments.create_instrument(lab.ctx, actor=SYSTEM, name="MAT253", model="MAT 253")
    path = _lab_file(tmp_path)
    manager = lab.actors["manager"].username
    status, out = play(
        lab,
        tmp_path,
        f"as {manager}\n/farlab import\nexpect Import a file\n"
        "expect (1) CSV or Excel (XLSX) file  a file on this computer: its path (csv, xlsx)\n"
        f"field 1 {path}\nexpect (1) CSV or Excel (XLSX) file = lab.csv\nsubmit\n"
        "expect FarLab · direct message\n"
        "expect Preview of lab.csv (parts, 2 rows): 2 to create, 0 to change, 0 unchanged.\n"
        "expect [1] Import  [2] Cancel\n"
        "press 1\nexpect FarLab · direct message · updated\n"
        "expect Imported lab.csv: 2 created, 0 changed, 0 unchanged.\n",
    )
    assert status == 0, out
    assert parts.find_part(lab.ctx, actor=SYSTEM, ref="GSK-7").quantity_in_stock == 40


def test_a_relative_path_in_a_script_is_found_beside_the_script(lab: Lab, tmp_path: Path) -> None:
    _lab_file(tmp_path, "PN,Name,Qty\nA-1,Bolt,2.5\n", name="bad.csv")
    status, out = play(
        lab,
        tmp_path,
        "/farlab import\nfield 1 bad.csv\nsubmit\n"
        "expect row 2, Qty: '2.5' is not a whole number\n"
        "expect Nothing can be imported until every row is right\n",
    )
    assert status == 0, out
    assert "[1] Import" not in out


def test_the_file_input_takes_only_existing_files_of_its_types(lab: Lab, tmp_path: Path) -> None:
    _lab_file(tmp_path, "%PDF-1.7", name="lab.pdf")
    status, out = play(lab, tmp_path, "/farlab import\nfield 1 lab.pdf\n")
    assert status == 1
    assert "CSV or Excel (XLSX) file: Slack takes only csv, xlsx files here." in out
    status, out = play(lab, tmp_path, "/farlab import\nfield 1 nowhere/lab.csv\n")
    assert status == 1
    assert "There is no file at nowhere/lab.csv." in out


def test_an_export_in_the_dms_is_saved_to_disk_and_imports_back_unchanged(
    lab: Lab, tmp_path: Path
) -> None:
    imports.import_file(
        lab.ctx, actor=SYSTEM, kind="parts", data=b"PN,Name,Qty\nA-1,Bolt,3\n", file_name="a.csv"
    )
    saved = tmp_path / "saved"
    saved.mkdir()
    status, out = play(
        lab,
        tmp_path,
        "/farlab export parts\nexpect Sent farlab-parts-\n"
        "dms\nexpect [file 1] farlab-parts-\n"
        f"save 1 {saved}\nexpect Saved farlab-parts-\n"
        f"save 1 {saved}\n",
    )
    assert status == 1  # the second save refuses to overwrite the first
    assert "exists already; give another path: save N [path]." in out
    [written] = saved.iterdir()
    assert written.name.startswith("farlab-parts-")
    again = imports.preview_import(
        lab.ctx,
        actor=lab.actors["manager"],
        kind="parts",
        data=written.read_bytes(),
        file_name=written.name,
    )
    assert (again.created, again.changed, again.unchanged) == ((), (), 1)


def test_save_names_the_files_there_are(lab: Lab, tmp_path: Path) -> None:
    status, out = play(lab, tmp_path, "dms\nsave 1\n")
    assert status == 1
    assert "There is no file 1 in the latest output (files: none)." in out
