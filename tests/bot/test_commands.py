from bot.blocks import render_please_link
from bot.blocks.help import COMMANDS as HELP_LINES
from bot.commands.router import BY_NAME
from bot.ids import ActionId
from domain import parts, stock
from tests.bot.blocks_samples import action_ids
from tests.bot.conftest import Lab


def _text(answer: dict) -> str:
    return answer.get("text", "") + " ".join(str(b) for b in answer.get("blocks", []))


def test_help_lists_commands_for_anyone_even_unlinked(lab: Lab):
    answer = lab.command("UNKNOWN1", "help")
    assert answer["response_type"] == "ephemeral"
    assert "restock" in _text(answer)
    assert "instrument" in _text(answer)


def test_unlinked_user_is_told_how_to_get_linked(lab: Lab):
    answer = lab.command("UNKNOWN1", "parts")
    assert answer["response_type"] == "ephemeral"
    assert answer["text"] == "Link your Slack account to FarLab first."
    assert answer["blocks"] == render_please_link()["blocks"]
    assert ActionId.ACCOUNT_LINK in action_ids(answer["blocks"])


def test_use_takes_stock_and_answers_with_what_is_left(lab: Lab):
    part = parts.create_part(
        lab.ctx,
        actor=lab.actors["manager"],
        part_number="FIL-1002",
        name="Rhenium filament",
        quantity_in_stock=10,
        minimum_stock_level=2,
    )
    answer = lab.command("member", "use FIL-1002 3 filament change")
    assert answer["text"] == "Took 3 pcs of *FIL-1002* Rhenium filament — 7 left (minimum 2)"
    history = stock.part_history(lab.ctx, actor=lab.actors["member"], part_id=part.id)
    assert [(m.delta, m.source, m.reason) for m in history.items] == [
        (-3, "slack", "filament change"),
        (10, "system", "Initial stock"),
    ]


def test_a_count_says_what_it_found_not_that_stock_was_taken_or_added(lab: Lab):
    parts.create_part(
        lab.ctx,
        actor=lab.actors["manager"],
        part_number="FIL-1016",
        name="Tungsten filament",
        quantity_in_stock=12,
    )
    fewer = lab.command("member", "count FIL-1016 5")
    assert fewer["text"] == "Counted *FIL-1016* Tungsten filament: 5 pcs (was 12, \u22127)"
    more = lab.command("member", "count FIL-1016 8")
    assert more["text"] == "Counted *FIL-1016* Tungsten filament: 8 pcs (was 5, +3)"
    same = lab.command("member", "count FIL-1016 8")
    assert same["text"] == "Counted *FIL-1016* Tungsten filament: 8 pcs (no change)"
    one = lab.command("member", "count FIL-1016 1")
    assert one["text"] == "Counted *FIL-1016* Tungsten filament: 1 pc (was 8, \u22127)"


def test_unknown_word_gets_did_you_mean(lab: Lab):
    answer = lab.command("member", "restok FIL 2")
    assert "Did you mean `restock`" in _text(answer)


def test_part_named_with_payload_in_its_number_is_found(lab: Lab):
    parts.create_part(
        lab.ctx, actor=lab.actors["manager"], part_number="payload-filter-3", name="Payload filter"
    )
    answer = lab.command("member", "part payload-filter-3")
    assert "payload-filter-3" in _text(answer)


def test_help_shows_each_person_the_commands_their_role_may_run(lab: Lab):
    member, manager, admin = (_text(lab.command(r, "help")) for r in ("member", "manager", "admin"))
    assert "part add" not in member
    assert "Managers and admins have more commands" in member
    assert "/farlab part add`: add a part _(managers)_" in manager
    assert "/farlab users [query]" not in manager
    assert "Admins have more commands" in manager
    assert "/farlab users [query]`: accounts with role, Slack link and status _(admins)_" in admin
    assert "have more commands" not in admin
    assert _text(lab.command("UNKNOWN1", "help")) == member


def test_every_command_has_help_and_every_help_line_a_command():
    helped = {topic.usage.split()[0] for topic in HELP_LINES}
    assert helped == set(BY_NAME) | {"help"}
