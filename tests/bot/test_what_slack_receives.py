"""Everything the bot sends Slack is Block Kit Slack accepts: every ack body, every message
(chat.postMessage, chat.postEphemeral, response_url) and every view (views.open/publish)."""

from __future__ import annotations

from typing import Any

from bot.blocks import check_message
from console.settle import settle_runtime
from domain import alerts, instruments, parts, stock
from tests.bot.blocks_samples import assert_blocks_parse, assert_safe_mrkdwn, assert_valid_view
from tests.bot.conftest import Lab
from tests.bot.steps import CHANNEL

MESSAGE_METHODS = ("chat.postMessage", "chat.postEphemeral", "chat.update", "response_url")
VIEW_METHODS = ("views.open", "views.push", "views.update", "views.publish")


def _assert_valid_message(message: dict[str, Any]) -> None:
    assert isinstance(message.get("text"), str), message
    assert message["text"].strip(), message
    assert_blocks_parse(message.get("blocks", []))
    check_message(message)
    assert_safe_mrkdwn(
        {"text": message["text"], "blocks": message.get("blocks", [])}, mentions=True
    )


def _busy_lab(lab: Lab) -> None:
    manager = lab.actors["manager"]
    mat = instruments.create_instrument(
        lab.ctx, actor=manager, name="MAT253", model="MAT 253", location="Lab <1> & 2"
    )
    for n in range(14):
        part = parts.create_part(
            lab.ctx,
            actor=manager,
            part_number=f"FIL-{1000 + n}",
            name=f"Filament <!channel> {n}" if n == 0 else f"Filament {n}",
            category="Filaments",
            quantity_in_stock=n,
            minimum_stock_level=3,
            is_critical=n % 5 == 0,
        )
        parts.link_part(lab.ctx, actor=manager, instrument_id=mat.id, part_id=part.id)
    first = parts.find_part(lab.ctx, actor=manager, ref="FIL-1000").id
    for n in range(12):
        stock.adjust_stock(
            lab.ctx, actor=manager, part_id=first, delta=1, reason=f"order {n}", source="slack"
        )
    alerts.raise_alert(lab.ctx, actor=manager, message="source <drifting>", part_id=first)
    alerts.raise_alert(lab.ctx, actor=manager, message="pump noise", instrument_id=mat.id)


def test_every_answer_and_view_the_bot_sends_is_valid_block_kit(lab: Lab) -> None:
    _busy_lab(lab)
    slack, stand_in = lab.harness.slack, lab.harness.stand_in
    # Replies to clicks are sent after the ack; wait for them so that the next command's
    # reply is the newest ephemeral.
    settling = settle_runtime(lab.harness.runtime)
    acks: list[dict[str, Any]] = []

    def command(role: str, text: str) -> dict[str, Any]:
        answer = lab.command(role, text)
        acks.append(answer)
        return answer

    def shown(role: str, text: str) -> dict[str, Any]:
        command(role, text)
        return stand_in.ephemerals(CHANNEL, {"manager": "UMANAGER"}.get(role, role))[-1]

    def press(user: str, action_id: str, **where: Any) -> None:
        response = slack.block_action(user, action_id, **where)
        assert response.status_code == 200
        if response.content:
            acks.append(response.json())
        assert settling.wait_idle(10), f"the work after {action_id} did not finish"

    def submit(user: str, view: dict[str, Any], answers: dict[str, Any]) -> None:
        response = slack.submit_modal(user, view, answers)
        assert response.status_code == 200
        if response.content:
            acks.append(response.json())

    for text in (
        "help",
        "whoami",
        "parts",
        "parts filament",
        "instruments",
        "instrument MAT253",
        "alerts",
        "use FIL-1000 1 for MAT253 change",
        "restock FIL-1001 4",
        "count FIL-1002 9",
        "alert raise FIL-1003 looks odd",
        "instrument status MAT253 maintenance pump",
        "instrument link MAT253 FIL-1004 2 critical",
        "instrument unlink MAT253 FIL-1005",
        "part filament",
        "use NOPE 1",
        "use FIL-1000 999",
        "frobnicate",
        "part " + "x" * 3000,
    ):
        command("manager", text)
    command("UOUTSIDER", "parts")
    command("member", "part add")
    for text in ("part add", "part edit FIL-1000", "part delete FIL-1013", "instrument add"):
        command("manager", text)

    card = shown("manager", "part FIL-1000")
    for action_id in ("part.use", "part.restock", "part.count", "part.edit", "part.delete"):
        press("UMANAGER", action_id, message=card)
    press("UMANAGER", "part.history", message=card)
    press("UMEMBER", "part.delete", message=card)
    listing = shown("manager", "parts")
    press("UMANAGER", "parts.page.next", message=listing)
    press("UMANAGER", "part.view", message=listing)
    press("UMANAGER", "instrument.view", message=shown("manager", "instruments"))
    instrument = shown("manager", "instrument MAT253")
    press("UMANAGER", "instrument.edit", message=instrument)
    press("UMANAGER", "instrument.status", message=instrument)
    history = shown("manager", "history FIL-1000")
    press("UMANAGER", "history.page.next", message=history)
    open_alerts = shown("manager", "alerts")
    press("UMANAGER", "alert.acknowledge", message=open_alerts)
    press("UMANAGER", "alert.acknowledge", message=open_alerts)  # already acknowledged
    press("UMANAGER", "alert.resolve", message=open_alerts)
    picks = shown("manager", "use filament 1")
    press("UMANAGER", "pick.choose", message=picks)

    slack.app_home_opened("UMANAGER")
    slack.app_home_opened("UMEMBER")
    slack.app_home_opened("UOUTSIDER")
    stand_in.wait_for("views.publish", 3)
    home = stand_in.home("UMANAGER")
    assert home is not None
    press("UMANAGER", "quick.find_part", view=home)
    press("UMANAGER", "quick.use", view=home)

    opened = stand_in.wait_for("views.open", 13)
    modals = [c.response["view"] for c in opened if c.response.get("ok")]
    by_callback: dict[str, dict[str, Any]] = {}
    for view in modals:  # the first of each kind
        by_callback.setdefault(view["callback_id"], view)
    submit("UMANAGER", by_callback["stock_use"], {"How many to take": "abc"})
    submit("UMANAGER", by_callback["stock_use"], {"How many to take": "1"})
    submit("UMANAGER", by_callback["part_add"], {"Part number": "NEW-1", "Name": "New part"})
    submit("UMEMBER", by_callback["part_delete"], {})
    submit("UMANAGER", by_callback["part_delete"], {})
    submit("UMANAGER", by_callback["instrument_status"], {"New status": "operational"})
    lab.harness.runtime.executor.shutdown(wait=True)  # all work after the acks is done

    assert len(acks) > 30
    for ack in acks:
        if ack.get("response_action") == "update":
            assert_valid_view(ack["view"])
        elif ack.get("response_action") == "errors":
            assert all(isinstance(v, str) and len(v) <= 2000 for v in ack["errors"].values())
        elif ack:
            _assert_valid_message(ack)
    sent = stand_in.calls()
    messages = [c.body for c in sent if c.method in MESSAGE_METHODS]
    views = [c.body["view"] for c in sent if c.method in VIEW_METHODS]
    assert len(messages) > 10
    assert len(views) > 15
    for message in messages:
        _assert_valid_message(message)
    for view in views:
        assert_valid_view(view)
    assert all(c.response.get("ok", True) for c in sent if c.method != "response_url")
    assert all(c.status == 200 for c in sent)
