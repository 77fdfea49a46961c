"""Message builders: alerts, stock replies, pick lists, errors, help, account."""

from __future__ import annotations

from typing import Any

import pytest

from bot import blocks as b
from bot.blocks.help import COMMANDS, HelpTopic
from bot.ids import ActionId
from domain.permissions import PERMISSIONS, Action, Role, role_needed
from domain.results import InstrumentNeeds, PartDetail, StockChange
from tests.bot import blocks_samples as s

# --- alerts ---------------------------------------------------------------------------------


def test_alerts_page_buttons_follow_the_alert_status_for_managers() -> None:
    alerts = [s.alert(id=1), s.alert(id=2, status="acknowledged"), s.alert(id=3, status="resolved")]
    msg = b.render_alerts_page(s.page(alerts), can_manage=True)
    s.assert_valid_message(msg)
    rows = [blk for blk in msg["blocks"] if blk["type"] == "actions"]
    assert [[e["action_id"] for e in row["elements"]] for row in rows] == [
        [ActionId.ALERT_ACKNOWLEDGE, ActionId.ALERT_RESOLVE],
        [ActionId.ALERT_RESOLVE],
    ]
    assert b.unpack(rows[1]["elements"][0]["value"]) == {"id": 2}


def test_alerts_page_for_members_has_no_buttons_and_an_empty_page_says_so() -> None:
    msg = b.render_alerts_page(s.page([s.alert()]))
    assert s.action_ids(msg) == set()
    empty = b.render_alerts_page(s.page([]))
    s.assert_valid_message(empty)
    assert "No open alerts" in empty["text"]


def test_200_alerts_with_buttons_stay_within_50_blocks_and_keep_filters() -> None:
    alerts = [s.alert(id=i, message="m" * 2000) for i in range(200)]
    msg = b.render_alerts_page(
        s.page(alerts, limit=200), can_manage=True, filters={"s": "open"}, title="Alerts"
    )
    s.assert_valid_message(msg)
    nav = {e["action_id"]: b.unpack(e["value"]) for e in s.pager_buttons(msg)}
    assert nav[ActionId.ALERTS_NEXT]["s"] == "open"
    shown = sum(
        1 for blk in msg["blocks"] if blk["type"] == "actions" and blk.get("block_id") is None
    )
    assert nav[ActionId.ALERTS_NEXT]["o"] == shown


@pytest.mark.parametrize("text", s.HOSTILE)
def test_alerts_escape_every_user_string(text: str) -> None:
    hostile = s.alert(
        part_number=text, part_name=text, instrument_name=text, message=text, resolution_note=text
    )
    s.assert_valid_message(b.render_alert(hostile, can_manage=True))
    s.assert_valid_message(b.render_alert_raised(hostile))
    s.assert_valid_message(b.render_alerts_page(s.page([hostile]), can_manage=True))


# --- stock moves ----------------------------------------------------------------------------


def test_use_reply_reads_like_a_sentence() -> None:
    change = StockChange(
        part=s.part(), movement=s.movement(), alert_opened=True, alert_resolved=False
    )
    msg = b.render_stock_change(change, "use")
    s.assert_valid_message(msg)
    assert msg["text"] == (
        "Took 2 pcs of *FIL-1002* Rhenium filament for *MAT253* — 3 left (minimum 5) :warning: low"
    )
    notes = msg["blocks"][1]["elements"]
    assert "low-stock alert is now open" in notes[0]["text"]
    assert "filament change" in notes[1]["text"]
    assert b.unpack(msg["blocks"][0]["accessory"]["value"]) == {"id": 12}


def test_restock_reply_notes_a_resolved_alert() -> None:
    after = s.part(quantity_in_stock=13)
    move = s.movement(delta=10, quantity_after=13, reason=None, instrument_name=None)
    msg = b.render_stock_change(StockChange(after, move, False, True))
    s.assert_valid_message(msg)
    assert (
        msg["text"] == "Restocked 10 pcs of *FIL-1002* Rhenium filament — 13 in stock (minimum 5)"
    )
    assert "resolved" in msg["blocks"][1]["elements"][0]["text"]


def test_count_reply_says_what_the_count_found() -> None:
    after = s.part(quantity_in_stock=0)
    move = s.movement(delta=-3, quantity_after=0, reason="Stock count", instrument_name=None)
    msg = b.render_stock_change(StockChange(after, move, False, False), "count")
    s.assert_valid_message(msg)
    assert msg["text"] == (
        "Counted *FIL-1002* Rhenium filament: 0 pcs (was 3, \u22123) · minimum 5 :x: out of stock"
    )


@pytest.mark.parametrize(
    ("before", "after", "found"),
    [(12, 5, "5 pcs (was 12, \u22127)"), (2, 5, "5 pcs (was 2, +3)"), (1, 1, "1 pc (no change)")],
)
def test_a_count_reads_as_a_count_whatever_it_changed(before: int, after: int, found: str) -> None:
    """A counted change is never told as a take or a restock, even without a kind."""
    part = s.part(quantity_in_stock=after, minimum_stock_level=0)
    move = s.movement(delta=after - before, quantity_after=after, instrument_name=None)
    msg = b.render_stock_change(StockChange(part, move, False, False, counted=True))
    s.assert_valid_message(msg)
    assert msg["text"] == f"Counted *FIL-1002* Rhenium filament: {found}"


def test_one_of_a_part_reads_in_the_singular() -> None:
    after = s.part(quantity_in_stock=4, unit_of_measure="boxes")
    move = s.movement(delta=-1, quantity_after=4, reason=None, instrument_name=None)
    msg = b.render_stock_change(StockChange(after, move, False, False))
    assert msg["text"].startswith("Took 1 box of *FIL-1002*")
    one_left = s.part(quantity_in_stock=1)
    [picked] = b.options_for_parts([one_left])
    assert picked["description"]["text"] == "1 pc in stock · low"


@pytest.mark.parametrize("text", s.HOSTILE)
@pytest.mark.parametrize("kind", ["use", "restock", "count"])
def test_stock_replies_escape_every_user_string(text: str, kind: Any) -> None:
    move = s.movement(reason=text, instrument_name=text, delta=-2 if kind == "use" else 4)
    msg = b.render_stock_change(StockChange(s.hostile_part(text), move, True, True), kind)
    s.assert_valid_message(msg)


# --- pick lists, errors, notices ------------------------------------------------------------


def test_pick_list_buttons_continue_the_command_with_the_chosen_id() -> None:
    candidates = ((12, "FIL-1002 Rhenium filament"), (13, "FIL-1003 <!channel> filament"))
    choices = b.pick_choices(candidates, {"c": "use", "q": 2, "r": "漢字" * 250})
    msg = b.render_pick_list("Several parts match fil; pick one.", choices)
    s.assert_valid_message(msg)
    values = [b.unpack(e["value"]) for e in s.buttons(msg)]
    assert values == [
        {"c": "use", "q": 2, "r": "漢字" * 250, "id": 12},
        {"c": "use", "q": 2, "r": "漢字" * 250, "id": 13},
    ]
    assert {e["action_id"] for e in s.buttons(msg)} == {ActionId.PICK}


def test_pick_list_can_carry_a_command_text_to_run_again() -> None:
    msg = b.render_pick_list(
        "Which one?", [("MAT253", "instrument #3"), ("MAT252", "instrument #4")]
    )
    s.assert_valid_message(msg)
    assert [b.unpack(e["value"]) for e in s.buttons(msg)] == [
        {"run": "instrument #3"},
        {"run": "instrument #4"},
    ]


def test_pick_list_of_100_candidates_fits_and_refuses_an_oversized_value() -> None:
    choices = b.pick_choices([(i, f"Part {i}" * 100) for i in range(100)], {"c": "part"})
    msg = b.render_pick_list("Many match", choices)
    s.assert_valid_message(msg)
    assert "try a longer name" in msg["blocks"][-1]["elements"][0]["text"]
    with pytest.raises(ValueError, match=r"packed value is \d+ characters; the limit is 2000"):
        b.render_pick_list("x", b.pick_choices([(1, "a")], {"r": "x" * 2000}))


@pytest.mark.parametrize("text", s.HOSTILE)
def test_errors_and_notices_escape_their_text(text: str) -> None:
    for msg in (b.render_error(text), b.render_error(text, refused=True), b.render_notice(text)):
        s.assert_valid_message(msg)
    assert b.render_error("x", refused=True)["text"].startswith(":no_entry:")
    assert b.render_error("x")["text"].startswith(":warning:")


# --- help and account -----------------------------------------------------------------------


def test_help_lists_every_command_by_group_with_escaped_placeholders() -> None:
    msg = b.render_help(role=Role.ADMIN)
    s.assert_valid_message(msg)
    shown = "\n".join(s.texts(msg))
    for group in ("*Parts*", "*Stock*", "*Instruments*", "*Alerts*", "*Account*", "*Users*"):
        assert group in shown
    for usage in (
        "/farlab parts [words...]",
        "/farlab parts low | parts out",
        "/farlab alerts [critical|warning|info] [low-stock|manual|maintenance|forecast]",
        "/farlab part &lt;part&gt;",
        "/farlab use &lt;part&gt; &lt;qty&gt; [for &lt;instrument&gt;] [reason...]",
        "/farlab instrument status &lt;name&gt; operational|maintenance|out of service [note]",
        "/farlab alert raise &lt;part or instrument&gt; &lt;message&gt;",
        "/farlab whoami",
        "/farlab link",
        "/farlab unlink",
        "/farlab user role &lt;username&gt; admin|manager|member",
        "/farlab instrument history &lt;name&gt;",
        "/farlab user edit &lt;username&gt;",
    ):
        assert f"`{usage}`" in shown
    assert "e.g. `/farlab use FIL-1002 2 for MAT253 filament change`" in shown


def _lines(msg: dict[str, Any]) -> list[str]:
    """The command lines of a help message (each starts with its usage)."""
    return [line for text in s.texts(msg) for line in text.split("\n") if line.startswith("`")]


def test_help_shows_a_member_only_what_members_may_run_and_says_more_exists() -> None:
    msg = b.render_help(role=Role.MEMBER)
    s.assert_valid_message(msg)
    lines, shown = _lines(msg), "\n".join(s.texts(msg))
    assert any(line.startswith("`/farlab use ") for line in lines)
    assert not any(line.startswith(("`/farlab part add", "`/farlab users")) for line in lines)
    assert "_(managers)_" not in shown
    assert "_(admins)_" not in shown
    assert "Managers and admins have more commands" in shown
    assert b.render_help() == msg  # someone not linked yet sees a member's help


def test_help_marks_manager_lines_for_a_manager_and_hides_the_admins() -> None:
    msg = b.render_help(role=Role.MANAGER)
    s.assert_valid_message(msg)
    lines, shown = _lines(msg), "\n".join(s.texts(msg))
    (add,) = [line for line in lines if line.startswith("`/farlab part add`")]
    assert add.endswith("_(managers)_")
    (use,) = [line for line in lines if line.startswith("`/farlab use ")]
    assert "_(" not in use
    assert not any(line.startswith("`/farlab user") for line in lines)
    assert "_(managers)_: managers and admins." in shown
    assert "_(admins)_" not in shown
    assert "Admins have more commands" in shown
    assert "Managers and admins have more" not in shown


def test_help_shows_an_admin_every_line_each_marked_with_the_role_it_needs() -> None:
    msg = b.render_help(role=Role.ADMIN)
    s.assert_valid_message(msg)
    lines, shown = _lines(msg), "\n".join(s.texts(msg))
    assert len(lines) == len(COMMANDS)
    for topic, line in zip(COMMANDS, lines, strict=True):
        needed = None if topic.action is None else role_needed(topic.action)
        assert line.endswith("_(admins)_") == (needed is Role.ADMIN), line
        assert line.endswith("_(managers)_") == (needed is Role.MANAGER), line
    assert "_(managers)_: managers and admins." in shown
    assert "_(admins)_: admins only." in shown
    assert "have more commands" not in shown


@pytest.mark.parametrize("role", [Role.MEMBER, Role.MANAGER, Role.ADMIN])
def test_help_shows_exactly_the_lines_the_permission_table_allows(role: Role) -> None:
    shown = [line.split("`")[1] for line in _lines(b.render_help(role=role))]
    allowed = [
        f"/farlab {b.escape(t.usage)}"
        for t in COMMANDS
        if t.action is None or t.action in PERMISSIONS[role]
    ]
    assert shown == allowed


def test_help_renders_any_command_table() -> None:
    table = [
        HelpTopic("Parts and stock", "parts [query]", "List parts.", ("/farlab parts fil",)),
        HelpTopic("Account", "whoami", "Who you are.", (), Action.VIEW),
        HelpTopic("Parts and stock", "part add", "Add one.", (), Action.MANAGE_PARTS),
    ]
    msg = b.render_help(table, role=Role.MANAGER, command="/lab")
    s.assert_valid_message(msg)
    shown = "\n".join(s.texts(msg))
    assert "*Parts and stock*" in shown
    assert "`/lab parts [query]`" in shown
    assert "e.g. `/farlab parts fil`" in shown
    assert "`/lab part add`: Add one. _(managers)_" in shown


def test_please_link_offers_the_link_button() -> None:
    msg = b.render_please_link()
    s.assert_valid_message(msg)
    assert [e["action_id"] for e in s.buttons(msg)] == [ActionId.ACCOUNT_LINK]
    offer = b.render_link_offer("https://farlab.example.org/link?token=abc&x=1", 10)
    s.assert_valid_message(offer)
    assert s.buttons(offer)[0]["url"] == "https://farlab.example.org/link?token=abc&x=1"
    assert "10 minutes" in offer["text"]


def test_whoami_shows_the_account_role_and_what_it_may_do() -> None:
    msg = b.render_whoami(s.user(), team_id="T0001", slack_user_id="U0AB12")
    s.assert_valid_message(msg, mentions=True)
    shown = "\n".join(s.texts(msg))
    assert "*Role*\nmanager" in shown
    assert "Alice Lindqvist" in shown
    assert "manage parts" in shown
    assert "manage users" not in shown
    assert "<@U0AB12>" in shown
    assert ActionId.ACCOUNT_UNLINK in s.action_ids(msg)


@pytest.mark.parametrize("text", s.HOSTILE)
def test_whoami_escapes_every_user_string_and_ignores_odd_slack_ids(text: str) -> None:
    hostile = s.user(
        username=text, first_name=text, last_name=text, email=text, department=text, position=text
    )
    msg = b.render_whoami(
        hostile,
        team_id=text,
        slack_user_id=text,
    )
    s.assert_valid_message(msg)


def test_every_action_id_built_is_a_known_action_id() -> None:
    built: list[Any] = [
        b.render_part_card(PartDetail(s.part(), (s.use(),), (s.movement(),)), can_manage=True),
        b.render_parts_page(s.page(s.many_parts(5), offset=5, has_more=True), can_manage=True),
        b.render_history(s.part(), s.page([s.movement()], offset=5, has_more=True)),
        b.render_instrument_card(InstrumentNeeds(s.instrument(), (s.use(),)), can_manage=True),
        b.render_instruments_page(
            s.page([s.instrument()], offset=5, has_more=True), can_manage=True
        ),
        b.render_alerts_page(s.page([s.alert()], offset=5, has_more=True), can_manage=True),
        b.render_stock_change(StockChange(s.part(), s.movement(), False, False)),
        b.render_pick_list("x", [("a", {"id": 1})]),
        b.render_please_link(),
        b.render_link_offer("https://x.example", 5),
        b.render_whoami(s.user()),
    ]
    known = {member.value for member in ActionId}
    for msg in built:
        assert s.action_ids(msg) <= known
