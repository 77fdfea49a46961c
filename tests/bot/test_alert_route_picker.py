"""Alert routes with a channel picked from Slack's list (`/farlab alerts route` alone opens a
form), or typed as `#lab`; replies name the channel as Slack shows it, never a bare id."""

from __future__ import annotations

import re
from typing import Any

from domain import alert_routes, instruments
from domain.permissions import SYSTEM
from slack_stand_in import fill_modal
from tests.bot.alerting import low_part
from tests.bot.blocks_samples import assert_valid_view
from tests.bot.conftest import Lab
from tests.bot.steps import everything_said, modal_from_command, submit

BARE_ID = re.compile(r"(?<![#<])\b[CG]0[A-Z0-9]+\b")


def _text(answer: dict[str, Any]) -> str:
    return everything_said(answer)


def _routes(lab: Lab) -> list[tuple[str, str, str]]:
    found = alert_routes.list_alert_routes(lab.ctx, actor=SYSTEM)
    return [(r.kind, r.label, r.channel_id) for r in found]


def test_alerts_route_alone_opens_a_form_with_a_channel_picker(lab: Lab) -> None:
    low_part(lab.ctx, category="Vacuum fittings", stock=10)
    form = modal_from_command(lab, "manager", "alerts route")
    [opened] = lab.harness.stand_in.calls("views.open")
    assert_valid_view(opened.body["view"])  # as the bot sent it
    assert form["callback_id"] == "alert_route"
    [channel] = [b for b in form["blocks"] if b.get("block_id") == "channel"]
    assert channel["element"]["type"] == "conversations_select"
    assert channel["element"]["initial_conversation"] == "C0LAB"  # where it was typed
    assert channel["element"]["filter"]["include"] == ["public", "private"]
    answers = {"Category or instrument": "vacuum fittings", "Channel": "C0VAC"}
    assert submit(lab, "manager", form, answers) == {}
    assert _routes(lab) == [("category", "Vacuum fittings", "C0VAC")]
    stand_in = lab.harness.stand_in
    stand_in.wait_until(lambda: bool(stand_in.ephemerals("C0LAB", "UMANAGER")))
    [told] = stand_in.ephemerals("C0LAB", "UMANAGER")
    assert "*Vacuum fittings* → <#C0VAC>" in _text(told)
    assert not BARE_ID.search(_text(told))


def test_the_form_routes_an_instrument_when_told_so_and_explains_mistakes(lab: Lab) -> None:
    kiel = instruments.create_instrument(lab.ctx, actor=SYSTEM, name="Kiel IV", model="Kiel")
    form = modal_from_command(lab, "admin", "alerts route")
    unnamed = submit(lab, "admin", form, {"Channel": "C0KIEL"})
    assert unnamed["response_action"] == "errors"
    assert list(unnamed["errors"]) == ["target"]
    answers = {"Category or instrument": "Kiel", "It is a": "instrument", "Channel": "C0KIEL"}
    wrong_kind = submit(lab, "admin", form, answers)
    assert "No instrument named Kiel" in wrong_kind["errors"]["target"]
    unpicked = fill_modal(form, {"Category or instrument": "Kiel IV"})
    unpicked["channel"]["field"]["selected_conversation"] = None  # the picker emptied
    no_channel = lab.harness.slack.view_submission("UADMIN", form, unpicked).json()
    assert list(no_channel["errors"]) == ["channel"]
    assert _routes(lab) == []
    answers = {"Category or instrument": "kiel iv", "It is a": "instrument", "Channel": "C0KIEL"}
    assert submit(lab, "admin", form, answers) == {}
    [route] = alert_routes.list_alert_routes(lab.ctx, actor=SYSTEM)
    assert (route.kind, route.instrument_id, route.channel_id) == ("instrument", kiel.id, "C0KIEL")


def test_a_member_is_told_routes_are_for_managers_and_gets_no_form(lab: Lab) -> None:
    answer = lab.command("member", "alerts route")
    assert "may not" in _text(answer)
    assert lab.harness.stand_in.calls("views.open") == []


def test_a_channel_typed_as_hash_name_is_found_by_its_name(lab: Lab) -> None:
    low_part(lab.ctx, category="Vacuum", stock=10)
    stand_in = lab.harness.stand_in
    stand_in.name_channel("G0MGR", "lab-managers")  # private, FarLab invited
    answer = lab.command("manager", "alerts route Vacuum #lab")
    assert "*Vacuum* → <#C0LAB>" in _text(answer)
    assert not BARE_ID.search(_text(answer))
    lab.command("manager", "alerts route Vacuum #Lab-Managers")
    assert _routes(lab) == [("category", "Vacuum", "G0MGR")]
    [asked, *_] = stand_in.calls("conversations.list")
    assert set(asked.body["types"].split(",")) == {"public_channel", "private_channel"}
    unknown = lab.command("manager", "alerts route Vacuum #nowhere")
    assert "No channel named #nowhere that FarLab can see" in _text(unknown)
    assert _routes(lab) == [("category", "Vacuum", "G0MGR")]


def test_a_channel_slack_escaped_needs_no_lookup(lab: Lab) -> None:
    low_part(lab.ctx, category="Vacuum", stock=10)
    for sent in ("<#C0VAC|vacuum>", "<#C0VAC|>", "<#C0VAC>"):
        answer = lab.command("manager", f"alerts route Vacuum {sent}")
        assert "→ <#C0VAC>" in _text(answer), sent
    assert lab.harness.stand_in.calls("conversations.list") == []


def test_a_failed_lookup_is_explained(lab: Lab) -> None:
    low_part(lab.ctx, category="Vacuum", stock=10)
    lab.harness.stand_in.error("conversations.list", "missing_scope")
    answer = lab.command("manager", "alerts route Vacuum #lab")
    assert "could not look #lab up in Slack (missing_scope)" in _text(answer)
    assert _routes(lab) == []
