"""What a person does in Slack, as steps for the bot tests: commands, clicks, forms.

Every step goes through the real app over HTTP with signed requests; what the person sees is
read back from the Slack stand-in's model of the workspace (ephemerals, DMs, modals).
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from bot.blocks import pack
from domain import alerts, instruments, parts, stock
from domain.permissions import SYSTEM
from domain.results import PartView
from slack_stand_in import SlackStandIn
from tests.bot.conftest import PEOPLE, Lab

CHANNEL = "C0LAB"


def slack_id(role: str) -> str:
    """``UMANAGER`` for "manager"; any other string is taken as a Slack user id."""
    return PEOPLE.get(role, role)


def everything_said(message: Mapping[str, Any]) -> str:
    """The fallback text and every text object of a message or view, as one string."""
    found: list[str] = (
        [str(message.get("text", ""))] if isinstance(message.get("text"), str) else []
    )

    def walk(obj: Any) -> None:
        if isinstance(obj, dict):
            if obj.get("type") in ("mrkdwn", "plain_text") and isinstance(obj.get("text"), str):
                found.append(obj["text"])
            for value in obj.values():
                walk(value)
        elif isinstance(obj, list):
            for value in obj:
                walk(value)

    walk(message.get("blocks", []))
    return "\n".join(found)


def replies_to(stand_in: SlackStandIn, role: str) -> list[dict[str, Any]]:
    """What the bot showed the person: ephemerals anywhere and DMs, oldest first."""
    user = slack_id(role)
    shown = stand_in.ephemerals(user=user) + stand_in.messages(user)
    return sorted(shown, key=lambda m: float(m["ts"]))


def say(lab: Lab, role: str, text: str) -> dict[str, Any]:
    """``/farlab text``: the ack body, which Slack shows the person as an ephemeral."""
    return lab.command(role, text)


def shown_card(lab: Lab, role: str, text: str) -> dict[str, Any]:
    """Run a command answered with a message, and return that message as Slack shows it
    (with its ``ts`` and ``channel``, as a click on it would carry)."""
    before = len(lab.harness.stand_in.ephemerals(CHANNEL, slack_id(role)))
    answer = say(lab, role, text)
    assert answer.get("blocks"), answer
    shown = lab.harness.stand_in.ephemerals(CHANNEL, slack_id(role))
    assert len(shown) == before + 1
    assert shown[-1]["text"] == answer["text"]
    return shown[-1]


def modal_from_command(lab: Lab, role: str, text: str) -> dict[str, Any]:
    """Run a command that opens a modal: the ack says nothing and the modal is open."""
    stand_in = lab.harness.stand_in
    opened = len(stand_in.calls("views.open"))
    assert say(lab, role, text) == {}
    call = stand_in.wait_for("views.open", opened + 1)[opened]
    assert call.response.get("ok"), call.response
    return stand_in.modals(slack_id(role))[-1]


def click(
    lab: Lab,
    role: str,
    action_id: str,
    message: Mapping[str, Any] | None = None,
    *,
    value: Mapping[str, Any] | str | None = None,
    view: Mapping[str, Any] | None = None,
) -> None:
    """Press a button in a message (or view) the person sees; the click is acked at once.

    ``value`` replaces the button's own value (a dict is packed as the builders pack it).
    """
    response = lab.harness.slack.block_action(
        slack_id(role),
        action_id,
        message=message,
        view=view,
        value=pack(value) if isinstance(value, Mapping) else value,
    )
    assert response.status_code == 200, response.text


def modal_from_click(
    lab: Lab, role: str, action_id: str, message: Mapping[str, Any], **kwargs: Any
) -> dict[str, Any]:
    """Press a button that opens a modal; the modal as the person sees it."""
    stand_in = lab.harness.stand_in
    opened = len(stand_in.calls("views.open"))
    click(lab, role, action_id, message, **kwargs)
    call = stand_in.wait_for("views.open", opened + 1)[opened]
    assert call.response.get("ok"), call.response
    return stand_in.modals(slack_id(role))[-1]


def click_and_see(
    lab: Lab, role: str, action_id: str, message: Mapping[str, Any], **kwargs: Any
) -> dict[str, Any]:
    """Press a button whose answer comes through the message's response_url; the answer."""
    answered = len(lab.harness.stand_in.calls("response_url"))
    click(lab, role, action_id, message, **kwargs)
    call = lab.harness.stand_in.wait_for("response_url", answered + 1)[answered]
    assert call.status == 200, call.response
    return call.body


def submit(
    lab: Lab, role: str, view: Mapping[str, Any], answers: Mapping[str, Any]
) -> dict[str, Any]:
    """Fill in a modal (answers by input label) and submit it: the ack body."""
    response = lab.harness.slack.submit_modal(slack_id(role), view, answers)
    assert response.status_code == 200, response.text
    return response.json() if response.content else {}


def next_reply(lab: Lab, role: str, seen: int) -> dict[str, Any]:
    """Wait for the bot's next message to the person (after ``seen`` earlier ones)."""
    stand_in = lab.harness.stand_in
    stand_in.wait_until(lambda: len(replies_to(stand_in, role)) > seen)
    return replies_to(stand_in, role)[seen]


def stock_of(lab: Lab, part: PartView) -> int:
    return parts.get_part(lab.ctx, actor=lab.actors["admin"], part_id=part.id).quantity_in_stock


def button_for(message: Mapping[str, Any], action_id: str, near: str) -> str:
    """The value of the ``action_id`` button in the section whose text mentions ``near``."""
    for block in message["blocks"]:
        accessory = block.get("accessory") or {}
        if accessory.get("action_id") == action_id and near in block["text"]["text"]:
            return str(accessory["value"])
    raise AssertionError(f"no {action_id} button next to {near!r}")


def showing(lab: Lab, message: Mapping[str, Any]) -> dict[str, Any]:
    """The message as it is shown now (after response_url replaced it, for instance)."""
    for shown in lab.harness.stand_in.ephemerals(message["channel"]):
        if shown["ts"] == message["ts"]:
            return shown
    raise AssertionError("the message is no longer shown")


def lab_state(lab: Lab) -> tuple[Any, ...]:
    """Everything a command, click or form could change: parts, instruments, links,
    alerts and every stock movement. Equal before and after means nothing changed."""
    ctx = lab.ctx
    every_part = parts.list_parts(ctx, actor=SYSTEM, active_only=False, limit=1000).items
    every_instrument = instruments.list_instruments(
        ctx, actor=SYSTEM, active_only=False, limit=1000
    ).items
    return (
        every_part,
        every_instrument,
        alerts.list_alerts(ctx, actor=SYSTEM, limit=1000).items,
        [stock.part_history(ctx, actor=SYSTEM, part_id=p.id, limit=200).items for p in every_part],
        [
            instruments.instrument_needs(ctx, actor=SYSTEM, instrument_id=i.id).parts
            for i in every_instrument
        ],
    )
