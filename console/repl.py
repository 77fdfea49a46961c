"""The console's loop: read a line, do it against the real bot, show what changed.

Scripts are the same lines; a step that cannot be done (or an ``expect`` that is not met)
stops a script with a non-zero exit.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping, Sequence
from typing import Any

from rich.console import Console
from rich.style import Style
from rich.table import Table
from rich.text import Text

from console.display import Display, modal_hint
from console.errors import StepFailed
from console.file_steps import FileSteps
from console.line_editing import complete, farlab_words
from console.lines import Lines, ScriptLines
from console.modal_steps import ModalSteps
from console.render import DIM, ERROR, BlockRenderer, ButtonRef, Card, Numbering, Surface
from console.session import Change, SlackSession
from console.workspace_steps import WorkspaceSteps

HELP = """\
/farlab <text>        run a FarLab command in #lab (try /farlab help)
press N  (or just N)  press button [N] of the latest output; open N opens a link button's page
field N value         fill input (N) of the open modal (by number, id or label); N alone asks
                      (a file input takes a path: field 1 ~/lab.csv)
fill                  go through every input of the open modal; clear N empties one
submit | cancel       send or close the open modal; modal shows it again
home                  open FarLab's Home tab
dms | channel         FarLab's direct messages to you | the latest messages in #lab
save N [path]         save file [file N] of the latest output (default: this folder)
users | as NAME       the people you can act as | act as another one
slack-user add NAME [email]   a new Slack user without a FarLab account (to invite)
tick [JOB ...]        run every scheduled job (or those named) once now (alerts go out after
                      each step anyway); also `jobs`
expect TEXT           check that TEXT was in the latest output (for scripts)
help | quit           (Tab completes steps, /farlab commands and names at a terminal)"""

_SPACES = re.compile(r"\s+")
CHANNEL_SHOWN = 10


class ConsoleApp:
    def __init__(self, session: SlackSession, console: Console, lines: Lines) -> None:
        self.session = session
        self.console = console
        self.lines = lines
        self.buttons: list[ButtonRef] = []
        self.last_output = ""
        self.modals = ModalSteps(self)
        self.workspace = WorkspaceSteps(self)
        self.files = FileSteps(self)
        self.display = Display(session, self.modals.form_of)
        self.steps: dict[str, Callable[[str], None]] = {
            "help": lambda _rest: self.say(HELP),
            "users": lambda _rest: self.show_users(),
            "as": self.act_as,
            "home": lambda _rest: self.show(self.session.open_home()),
            "press": self.press,
            "open": self.open_link,
            "dms": lambda _rest: self.show_surfaces(self.session.dms(), "No direct messages yet."),
            "channel": lambda _rest: self.show_surfaces(
                self.session.channel()[-CHANNEL_SHOWN:], "No messages in #lab yet."
            ),
            "expect": self.expect,
            **self.modals.steps(),
            **self.workspace.steps(),
            **self.files.steps(),
        }
        self.farlab_words = farlab_words()

    @property
    def scripted(self) -> bool:
        return isinstance(self.lines, ScriptLines)

    def completions(self, line: str) -> list[str]:
        """What Tab offers after ``line``: steps, ``/farlab`` subcommands, usernames."""
        steps = [*self.steps, "quit"]
        people = [p.username for p in self.session.people]
        return complete(line, steps=steps, farlab=self.farlab_words, people=people)

    # -- the loop ----------------------------------------------------------------------
    def run(self) -> int:
        person = self.session.person
        if person is None:
            self.say("There is no FarLab account yet: run `python -m bot console --demo`.")
            return 1
        how = ", the first admin account" if person.role == "admin" else ""
        self.say(
            f"You are {person.label}, {person.full_name}{how}; `as NAME` (or --as NAME at the "
            "start) acts as someone else. Type `help` for what you can do."
        )
        try:
            self.workspace.deliver_at_start()
            return self.loop()
        finally:
            self.workspace.close()

    def loop(self) -> int:
        while True:
            line = self.lines.read(self.prompt())
            if line is None:
                return 0
            line = line.strip()
            if line.lower() in ("quit", "exit"):
                return 0
            try:
                self.step(line)
            except StepFailed as exc:
                self.console.print(Text(f"✗ {exc}", style=ERROR))
                if isinstance(self.lines, ScriptLines):
                    where = f"{self.lines.path.name} line {self.lines.line_number}"
                    self.console.print(Text(f"Script stopped at {where}: {exc}", style=ERROR))
                    return 1

    def prompt(self) -> Text:
        person = self.session.person
        where = person.label if person else "nobody"
        view = self.session.modal()
        if view is not None:
            where += f" · {(view.get('title') or {}).get('text', 'modal')}"
        return Text(f"[{where}] > ", style="bold cyan")

    def step(self, line: str) -> None:
        if not line:
            return
        if line.startswith("/"):
            command, _, text = line.partition(" ")
            if command.lower() != "/farlab":
                raise StepFailed(f"{command} is not a FarLab command; type /farlab help.")
            self.show(self.session.command(text.strip()))
            return
        if line.isdigit():  # in an open modal, a number is one of its inputs
            if self.session.modal() is not None:
                self.modals.field(line)
            else:
                self.press(line)
            return
        name, _, rest = line.partition(" ")
        step = self.steps.get(name.lower())
        if step is None:
            raise StepFailed(f"Unknown step {name!r}; type help for what you can do.")
        step(rest.strip())

    # -- output ------------------------------------------------------------------------
    def show(
        self, changes: Sequence[Change], *, notes: Sequence[str] = (), before: Sequence[Card] = ()
    ) -> None:
        """Print what changed (after ``notes`` and the cards ``before``); its buttons become
        the ones ``press N`` refers to."""
        numbering = Numbering()
        cards = [Card(Text(n), n) for n in notes] + list(before)
        cards += self.display.cards(changes, numbering)
        if not cards:
            cards = [Card(Text("Nothing changed.", style=DIM), "Nothing changed.")]
        self.print_cards(cards, numbering)
        for failed in self.session.take_failed_jobs():
            words = failed.job_id.replace("_", " ")
            self.console.print(Text(f"⚠ FarLab's {words} job failed: {failed.detail}", ERROR))
        if any(c.surface.kind == "modal" and c.status != "removed" for c in changes):
            view = self.session.modal()
            if view is not None:
                self.console.print(modal_hint(self.modals.form_of(view)))

    def show_surfaces(self, surfaces: Sequence[Surface], empty: str) -> None:
        if not surfaces:
            self.say(empty)
            return
        self.show([Change(surface, "shown") for surface in surfaces])

    def print_cards(self, cards: Sequence[Card], numbering: Numbering) -> None:
        for card in cards:
            self.console.print(card.renderable)
        self.last_output = "\n".join(card.plain for card in cards)
        if numbering.buttons:
            self.buttons = numbering.buttons
        if numbering.files:
            self.files.shown = numbering.files

    def say(self, text: str, *, style: str | Style = "") -> None:
        self.console.print(Text(text, style=style))
        self.last_output = text

    # -- steps -------------------------------------------------------------------------
    def act_as(self, username: str) -> None:
        if not username:
            raise StepFailed("Say who: as USERNAME (see users).")
        person = self.session.act_as(username)
        self.say(f"You are now {person.label}, {person.full_name}.")

    def show_users(self) -> None:
        self.session.refresh_people()
        table = Table("", "account", "name", "role", "Slack user", box=None)
        for person in self.session.people:
            you = "→" if person is self.session.person else ""
            table.add_row(
                you, person.username, person.full_name, person.about, person.slack_user_id or "-"
            )
        self.console.print(table)
        self.last_output = "\n".join(
            f"{p.username} {p.full_name} {p.about} {p.slack_user_id or '-'}"
            for p in self.session.people
        )

    def press(self, rest: str, *, link_only: bool = False) -> None:
        ref = self.button(rest)
        view = self.session.modal()
        if view is not None and ref.surface.key != ("modal", str(view.get("id"))):
            raise StepFailed("A modal is open and covers the rest: submit or cancel it first.")
        if link_only and ref.url is None:
            raise StepFailed(
                f"Button {ref.number} ({ref.label}) opens no page; press {ref.number}."
            )
        if ref.element.get("confirm") and not self.confirmed(ref.element["confirm"]):
            self.say("Not done.")
            return
        values = self.modals.form_of(view).values() if view is not None else None
        changes = self.session.press(ref, values)
        if ref.url and self.workspace.is_own_page(ref.url):
            note = f"Opening {ref.url.partition('?')[0]} in the console's browser."
            self.workspace.browse(ref.url, leading=[Card(Text(note), note)])
            return
        self.show(changes, notes=[f"Opening {ref.url} in your browser."] if ref.url else [])

    def open_link(self, rest: str) -> None:
        self.press(rest, link_only=True)

    def button(self, rest: str) -> ButtonRef:
        if not rest.isdigit():
            raise StepFailed("Say which button: press N.")
        number = int(rest)
        if not 1 <= number <= len(self.buttons):
            shown = f"1 to {len(self.buttons)}" if self.buttons else "none"
            raise StepFailed(
                f"There is no button {number} in the latest output (buttons: {shown})."
            )
        return self.buttons[number - 1]

    def confirmed(self, dialog: Mapping[str, Any]) -> bool:
        """Slack's confirm dialog: the title and text, then yes or no."""
        title = (dialog.get("title") or {}).get("text", "Are you sure?")
        ok = (dialog.get("confirm") or {}).get("text", "Yes")
        self.console.print(Text(title, style="bold"))
        self.console.print(
            BlockRenderer(Numbering(), name_of=self.session.name_of).text(dialog.get("text"))
        )
        answer = self.lines.read(Text(f"{ok}? [y/N] ", style="bold"))
        return answer is not None and answer.strip().lower() in ("y", "yes", ok.lower())

    def expect(self, text: str) -> None:
        """``expect TEXT``: TEXT appears in the latest output (line breaks aside)."""
        if not text:
            raise StepFailed("Say what to expect: expect TEXT.")
        if _normal(text) not in _normal(self.last_output):
            raise StepFailed(f"Expected {text!r} in the latest output, but it is not there.")
        self.console.print(Text(f"✓ {text}", style=DIM))


def _normal(text: str) -> str:
    return _SPACES.sub(" ", text).strip()
