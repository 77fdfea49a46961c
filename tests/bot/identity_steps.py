"""Steps for the identity tests: follow the link a DM carries to its page and fill it in;
check where a token and a password went."""

from __future__ import annotations

import json
import logging
from typing import Any

import httpx

from slack_stand_in import SlackStandIn
from tests.api.link_page_support import Page, dm_link, fill_in, open_link, token_of
from tests.bot.conftest import Lab
from tests.bot.steps import everything_said


def said(message: dict[str, Any]) -> str:
    return everything_said(message)


def follow_dm_link(lab: Lab, slack_user_id: str, count: int = 1, **answers: str) -> Page:
    """Open the ``count``-th link DMed to the person in a fresh browser and fill it in."""
    url = dm_link(lab.harness.stand_in, slack_user_id, count)
    assert url.startswith(f"{lab.harness.public_url}/"), url
    with httpx.Client(base_url=lab.harness.public_url or "", timeout=10) as browser:
        page = open_link(browser, url)
        assert page.status == 200, page.text
        assert page.has_form, page.text
        return fill_in(browser, page, **answers)


def dm_token(lab: Lab, slack_user_id: str, count: int = 1) -> str:
    return token_of(dm_link(lab.harness.stand_in, slack_user_id, count))


def dm_saying(stand_in: SlackStandIn, slack_user_id: str, words: str) -> dict[str, Any]:
    """The DM to the person that says ``words`` (waits for it)."""

    def found() -> list[dict[str, Any]]:
        return [m for m in stand_in.messages(slack_user_id) if words in said(m)]

    stand_in.wait_until(lambda: bool(found()))
    return found()[0]


def assert_token_only_in_dm_to(stand_in: SlackStandIn, token: str, slack_user_id: str) -> None:
    """The token went to Slack once: in a chat.postMessage to the person's DM, nowhere else."""
    carrying = [c for c in stand_in.calls() if token in json.dumps(c.body)]
    assert [(c.method, c.body.get("channel")) for c in carrying] == [
        ("chat.postMessage", f"D{slack_user_id}")
    ]
    for ephemeral in stand_in.ephemerals():
        assert token not in json.dumps(ephemeral)


def assert_nowhere_in_logs(records: list[logging.LogRecord], *secrets: str) -> None:
    """No log record of the app mentions the secrets (the tests' own httpx clients, which
    stand in for the person's browser and for Slack, log the URLs they fetch)."""
    app_records = [r for r in records if not r.name.startswith(("httpx", "httpcore"))]
    assert app_records, "nothing was logged at all"
    for record in app_records:
        text = record.getMessage()
        for secret in secrets:
            assert secret not in text, f"{record.name} logged a secret"


def assert_not_sent_to_slack(stand_in: SlackStandIn, *secrets: str) -> None:
    for call in stand_in.calls():
        for secret in secrets:
            assert secret not in json.dumps(call.body) + json.dumps(call.response)
