"""The shared input rules, seen through the services that apply them."""

from __future__ import annotations

import pytest

from domain import accounts, alerts, instruments, parts, stock, users
from domain.errors import InvalidInput
from domain.permissions import SYSTEM
from tests.factories import PASSWORD, make_user


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
        location=" Cabinet 1, shelf 2\n",
    )
    assert (part.part_number, part.name, part.description) == ("FIL-1", "Rhenium filament", None)
    assert part.location == "Cabinet 1, shelf 2"


@pytest.mark.parametrize(
    ("bad", "said"),
    [
        ("a\x00b", "a control character (U+0000)"),
        ("esc\x1b[31m", "a control character (U+001B)"),
        ("tab\there", "a control character (U+0009)"),
        ("line\rbreak", "a line break (U+000D); it must be one line"),
        ("Septa\n:white_check_mark: *Resolved by admin*", "a line break (U+000A)"),
        ("para\u2029graph", "a line break (U+2029)"),
        ("a\ud800b", "an unpaired surrogate (U+D800)"),
        ("Septa \u202edesab", "a text-direction control (U+202E)"),
        ("\u2066isolated\u2069", "a text-direction control (U+2066)"),
    ],
)
def test_control_characters_are_refused_naming_the_field(ctx, refused, bad, said):
    with refused(InvalidInput, field="name") as refusal:
        parts.create_part(ctx, actor=SYSTEM, part_number="FIL-1", name=bad)
    assert str(refusal.error).startswith(f"Name contains {said}")


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


# What may be in a text: every text refuses NUL and unpaired surrogates; one-line fields
# refuse every control character and the Unicode line separators; multi-line fields keep
# newlines and tabs.
UNSTORABLE = ("a\x00b", "\ud800", "b\udfffc")
LINE_BREAKS_AND_CONTROLS = ("a\nb", "a\rb", "a\tb", "a\u2028b", "a\u2029b", "a\x85b", "a\x7fb")


def _instrument(ctx, **fields):
    return instruments.create_instrument(
        ctx, actor=SYSTEM, **{"name": "MAT", "model": "M", **fields}
    )


def _part(ctx, **fields):
    return parts.create_part(ctx, actor=SYSTEM, **{"part_number": "P-1", "name": "N", **fields})


ONE_LINE_FIELDS = [
    *[(_part, f) for f in ("part_number", "name", "category", "manufacturer", "location")],
    (_part, "unit_of_measure"),
    *[(_instrument, f) for f in ("name", "model", "manufacturer", "serial_number", "location")],
    *[(_user, f) for f in ("username", "first_name", "last_name", "department", "position")],
    (_user, "phone"),
    (_user, "email"),
]
MULTI_LINE_FIELDS = [(_part, "description"), (_instrument, "description"), (_user, "notes")]


@pytest.mark.parametrize(("create", "field"), ONE_LINE_FIELDS)
def test_one_line_fields_refuse_line_breaks_and_control_characters(ctx, refused, create, field):
    for bad in UNSTORABLE + LINE_BREAKS_AND_CONTROLS:
        with refused(InvalidInput, field=field) as refusal:
            create(ctx, **{field: f"x{bad}y"})
        assert "contains" in str(refusal.error), bad


@pytest.mark.parametrize(("create", "field"), MULTI_LINE_FIELDS)
def test_multi_line_fields_keep_newlines_and_tabs_and_refuse_other_controls(
    ctx, refused, create, field
):
    for bad in (*UNSTORABLE, "a\rb", "a\x1bb", "a\x0bb"):
        with refused(InvalidInput, field=field):
            create(ctx, **{field: bad})
    assert getattr(create(ctx, **{field: "First line\n\tsecond line"}), field) == (
        "First line\n\tsecond line"
    )


@pytest.mark.parametrize("bad", UNSTORABLE)
def test_notes_reasons_and_alert_messages_refuse_nul_and_surrogates(ctx, refused, bad):
    part = _part(ctx, quantity_in_stock=5)
    instrument = _instrument(ctx)
    calls = {
        "reason": lambda: stock.adjust_stock(
            ctx, actor=SYSTEM, part_id=part.id, delta=-1, reason=bad, source="api"
        ),
        "message": lambda: alerts.raise_alert(ctx, actor=SYSTEM, message=bad, part_id=part.id),
        "note": lambda: instruments.set_instrument_status(
            ctx, actor=SYSTEM, instrument_id=instrument.id, status="maintenance", note=bad
        ),
    }
    for field, call in calls.items():
        with refused(InvalidInput, field=field):
            call()


@pytest.mark.parametrize("bad", [*UNSTORABLE, "a\nb"])
def test_lookups_refuse_what_no_name_can_hold_before_asking_the_database(ctx, refused, bad):
    """On PostgreSQL a NUL reaching a query was an error of the driver (a 500)."""
    admin = make_user(ctx, "admin")
    lookups = {
        "part": lambda: parts.find_part(ctx, actor=SYSTEM, ref=bad),
        "query": lambda: parts.search_parts(ctx, actor=SYSTEM, query=f"ab{bad}"),
        "category": lambda: parts.list_parts(ctx, actor=SYSTEM, category=bad),
        "instrument": lambda: instruments.find_instrument(ctx, actor=SYSTEM, ref=bad),
        "username": lambda: users.get_user(ctx, actor=admin, username=bad),
    }
    for field, call in lookups.items():
        with refused(InvalidInput, field=field):
            call()
    with refused(InvalidInput, field="query"):
        users.list_users(ctx, actor=admin, query=bad)
    with refused(InvalidInput, field="username"):
        accounts.get_account(ctx, actor=admin, username=bad)


@pytest.mark.parametrize("bad", UNSTORABLE)
def test_sign_in_refuses_nul_and_surrogates_in_either_field_and_counts_no_failure(
    ctx, refused, bad
):
    make_user(ctx, "member", username="sara")
    with refused(InvalidInput, field="username"):  # nothing written: no failure counted
        users.authenticate(ctx, username=f"sara{bad}", password=PASSWORD)
    with refused(InvalidInput, field="password"):
        users.authenticate(ctx, username="sara", password=f"{PASSWORD}{bad}")
    assert users.authenticate(ctx, username="sara", password=PASSWORD).username == "sara"


@pytest.mark.parametrize("bad", UNSTORABLE)
def test_new_passwords_refuse_nul_and_surrogates(ctx, refused, bad):
    with refused(InvalidInput, field="password"):
        _user(ctx, password=f"{PASSWORD}{bad}")


def test_every_bad_field_of_a_part_instrument_or_account_is_named_at_once(ctx, refused):
    with refused(InvalidInput) as refusal:
        parts.create_part(ctx, actor=SYSTEM, part_number="P\n1", name="", minimum_stock_level=-1)
    assert set(refusal.error.errors) == {"part_number", "name", "minimum_stock_level"}
    with refused(InvalidInput) as refusal:
        instruments.create_instrument(
            ctx, actor=SYSTEM, name="", model="m" * 101, calibration_interval_days=0
        )
    assert set(refusal.error.errors) == {"name", "model", "calibration_interval_days"}
    with refused(InvalidInput) as refusal:
        _user(ctx, username="?", email="nowhere", role="boss")
    assert set(refusal.error.errors) == {"username", "email", "role"}
    for message in refusal.error.errors.values():
        assert message in str(refusal.error)
