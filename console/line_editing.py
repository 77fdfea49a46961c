"""Line editing, history and Tab completion at a terminal, with the standard ``readline``.

Only when the console reads a terminal: scripts and pipes are read as they are, and
leave no history. The history is kept in ``~/.farlab_console_history``.
"""

from __future__ import annotations

import contextlib
import re
from collections.abc import Callable, Iterable, Mapping, Sequence
from pathlib import Path
from types import ModuleType

from bot.blocks.help import COMMANDS

HISTORY_FILE = ".farlab_console_history"
HISTORY_LENGTH = 1000
_ANSI = re.compile(r"(\x1b\[[0-9;]*[A-Za-z])")

Completer = Callable[[str], list[str]]


def farlab_words(commands: Iterable[tuple[str, str]] | None = None) -> dict[str, list[str]]:
    """Each ``/farlab`` subcommand and the words that may follow it (from the usages that
    ``/farlab help`` shows): ``{"part": ["add", "delete", "edit"], "parts": [], ...}``."""
    table = [(t.usage.split()[0], t.usage) for t in COMMANDS] if commands is None else commands
    words: dict[str, set[str]] = {"help": set()}
    for name, usage in table:
        verbs = words.setdefault(name, set())
        for alternative in usage.split(" | "):
            tokens = alternative.split()
            if len(tokens) > 1 and tokens[0] == name and tokens[1][:1].isalpha():
                verbs.update(tokens[1].split("|"))
    return {name: sorted(verbs) for name, verbs in words.items()}


def complete(
    line: str,
    *,
    steps: Sequence[str],
    farlab: Mapping[str, Sequence[str]],
    people: Sequence[str],
) -> list[str]:
    """The words that may complete the last word of ``line`` (the text before the cursor):
    a console step or ``/farlab``, a subcommand and its first word, or a username."""
    *before, current = line.split(" ")
    before = [word.lower() for word in before if word]
    candidates: Iterable[str] = ()
    if not before:
        candidates = [*steps, "/farlab"]
    elif before[0] == "/farlab" and len(before) == 1:
        candidates = farlab
    elif before[0] == "/farlab" and len(before) == 2:
        candidates = farlab.get(before[1], ())
    elif before == ["as"]:
        candidates = people
    wanted = current.lower()
    return sorted({c for c in candidates if c.lower().startswith(wanted)})


class LineEditing:
    """``readline`` set up for the console: Tab completion, and the history file."""

    def __init__(self, readline: ModuleType, completer: Completer, history: Path | None) -> None:
        self.readline = readline
        self.completer = completer
        self.history = history
        self.matches: list[str] = []
        readline.set_completer_delims(" \t\n")
        readline.set_completer(self._complete)
        if "libedit" in (readline.__doc__ or ""):
            readline.parse_and_bind("bind ^I rl_complete")
        else:
            readline.parse_and_bind("tab: complete")
        readline.set_history_length(HISTORY_LENGTH)
        if history is not None and history.is_file():
            with contextlib.suppress(OSError):  # unreadable: no reason not to start
                readline.read_history_file(history)

    @classmethod
    def start(cls, completer: Completer, home: Path | None = None) -> LineEditing | None:
        """Line editing, if this Python has ``readline`` (None otherwise)."""
        try:
            import readline
        except ImportError:
            return None
        history = (home or Path.home()) / HISTORY_FILE
        return cls(readline, completer, history)

    def _complete(self, _text: str, state: int) -> str | None:
        if state == 0:
            buffer = self.readline.get_line_buffer()
            self.matches = self.completer(buffer[: self.readline.get_endidx()])
        return self.matches[state] if state < len(self.matches) else None

    def input(self, prompt: str) -> str:
        """``input()`` with the styled prompt, its escape codes hidden from readline's
        count of the prompt's width."""
        return input(_ANSI.sub(lambda m: f"\001{m.group(1)}\002", prompt))

    def save(self) -> None:
        if self.history is None:
            return
        with contextlib.suppress(OSError):  # e.g. a read-only home: the session is over
            self.readline.write_history_file(self.history)
