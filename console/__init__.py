"""The offline Slack console: a terminal Slack over the Slack stand-in and the real bot.

``python -m bot console [--demo] [--as USER] [--script FILE]``: type ``/farlab ...`` as any
FarLab account, press buttons by number, fill in modals, open Home, read DMs.
"""

from __future__ import annotations

import logging
import sys
from pathlib import Path

from rich.console import Console

from console.errors import StepFailed
from console.harness import SlackHarness
from console.lines import Lines, ScriptLines, TerminalLines
from console.people import prepare_people
from console.repl import ConsoleApp
from console.session import SlackSession
from console.settle import settle_runtime
from domain.context import DomainContext

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
) -> int:
    """Run the console (or play ``script``); the exit status."""
    console = console or make_console()
    if script is not None and not script.is_file():
        console.print(f"No script at {script}.", markup=False)
        return 2
    with SlackHarness(ctx) as harness:
        executor = settle_runtime(harness.runtime)
        session = SlackSession(harness, prepare_people(ctx, harness.stand_in), executor)
        lines: Lines = ScriptLines(script, console) if script else TerminalLines(console)
        if as_user:
            try:
                session.act_as(as_user)
            except StepFailed as exc:
                console.print(f"error: {exc}", markup=False)
                return 2
        try:
            return ConsoleApp(session, console, lines).run()
        except KeyboardInterrupt:  # Ctrl-C while the bot was answering: leave quietly
            console.print()
            return 130


__all__ = ["make_console", "quiet_logging", "run_console"]
