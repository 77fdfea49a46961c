"""/slack/events checks size, then signature, then shape, before anything is parsed.

Whatever arrives (oversized, unsigned, stale, forged, or signed but malformed) is answered
with a 4xx and a short JSON error: never a 5xx, never an ERROR or a traceback in the log,
and nothing changes.
"""

from __future__ import annotations

import json
import logging
import time
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any
from urllib.parse import urlencode

import httpx
import pytest

from bot.request_checks import MAX_BODY_BYTES
from slack_stand_in import payloads
from tests.bot.conftest import Lab
from tests.bot.steps import lab_state

FORM = "application/x-www-form-urlencoded"
JSON = "application/json"


@contextmanager
def no_errors_logged(caplog: pytest.LogCaptureFixture) -> Iterator[None]:
    """Fails when anything (Bolt, FastAPI, uvicorn's own logger) logs an ERROR or a
    traceback while the block runs."""
    uvicorn = logging.getLogger("uvicorn")  # does not propagate to the root logger
    uvicorn.addHandler(caplog.handler)
    caplog.clear()
    try:
        with caplog.at_level(logging.INFO):
            yield
    finally:
        uvicorn.removeHandler(caplog.handler)
    errors = [r for r in caplog.records if r.levelno >= logging.ERROR]
    assert errors == [], [r.getMessage() for r in errors]
    assert "Traceback" not in caplog.text


def _refused(response: httpx.Response, status: int, error: str) -> dict[str, Any]:
    assert response.status_code == status, (response.status_code, response.text[:200])
    assert response.headers["content-type"].startswith("application/json")
    assert len(response.content) < 300
    body = response.json()
    assert body["error"] == error, body
    return body


def _chunks(total: int, size: int, sent: list[int]) -> Iterator[bytes]:
    chunk = b"a" * size
    while sum(sent) < total:
        sent.append(size)
        yield chunk


def test_an_oversized_body_is_refused_with_413_before_it_is_read(
    lab: Lab, caplog: pytest.LogCaptureFixture
) -> None:
    slack, before, calls = lab.harness.slack, lab_state(lab), lab.harness.stand_in.calls()
    big = "text=" + "x" * (5 * 1024 * 1024)
    with no_errors_logged(caplog):
        started = time.monotonic()
        unsigned = slack.send(big, FORM, unsigned=True)
        signed = slack.send(big, FORM)  # a valid signature does not make it small
        elapsed = time.monotonic() - started
    _refused(unsigned, 413, "body_too_large")
    _refused(signed, 413, "body_too_large")
    assert elapsed < 5
    assert lab_state(lab) == before
    assert lab.harness.stand_in.calls() == calls


def test_a_chunked_body_without_content_length_is_cut_off_at_the_limit(
    lab: Lab, caplog: pytest.LogCaptureFixture
) -> None:
    sent: list[int] = []
    total = 64 * 1024 * 1024
    with no_errors_logged(caplog), httpx.Client(timeout=30) as http:
        response = http.post(
            lab.harness.slack.app_url,
            content=_chunks(total, 64 * 1024, sent),
            headers={"content-type": FORM},
        )
    assert "content-length" not in response.request.headers
    _refused(response, 413, "body_too_large")
    assert sum(sent) < total // 4  # the sender was stopped long before the end


def test_a_body_at_the_limit_is_still_read_and_checked(lab: Lab) -> None:
    body = "text=" + "x" * (MAX_BODY_BYTES - 5)
    _refused(lab.harness.slack.send(body, FORM, unsigned=True), 401, "missing_signature")
    answer = lab.harness.slack.send(body, FORM)  # signed: its shape is checked next
    _refused(answer, 400, "malformed_payload")


BAD_SIGNING: dict[str, tuple[dict[str, Any], dict[str, str], str]] = {
    "unsigned": ({"unsigned": True}, {}, "missing_signature"),
    "no timestamp": ({}, {"x-slack-request-timestamp": ""}, "invalid_timestamp"),
    "letters for a timestamp": ({}, {"x-slack-request-timestamp": "soon"}, "invalid_timestamp"),
    "superscript digit": ({}, {"x-slack-request-timestamp": "\u00b2"}, "invalid_timestamp"),
    "float timestamp": ({}, {"x-slack-request-timestamp": "1.7e9"}, "invalid_timestamp"),
    "negative timestamp": ({}, {"x-slack-request-timestamp": "-1"}, "invalid_timestamp"),
    "huge timestamp": ({}, {"x-slack-request-timestamp": "9" * 40}, "invalid_timestamp"),
    "five minutes old": ({"timestamp_offset": -301}, {}, "stale_timestamp"),
    "five minutes ahead": ({"timestamp_offset": 301}, {}, "stale_timestamp"),
    "forged": ({"bad_signature": True}, {}, "invalid_signature"),
    "empty signature": ({}, {"x-slack-signature": ""}, "invalid_signature"),
    "not hex": ({}, {"x-slack-signature": "v0=" + "z" * 64}, "invalid_signature"),
    "other version": ({}, {"x-slack-signature": "v1=" + "0" * 64}, "invalid_signature"),
    "latin-1 signature": ({}, {"x-slack-signature": "v0=\u00e9"}, "invalid_signature"),
}


def test_unsigned_stale_or_forged_requests_get_401_json_and_log_no_error(
    lab: Lab, caplog: pytest.LogCaptureFixture
) -> None:
    slack, before, calls = lab.harness.slack, lab_state(lab), lab.harness.stand_in.calls()
    bodies = [
        (urlencode({"payload": "notjson"}), FORM),
        (urlencode({"command": "/farlab", "user_id": "UMANAGER", "text": "help"}), FORM),
        (json.dumps([1, 2]), JSON),
    ]
    for case, (signing, texts, error) in BAD_SIGNING.items():
        headers: Any = {k: v.encode("latin-1") for k, v in texts.items()}  # as on the wire
        with no_errors_logged(caplog):
            answers = [slack.send(b, t, headers=headers, **signing) for b, t in bodies]
            answers.append(slack.send_bytes(b"\xff\xfe{", JSON, headers=headers, **signing))
        for answer in answers:
            assert answer.status_code == 401, (case, answer.request.content[:80], answer.text)
            _refused(answer, 401, error)
    assert lab_state(lab) == before
    assert lab.harness.stand_in.calls() == calls


def _interaction(kind: str, **changes: Any) -> dict[str, Any]:
    user = payloads.user_ref("UMANAGER", "manager", "T0FARLAB")
    body = payloads.common(kind, user, "T0FARLAB", "farlab")
    body["trigger_id"] = "1.2.3"
    view = {
        "id": "V1",
        "type": "modal",
        "callback_id": "stock_use",
        "private_metadata": "{}",
        "blocks": [],
        "state": {"values": {}},
    }
    if kind == "block_actions":
        body["actions"] = [{"action_id": "part.use", "type": "button", "value": "{}"}]
        body["container"] = {"type": "message", "channel_id": "C0LAB", "message_ts": "1.1"}
        body["channel"] = {"id": "C0LAB", "name": "lab"}
    elif kind == "block_suggestion":
        body.update(action_id="part.picker", block_id="b", value="FIL")
    else:
        body["view"] = view
    for key, value in changes.items():
        if value is _DROP:
            body.pop(key, None)
        else:
            body[key] = value
    return body


_DROP = object()


def _as_payload(data: Any) -> str:
    return urlencode({"payload": json.dumps(data)})


def _event(**changes: Any) -> dict[str, Any]:
    envelope = payloads.event_envelope(
        {"type": "app_home_opened", "user": "UMANAGER", "channel": "D1", "tab": "home"},
        "T0FARLAB",
        "Ev1",
    )
    for key, value in changes.items():
        if value is _DROP:
            envelope.pop(key, None)
        else:
            envelope[key] = value
    return envelope


def _command(**changes: Any) -> str:
    fields: dict[str, Any] = {
        "team_id": "T0FARLAB",
        "channel_id": "C0LAB",
        "user_id": "UMANAGER",
        "command": "/farlab",
        "text": "use FIL-1002 1",
        "trigger_id": "1.2.3",
        "response_url": "http://127.0.0.1:9/response",
    }
    for key, value in changes.items():
        if value is _DROP:
            fields.pop(key, None)
        else:
            fields[key] = value
    return urlencode(fields)


def _state(values: Any) -> dict[str, Any]:
    view = _interaction("view_submission")["view"]
    return {**view, "state": {"values": values}}


MALFORMED: dict[str, tuple[str | bytes, str, str]] = {
    # (body, content type, what the error names)
    "payload=notjson": (urlencode({"payload": "notjson"}), FORM, "JSON"),
    "payload is a list": (_as_payload([1, 2]), FORM, "object"),
    "payload is a string": (_as_payload("block_actions"), FORM, "object"),
    "payload is a number": (_as_payload(42), FORM, "object"),
    "payload without type": (_as_payload({"user": {"id": "U1"}}), FORM, "type"),
    "type is a list": (_as_payload(_interaction("block_actions", type=[1])), FORM, "type"),
    "click without user": (_as_payload(_interaction("block_actions", user=_DROP)), FORM, "user"),
    "user is a string": (_as_payload(_interaction("block_actions", user="UMANAGER")), FORM, "user"),
    "user without id": (_as_payload(_interaction("block_actions", user={"n": 1})), FORM, "user.id"),
    "user id is a number": (_as_payload(_interaction("block_actions", user={"id": 7})), FORM, "id"),
    "actions not a list": (
        _as_payload(_interaction("block_actions", actions="x")),
        FORM,
        "actions",
    ),
    "actions empty": (_as_payload(_interaction("block_actions", actions=[])), FORM, "actions"),
    "action not an object": (_as_payload(_interaction("block_actions", actions=[5])), FORM, "0"),
    "action without id": (
        _as_payload(_interaction("block_actions", actions=[{"value": "{}"}])),
        FORM,
        "action_id",
    ),
    "action value an object": (
        _as_payload(_interaction("block_actions", actions=[{"action_id": "a", "value": {}}])),
        FORM,
        "value",
    ),
    "click without trigger_id": (
        _as_payload(_interaction("block_actions", trigger_id=_DROP)),
        FORM,
        "trigger_id",
    ),
    "channel is a string": (
        _as_payload(_interaction("block_actions", channel="C0LAB")),
        FORM,
        "channel",
    ),
    "team is a number": (_as_payload(_interaction("block_actions", team=5)), FORM, "team"),
    "authorizations not a list": (
        _as_payload(_interaction("block_actions", authorizations="x")),
        FORM,
        "authorizations",
    ),
    "response_urls not a list": (
        _as_payload(_interaction("view_submission", response_urls="x")),
        FORM,
        "response_urls",
    ),
    "form without user": (_as_payload(_interaction("view_submission", user=_DROP)), FORM, "user"),
    "view not an object": (_as_payload(_interaction("view_submission", view="V1")), FORM, "view"),
    "form without view": (_as_payload(_interaction("view_submission", view=_DROP)), FORM, "view"),
    "view without id": (
        _as_payload(_interaction("view_submission", view={"callback_id": "stock_use"})),
        FORM,
        "view.id",
    ),
    "state values a list": (
        _as_payload(_interaction("view_submission", view=_state([]))),
        FORM,
        "values",
    ),
    "state element a string": (
        _as_payload(_interaction("view_submission", view=_state({"qty": {"q": "2"}}))),
        FORM,
        "values",
    ),
    "selected option a string": (
        _as_payload(
            _interaction(
                "view_submission",
                view=_state({"part": {"p": {"type": "static_select", "selected_option": "1"}}}),
            )
        ),
        FORM,
        "selected_option",
    ),
    "date that is no date": (
        _as_payload(
            _interaction(
                "view_submission",
                view=_state({"due": {"d": {"type": "datepicker", "selected_date": "2025-13-45"}}}),
            )
        ),
        FORM,
        "selected_date",
    ),
    "private_metadata an object": (
        _as_payload(
            _interaction("view_submission", view={**_state({}), "private_metadata": {"id": 1}})
        ),
        FORM,
        "private_metadata",
    ),
    "options request without value": (
        _as_payload(_interaction("block_suggestion", value=_DROP)),
        FORM,
        "value",
    ),
    "command without user_id": (_command(user_id=_DROP), FORM, "user_id"),
    "command without command": (_command(command=_DROP), FORM, "command"),
    "command without trigger_id": (_command(trigger_id=_DROP), FORM, "trigger_id"),
    "empty body": ("", FORM, "command"),
    "JSON list": (json.dumps([1, 2]), JSON, "object"),
    "JSON string": (json.dumps("event_callback"), JSON, "object"),
    "broken JSON": ('{"type": "event_callback"', JSON, "JSON"),
    "deeply nested JSON": ('{"a":' + "[" * 200_000 + "]" * 200_000 + "}", JSON, "JSON"),
    "JSON without type": (json.dumps({"token": "x"}), JSON, "type"),
    "event without event": (json.dumps(_event(event=_DROP)), JSON, "event"),
    "event not an object": (json.dumps(_event(event="app_home_opened")), JSON, "event"),
    "event without type": (json.dumps(_event(event={"user": "U1"})), JSON, "type"),
    "home opened without user": (
        json.dumps(_event(event={"type": "app_home_opened", "tab": "home"})),
        JSON,
        "event.user",
    ),
    "event without event_id": (json.dumps(_event(event_id=_DROP)), JSON, "event_id"),
    "url_verification without challenge": (
        json.dumps({"type": "url_verification", "token": "x"}),
        JSON,
        "challenge",
    ),
    "not UTF-8": (b'{"type": "\xff\xfe"}', JSON, "UTF-8"),
    # Fields Bolt reads itself before any listener: a 500 and a traceback (KeyError,
    # TypeError), or an "unexpected error" logged with a traceback once a listener ran.
    "view without type": (
        _as_payload(
            _interaction(
                "view_submission", view={k: v for k, v in _state({}).items() if k != "type"}
            )
        ),
        FORM,
        "view.type",
    ),
    "workflow_step view without workflow_step": (
        _as_payload(_interaction("view_submission", view={**_state({}), "type": "workflow_step"})),
        FORM,
        "workflow_step",
    ),
    "interactive_message without actions": (
        _as_payload({**_interaction("interactive_message"), "callback_id": "c", "actions": []}),
        FORM,
        "action",
    ),
    "workflow_step_edit without workflow_step": (
        _as_payload({**_interaction("workflow_step_edit"), "callback_id": "c"}),
        FORM,
        "workflow_step",
    ),
    "shortcut with a null view": (
        _as_payload({**_interaction("shortcut"), "callback_id": "c", "view": None}),
        FORM,
        "view",
    ),
    "user id with an unpaired surrogate": (
        _as_payload(_interaction("block_actions", user={"id": "U\ud800"})),
        FORM,
        "user.id",
    ),
    "user team_id with NUL": (
        _as_payload(_interaction("view_submission", user={"id": "UMANAGER", "team_id": "T\x00"})),
        FORM,
        "user.team_id",
    ),
    "authorization team_id a number": (
        json.dumps(_event(authorizations=[{"team_id": 10**20, "user_id": "UBOT"}])),
        JSON,
        "authorizations.0.team_id",
    ),
    "event_id with an unpaired surrogate": (
        json.dumps(_event(event_id="Ev\ud800")),
        JSON,
        "event_id",
    ),
    "home opened by a user with a surrogate": (
        json.dumps(_event(event={"type": "app_home_opened", "user": "U\ud800", "tab": "home"})),
        JSON,
        "event.user",
    ),
    "event channel a number": (
        json.dumps(_event(event={"type": "message", "user": "U1", "channel": 7})),
        JSON,
        "event.channel",
    ),
    "edited message's user a list": (
        json.dumps(_event(event={"type": "message", "channel": "C1", "message": {"user": [1]}})),
        JSON,
        "event.message.user",
    ),
    "command user_id with NUL": (_command(user_id="UMANAGER\x00"), FORM, "user_id"),
    "shortcut without callback_id": (_as_payload(_interaction("shortcut")), FORM, "callback_id"),
    "message shortcut without its channel": (
        _as_payload(
            {
                **_interaction("message_action"),
                "callback_id": "raise_alert",
                "message": {"ts": "1.1"},
            }
        ),
        FORM,
        "channel",
    ),
    "message shortcut on a message without ts": (
        _as_payload(
            {
                **_interaction("message_action"),
                "callback_id": "raise_alert",
                "channel": {"id": "C0LAB", "name": "lab"},
                "message": {"text": "hi"},
            }
        ),
        FORM,
        "message",
    ),
}


def test_signed_but_malformed_payloads_get_400_naming_the_problem(
    lab: Lab, caplog: pytest.LogCaptureFixture
) -> None:
    slack, before, calls = lab.harness.slack, lab_state(lab), lab.harness.stand_in.calls()
    for case, (body, content_type, named) in MALFORMED.items():
        with no_errors_logged(caplog):
            if isinstance(body, bytes):
                answer = slack.send_bytes(body, content_type)
            else:
                answer = slack.send(body, content_type)
        assert answer.status_code == 400, (case, answer.status_code, answer.text[:200])
        refusal = _refused(answer, 400, "malformed_payload")
        assert named in refusal["detail"], (case, refusal)
    assert lab_state(lab) == before
    assert lab.harness.stand_in.calls() == calls


def test_well_formed_requests_of_every_kind_still_pass(lab: Lab) -> None:
    """The checks let Slack's real shapes through: the bodies the malformed ones start from."""
    slack = lab.harness.slack
    assert slack.send(_command(text="help"), FORM).status_code == 200
    assert slack.send(json.dumps(_event()), JSON).status_code == 200
    verification = {"type": "url_verification", "token": "x", "challenge": "abc"}
    assert slack.send(json.dumps(verification), JSON).json() == {"challenge": "abc"}
    options = slack.send(_as_payload(_interaction("block_suggestion")), FORM)
    assert options.json() == {"options": []}
    assert slack.send(urlencode({"ssl_check": "1", "token": "x"}), FORM).status_code == 200


def test_odd_but_legal_slack_shapes_are_not_refused(lab: Lab) -> None:
    """Kinds FarLab has no listener for are Bolt's 404, not a 400; nested ids pass."""
    slack = lab.harness.slack
    message = {"type": "message", "text": "hi", "user": "UMANAGER", "ts": "1.1"}
    legal = {
        "message shortcut": {
            **_interaction("message_action"),
            "callback_id": "c",
            "message": message,
            "channel": {"id": "C0LAB", "name": "lab"},
        },
        "global shortcut": {**_interaction("shortcut"), "callback_id": "c"},
        "view closed": {**_interaction("view_closed"), "is_cleared": False},
        "attachment button": {
            **_interaction("interactive_message"),
            "callback_id": "c",
            "actions": [{"name": "a", "type": "button", "value": "1"}],
        },
        "click in a modal": _interaction(
            "block_actions",
            channel=_DROP,
            container={"type": "view", "view_id": "V1"},
            view={**_state({}), "app_installed_team_id": "T0FARLAB", "team_id": "T0FARLAB"},
        ),
    }
    for case, body in legal.items():
        answer = slack.send(_as_payload(body), FORM)
        assert answer.status_code in (200, 404), (case, answer.text)
    events = {
        "user object": {"type": "user_change", "user": {"id": "U1", "name": "n"}},
        "channel object": {"type": "channel_created", "channel": {"id": "C1", "name": "new"}},
        "edited message": {"type": "message", "channel": "C1", "message": {"user": "U1"}},
        "reaction": {"type": "reaction_added", "user": "U1", "item": {"channel": "C1"}},
    }
    for case, event in events.items():
        answer = slack.send(json.dumps(_event(event=event, event_id=f"Ev{case}")), JSON)
        assert answer.status_code in (200, 404), (case, answer.text)
