"""Account builders: user list, account card, invitation form, and the link DMs."""

from __future__ import annotations

from dataclasses import replace
from datetime import UTC, datetime

from bot.blocks import link_messages as lm
from bot.blocks import unpack
from bot.blocks import users as ub
from bot.ids import ActionId
from domain.accounts import AccountView
from domain.results import SlackIdentityView
from tests.bot import blocks_samples as s

HOSTILE = "<!channel> *bold* <https://evil.example|click> & co"
URL = "https://farlab.example.org/invite?token=aaa.bbb.ccc"


def _account(slack: tuple[str, ...] = ("U123",), **changes: object) -> AccountView:
    links = tuple(
        SlackIdentityView("T1", sid, 7, datetime(2026, 1, 1, tzinfo=UTC), None) for sid in slack
    )
    return AccountView(user=s.user(**changes), slack=links)


def test_the_user_list_pages_and_escapes_what_people_typed() -> None:
    accounts = [
        _account(first_name=HOSTILE),
        _account(slack=(), id=8, username="bob"),
        _account(slack=("not an id",), id=9, username="cy.d", is_active=False),
    ]
    msg = ub.render_users_page(s.page(accounts, limit=3, has_more=True), query="a")
    s.assert_valid_message(msg, mentions=True)
    text = " ".join(s.texts(msg))
    assert "<@U123>" in text
    assert "not linked" in text
    assert "deactivated" in text
    assert "not an id" not in text  # only well-formed Slack ids become mentions
    [next_button] = s.pager_buttons(msg)
    assert unpack(next_button["value"]) == {"q": "a", "o": 3}
    assert [unpack(b["value"]) for b in s.buttons(msg)][:3] == [{"id": 7}, {"id": 8}, {"id": 9}]


def test_60_users_fit_one_message() -> None:
    accounts = [_account(id=i, username=f"user{i:03}") for i in range(60)]
    msg = ub.render_users_page(s.page(accounts, limit=60))
    s.assert_valid_message(msg, mentions=True)
    assert s.pager_buttons(msg)  # the rest is on the next page


def test_the_account_card_offers_role_activation_unlink_and_delete_with_confirmation() -> None:
    card = ub.render_account_card(_account(email=HOSTILE), notice="alice is now manager.")
    s.assert_valid_message(card, mentions=True)
    assert s.action_ids(card) == {
        ActionId.ACCOUNT_EDIT,
        ActionId.ACCOUNT_ROLE,
        ActionId.ACCOUNT_DEACTIVATE,
        ActionId.ACCOUNT_UNLINK_USER,
        ActionId.ACCOUNT_DELETE,
    }
    changing = [b for b in s.buttons(card) if b["action_id"] != ActionId.ACCOUNT_EDIT]
    assert all("confirm" in b for b in changing)
    [menu] = [
        e for b in card["blocks"] if b["type"] == "actions" for e in b["elements"] if "options" in e
    ]
    assert unpack(menu["initial_option"]["value"]) == {"id": 7, "role": "manager"}
    inactive = ub.render_account_card(_account(is_active=False, has_password=False))
    assert ActionId.ACCOUNT_REACTIVATE in s.action_ids(inactive)


def test_an_unlinked_accounts_card_offers_no_unlink() -> None:
    card = ub.render_account_card(_account(slack=()))
    s.assert_valid_message(card)
    assert "not linked" in " ".join(s.texts(card))
    assert ActionId.ACCOUNT_UNLINK_USER not in s.action_ids(card)
    assert ActionId.ACCOUNT_EDIT in s.action_ids(card)


def test_the_account_card_shows_the_profile_and_the_edit_form_holds_it() -> None:
    account = _account(
        phone="+41 44 000", department=HOSTILE, position="PhD student", notes="Keys: room 2"
    )
    card = ub.render_account_card(account)
    s.assert_valid_message(card, mentions=True)
    shown = " ".join(s.texts(card))
    assert "*Phone*\n+41 44 000" in shown
    assert "*Position*\nPhD student" in shown
    assert "&lt;!channel&gt;" in shown
    assert "*Notes*\nKeys: room 2" in shown
    view = ub.user_edit_modal(account.user, channel_id="C1")
    s.assert_valid_view(view)
    assert [b.get("block_id") for b in view["blocks"] if b["type"] == "input"] == [
        "first_name",
        "last_name",
        "email",
        "phone",
        "department",
        "position",
        "notes",
    ]
    initial = {b["block_id"]: b["element"].get("initial_value") for b in view["blocks"][1:]}
    assert initial["phone"] == "+41 44 000"
    assert initial["notes"] == "Keys: room 2"
    assert unpack(view["private_metadata"]) == {"id": 7, "channel": "C1"}
    long_notes = ub.user_edit_modal(replace(account.user, notes="n" * 4000))
    s.assert_valid_view(long_notes)
    assert "notes" not in [b.get("block_id") for b in long_notes["blocks"]]


def test_the_invitation_form_has_the_domains_field_names_as_block_ids() -> None:
    view = ub.user_add_modal(channel_id="C1")
    s.assert_valid_view(view)
    ids = [b["block_id"] for b in view["blocks"]]
    assert ids == ["slack_user_id", "username", "first_name", "last_name", "email", "role"]
    assert unpack(view["private_metadata"]) == {"channel": "C1"}


def test_link_dms_carry_the_url_in_one_button_and_the_notices_carry_none() -> None:
    user = replace(s.user(), username="alice")
    offers = [
        lm.render_invitation(URL, user, 72),
        lm.render_confirm_request(URL, user, 72),
        lm.render_password_offer(URL, 10),
    ]
    for offer in offers:
        s.assert_valid_message(offer)
        assert [b.get("url") for b in s.buttons(offer)] == [URL]
        assert "token" not in offer["text"]
    notices = [
        lm.render_dm_sent("a link"),
        lm.render_linked(user),
        lm.render_password_changed(user),
        lm.render_link_confirmed("U123", user),
        lm.render_link_sent("U123", user, invitation=True),
        lm.render_link_sent("U123", user, invitation=False),
        lm.render_invited("U123", user, 72),
        lm.render_unlinked_self(),
        lm.render_dm_sending("a link"),
        lm.render_dm_not_sent("a link", "Slack asked FarLab to slow down", "/farlab link"),
        lm.render_link_sending("U123", user, invitation=True),
        lm.render_link_not_sent("U123", user, "Slack had a problem", invitation=False),
        lm.render_link_not_sent("U123", user, "Slack had a problem", invitation=True, created=True),
    ]
    for notice in notices:
        s.assert_valid_message(notice, mentions=True)
        assert "token" not in str(notice)
    assert lm.render_linked(user)["text"] == "You are now linked as alice (manager)"
    assert lm.mention("U<!here>") == "someone"
