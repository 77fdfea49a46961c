"""Where the console's input comes from: the keyboard, or a script played line by line."""

from __future__ import annotations

from pathlib import Path
from typing import Protocol

from rich.console import Console
from rich.text import Text

from console.render import DIM


class Lines(Protocol):
    def read(self, prompt: Text) -> str | None:
        """The next line typed after ``prompt``; None when there are no more."""


class TerminalLines:
    def __init__(self, console: Console) -> None:
        self.console = console

    def read(self, prompt: Text) -> str | None:
        try:
            return self.console.input(prompt)
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

    def read(self, prompt: Text) -> str | None:
        while self.line_number < len(self.lines):
            text = self.lines[self.line_number].strip()
            self.line_number += 1
            if not text:
                self.console.print()
            elif text.startswith("#"):
                self.console.print(Text(text, style=DIM))
            else:
                self.console.print(prompt + Text(text, style="bold"))
                return text
        return None
