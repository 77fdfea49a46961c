"""Files in the console: a modal's file input is filled with a path on this computer (the
file is uploaded to the local Slack as Slack's client uploads it, and the submission carries
it as Slack's does), and a file FarLab shared in a message is saved with ``save N [path]``.

A relative path is found from the current folder; while a script plays, from the script's
folder too (so ``console/demo_script.txt`` finds ``demo_parts.csv`` beside it).
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING

from console.errors import StepFailed
from console.lines import ScriptLines
from console.modal import ModalField
from console.render import FileRef, file_size

if TYPE_CHECKING:
    from console.repl import ConsoleApp

SAVE_USAGE = "save N [path]"


class FileSteps:
    def __init__(self, app: ConsoleApp) -> None:
        self.app = app
        self.shown: list[FileRef] = []  # the files of the latest output that showed any

    def steps(self) -> dict[str, Callable[[str], None]]:
        return {"save": self.save}

    # -- a file input ------------------------------------------------------------------
    def pick(self, target: ModalField, typed: str) -> None:
        """Upload the file at ``typed`` as the person and make it the input's answer."""
        path = self.local_file(typed)
        allowed = [str(t).lower() for t in target.element.get("filetypes") or []]
        if allowed and path.suffix.lower().lstrip(".") not in allowed:
            raise StepFailed(f"{target.label}: Slack takes only {', '.join(allowed)} files here.")
        session = self.app.session
        file_id = session.stand_in.add_file(path.name, path.read_bytes(), user=session.user_id)
        target.answer, target.cleared = [session.stand_in.file_info(file_id)], False

    def local_file(self, typed: str) -> Path:
        text = typed.strip().strip("\"'")
        if not text:
            raise StepFailed("Give the path of a file on this computer.")
        path = Path(text).expanduser()
        candidates = [path] if path.is_absolute() else [Path.cwd() / path]
        if not path.is_absolute() and isinstance(self.app.lines, ScriptLines):
            candidates.append(self.app.lines.path.parent / path)
        for candidate in candidates:
            if candidate.is_file():
                return candidate
        raise StepFailed(f"There is no file at {text}.")

    # -- saving a shared file ----------------------------------------------------------
    def save(self, rest: str) -> None:
        """``save N [path]``: file N of the latest output, into ``path`` (a folder or a new
        file's name; by default the current folder, under the file's own name)."""
        number, _, where = rest.partition(" ")
        if not number.isdigit():
            raise StepFailed(f"Say which file: {SAVE_USAGE}.")
        if not 1 <= int(number) <= len(self.shown):
            shown = f"1 to {len(self.shown)}" if self.shown else "none"
            raise StepFailed(f"There is no file {number} in the latest output (files: {shown}).")
        ref = self.shown[int(number) - 1]
        target = self.target(ref, where.strip().strip("\"'"))
        try:
            data = self.app.session.stand_in.file_bytes(str(ref.file.get("id")))
        except KeyError:
            raise StepFailed(f"{ref.name} is no longer in Slack.") from None
        target.write_bytes(data)
        self.app.say(f"Saved {ref.name} ({file_size(len(data))}) to {target}.")

    def target(self, ref: FileRef, where: str) -> Path:
        path = Path(where).expanduser() if where else Path.cwd()
        if path.is_dir():
            path = path / Path(ref.name).name
        if path.exists():
            raise StepFailed(f"{path} exists already; give another path: {SAVE_USAGE}.")
        if not path.parent.is_dir():
            raise StepFailed(f"There is no folder {path.parent}.")
        return path
