"""Who the console can act as: the default person, and Slack users without an account."""

from __future__ import annotations

from itertools import permutations

import pytest

from console.errors import StepFailed
from console.people import Person, add_slack_user, default_person, local_slack_id
from slack_stand_in import SlackStandIn


def person(name: str, role: str, user_id: int | None, *, active: bool = True) -> Person:
    slack_id = local_slack_id(name) if active else None
    return Person(name, name.capitalize(), role, active, slack_id, user_id)


def test_the_default_person_is_the_first_active_admin_by_account_id_in_any_order() -> None:
    people = [
        person("zed", "admin", 9),
        person("amy", "member", 1),
        person("bob", "admin", 4),
        person("old", "admin", 2, active=False),
        person("nora", "", None),  # a Slack user without an account
    ]
    assert {default_person(list(order)).username for order in permutations(people)} == {"bob"}


def test_without_an_admin_the_default_is_the_first_reachable_account_by_id() -> None:
    people = [person("li", "member", 7), person("ole", "manager", 5), person("nora", "", None)]
    chosen = default_person(people)
    assert chosen is not None
    assert chosen.username == "ole"
    assert default_person([person("nora", "", None)]) is None


def test_a_slack_user_is_added_without_an_account_under_an_id_of_their_own() -> None:
    people = [person("sa.ra", "member", 1)]  # holds USARA already
    with SlackStandIn() as stand_in:
        added = add_slack_user(stand_in, people, "@Sara.B", "sara.b@lab.example")
        sara = add_slack_user(stand_in, [*people, added], "sara")
        profile = stand_in.workspace.directory.user("USARAB")["profile"]
    assert (added.username, added.slack_user_id, added.has_account) == ("sara.b", "USARAB", False)
    assert added.label == "sara.b (no FarLab account)"
    assert profile["email"] == "sara.b@lab.example"
    assert profile["display_name"] == "sara.b"
    assert sara.slack_user_id == "USARA2"  # USARA is the account's


@pytest.mark.parametrize(
    ("name", "email", "refusal"),
    [
        ("sara", None, "NAME: sara is taken"),
        ("no way", None, "NAME: 1-80 letters"),
        ("-dash", None, "NAME: 1-80 letters"),
        ("nora", "not-an-address", "email: 'not-an-address' is not an e-mail address"),
    ],
)
def test_a_slack_user_needs_a_free_plain_name_and_a_real_address(
    name: str, email: str | None, refusal: str
) -> None:
    with SlackStandIn() as stand_in, pytest.raises(StepFailed, match=refusal):
        add_slack_user(stand_in, [person("sara", "member", 1)], name, email)
