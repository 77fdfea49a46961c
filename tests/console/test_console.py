"""The offline console: transcripts played against the real bot, and how Block Kit is shown."""

from __future__ import annotations

import io
import os
import pty
import select
import subprocess
import sys
import time
from pathlib import Path

import pytest
from rich.console import Console
from rich.style import Style

from bot.blocks import render_link_offer, render_pick_list
from console.line_editing import HISTORY_FILE
from console.lines import ScriptLines
from console.mrkdwn import mrkdwn_to_text
from console.people import local_slack_id, prepare_people
from console.render import BlockRenderer, Numbering, Surface
from console.repl import ConsoleApp
from console.session import SlackSession
from console.settle import settle_runtime
from domain import alerts, instruments, ordering, parts, stock
from domain.context import DomainContext
from domain.permissions import SYSTEM
from persistence.db import Database
from tests.bot.conftest import Lab

ROOT = Path(__file__).resolve().parents[2]
DEMO_SCRIPT = ROOT / "console" / "demo_script.txt"


def run_console(db_path: Path, *args: str, stdin: str = "") -> subprocess.CompletedProcess[str]:
    """``python -m bot console ...`` in a clean environment, without a terminal."""
    env = {
        "PATH": os.environ.get("PATH", ""),
        "PYTHONPATH": str(ROOT),
        "HOME": str(db_path.parent),
        "DATABASE_URL": f"sqlite:///{db_path}",
        "BCRYPT_ROUNDS": "4",
    }
    return subprocess.run(
        [sys.executable, "-m", "bot", "console", *args],
        input=stdin,
        capture_output=True,
        text=True,
        env=env,
        cwd=db_path.parent,
        timeout=120,
        check=False,
    )


@pytest.fixture(scope="module")
def demo_db(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A database with the demo lab, shared by the tests that only read from it."""
    path = tmp_path_factory.mktemp("console") / "farlab.db"
    seeded = run_console(path, "--demo")
    assert seeded.returncode == 0, seeded.stderr
    return path


def write_script(tmp_path: Path, text: str) -> Path:
    script = tmp_path / "steps.txt"
    script.write_text(text, encoding="utf-8")
    return script


# -- whole transcripts, as a person runs them -------------------------------------------
def test_demo_transcript_takes_a_part_acknowledges_its_alert_reorders_it_and_forecasts(
    tmp_path: Path,
) -> None:
    db_path = tmp_path / "farlab.db"
    played = run_console(db_path, "--demo", "--script", str(DEMO_SCRIPT))
    assert played.returncode == 0, played.stdout + played.stderr
    assert "Took 1 pc of FIL-1272 Rhenium filament M10 for MAT253 — 10 left" in played.stdout
    # The alerts seeded with the lab go out at the start, the new one after the step.
    assert "FarLab posted 1 message in #lab: type `channel` to see it." in played.stdout
    assert "#lab · FarLab · updated" in played.stdout
    assert ":eyes: acknowledged" in played.stdout
    assert "Imported demo_parts.csv: 2 created, 1 changed, 0 unchanged." in played.stdout
    # Ten weeks of use: the forecast scan warns about the electron multiplier at 12 left,
    # three times its minimum, where no low-stock alert is open.
    assert "Forecast: ELE-3001 Electron multiplier: at 1.9/week, 12 pcs left" in played.stdout
    assert "usage-ELE-3001-12w.png · PNG" in played.stdout  # /farlab usage sent its chart
    assert "minimum 4 → suggested 13" in played.stdout  # and /farlab minimums lists it
    assert played.stderr == ""
    ctx = DomainContext(db=Database.from_url(f"sqlite:///{db_path}"), secret_key="x" * 40)
    tips = parts.find_part(ctx, actor=SYSTEM, ref="TIP-2002")
    assert (tips.name, tips.quantity_in_stock) == ("Pipette tips, 1 ml", 500)
    part = parts.search_parts(ctx, actor=SYSTEM, query="FIL-1272").items[0]
    assert part.quantity_in_stock == 20  # 11, one taken, then the order of 10 received
    history = stock.part_history(ctx, actor=SYSTEM, part_id=part.id).items
    assert [(h.delta, h.source, h.instrument_name) for h in history[:3]] == [
        (6, "order", None),
        (4, "order", None),
        (-1, "slack", "MAT253"),
    ]
    assert history[0].reason == "Order #1 (PO-2026-118) received"
    [alert] = alerts.list_alerts(ctx, actor=SYSTEM, part_id=part.id, limit=5).items
    assert (alert.status, alert.channel_id) == ("resolved", "C0LAB")
    [order] = ordering.list_orders(ctx, actor=SYSTEM, part_id=part.id).items
    assert (order.state, order.quantity_received, order.requested_by) == (
        "received",
        10,
        "phd.sara",
    )
    multiplier = parts.find_part(ctx, actor=SYSTEM, ref="ELE-3001")
    assert (multiplier.quantity_in_stock, multiplier.minimum_stock_level) == (12, 4)
    [warning] = alerts.list_alerts(ctx, actor=SYSTEM, part_id=multiplier.id, limit=5).items
    assert (warning.kind, warning.status, warning.channel_id) == ("forecast", "open", "C0LAB")


@pytest.mark.parametrize(
    ("steps", "failure"),
    [
        ("/farlab whoami\nexpect text that is not there\n", "line 2: Expected"),
        ("# a note\n/farlab whoami\npress 9\n", "line 3: There is no button 9"),
        ("/farlab whoami\nsubmit\n", "line 2: No modal is open."),
        ("/farlab whoami\nhome\npress 2\npress 1\n", "line 4: A modal is open"),
    ],
)
def test_a_failing_step_stops_the_script_with_an_error(
    demo_db: Path, tmp_path: Path, steps: str, failure: str
) -> None:
    script = write_script(tmp_path, steps + "/farlab help\n")
    played = run_console(demo_db, "--script", str(script))
    assert played.returncode == 1
    assert f"Script stopped at steps.txt {failure}" in played.stdout
    assert "FarLab commands" not in played.stdout  # nothing after the failed step ran


def test_a_closed_input_ends_the_console_cleanly(demo_db: Path) -> None:
    ended = run_console(demo_db, "--as", "lab.manager", stdin="/farlab whoami\n")
    assert ended.returncode == 0, ended.stderr
    assert "You are lab.manager (manager)" in ended.stdout
    assert "Ingrid Haugen" in ended.stdout
    assert "Traceback" not in ended.stderr


# -- in process, on SQLite and PostgreSQL: a modal with pickers and an inline error -----
def test_quick_use_from_home_searches_parts_and_shows_the_refusal_in_the_modal(
    lab: Lab, tmp_path: Path
) -> None:
    part = parts.create_part(
        lab.ctx, actor=SYSTEM, part_number="TST-100", name="Test filament", quantity_in_stock=5
    )
    instruments.create_instrument(lab.ctx, actor=SYSTEM, name="Spectrometer", model="S-1")
    script = write_script(
        tmp_path,
        f"as {lab.actors['member'].username}\n"
        "home\npress 2\nexpect Use a part\n"
        "1\nTST\nfield 2 50\nsubmit\nexpect Not enough stock\n"
        "field How many to take 2\nfield For instrument spec\nsubmit\n"
        "expect Took 2 pcs of TST-100 Test filament for Spectrometer — 3 left\n"
        "dms\nexpect Took 2 pcs\n",
    )
    out = io.StringIO()
    console = Console(file=out, width=100, force_terminal=False, highlight=False, emoji=False)
    executor = settle_runtime(lab.harness.runtime)
    session = SlackSession(lab.harness, prepare_people(lab.ctx, lab.harness.stand_in), executor)
    status = ConsoleApp(session, console, ScriptLines(script, console)).run()
    assert status == 0, out.getvalue()
    assert "FarLab · direct message" in out.getvalue()
    assert parts.get_part(lab.ctx, actor=SYSTEM, part_id=part.id).quantity_in_stock == 3


# -- rendering ---------------------------------------------------------------------------
def test_mrkdwn_becomes_styled_text_with_entities_unescaped() -> None:
    text = mrkdwn_to_text(
        "*FIL-1002* &lt;Rhenium&gt; _fresh_ ~old~ `code` &amp;lt; :warning: snake_case_name",
        name_of=lambda _user_id: "phd.sara",
    )
    assert text.plain == "FIL-1002 <Rhenium> fresh old code &lt; :warning: snake_case_name"
    styled = {text.plain[s.start : s.end]: s.style for s in text.spans}
    assert styled["FIL-1002"] == Style(bold=True)
    assert styled["fresh"] == Style(italic=True)
    assert styled["old"] == Style(strike=True)
    assert isinstance(styled["code"], Style)
    assert styled["code"].color is not None
    assert "snake" not in " ".join(styled)


def test_mrkdwn_links_mentions_and_dates_show_their_labels() -> None:
    text = mrkdwn_to_text(
        "<https://lab.example/a?b=1&amp;c=2|the page> <https://x.example> <@UPHDSARA> "
        "<#C0LAB|lab> <!here> <!date^1700049600^{date_short}|15 Nov 2023> *bold <https://y.example|y>*",
        name_of={"UPHDSARA": "phd.sara"}.__getitem__,
    )  # noon UTC: the same day in the machine's zone, whichever it is (but UTC+12 and more)
    assert text.plain == ("the page https://x.example @phd.sara #lab @here Nov 15, 2023 bold y")
    links = {text.plain[s.start : s.end]: s.style for s in text.spans}
    page = links["the page"]
    assert isinstance(page, Style)
    assert page.link == "https://lab.example/a?b=1&c=2"
    assert isinstance(links["y"], Style)
    assert links["y"].bold


def test_buttons_are_numbered_in_the_order_shown_and_url_buttons_show_their_url() -> None:
    picks = render_pick_list(
        "Which part?", [("FIL-1 Rhenium", {"id": 1}), ("FIL-2 Tungsten", {"id": 2})]
    )
    link = render_link_offer("https://farlab.example/link/abc", 10)
    numbering = Numbering()
    renderer = BlockRenderer(numbering)
    first = Surface("ephemeral", {**picks, "channel": "C0LAB", "ts": "1.1"})
    second = Surface("message", {**link, "channel": "DUPHDSARA", "ts": "1.2"})
    shown = renderer.card(first, "picks").plain + renderer.card(second, "link").plain
    assert [(b.number, b.label) for b in numbering.buttons] == [
        (1, "Choose"),
        (2, "Choose"),
        (3, "Open link page"),
    ]
    assert [b.element.get("value") for b in numbering.buttons[:2]] == [
        picks["blocks"][1]["accessory"]["value"],
        picks["blocks"][2]["accessory"]["value"],
    ]
    assert numbering.buttons[2].surface is second
    assert "[2] Choose" in shown
    assert "[3] Open link page → https://farlab.example/link/abc" in shown


def test_local_slack_ids_are_made_from_the_username() -> None:
    assert local_slack_id("phd.sara") == "UPHDSARA"
    assert local_slack_id("a" * 40) == "U" + "A" * 31
    assert local_slack_id("a" * 40, "17") == "U" + "A" * 29 + "17"


def test_the_console_starts_as_the_first_admin_and_says_so(demo_db: Path) -> None:
    started = run_console(demo_db, stdin="/farlab whoami\n")
    assert started.returncode == 0, started.stderr
    said = " ".join(started.stdout.split())
    assert "You are admin.demo (admin), Ada Admin, the first admin account;" in said
    assert "admin.demo@farlab.example" in said  # /farlab whoami, as that account


def test_a_piped_console_keeps_no_history(demo_db: Path) -> None:
    ended = run_console(demo_db, stdin="users\n")
    assert ended.returncode == 0, ended.stderr
    assert "phd.sara" in ended.stdout
    assert not (demo_db.parent / HISTORY_FILE).exists()


def test_at_a_terminal_tab_completes_and_the_lines_are_kept_in_the_history(
    demo_db: Path, tmp_path: Path
) -> None:
    env = {
        "PATH": os.environ.get("PATH", ""),
        "PYTHONPATH": str(ROOT),
        "HOME": str(tmp_path),
        "TERM": "xterm",
        "DATABASE_URL": f"sqlite:///{demo_db}",
        "BCRYPT_ROUNDS": "4",
    }
    terminal, its_end = pty.openpty()
    process = subprocess.Popen(
        [sys.executable, "-m", "bot", "console"],
        stdin=its_end,
        stdout=its_end,
        stderr=its_end,
        env=env,
        cwd=tmp_path,
    )
    os.close(its_end)
    try:
        shown = _read_until(terminal, "(admin)] > ")
        os.write(terminal, b"stud\t")  # no step starts so: nothing to complete
        os.write(terminal, b"\x15us\t\r")  # Ctrl-U empties the line; "us" + Tab is "users"
        shown = _read_until(terminal, "student.jonas")
        os.write(terminal, b"quit\r")
        assert process.wait(timeout=60) == 0
    finally:
        process.kill()
        os.close(terminal)
    assert "users" in shown
    assert (tmp_path / HISTORY_FILE).read_text().split() == ["users", "quit"]


def _read_until(terminal: int, text: str, timeout: float = 60.0) -> str:
    """What the terminal showed until ``text`` appeared (escape codes and all)."""
    shown = b""
    deadline = time.monotonic() + timeout
    while text.encode() not in shown:
        remaining = deadline - time.monotonic()
        if remaining <= 0:
            raise AssertionError(f"{text!r} did not appear; the terminal showed {shown!r}")
        ready, _, _ = select.select([terminal], [], [], remaining)
        if ready:
            shown += os.read(terminal, 4096)
    return shown.decode(errors="replace")
