"""When the DM with a link cannot be sent, the person is told so, never "I sent you a DM".

Slack refuses it (channel_not_found), rate-limits it past the client's retries (429) or
fails (500). The answer waits up to 2 s for the DM; a DM still under way then (the 429s
take longer, with their Retry-After) is followed up through the response_url.
"""

from __future__ import annotations

from collections.abc import Callable

import pytest

from slack_stand_in import SlackStandIn
from tests.api.link_page_support import link_buttons
from tests.bot.conftest import Lab
from tests.bot.identity_steps import said
from tests.bot.steps import modal_from_command, replies_to, submit
from tests.factories import make_user

FAULTS: dict[str, tuple[Callable[[SlackStandIn], None], str]] = {
    "channel_not_found": (
        lambda s: s.error("chat.postMessage", "channel_not_found", times=None),
        "Slack would not open a direct message with that person",
    ),
    "429": (
        lambda s: s.fail("chat.postMessage", 429, retry_after=1, times=None),
        "Slack asked FarLab to slow down",
    ),
    "500": (
        lambda s: s.fail("chat.postMessage", 500, times=None),
        "Slack had a problem on its side",
    ),
}


def _eventually_said(stand_in: SlackStandIn, person: str, words: str) -> list[str]:
    """Everything the bot showed the person, once something says ``words``."""
    stand_in.wait_until(
        lambda: any(words in said(m) for m in replies_to(stand_in, person)), timeout=15
    )
    return [said(m) for m in replies_to(stand_in, person)]


@pytest.mark.parametrize("fault", list(FAULTS))
@pytest.mark.parametrize("command", ["link", "password"])
def test_a_link_dm_that_cannot_be_sent_is_reported_not_claimed(lab: Lab, fault, command):
    stand_in = lab.harness.stand_in
    inject, problem = FAULTS[fault]
    person = "USARA" if command == "link" else "UMEMBER"
    if command == "link":
        make_user(lab.ctx, username="sara")
    inject(stand_in)
    lab.command(person, command)
    seen = _eventually_said(stand_in, person, "could not send you a direct message")
    assert not [t for t in seen if "I sent you a direct message" in t]
    [failed] = [t for t in seen if "could not send" in t]
    assert problem in failed
    assert f"/farlab {command}" in failed
    assert not [m for m in stand_in.messages(person) if link_buttons(m)]


def test_an_admins_link_request_that_cannot_be_sent_says_so(lab: Lab):
    stand_in = lab.harness.stand_in
    make_user(lab.ctx, username="sara")
    stand_in.error("conversations.open", "user_not_found", times=None)
    answer = lab.command("admin", "user link <@USARA|sara> sara")
    assert "I asked" not in said(answer)
    assert "could not send <@USARA> a request to confirm *sara*" in said(answer)
    assert "Slack would not open a direct message with that person" in said(answer)


def test_an_invitation_that_cannot_be_sent_is_reported_to_the_admin(lab: Lab):
    stand_in = lab.harness.stand_in
    form = modal_from_command(lab, "admin", "user add")
    stand_in.fail("chat.postMessage", 500, times=None)
    invitation = {
        "account.slack_user": "UNEW",
        "Username": "newbie",
        "First name": "Nia",
        "Last name": "Ewing",
        "E-mail": "nia@lab.example",
        "Role": "Member",
    }
    assert submit(lab, "admin", form, invitation) == {}
    seen = _eventually_said(stand_in, "UADMIN", "could not send")
    assert not [t for t in seen if "sent <@UNEW> an invitation" in t]
    [told] = [t for t in seen if "could not send" in t]
    assert "Created *newbie* (member), but I could not send <@UNEW> an invitation" in told
    assert "Slack had a problem on its side" in told


@pytest.mark.parametrize("lost", ["timeout", "dropped"])
def test_a_link_dm_whose_answer_is_lost_is_neither_claimed_sent_nor_not_sent(lab: Lab, lost):
    """Slack takes the DM but its answer never comes (after the client's timeout, or the
    connection closes): the DM may well have arrived, so "I could not send" would be false."""
    stand_in = lab.harness.stand_in
    lab.harness.app.client.timeout = 1
    make_user(lab.ctx, username="sara")
    stand_in.answer_late("chat.postMessage", 3 if lost == "timeout" else None, times=2)
    lab.command("USARA", "link")
    seen = _eventually_said(stand_in, "USARA", "cannot tell whether")
    assert not [t for t in seen if "could not send" in t or "I sent you" in t]
    [told] = [t for t in seen if "cannot tell whether" in t]
    assert "Look in your direct messages from FarLab" in told
    assert "/farlab link" in told
    assert [m for m in stand_in.messages("USARA") if link_buttons(m)]  # it did arrive
