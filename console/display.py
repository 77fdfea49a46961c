"""What changed, as panels: each message or view titled by where it is and who sees it."""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from typing import Any

from rich.text import Text

from console.modal import ModalForm
from console.render import DIM, BlockRenderer, Card, Numbering, Surface
from console.session import Change, SlackSession
from slack_stand_in.identity import BOT_USER_ID, dm_channel

FormOf = Callable[[Mapping[str, Any]], ModalForm]


class Display:
    def __init__(self, session: SlackSession, form_of: FormOf) -> None:
        self.session = session
        self.form_of = form_of

    def cards(self, changes: Sequence[Change], numbering: Numbering) -> list[Card]:
        """A panel per new, updated or shown surface; a line per removed one, and per
        direct message to someone else."""
        return [
            self.removed(change.surface)
            if change.status == "removed"
            else self.elsewhere(change.surface)
            if change.status == "elsewhere"
            else self.card(change.surface, numbering, updated=change.status == "updated")
            for change in changes
        ]

    def card(self, surface: Surface, numbering: Numbering, *, updated: bool = False) -> Card:
        fields = None
        subtitle = None
        if surface.kind == "modal":
            form = self.form_of(surface.data)
            fields = form.shown
            subtitle = _modal_buttons(surface.data)
        renderer = BlockRenderer(numbering, name_of=self.session.name_of, fields=fields)
        title = self.title(surface) + (" · updated" if updated else "")
        return renderer.card(surface, title, subtitle=subtitle)

    def title(self, surface: Surface) -> str:
        data = surface.data
        if surface.kind == "modal":
            return f"Modal: {_text(data.get('title'))}"
        if surface.kind == "home":
            return "FarLab · Home"
        channel = str(data.get("channel", ""))
        if channel == dm_channel(self.session.user_id):
            return "FarLab · direct message"
        where = f"#{self.session.channel_name(channel)}"
        if surface.kind == "ephemeral":
            return f"{where} · FarLab · only you can see this"
        author = str(data.get("user", ""))
        return f"{where} · {'FarLab' if author == BOT_USER_ID else self.session.name_of(author)}"

    def elsewhere(self, surface: Surface) -> Card:
        """``FarLab sent nora a direct message: type `as nora`, then `dms`.``"""
        user_id = str(surface.data.get("channel", "")).removeprefix("D")
        person = self.session.person_of(user_id)
        if person is None:  # someone the console cannot act as
            note = f"FarLab sent {self.session.name_of(user_id)} a direct message."
        else:
            name = person.username
            note = f"FarLab sent {name} a direct message: type `as {name}`, then `dms`."
        return Card(Text(note, style=DIM), note)

    def removed(self, surface: Surface) -> Card:
        if surface.kind == "modal":
            note = f"Modal “{_text(surface.data.get('title'))}” closed."
        elif surface.kind == "home":
            note = "Home closed."
        else:
            note = f"{self.title(surface)}: message removed."
        return Card(Text(note, style=DIM), note)


def modal_hint(form: ModalForm) -> Text:
    """How to fill in and send the open modal."""
    if not form.fields:
        return Text("Type `submit` or `cancel`.", style=DIM)
    return Text(
        "Fill in with `field N value` (or `N` alone to be asked), or `fill` for each in "
        "turn; then `submit` or `cancel`.",
        style=DIM,
    )


def _modal_buttons(view: Mapping[str, Any]) -> str:
    buttons = []
    if view.get("submit"):
        buttons.append(f"submit: {_text(view['submit'])}")
    buttons.append(f"cancel: {_text(view.get('close')) or 'Cancel'}")
    return " · ".join(buttons)


def _text(obj: Any) -> str:
    return str((obj or {}).get("text", "")) if isinstance(obj, Mapping) else str(obj or "")
