"""The steps about what surrounds the bot: the scheduler's jobs (``tick``), Slack users
without a FarLab account (``slack-user add``), and the link pages a DM's button opens."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from functools import partial
from typing import TYPE_CHECKING

from rich.text import Text

from console.errors import StepFailed
from console.render import DIM, Card
from console.session import Change
from console.web_page import Browser, WebPage, page_card
from slack_stand_in.identity import dm_channel

if TYPE_CHECKING:
    from console.repl import ConsoleApp

SLACK_USER_USAGE = "slack-user add NAME [email]"


class WorkspaceSteps:
    def __init__(self, app: ConsoleApp) -> None:
        self.app = app
        self.browser = Browser()

    def steps(self) -> dict[str, Callable[[str], None]]:
        return {
            "tick": self.tick,
            "jobs": self.tick,
            "slack-user": self.slack_user,
        }

    def close(self) -> None:
        self.browser.close()

    # -- the scheduler's jobs ----------------------------------------------------------
    def tick(self, rest: str = "") -> None:
        """Run every scheduled job (or the ones named) once now, and show what they posted."""
        outcomes, changes = self.app.session.tick(tuple(rest.split()))
        notes = [
            f"{o.job_id}: {o.detail}" if o.status == "ok" else f"{o.job_id}: {o.status}, {o.detail}"
            for o in outcomes
        ]
        ran = ", ".join(rest.split()) or "every scheduled job"
        self.app.show(changes, notes=[f"Ran {ran} once:", *notes])

    def deliver_at_start(self) -> None:
        """Post the alerts waiting for delivery, and say where (not shown in full)."""
        _, changes = self.app.session.watch(lambda: None)
        for line in self.posted_lines(changes):
            self.app.say(line, style=DIM)

    def posted_lines(self, changes: Sequence[Change]) -> list[str]:
        """``FarLab posted 1 message in #lab: type `channel` to see it.``, per channel."""
        counts: dict[str, int] = {}
        for change in changes:
            if change.status == "new" and change.surface.kind == "message":
                channel = str(change.surface.data.get("channel"))
                counts[channel] = counts.get(channel, 0) + 1
        lines = []
        for channel, count in counts.items():
            many = "message" if count == 1 else "messages"
            if channel == dm_channel(self.app.session.user_id):
                lines.append(f"FarLab sent you {count} direct {many}: type `dms` to see them.")
            else:
                name = self.app.session.channel_name(channel)
                lines.append(f"FarLab posted {count} {many} in #{name}: type `channel` to see it.")
        return lines

    # -- Slack users -------------------------------------------------------------------
    def slack_user(self, rest: str) -> None:
        """``slack-user add NAME [email]``: a new person in the local Slack workspace."""
        words = rest.split()
        if len(words) not in (2, 3) or words[0].lower() != "add":
            raise StepFailed(f"Usage: {SLACK_USER_USAGE}")
        person = self.app.session.add_slack_user(words[1], words[2] if len(words) == 3 else None)
        name = person.username
        self.app.say(
            f"Added {name} to the local Slack workspace as {person.slack_user_id}, without a "
            f"FarLab account. An admin invites them with `/farlab user add` (Slack user: "
            f"{name}); `as {name}` acts as them."
        )

    # -- link pages --------------------------------------------------------------------
    def is_own_page(self, url: str) -> bool:
        """Whether ``url`` is one of the link pages this console serves."""
        own = self.app.session.public_url
        return bool(own) and url.startswith(own.rstrip("/") + "/")

    def browse(self, url: str, leading: Sequence[Card] = ()) -> None:
        """Open the page, then fill in and send its form until it has none (or is left)."""
        page = self.browser.open(url)
        self.app.show([], before=[*leading, page_card(page)])
        while page.has_form and page.fields:
            answers = self.ask(page)
            if answers is None:
                self.app.say("Left the page without sending its form.")
                return
            page, changes = self.app.session.watch(partial(self.browser.send, page, answers))
            self.app.session.refresh_people()
            self.app.show(changes, before=[page_card(page)])

    def ask(self, page: WebPage) -> dict[str, str] | None:
        """An answer for each input of the page's form (None: an empty one, leave it)."""
        answers = {}
        for number, entry in enumerate(page.fields, start=1):
            prompt = Text(f"({number}) {entry.label}: ", style="bold")
            answer = self.app.lines.read(prompt, secret=entry.secret)
            if not answer:
                return None
            answers[entry.name] = answer
        return answers
