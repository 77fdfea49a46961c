"""Where the console's input comes from: the keyboard, or a script played line by line."""

from __future__ import annotations

from pathlib import Path
from typing import Protocol

from rich.console import Console
from rich.text import Text

from console.line_editing import LineEditing
from console.render import DIM

SECRET_SHOWN = "********"  # noqa: S105 - how a script's answer to a hidden question is echoed


class Lines(Protocol):
    def read(self, prompt: Text, *, secret: bool = False) -> str | None:
        """The next line typed after ``prompt`` (not shown if ``secret``); None when there
        are no more."""


class TerminalLines:
    """The keyboard; with ``editing``, readline's line editing, history and completion."""

    def __init__(self, console: Console, editing: LineEditing | None = None) -> None:
        self.console = console
        self.editing = editing

    def read(self, prompt: Text, *, secret: bool = False) -> str | None:
        try:
            if self.editing is None or secret:
                return self.console.input(prompt, password=secret)
            with self.console.capture() as shown:
                self.console.print(prompt, end="")
            return self.editing.input(shown.get())
        except (EOFError, KeyboardInterrupt):  # a closed input or Ctrl-C/Ctrl-D: leave
            self.console.print()
            return None


class ScriptLines:
    """A transcript's lines as if typed (each echoed after its prompt); ``#`` lines are notes."""

    def __init__(self, path: Path, console: Console) -> None:
        self.path = path
        self.console = console
        self.lines = path.read_text(encoding="utf-8").splitlines()
        self.line_number = 0

    def read(self, prompt: Text, *, secret: bool = False) -> str | None:
        while self.line_number < len(self.lines):
            text = self.lines[self.line_number].strip()
            self.line_number += 1
            if not text:
                self.console.print()
            elif text.startswith("#"):
                self.console.print(Text(text, style=DIM))
            else:
                self.console.print(prompt + Text(SECRET_SHOWN if secret else text, style="bold"))
                return text
        return None
