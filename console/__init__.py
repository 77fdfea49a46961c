"""The offline Slack console: a terminal Slack over the Slack stand-in and the real bot.

``python -m bot console [--demo] [--as USER] [--script FILE]``: type ``/farlab ...`` as any
FarLab account, press buttons by number, fill in modals, open Home, read DMs, see alerts
arrive in #lab (the scheduler's jobs run against the stand-in too).
"""

from __future__ import annotations

import logging
import sys
from pathlib import Path

from rich.console import Console

from console.errors import StepFailed
from console.harness import SlackHarness
from console.jobs import ConsoleJobs, console_schedule
from console.line_editing import LineEditing
from console.lines import Lines, ScriptLines, TerminalLines
from console.people import prepare_people
from console.repl import ConsoleApp
from console.session import CHANNEL, SlackSession
from console.settle import settle_runtime
from domain.context import DomainContext
from scheduler.jobs import AlertSchedule

WIDTH_WITHOUT_TERMINAL = 100


def make_console() -> Console:
    """A rich console; without a terminal, plain text 100 columns wide."""
    if sys.stdout.isatty():
        return Console(highlight=False, emoji=False)
    return Console(force_terminal=False, width=WIDTH_WITHOUT_TERMINAL, highlight=False, emoji=False)


def quiet_logging() -> None:
    """Logs would cut through the conversation: only warnings and errors (on stderr)."""
    root = logging.getLogger()
    root.setLevel(max(root.level, logging.WARNING))


def run_console(
    ctx: DomainContext,
    *,
    as_user: str | None = None,
    script: Path | None = None,
    console: Console | None = None,
    schedule: AlertSchedule | None = None,
) -> int:
    """Run the console (or play ``script``); the exit status. ``schedule``: the settings'
    values for the scheduler's jobs (alerts always go to the console's #lab)."""
    console = console or make_console()
    if script is not None and not script.is_file():
        console.print(f"No script at {script}.", markup=False)
        return 2
    with SlackHarness(ctx, alert_channel=CHANNEL) as harness:
        executor = settle_runtime(harness.runtime)
        jobs = ConsoleJobs(ctx, harness.client, console_schedule(CHANNEL, schedule))
        people = prepare_people(ctx, harness.stand_in)
        session = SlackSession(harness, people, executor, jobs)
        if as_user:
            try:
                session.act_as(as_user)
            except StepFailed as exc:
                console.print(f"error: {exc}", markup=False)
                return 2
        return _play(session, console, script)


def _play(session: SlackSession, console: Console, script: Path | None) -> int:
    terminal = TerminalLines(console)
    lines: Lines = ScriptLines(script, console) if script else terminal
    app = ConsoleApp(session, console, lines)
    if script is None and sys.stdin.isatty():  # at a terminal only, never for pipes
        terminal.editing = LineEditing.start(app.completions)
    try:
        return app.run()
    except KeyboardInterrupt:  # Ctrl-C while the bot was answering: leave quietly
        console.print()
        return 130
    finally:
        if terminal.editing is not None:
            terminal.editing.save()


__all__ = ["make_console", "quiet_logging", "run_console"]
