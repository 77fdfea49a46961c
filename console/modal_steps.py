"""The steps for an open modal: field, clear, fill, submit, cancel and modal."""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping
from typing import TYPE_CHECKING, Any

from rich.text import Text

from console.errors import StepFailed
from console.modal import ModalField, ModalForm, Option, pick_option, set_answer
from console.render import EMPTY, ERROR, Surface, describe_element, option_text, options_line
from console.session import Change

if TYPE_CHECKING:
    from console.repl import ConsoleApp

SLACK_MIN_QUERY = 3  # what Slack waits for when an external select does not say
CHANNEL_ID = re.compile(r"[CG][A-Z0-9]{2,31}")  # a channel the workspace has no name for


class ModalSteps:
    def __init__(self, app: ConsoleApp) -> None:
        self.app = app
        self.forms: dict[str, ModalForm] = {}

    def steps(self) -> dict[str, Callable[[str], None]]:
        return {
            "field": self.field,
            "clear": self.clear,
            "fill": lambda _rest: self.fill(),
            "submit": lambda _rest: self.submit(),
            "cancel": lambda _rest: self.cancel(),
            "modal": lambda _rest: self.show(),
        }

    def form_of(self, view: Mapping[str, Any]) -> ModalForm:
        """The form for the view as it is now (answers kept when the app updates it)."""
        view_id = str(view.get("id"))
        form = self.forms.get(view_id)
        if form is None or form.view.get("hash") != view.get("hash"):
            form = ModalForm.of(view, form, self.app.session.channel_name)
            self.forms[view_id] = form
        return form

    def open_form(self) -> ModalForm:
        view = self.app.session.modal()
        if view is None:
            raise StepFailed("No modal is open.")
        return self.form_of(view)

    # -- steps -------------------------------------------------------------------------
    def field(self, rest: str) -> None:
        """``field N value`` (N: number, block id or label); without a value, asks for it."""
        form = self.open_form()
        if not rest:
            raise StepFailed("Say which input: field N value.")
        target, value = form.find(rest)
        if not value:
            answer = self.app.lines.read(self.question(target))
            if answer is None:
                raise StepFailed(f"No value given for ({target.number}) {target.label}.")
            value = answer
        self.answer(form, target, value)

    def clear(self, rest: str) -> None:
        form = self.open_form()
        target, _ = form.find(rest)
        target.answer, target.cleared = None, True
        self.app.say(f"({target.number}) {target.label} = {EMPTY}")

    def fill(self) -> None:
        """Ask for every input in turn; Enter keeps what is there."""
        form = self.open_form()
        for target in form.fields:
            while True:
                answer = self.app.lines.read(self.question(target))
                if answer is None or not answer.strip():
                    break
                try:
                    self.answer(form, target, answer)
                    break
                except StepFailed as exc:
                    if self.app.scripted:
                        raise
                    self.app.console.print(Text(f"✗ {exc}", style=ERROR))
        self.show()

    def submit(self) -> None:
        form = self.open_form()
        missing = form.missing()
        if missing:
            names = ", ".join(f"({f.number}) {f.label}" for f in missing)
            raise StepFailed(f"Fill in {names} first: required.")
        errors, changes = self.app.session.submit(form)
        form.errors = errors
        if errors:
            self.show()
            return
        self.forms.pop(str(form.view.get("id")), None)
        self.app.show(changes)

    def cancel(self) -> None:
        form = self.open_form()
        self.forms.pop(str(form.view.get("id")), None)
        self.app.show(self.app.session.cancel(form.view))

    def show(self) -> None:
        form = self.open_form()
        self.app.show([Change(Surface("modal", form.view), "shown")])

    # -- answering ---------------------------------------------------------------------
    def question(self, target: ModalField) -> Text:
        now = target.shown()
        keeps = f" (Enter keeps {now})" if now else ""
        about = describe_element(target.element)
        return Text(f"({target.number}) {target.label} [{about}]{keeps}: ", style="bold")

    def answer(self, form: ModalForm, target: ModalField, value: str) -> None:
        if target.kind == "file_input":  # a path on this computer, uploaded as Slack does
            self.app.files.pick(target, value)
            self.app.say(f"({target.number}) {target.label} = {target.shown()}")
            return
        set_answer(
            target,
            value,
            lambda field, query: self.search(form, field, query),
            self.user_id_of,
            self.channel_id_of,
        )
        self.app.say(f"({target.number}) {target.label} = {form.value_of(target) or EMPTY}")

    def search(self, form: ModalForm, target: ModalField, query: str) -> Option:
        """Type ``query`` into an external select; pick the option it names, or ask."""
        least = int(target.element.get("min_query_length", SLACK_MIN_QUERY))
        if len(query) < least:
            raise StepFailed(f"{target.label}: type at least {least} characters to search.")
        options = self.app.session.suggest(form.view, target, query)
        if not options:
            raise StepFailed(f"{target.label}: nothing found for {query!r}.")
        wanted = query.lower()
        named = [o for o in options if wanted in _names(o)]
        if len(named) == 1 or len(options) == 1:
            return (named or options)[0]
        self.app.console.print(options_line(options))
        answer = self.app.lines.read(Text(f"Pick one (1-{len(options)}): ", style="bold"))
        if answer is None:
            raise StepFailed(f"{target.label}: nothing picked.")
        return pick_option(options, answer, target.label)

    def user_id_of(self, username: str) -> str:
        for person in self.app.session.people:
            if person.username.lower() == username.strip().lower() and person.slack_user_id:
                return person.slack_user_id
        raise StepFailed(
            f"No Slack user named {username.strip()!r} to pick: `users` lists them, "
            f"`slack-user add {username.strip()}` adds one."
        )

    def channel_id_of(self, typed: str) -> str:
        """A channel picked by its name (``#lab``, ``lab``) or its id (``C0LAB``)."""
        wanted = typed.strip()
        channels = self.app.session.workspace.directory.named_channels()
        named = [c for c, name in channels.items() if name.lower() == wanted.lstrip("#").lower()]
        if named:
            return named[0]
        if wanted in channels or CHANNEL_ID.fullmatch(wanted):
            return wanted
        known = ", ".join(f"#{name}" for name in sorted(channels.values()))
        raise StepFailed(f"No channel {wanted!r} to pick; channels: {known}.")


def _names(option: Mapping[str, Any]) -> set[str]:
    """What an option may be called: its value, its text, its text's first word."""
    text = option_text(option).lower()
    return {str(option.get("value", "")).lower(), text, text.split(" ")[0]}
