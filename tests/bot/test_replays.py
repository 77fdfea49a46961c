"""A replayed request changes nothing twice: a byte-identical copy of a signed command, click
or form submission (or Slack's own retry of an event) gets the first answer and runs nothing.
"""

from __future__ import annotations

import threading
from datetime import timedelta
from urllib.parse import parse_qs, urlencode

import httpx

from bot.replay_guard import signature_key
from console.harness import SIGNING_SECRET
from domain import handled_requests, parts, stock
from domain.permissions import SYSTEM
from domain.results import PartView
from slack_stand_in.signing import signed_headers
from tests.bot.conftest import Lab
from tests.bot.steps import modal_from_click, shown_card, stock_of

FORM = "application/x-www-form-urlencoded"


def _filament(lab: Lab) -> PartView:
    return parts.create_part(
        lab.ctx,
        actor=lab.actors["manager"],
        part_number="FIL-1002",
        name="Rhenium filament",
        quantity_in_stock=10,
    )


def _moves(lab: Lab, part: PartView) -> list[int]:
    return [m.delta for m in stock.part_history(lab.ctx, actor=SYSTEM, part_id=part.id).items]


def _same_answer(first: httpx.Response, copy: httpx.Response) -> None:
    assert copy.status_code == first.status_code
    assert copy.content == first.content
    assert copy.headers.get("content-type") == first.headers.get("content-type")


def _trigger_of(response: httpx.Response) -> str:
    payload = parse_qs(response.request.content.decode())["payload"][0]
    return str(httpx.Response(200, content=payload).json()["trigger_id"])


def test_a_replayed_use_command_takes_stock_once_and_gets_the_same_answer(lab: Lab) -> None:
    part, slack = _filament(lab), lab.harness.slack
    first = slack.command("UMEMBER", "use FIL-1002 1")
    assert first.status_code == 200
    assert "FIL-1002" in first.text
    for _ in range(3):
        _same_answer(first, slack.resend(first.request))
    assert stock_of(lab, part) == 9
    assert _moves(lab, part) == [-1, 10]
    again = slack.command("UMEMBER", "use FIL-1002 1")  # a new command is a new request
    assert again.status_code == 200
    assert _moves(lab, part) == [-1, -1, 10]


def test_a_replayed_use_form_takes_stock_once_and_gets_the_same_answer(lab: Lab) -> None:
    part, slack = _filament(lab), lab.harness.slack
    card = shown_card(lab, "member", "part FIL-1002")
    form = modal_from_click(lab, "member", "part.use", card)
    first = slack.submit_modal("UMEMBER", form, {"How many to take": "2"})
    assert first.status_code == 200
    copy = slack.resend(first.request)
    _same_answer(first, copy)
    assert stock_of(lab, part) == 8
    assert _moves(lab, part) == [-2, 10]


def test_a_replayed_click_runs_its_work_after_the_answer_once(lab: Lab) -> None:
    """The click's modal is opened after the answer (views.open): once per click."""
    _filament(lab)
    slack, stand_in = lab.harness.slack, lab.harness.stand_in
    card = shown_card(lab, "member", "part FIL-1002")
    first = slack.block_action("UMEMBER", "part.use", message=card)
    stand_in.wait_for("views.open", 1)
    _same_answer(first, slack.resend(first.request))
    fresh = slack.block_action("UMEMBER", "part.use", message=card)  # a new click
    fresh_trigger = _trigger_of(fresh)
    stand_in.wait_until(
        lambda: any(c.body.get("trigger_id") == fresh_trigger for c in stand_in.calls("views.open"))
    )
    opened = [c.body["trigger_id"] for c in stand_in.calls("views.open")]
    assert opened == [_trigger_of(first), fresh_trigger]


def test_a_retried_event_is_handled_once(lab: Lab) -> None:
    """Slack re-signs a retry with a new timestamp: it is known by its event_id."""
    slack, stand_in = lab.harness.slack, lab.harness.stand_in
    event = {"type": "app_home_opened", "user": "UMANAGER", "channel": "D1", "tab": "home"}
    first = slack.event(event, event_id="Ev0FIRST")
    assert first.status_code == 200
    stand_in.wait_for("views.publish", 1)
    for retry in (1, 2, 3):
        again = slack.event(event, event_id="Ev0FIRST", retry_num=retry, timestamp_offset=retry)
        assert (
            again.request.headers["x-slack-signature"] != first.request.headers["x-slack-signature"]
        )
        _same_answer(first, again)
    other = {**event, "user": "UADMIN"}
    assert slack.event(other, event_id="Ev0OTHER").status_code == 200  # another event runs
    # The stand-in shows the Home tab before it records the call: wait for the call.
    stand_in.wait_for("views.publish", 2)
    published_for = [c.body["user_id"] for c in stand_in.calls("views.publish")]
    assert published_for == ["UMANAGER", "UADMIN"]


def _unsent_command(lab: Lab, text: str) -> tuple[bytes, dict[str, str]]:
    """A signed ``/farlab text`` from UMEMBER not sent yet: body and headers."""
    template = lab.harness.slack.command("UMEMBER", "help").request.content
    content = template.replace(b"text=help", b"text=" + urlencode({"t": text})[2:].encode())
    return content, signed_headers(SIGNING_SECRET, content.decode(), FORM, {})


def test_simultaneous_copies_of_a_command_take_stock_once(lab: Lab) -> None:
    part, slack = _filament(lab), lab.harness.slack
    content, headers = _unsent_command(lab, "use FIL-1002 3")
    barrier, answers = threading.Barrier(6), []

    def send() -> None:
        barrier.wait()
        answers.append(httpx.post(slack.app_url, content=content, headers=headers, timeout=10))

    threads = [threading.Thread(target=send) for _ in range(6)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert {(a.status_code, a.content) for a in answers} == {(200, answers[0].content)}
    assert "FIL-1002" in answers[0].text
    assert _moves(lab, part) == [-3, 10]


def test_a_copy_of_a_command_still_being_handled_is_told_so_and_runs_nothing(lab: Lab) -> None:
    """The first copy holds the claim and has no answer yet (it is still running, or its
    process died): a copy waits a little, then says so."""
    part, slack = _filament(lab), lab.harness.slack
    content, headers = _unsent_command(lab, "use FIL-1002 4")
    key = signature_key(headers["x-slack-signature"])
    assert handled_requests.claim_request(lab.ctx, key, keep_for=timedelta(minutes=6))
    answer = httpx.post(slack.app_url, content=content, headers=headers, timeout=10)
    assert answer.status_code == 200
    assert answer.json()["response_type"] == "ephemeral"
    assert "already being handled" in answer.json()["text"]
    assert _moves(lab, part) == [10]
