"""Playing a console script in this process against the bot tests' lab (SQLite and
PostgreSQL), with the scheduler's jobs wired in as ``python -m bot console`` wires them."""

from __future__ import annotations

import io
from pathlib import Path

from rich.console import Console

from console.jobs import ConsoleJobs, console_schedule
from console.lines import ScriptLines
from console.people import prepare_people
from console.repl import ConsoleApp
from console.session import CHANNEL, SlackSession
from console.settle import settle_runtime
from tests.bot.conftest import Lab


def console_session(lab: Lab) -> SlackSession:
    executor = settle_runtime(lab.harness.runtime)
    jobs = ConsoleJobs(lab.ctx, lab.harness.client, console_schedule(CHANNEL))
    people = prepare_people(lab.ctx, lab.harness.stand_in)
    return SlackSession(lab.harness, people, executor, jobs)


def play(lab: Lab, tmp_path: Path, steps: str) -> tuple[int, str]:
    """Play ``steps`` as a script; the exit status and everything printed."""
    script = tmp_path / "steps.txt"
    script.write_text(steps, encoding="utf-8")
    out = io.StringIO()
    console = Console(file=out, width=100, force_terminal=False, highlight=False, emoji=False)
    status = ConsoleApp(console_session(lab), console, ScriptLines(script, console)).run()
    return status, out.getvalue()
