"""LOG_FORMAT=json: one JSON object per line with the request id and the actor, and no
secret in any line of a real flow (a link DM, the link page's sign-in, an API sign-in)."""

from __future__ import annotations

import json
import logging
from collections.abc import Iterator

import httpx
import pytest

from farlab.logs import configure_logging
from tests.api.link_page_support import dm_link, token_of
from tests.bot.identity_steps import fill_in, open_link
from tests.factories import PASSWORD, make_user
from tests.farlab.observed_web import BOT_TOKEN, SIGNING_SECRET, observed_web, settings_for

FIELDS = {"time", "level", "logger", "message", "request_id", "actor"}


@pytest.fixture
def json_logs() -> Iterator[None]:
    """``configure_logging`` in JSON at DEBUG, writing to the captured stderr; undone after."""
    root = logging.getLogger()
    level, handlers = root.level, list(root.handlers)
    yield
    for handler in [h for h in root.handlers if h not in handlers]:
        root.removeHandler(handler)
    root.setLevel(level)


def _lines(err: str) -> list[dict]:
    return [json.loads(line) for line in err.splitlines() if line.strip()]


@pytest.mark.usefixtures("json_logs")
def test_json_lines_carry_request_id_and_actor_and_no_secret(ctx, capsys):
    make_user(ctx, username="sara")
    with observed_web(ctx) as web:
        settings = settings_for(
            web.stand_in, web.url, log_format="json", log_level="DEBUG", secret_key=ctx.secret_key
        )
        configure_logging(settings)
        command = web.slack.command("USARA", "link")  # a link DM to an unlinked person
        assert command.status_code == 200
        link = dm_link(web.stand_in, "USARA")
        with httpx.Client(base_url=web.url, timeout=10) as browser:
            page = open_link(browser, link)
            fill_in(browser, page, username="sara", password=PASSWORD)  # the page's sign-in
        signed_in = web.http.post("/api/token", data={"username": "sara", "password": PASSWORD})
        bearer = {"Authorization": f"Bearer {signed_in.json()['access_token']}"}
        me = web.http.get("/api/users/me", headers={**bearer, "X-Request-ID": "api-call-1"})
        assert me.status_code == 200
        assert web.scheduler.run("low_stock_scan").status == "ok"
        response_urls = web.stand_in.response_urls()
    lines = _lines(capsys.readouterr().err)  # each line is one JSON object, or this fails

    assert lines
    assert all(line.keys() >= FIELDS for line in lines)
    trigger = command.headers["x-request-id"]
    slack_lines = [line for line in lines if line["request_id"] == trigger]
    web_api_lines = [line for line in slack_lines if line["logger"].startswith("slack_sdk")]
    assert web_api_lines  # the DM, sent after the answer, on another thread
    # The actor, once known: not linked yet, so Slack's user id.
    assert {line["actor"] for line in web_api_lines} == {"USARA"}
    api_lines = [line for line in lines if line["request_id"] == "api-call-1"]
    assert api_lines
    assert api_lines[-1]["actor"] == "sara"
    [job_line] = [line for line in lines if line["logger"] == "farlab.scheduler"]
    assert job_line["request_id"].startswith("low_stock_scan-")
    assert job_line["actor"] == "FarLab"

    text = "\n".join(json.dumps(line) for line in lines)
    secrets = {
        "link": link,
        "link token": token_of(link),
        "access token": signed_in.json()["access_token"],
        "signing secret": SIGNING_SECRET,
        "bot token": BOT_TOKEN,
        "SECRET_KEY": ctx.secret_key,
        "password": PASSWORD,
        **{f"response_url {n}": url for n, url in enumerate(response_urls)},
    }
    assert response_urls
    assert [name for name, secret in secrets.items() if secret in text] == []
    assert "hooks.slack.com" not in text


@pytest.mark.usefixtures("json_logs")
def test_a_response_url_given_as_an_extra_is_redacted_in_json(capsys):
    configure_logging(settings_for_json())
    logging.getLogger("farlab.test").warning(
        "posting", extra={"url": "https://hooks.slack.com/actions/T1/2/abc"}
    )
    [line] = _lines(capsys.readouterr().err)
    assert line["url"] == "(redacted)"
    assert line["message"] == "posting"
    assert line["request_id"] == "-"


def settings_for_json():
    from farlab.settings import Settings

    return Settings(log_format="JSON")
