"""The shared input rules, seen through the services that apply them."""

from __future__ import annotations

import pytest

from domain import parts, stock, users
from domain.errors import InvalidInput
from domain.permissions import SYSTEM
from tests.helpers import PASSWORD


def _user(ctx, **fields):
    values = {
        "username": "sara",
        "email": "sara@lab.example",
        "first_name": "Sara",
        "last_name": "Berg",
        "password": PASSWORD,
        **fields,
    }
    return users.create_user(ctx, actor=SYSTEM, **values)


def test_text_is_stripped_and_blank_optional_text_becomes_empty(ctx):
    part = parts.create_part(
        ctx,
        actor=SYSTEM,
        part_number="\tFIL-1 ",
        name="  Rhenium filament  ",
        description="   ",
        location="Cabinet 1\nshelf 2",
    )
    assert (part.part_number, part.name, part.description) == ("FIL-1", "Rhenium filament", None)
    assert part.location == "Cabinet 1\nshelf 2"  # newlines and tabs are text, not control


@pytest.mark.parametrize("bad", ["a\x00b", "line\rbreak", "esc\x1b[31m"])
def test_control_characters_are_refused_naming_the_field(ctx, refused, bad):
    with refused(InvalidInput, field="name") as refusal:
        parts.create_part(ctx, actor=SYSTEM, part_number="FIL-1", name=bad)
    assert "control characters" in str(refusal.error)


def test_text_at_its_limit_is_accepted_and_one_character_more_is_refused(ctx, refused):
    assert parts.create_part(ctx, actor=SYSTEM, part_number="P-1", name="n" * 200).name
    with refused(InvalidInput, field="name") as refusal:
        parts.create_part(ctx, actor=SYSTEM, part_number="P-2", name="n" * 201)
    assert "at most 200 characters" in str(refusal.error)


@pytest.mark.parametrize("value", [True, 2.0, "3", None, -1, 100_001])
def test_quantities_must_be_whole_numbers_within_range(ctx, refused, value):
    with refused(InvalidInput, field="minimum_stock_level"):
        parts.create_part(ctx, actor=SYSTEM, part_number="P", name="N", minimum_stock_level=value)


def test_quantity_limits_are_inclusive(ctx):
    part = parts.create_part(
        ctx, actor=SYSTEM, part_number="P", name="N", quantity_in_stock=100_000
    )
    change = stock.adjust_stock(
        ctx, actor=SYSTEM, part_id=part.id, delta=-100_000, reason=None, source="api"
    )
    assert change.part.quantity_in_stock == 0


@pytest.mark.parametrize("name", ["abc", "a.b-c_d", "A" * 50, "0day"])
def test_usernames_that_follow_the_rule_are_accepted(ctx, name):
    assert _user(ctx, username=name).username == name


@pytest.mark.parametrize("name", ["ab", "A" * 51, ".dot", "spa ce", "ünï", "semi;colon"])
def test_usernames_that_break_the_rule_are_refused(ctx, refused, name):
    with refused(InvalidInput, field="username") as refusal:
        _user(ctx, username=name)
    assert "3-50 characters" in str(refusal.error)


def test_email_domain_is_normalised_to_lower_case(ctx):
    assert _user(ctx, email="  Sara.Berg@LAB.Example ").email == "Sara.Berg@lab.example"


@pytest.mark.parametrize("email", ["", "sara", "sara@", "@lab.example", "sara@lab..example"])
def test_invalid_emails_are_refused(ctx, refused, email):
    with refused(InvalidInput, field="email") as refusal:
        _user(ctx, email=email)
    assert str(refusal.error).startswith("Email is not valid")


@pytest.mark.parametrize(
    ("offset", "limit", "field"), [(-1, 10, "offset"), (0, 0, "limit"), (0, 201, "limit")]
)
def test_paging_refuses_negative_offsets_and_limits_out_of_range(ctx, offset, limit, field):
    with pytest.raises(InvalidInput) as caught:
        users.list_users(ctx, actor=SYSTEM, offset=offset, limit=limit)
    assert field in caught.value.errors


def test_like_pattern_matches_wildcards_and_backslashes_literally():
    from domain.validation import like_pattern

    assert like_pattern(r"A_b%c\d") == r"%a\_b\%c\\d%"
    assert like_pattern("Kiel", anywhere=False) == "kiel%"


def test_instrument_prefix_lookup_treats_wildcards_literally(ctx):
    from domain import instruments
    from domain.errors import NotFound
    from domain.permissions import SYSTEM

    instruments.create_instrument(ctx, actor=SYSTEM, name="Kiel IV", model="Kiel IV")
    assert instruments.find_instrument(ctx, actor=SYSTEM, ref="kie").name == "Kiel IV"
    for ref in ("_iel", "%", "K\\"):
        with pytest.raises(NotFound):
            instruments.find_instrument(ctx, actor=SYSTEM, ref=ref)
