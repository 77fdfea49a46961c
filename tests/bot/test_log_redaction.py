"""No response_url and no link (URL or token) ever reaches a log, at any level: every
logger at DEBUG (slack_sdk's and slack_bolt's request and response bodies included)."""

from __future__ import annotations

import logging
import re
from collections.abc import Iterator

import pytest

from bot.ids import ActionId
from tests.api.link_page_support import dm_link, token_of
from tests.bot.conftest import Lab
from tests.bot.identity_steps import follow_dm_link
from tests.bot.steps import CHANNEL, click, click_and_see
from tests.factories import PASSWORD, make_user


class _Everything(logging.Handler):
    def __init__(self) -> None:
        super().__init__(logging.DEBUG)
        self.texts: list[tuple[str, str]] = []

    def emit(self, record: logging.LogRecord) -> None:
        self.texts.append((record.name, logging.Formatter().format(record)))


@pytest.fixture
def every_log_record() -> Iterator[_Everything]:
    """Every logger at DEBUG, and every record captured (loggers that do not propagate,
    such as uvicorn's, included)."""
    handler = _Everything()
    loggers = [logging.getLogger(), *map(logging.getLogger, logging.root.manager.loggerDict)]
    saved = [(logger, logger.level, logger.disabled) for logger in loggers]
    for logger in loggers:
        logger.setLevel(logging.DEBUG)
        logger.disabled = False
        if logger is logging.getLogger() or not logger.propagate:
            logger.addHandler(handler)
    yield handler
    for logger, level, disabled in saved:
        logger.setLevel(level)
        logger.disabled = disabled
        logger.removeHandler(handler)


def test_commands_clicks_and_link_flows_log_no_response_url_or_link(
    lab: Lab, every_log_record: _Everything
):
    stand_in = lab.harness.stand_in
    make_user(lab.ctx, username="sara")
    lab.command("USARA", "link")  # a link by DM
    follow_dm_link(lab, "USARA", username="sara", password=PASSWORD)
    lab.command("member", "password")  # another, and the page that uses it
    follow_dm_link(lab, "UMEMBER", password="Fresh-Start-42", password2="Fresh-Start-42")
    lab.command("admin", "user link <@UNEW> sara")  # an admin's request to someone else
    lab.command("member", "whoami")  # a card whose buttons answer through response_url
    [card] = [m for m in stand_in.ephemerals(CHANNEL, "UMEMBER") if "You are" in m["text"]]
    click_and_see(lab, "member", ActionId.ACCOUNT_UNLINK, card)
    click(lab, "admin", ActionId.ACCOUNT_VIEW, value="not-a-packed-value")  # an error reply
    stand_in.wait_until(lambda: len(stand_in.calls("response_url")) >= 2)
    lab.harness.runtime.executor.submit(lambda: None).result()  # deferred work is done

    links = [dm_link(stand_in, user) for user in ("USARA", "UMEMBER", "UNEW")]
    secrets = [*links, *map(token_of, links), *stand_in.response_urls()]
    assert len(stand_in.response_urls()) == 6  # four commands, two clicks
    logged = every_log_record.texts
    assert any(name.startswith("slack_sdk") for name, _ in logged), "slack_sdk logged nothing"
    leaks = [
        (name, secret[-12:])
        for name, text in logged
        if not name.startswith(("httpx", "httpcore"))  # the tests' own browser and Slack
        for secret in secrets
        if secret in text or secret.split("://", 1)[-1] in text
    ]
    assert sorted(set(leaks)) == []


BCRYPT_HASH = re.compile(r"\$2[abxy]?\$\d\d\$[./A-Za-z0-9]{53}")


def test_no_password_hash_or_secret_in_any_log_even_sqlalchemys(
    lab: Lab, every_log_record: _Everything
):
    """SQLAlchemy's engine logs each statement's parameters at INFO and every row it reads
    at DEBUG: new accounts, sign-ins and password changes carry password hashes."""
    make_user(lab.ctx, username="sara")
    lab.command("USARA", "link")  # the link page checks sara's password
    follow_dm_link(lab, "USARA", username="sara", password=PASSWORD)
    lab.command("member", "password")
    follow_dm_link(lab, "UMEMBER", password="Fresh-Start-42", password2="Fresh-Start-42")
    lab.command("member", "whoami")

    logged = every_log_record.texts
    assert any(name.startswith("sqlalchemy.engine") for name, _ in logged), "no SQL logged"
    app_logged = [(n, t) for n, t in logged if not n.startswith(("httpx", "httpcore"))]
    assert [(n, t[:120]) for n, t in app_logged if BCRYPT_HASH.search(t)] == []
    assert [n for n, t in app_logged if lab.ctx.secret_key in t] == []
    assert [n for n, t in app_logged if "xoxb-farlab-local" in t] == []  # the bot token
