"""The console's side of Slack: one person at a time sends commands, clicks and submissions
to the real bot (signed, through the harness), then sees what changed for them."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Any, Literal, TypeVar

import httpx

from console.errors import StepFailed
from console.harness import SlackHarness
from console.jobs import ConsoleJobs
from console.modal import ModalField, ModalForm, Option
from console.people import Person, add_slack_user, default_person, refresh_people
from console.render import ButtonRef, Surface, all_options
from console.settle import SettlingExecutor
from scheduler.jobs import JOB_IDS
from scheduler.runner import JobOutcome
from slack_stand_in.answers import SlackError
from slack_stand_in.identity import dm_channel
from slack_stand_in.payloads import ack_body

CHANNEL = "C0LAB"  # where commands are typed: #lab
SETTLE_SECONDS = 15.0

# "elsewhere": a direct message to someone else, which the person is told of in a line.
Status = Literal["new", "updated", "removed", "shown", "elsewhere"]
T = TypeVar("T")


@dataclass(frozen=True)
class Change:
    """Something the person now sees differently."""

    surface: Surface
    status: Status


class SlackSession:
    def __init__(
        self,
        harness: SlackHarness,
        people: list[Person],
        executor: SettlingExecutor,
        jobs: ConsoleJobs | None = None,
    ) -> None:
        self.slack = harness.slack
        self.stand_in = harness.stand_in
        self.workspace = harness.stand_in.workspace
        self.ctx = harness.ctx
        self.public_url = harness.public_url or ""
        self.people = people
        self.executor = executor
        self.jobs = jobs
        self.failed_jobs: list[JobOutcome] = []  # alert jobs that failed since last asked
        self.person: Person | None = default_person(people)

    # -- who ---------------------------------------------------------------------------
    @property
    def user_id(self) -> str:
        if self.person is None or self.person.slack_user_id is None:
            raise StepFailed("There is no FarLab account to act as; run with --demo.")
        return self.person.slack_user_id

    def act_as(self, username: str) -> Person:
        wanted = username.strip().lstrip("@").lower()
        self.refresh_people()
        for person in self.people:
            if person.username.lower() == wanted:
                if person.slack_user_id is not None:
                    self.person = person
                    return person
                if not person.active:
                    raise StepFailed(f"{person.username} is deactivated and was never linked.")
                raise StepFailed(
                    f"{person.username} is not linked to a Slack user yet: the invitation "
                    "waits for its Slack user to accept it."
                )
        names = ", ".join(p.username for p in self.people) or "none"
        raise StepFailed(f"No account named {username.strip()!r}; accounts: {names}")

    def refresh_people(self) -> None:
        """Read the accounts again (roles, new accounts, links made since)."""
        self.people = refresh_people(self.ctx, self.stand_in, self.people)
        if self.person is not None:
            me = self.person.slack_user_id
            self.person = next((p for p in self.people if p.slack_user_id == me), self.person)

    def add_slack_user(self, name: str, email: str | None = None) -> Person:
        """A new Slack user in the local workspace, without a FarLab account."""
        self.refresh_people()
        person = add_slack_user(self.stand_in, self.people, name, email)
        self.people.append(person)
        return person

    def person_of(self, slack_user_id: str) -> Person | None:
        return next((p for p in self.people if p.slack_user_id == slack_user_id), None)

    def name_of(self, user_id: str) -> str:
        if user_id[:1] in ("C", "G"):  # a channel, as in <#C0LAB>: its name
            return self.channel_name(user_id)
        try:
            return str(self.workspace.directory.user(user_id)["name"])
        except SlackError:
            return user_id

    def channel_name(self, channel: str) -> str:
        return self.workspace.directory.channel_name(channel)

    # -- what the person does ----------------------------------------------------------
    def command(self, text: str) -> list[Change]:
        """``/farlab text`` typed in #lab."""
        return self._request(lambda: self.slack.command(self.user_id, text, channel_id=CHANNEL))[1]

    def open_home(self) -> list[Change]:
        """Open FarLab's Home tab; the Home view is among the changes even if unchanged."""
        changes = self._request(lambda: self.slack.app_home_opened(self.user_id))[1]
        home = self.stand_in.home(self.user_id)
        if home is not None and not any(c.surface.kind == "home" for c in changes):
            changes.append(Change(Surface("home", home), "shown"))
        return changes

    def press(self, ref: ButtonRef, values: Mapping[str, Any] | None = None) -> list[Change]:
        """Click a button where it is shown now (``values``: the open modal's state)."""
        surface = self.current(ref.surface)
        if surface is None or not _has_button(surface, ref):
            raise StepFailed(f"Button {ref.number} ({ref.label}) is no longer there.")
        data, value = surface.data, ref.element.get("value")
        if surface.kind in ("modal", "home"):
            return self._request(
                lambda: self.slack.block_action(
                    self.user_id,
                    ref.action_id,
                    view=data,
                    value=value,
                    block_id=ref.block_id,
                    values=values,
                )
            )[1]
        return self._request(
            lambda: self.slack.block_action(
                self.user_id,
                ref.action_id,
                message=data,
                value=value,
                block_id=ref.block_id,
                channel_id=str(data.get("channel")),
            )
        )[1]

    def submit(self, form: ModalForm) -> tuple[dict[str, str], list[Change]]:
        """Submit the modal; field errors from the app (the modal stays open), or changes."""
        response, changes = self._request(
            lambda: self.slack.view_submission(self.user_id, form.view, form.values())
        )
        answer = ack_body(response.text)
        errors = answer.get("errors") if answer.get("response_action") == "errors" else None
        return {str(k): str(v) for k, v in (errors or {}).items()}, changes

    def cancel(self, view: Mapping[str, Any]) -> list[Change]:
        """Close the modal (the app hears of it only if it asked to)."""
        if view.get("notify_on_close"):
            return self._request(lambda: self.slack.view_closed(self.user_id, view))[1]
        before = self._snapshot()
        self.workspace.views.close(self.user_id, str(view.get("id")))
        return _diff(before, self._snapshot())

    def suggest(self, view: Mapping[str, Any], target: ModalField, query: str) -> list[Option]:
        """The options an external select offers for ``query`` (a signed block_suggestion)."""
        action_id = str(target.element.get("action_id", ""))
        response = self.slack.block_suggestion(
            self.user_id, action_id, query, block_id=target.block_id, view=view
        )
        if response.status_code != 200:
            raise StepFailed(f"FarLab answered HTTP {response.status_code} to the search.")
        return all_options(ack_body(response.text))

    # -- what the person sees ----------------------------------------------------------
    def modal(self) -> dict[str, Any] | None:
        """The person's open modal (the top of the stack)."""
        modals = self.stand_in.modals(self.user_id)
        return modals[-1] if modals else None

    def dms(self) -> list[Surface]:
        return [Surface("message", m) for m in self.stand_in.messages(dm_channel(self.user_id))]

    def channel(self, channel: str = CHANNEL) -> list[Surface]:
        return [Surface("message", m) for m in self.stand_in.messages(channel)]

    def current(self, surface: Surface) -> Surface | None:
        """The surface as it is now, or None once it is gone."""
        data = surface.data
        if surface.kind == "message":
            found = self.workspace.messages.find(str(data.get("channel")), str(data.get("ts")))
        elif surface.kind == "ephemeral":
            mine = self.stand_in.ephemerals(str(data.get("channel")), self.user_id)
            found = next((e for e in mine if e["ts"] == data.get("ts")), None)
        elif surface.kind == "modal":
            found = next(
                (v for v in self.stand_in.modals(self.user_id) if v["id"] == data["id"]), None
            )
        else:
            found = self.stand_in.home(self.user_id)
        return None if found is None else Surface(surface.kind, found)

    # -- the scheduler's jobs ----------------------------------------------------------
    def tick(self, job_ids: tuple[str, ...] = ()) -> tuple[list[JobOutcome], list[Change]]:
        """Run every scheduled job (or those named) once now (then, as after every step, the
        alert jobs, which post what the others opened); what each did, and what changed."""
        if self.jobs is None:
            raise StepFailed("The scheduler's jobs are not wired into this console.")
        jobs = self.jobs
        unknown = [j for j in job_ids if j not in JOB_IDS]
        if unknown:
            raise StepFailed(f"There is no job {unknown[0]!r}; the jobs: {', '.join(JOB_IDS)}.")
        return self.watch(lambda: jobs.run(job_ids) if job_ids else jobs.run_all())

    def take_failed_jobs(self) -> list[JobOutcome]:
        failed, self.failed_jobs = self.failed_jobs, []
        return failed

    def deliver_alerts(self) -> None:
        """The alert jobs (low-stock scan, alert delivery), as after each step."""
        if self.jobs is not None:
            self.failed_jobs += [o for o in self.jobs.deliver_alerts() if o.status == "failed"]

    # -- internals ---------------------------------------------------------------------
    def watch(
        self, action: Callable[[], T], *, check: Callable[[T], None] | None = None
    ) -> tuple[T, list[Change]]:
        """Do ``action``, wait for FarLab's work after it, deliver the alerts it opened
        (``check`` may refuse the result first), and what the person now sees differently."""
        before, dms_before = self._snapshot(), self._others_dms()
        result = action()
        if not self.executor.wait_idle(SETTLE_SECONDS):
            raise StepFailed(f"FarLab was still working after {SETTLE_SECONDS:.0f} s.")
        if check is not None:
            check(result)
        self.deliver_alerts()
        return result, _diff(before, self._snapshot()) + self._new_dms(dms_before)

    def _request(self, send: Callable[[], httpx.Response]) -> tuple[httpx.Response, list[Change]]:
        return self.watch(send, check=_answered)

    def _others_dms(self) -> dict[str, int]:
        """How many messages each direct message of someone else has."""
        mine = dm_channel(self.user_id)
        return {
            channel: len(self.workspace.messages.in_channel(channel))
            for channel in self.workspace.messages.channels()
            if channel.startswith("D") and channel != mine
        }

    def _new_dms(self, before: dict[str, int]) -> list[Change]:
        """The latest new direct message to each other person (one line each)."""
        changes = []
        for channel, count in self._others_dms().items():
            if count > before.get(channel, 0):
                latest = self.workspace.messages.in_channel(channel)[-1]
                changes.append(Change(Surface("message", latest), "elsewhere"))
        return changes

    def _snapshot(self) -> dict[tuple[str, ...], Surface]:
        """Everything the person can see: channels, their DM, ephemerals, modals, Home."""
        user_id, mine = self.user_id, dm_channel(self.user_id)
        shown = []
        for channel in self.workspace.messages.channels():
            if channel.startswith("D") and channel != mine:
                continue
            shown += [Surface("message", m) for m in self.workspace.messages.in_channel(channel)]
        shown += [Surface("ephemeral", e) for e in self.stand_in.ephemerals(user=user_id)]
        shown += [Surface("modal", v) for v in self.stand_in.modals(user_id)]
        home = self.stand_in.home(user_id)
        if home is not None:
            shown.append(Surface("home", home))
        return {s.key: s for s in shown}


def _answered(response: httpx.Response) -> None:
    if response.status_code != 200:
        raise StepFailed(f"FarLab answered HTTP {response.status_code}: {response.text[:200]}")


def _content(surface: Surface) -> tuple[Any, ...]:
    names = ("text", "blocks", "attachments", "title", "submit", "close")
    return tuple(surface.data.get(name) for name in names)


def _order(change: Change) -> tuple[int, float]:
    rank = {"message": 0, "ephemeral": 0, "modal": 1, "home": 2}[change.surface.kind]
    return (rank, float(change.surface.data.get("ts") or 0))


def _diff(
    before: dict[tuple[str, ...], Surface], after: dict[tuple[str, ...], Surface]
) -> list[Change]:
    changes = [
        Change(s, "new" if key not in before else "updated")
        for key, s in after.items()
        if key not in before or _content(before[key]) != _content(s)
    ]
    changes.sort(key=_order)
    return changes + [Change(s, "removed") for key, s in before.items() if key not in after]


def _has_button(surface: Surface, ref: ButtonRef) -> bool:
    """Whether the very button (same block, same element) is still shown."""
    for block in surface.data.get("blocks") or []:
        if block.get("block_id") == ref.block_id:
            elements = [block.get("accessory"), *(block.get("elements") or [])]
            if any(element == ref.element for element in elements):
                return True
    return False
