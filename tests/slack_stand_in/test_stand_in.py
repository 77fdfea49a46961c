"""The Slack stand-in: Web API answers, the workspace model, faults, and signed requests."""

from __future__ import annotations

import json
import threading
import time
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any
from urllib.parse import parse_qs

import httpx
import pytest
from slack_sdk import WebClient
from slack_sdk.errors import SlackApiError
from slack_sdk.http_retry.builtin_handlers import (
    RateLimitErrorRetryHandler,
    ServerErrorRetryHandler,
)
from slack_sdk.http_retry.builtin_interval_calculators import FixedValueRetryIntervalCalculator
from slack_sdk.signature import SignatureVerifier
from slack_sdk.webhook import WebhookClient

from slack_stand_in import SignedSlack, SlackStandIn, fill_modal

SECRET = "test-signing-secret-0123456789abcdef"
BUTTONS = [
    {"type": "section", "block_id": "part", "text": {"type": "mrkdwn", "text": "*O-ring*"}},
    {
        "type": "actions",
        "block_id": "part_actions",
        "elements": [
            {
                "type": "button",
                "action_id": "take_part",
                "text": {"type": "plain_text", "text": "Take"},
                "value": "part-17",
                "style": "primary",
            }
        ],
    },
]


def modal(**extra: Any) -> dict[str, Any]:
    return {
        "type": "modal",
        "callback_id": "restock",
        "title": {"type": "plain_text", "text": "Restock"},
        "submit": {"type": "plain_text", "text": "Save"},
        "private_metadata": "part-17",
        "blocks": [
            {
                "type": "input",
                "block_id": "qty",
                "label": {"type": "plain_text", "text": "Quantity"},
                "element": {
                    "type": "number_input",
                    "action_id": "qty",
                    "is_decimal_allowed": False,
                },
            }
        ],
        **extra,
    }


@pytest.fixture
def stand_in() -> Iterator[SlackStandIn]:
    with SlackStandIn() as server:
        yield server


@pytest.fixture
def client(stand_in: SlackStandIn) -> WebClient:
    return WebClient(base_url=stand_in.base_url, token="xoxb-test")


class Receiver:
    """A stand-in for the app: records raw requests and answers with ``reply``."""

    def __init__(self) -> None:
        self.requests: list[tuple[str, dict[str, str], str]] = []
        self.reply: tuple[int, str, str] = (200, "", "text/plain")
        outer = self

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self) -> None:
                raw = self.rfile.read(int(self.headers["content-length"])).decode()
                headers = {k.lower(): v for k, v in self.headers.items()}
                outer.requests.append((self.path, headers, raw))
                status, body, content_type = outer.reply
                self.send_response(status)
                self.send_header("content-type", content_type)
                self.send_header("content-length", str(len(body.encode())))
                self.end_headers()
                self.wfile.write(body.encode())

            def log_message(self, format: str, *args: Any) -> None:
                pass

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        threading.Thread(target=self.server.serve_forever, args=(0.05,), daemon=True).start()
        self.url = f"http://127.0.0.1:{self.server.server_address[1]}/slack/events"

    def last(self) -> tuple[dict[str, str], str]:
        return self.requests[-1][1], self.requests[-1][2]

    def last_payload(self) -> dict[str, Any]:
        return json.loads(parse_qs(self.last()[1])["payload"][0])

    def answer_json(self, body: dict[str, Any]) -> None:
        self.reply = (200, json.dumps(body), "application/json")


@pytest.fixture
def app() -> Iterator[Receiver]:
    receiver = Receiver()
    yield receiver
    receiver.server.shutdown()
    receiver.server.server_close()


@pytest.fixture
def slack(app: Receiver, stand_in: SlackStandIn) -> Iterator[SignedSlack]:
    with SignedSlack(app.url, SECRET, stand_in) as signed:
        yield signed


def verified(headers: dict[str, str], raw: str) -> bool:
    return SignatureVerifier(SECRET).is_valid_request(raw, headers)


# -- Web API -----------------------------------------------------------------------------
def test_auth_test_answers_the_canned_bot_identity(
    stand_in: SlackStandIn, client: WebClient
) -> None:
    answer = client.auth_test()
    assert (answer["team_id"], answer["user_id"], answer["bot_id"]) == ("T0FARLAB", "UBOT", "BBOT")
    assert answer["url"].startswith("https://")
    [call] = stand_in.calls("auth.test")
    assert call.headers["authorization"] == "Bearer xoxb-test"
    assert call.status == 200
    assert call.response["ok"] is True


def test_post_message_is_recorded_as_json_and_shown_in_the_channel(
    stand_in: SlackStandIn, client: WebClient
) -> None:
    before = time.time()
    first = client.chat_postMessage(channel="C0LAB", text="O-ring", blocks=BUTTONS)
    second = client.chat_postMessage(channel="C0LAB", text="second")
    assert before <= float(first["ts"]) <= time.time()  # Slack's ts is its clock's time
    assert len(first["ts"].split(".")[1]) == 6
    assert float(second["ts"]) > float(first["ts"])
    assert first["message"]["blocks"][0]["block_id"] == "part"
    call = stand_in.calls("chat.postMessage")[0]
    assert call.headers["content-type"].startswith("application/json")
    assert call.body["blocks"] == BUTTONS
    shown = stand_in.messages("C0LAB")
    assert [m["text"] for m in shown] == ["O-ring", "second"]
    assert shown[0]["bot_id"] == "BBOT"
    assert shown[0]["channel"] == "C0LAB"


def test_form_bodies_are_decoded_including_json_text_fields(
    stand_in: SlackStandIn, client: WebClient
) -> None:
    user = client.users_info(user="U0ALICE")["user"]
    assert user["profile"]["email"]
    assert user["profile"]["real_name"]
    assert client.conversations_open(users="U0ALICE")["channel"]["id"] == "DU0ALICE"
    client.api_call(
        "chat.postMessage", params={"channel": "U0ALICE", "blocks": json.dumps(BUTTONS)}
    )
    assert stand_in.calls("users.info")[0].body == {"user": "U0ALICE"}
    assert (
        stand_in.calls("conversations.open")[0]
        .headers["content-type"]
        .startswith("application/x-www-form-urlencoded")
    )
    assert stand_in.calls("chat.postMessage")[0].body["blocks"] == BUTTONS
    assert stand_in.messages("U0ALICE")[0]["channel"] == "DU0ALICE"


def test_multipart_bodies_are_decoded(stand_in: SlackStandIn) -> None:
    httpx.post(
        stand_in.base_url + "files.upload",
        data={"channels": "C0LAB", "token": "xoxb-test"},
        files={"file": ("stock.csv", b"part,qty\n")},
    )
    [call] = stand_in.calls("files.upload")
    assert call.body["channels"] == "C0LAB"
    assert call.body["file"] == b"part,qty\n"
    assert call.response == {"ok": True}


def test_requests_without_a_bot_token_are_refused(stand_in: SlackStandIn) -> None:
    with pytest.raises(SlackApiError) as missing:
        WebClient(base_url=stand_in.base_url).auth_test()
    with pytest.raises(SlackApiError) as wrong:
        WebClient(base_url=stand_in.base_url, token="xoxp-user").auth_test()
    assert missing.value.response["error"] == "not_authed"
    assert wrong.value.response["error"] == "invalid_auth"
    assert len(stand_in.calls("auth.test")) == 2


def test_update_and_delete_change_the_channel(stand_in: SlackStandIn, client: WebClient) -> None:
    ts = client.chat_postMessage(channel="C0LAB", text="12 left", blocks=BUTTONS)["ts"]
    client.chat_update(channel="C0LAB", ts=ts, text="11 left")
    [message] = stand_in.messages("C0LAB")
    assert message["text"] == "11 left"
    assert message["blocks"]
    assert "edited" in message
    with pytest.raises(SlackApiError) as unknown:
        client.chat_update(channel="C0LAB", ts="1.000001", text="x")
    assert unknown.value.response["error"] == "message_not_found"
    client.chat_delete(channel="C0LAB", ts=ts)
    assert stand_in.messages("C0LAB") == []
    with pytest.raises(SlackApiError):
        client.chat_delete(channel="C0LAB", ts=ts)


def test_ephemerals_are_kept_per_channel_and_user(
    stand_in: SlackStandIn, client: WebClient
) -> None:
    answer = client.chat_postEphemeral(channel="C0LAB", user="U0ALICE", text="only you")
    assert answer["message_ts"]
    assert [e["text"] for e in stand_in.ephemerals("C0LAB", "U0ALICE")] == ["only you"]
    assert stand_in.ephemerals(user="U0BOB") == []
    assert stand_in.messages("C0LAB") == []


def test_modals_open_push_update_and_hash_conflicts(
    stand_in: SlackStandIn, client: WebClient
) -> None:
    trigger = stand_in.issue_trigger("U0ALICE")
    opened = client.views_open(trigger_id=trigger, view=modal(external_id="restock-17"))["view"]
    assert opened["id"].startswith("V")
    assert opened["state"] == {"values": {}}
    with pytest.raises(SlackApiError) as reused:
        client.views_open(trigger_id=trigger, view=modal())
    assert reused.value.response["error"] == "exchanged_trigger_id"
    with pytest.raises(SlackApiError) as forged:
        client.views_open(trigger_id="123.456.abc", view=modal())
    assert forged.value.response["error"] == "invalid_trigger_id"
    pushed = client.views_push(trigger_id=stand_in.issue_trigger("U0ALICE"), view=modal())["view"]
    assert pushed["root_view_id"] == opened["id"]
    title = {"type": "plain_text", "text": "Restocked"}
    client.views_update(external_id="restock-17", view=modal(title=title))
    assert stand_in.modals("U0ALICE")[0]["title"]["text"] == "Restocked"
    with pytest.raises(SlackApiError) as stale:
        client.views_update(view_id=opened["id"], hash=opened["hash"], view=modal())
    assert stale.value.response["error"] == "hash_conflict"
    assert [v["id"] for v in stand_in.modals("U0ALICE")] == [opened["id"], pushed["id"]]


def test_home_tab_is_published_per_user(stand_in: SlackStandIn, client: WebClient) -> None:
    home = {"type": "home", "blocks": BUTTONS}
    first = client.views_publish(user_id="U0ALICE", view=home)["view"]
    again = client.views_publish(user_id="U0ALICE", view={"type": "home", "blocks": []})["view"]
    assert again["id"] == first["id"]
    assert again["hash"] != first["hash"]
    assert stand_in.home("U0ALICE")["blocks"] == []
    assert stand_in.home("U0BOB") is None


def test_unknown_methods_answer_ok_and_are_recorded(
    stand_in: SlackStandIn, client: WebClient
) -> None:
    assert client.api_call("reactions.add", json={"name": "wrench"})["ok"] is True
    assert stand_in.calls("reactions.add")[0].body == {"name": "wrench"}


# -- waiting -------------------------------------------------------------------------------
def test_wait_for_returns_calls_made_from_another_thread(
    stand_in: SlackStandIn, client: WebClient
) -> None:
    worker = threading.Thread(
        target=lambda: [client.chat_postMessage(channel="C0LAB", text=str(i)) for i in range(3)]
    )
    worker.start()
    assert len(stand_in.wait_for("chat.postMessage", count=3, timeout=5)) == 3
    worker.join()
    stand_in.wait_until(lambda: len(stand_in.messages("C0LAB")) == 3, timeout=1)
    stand_in.clear()
    assert stand_in.calls() == []
    assert len(stand_in.messages("C0LAB")) == 3
    with pytest.raises(TimeoutError, match=r"chat\.update"):
        stand_in.wait_for("chat.update", timeout=0.05)


def test_concurrent_posts_get_distinct_increasing_timestamps(
    stand_in: SlackStandIn, client: WebClient
) -> None:
    def post() -> None:
        for _ in range(10):
            client.chat_postMessage(channel="C0LAB", text="x")

    workers = [threading.Thread(target=post) for _ in range(5)]
    for worker in workers:
        worker.start()
    for worker in workers:
        worker.join()
    stamps = [m["ts"] for m in stand_in.messages("C0LAB")]
    assert len(set(stamps)) == 50
    assert stamps == sorted(stamps)


METADATA = {"event_type": "farlab_alert", "event_payload": {"alert_id": 7, "attempt": 1}}


def test_history_lists_the_channels_messages_newest_first_with_metadata_when_asked(
    stand_in: SlackStandIn, client: WebClient
) -> None:
    first = client.chat_postMessage(channel="C0LAB", text="one", metadata=METADATA)["ts"]
    client.chat_postMessage(channel="C0LAB", text="reply", thread_ts=first)
    client.chat_postMessage(channel="C0LAB", text="shown", thread_ts=first, reply_broadcast=True)
    client.chat_postMessage(channel="C0OTHER", text="elsewhere")
    plain = client.conversations_history(channel="C0LAB")
    assert [m["text"] for m in plain["messages"]] == ["shown", "one"]
    assert all("metadata" not in m for m in plain["messages"])
    assert plain["has_more"] is False
    full = client.conversations_history(channel="C0LAB", include_all_metadata=True)
    assert full["messages"][1]["metadata"] == METADATA
    assert full["messages"][1]["bot_id"] == "BBOT"
    assert full["messages"][1]["ts"] == first
    assert stand_in.calls("conversations.history")[1].body["include_all_metadata"] == "1"


@pytest.mark.usefixtures("stand_in")
def test_history_honours_oldest_latest_and_pages_with_a_cursor(client: WebClient) -> None:
    stamps = [client.chat_postMessage(channel="C0LAB", text=str(n))["ts"] for n in range(7)]
    window = client.conversations_history(channel="C0LAB", oldest=stamps[1], latest=stamps[5])
    assert [m["text"] for m in window["messages"]] == ["4", "3", "2"]
    both = client.conversations_history(
        channel="C0LAB", oldest=stamps[1], latest=stamps[5], inclusive=True
    )
    assert [m["text"] for m in both["messages"]] == ["5", "4", "3", "2", "1"]
    pages, cursor = [], None
    while True:
        page = client.conversations_history(
            channel="C0LAB", oldest=stamps[0], limit=2, cursor=cursor
        )
        pages.append([m["text"] for m in page["messages"]])
        cursor = page["response_metadata"]["next_cursor"]
        assert bool(cursor) == page["has_more"]
        if not page["has_more"]:
            break
    assert pages == [["6", "5"], ["4", "3"], ["2", "1"]]
    with pytest.raises(SlackApiError) as bad:
        client.conversations_history(channel="C0LAB", cursor="not-a-cursor")
    assert bad.value.response["error"] == "invalid_cursor"


@pytest.mark.usefixtures("stand_in")
def test_metadata_that_breaks_slacks_schema_is_left_off_with_a_warning(client: WebClient) -> None:
    dotted = {"event_type": "farlab.alert", "event_payload": {"alert_id": 7}}
    numbers = {"event_type": "farlab_alert_digest", "event_payload": {"alert_ids": [1, 2]}}
    for metadata in (dotted, numbers):
        answer = client.chat_postMessage(channel="C0LAB", text="x", metadata=metadata)
        assert answer["warning"] == "invalid_metadata_schema"
    objects = {"event_type": "farlab_alert_digest", "event_payload": {"alerts": [{"id": 1}]}}
    assert "warning" not in client.chat_postMessage(channel="C0LAB", text="y", metadata=objects)
    shown = client.conversations_history(channel="C0LAB", include_all_metadata=True)
    assert [m.get("metadata") for m in shown["messages"]] == [objects, None, None]


# -- faults --------------------------------------------------------------------------------
def test_rate_limit_with_retry_after_is_honoured_by_the_retry_handler(
    stand_in: SlackStandIn,
) -> None:
    stand_in.fail("chat.postMessage", status=429, retry_after=1)
    client = WebClient(base_url=stand_in.base_url, token="xoxb-test")
    client.retry_handlers.append(RateLimitErrorRetryHandler(max_retry_count=1))
    started = time.monotonic()
    assert client.chat_postMessage(channel="C0LAB", text="hi")["ok"]
    assert time.monotonic() - started >= 1.0
    limited, accepted = stand_in.calls("chat.postMessage")
    assert (limited.status, limited.response["error"], accepted.status) == (429, "ratelimited", 200)
    assert len(stand_in.messages("C0LAB")) == 1


def test_rate_limit_without_a_handler_raises_with_retry_after(
    stand_in: SlackStandIn, client: WebClient
) -> None:
    stand_in.fail("users.info", status=429, retry_after=7)
    with pytest.raises(SlackApiError) as limited:
        client.users_info(user="U0ALICE")
    assert limited.value.response.status_code == 429
    assert limited.value.response.headers["Retry-After"] == "7"


def test_server_errors_are_injected_the_given_number_of_times(stand_in: SlackStandIn) -> None:
    stand_in.fail("chat.update", status=500, times=3)
    client = WebClient(base_url=stand_in.base_url, token="xoxb-test")
    fast = FixedValueRetryIntervalCalculator(fixed_internal=0.01)
    client.retry_handlers.append(ServerErrorRetryHandler(3, interval_calculator=fast))
    ts = client.chat_postMessage(channel="C0LAB", text="a")["ts"]
    assert client.chat_update(channel="C0LAB", ts=ts, text="b")["ok"]
    assert [c.status for c in stand_in.calls("chat.update")] == [500, 500, 500, 200]


def test_api_errors_are_injected_as_ok_false(stand_in: SlackStandIn, client: WebClient) -> None:
    stand_in.error("chat.postMessage", "channel_not_found")
    with pytest.raises(SlackApiError) as failed:
        client.chat_postMessage(channel="C0LAB", text="a")
    assert failed.value.response.status_code == 200
    assert failed.value.response["error"] == "channel_not_found"
    assert client.chat_postMessage(channel="C0LAB", text="b")["ok"]


def test_slow_answers_are_delayed(stand_in: SlackStandIn, client: WebClient) -> None:
    stand_in.slow("users.info", 0.3)
    started = time.monotonic()
    client.users_info(user="U0ALICE")
    assert time.monotonic() - started >= 0.3
    stand_in.slow("users.info", 0)
    started = time.monotonic()
    client.users_info(user="U0ALICE")
    assert time.monotonic() - started < 0.3


def test_a_late_answer_comes_after_the_client_gave_up_but_the_post_was_made(
    stand_in: SlackStandIn,
) -> None:
    stand_in.answer_late("chat.postMessage", after=1.0)
    impatient = WebClient(base_url=stand_in.base_url, token="xoxb-test", timeout=0.2)
    started = time.monotonic()
    with pytest.raises(TimeoutError):
        impatient.chat_postMessage(channel="C0LAB", text="lost answer")
    assert time.monotonic() - started < 1.0
    [message] = stand_in.messages("C0LAB")
    assert message["text"] == "lost answer"
    [call] = stand_in.calls("chat.postMessage")
    assert call.status == 200
    assert call.response["ts"] == message["ts"]
    assert impatient.chat_postMessage(channel="C0LAB", text="answered")["ok"]  # once only


def test_an_answer_can_be_dropped_after_the_post_was_made(stand_in: SlackStandIn) -> None:
    stand_in.answer_late("chat.postMessage", after=None)
    bare = WebClient(base_url=stand_in.base_url, token="xoxb-test", retry_handlers=[])
    with pytest.raises(ConnectionError, match="closed connection without response"):
        bare.chat_postMessage(channel="C0LAB", text="no answer")
    assert [m["text"] for m in stand_in.messages("C0LAB")] == ["no answer"]


def test_per_channel_rate_limit_refuses_quick_posts_to_one_channel(
    stand_in: SlackStandIn, client: WebClient
) -> None:
    stand_in.rate_limit_per_channel(per_second=1.0)
    client.chat_postMessage(channel="C0LAB", text="a")
    client.chat_postMessage(channel="C0OTHER", text="b")
    with pytest.raises(SlackApiError) as limited:
        client.chat_postMessage(channel="C0LAB", text="c")
    assert limited.value.response.status_code == 429
    assert limited.value.response.headers["Retry-After"] == "1"
    assert len(stand_in.messages("C0LAB")) == 1


# -- response_url --------------------------------------------------------------------------
def test_response_url_answers_land_as_ephemeral_or_in_channel(stand_in: SlackStandIn) -> None:
    url = stand_in.response_url("cmd-1", channel="C0LAB", user="U0ALICE")
    assert url.startswith(stand_in.url)
    assert url.endswith("/cmd-1")
    webhook = WebhookClient(url)
    assert webhook.send(text="just for you").status_code == 200
    assert webhook.send(text="for all", response_type="in_channel").status_code == 200
    assert [e["text"] for e in stand_in.ephemerals("C0LAB", "U0ALICE")] == ["just for you"]
    assert [m["text"] for m in stand_in.messages("C0LAB")] == ["for all"]
    calls = stand_in.calls("response_url")
    assert [c.body.get("response_type") for c in calls] == [None, "in_channel"]


def test_response_url_replaces_and_deletes_the_original(
    stand_in: SlackStandIn, client: WebClient
) -> None:
    ts = client.chat_postMessage(channel="C0LAB", text="12 left", blocks=BUTTONS)["ts"]
    url = stand_in.response_url(channel="C0LAB", user="U0ALICE", message_ts=ts)
    httpx.post(url, json={"replace_original": True, "text": "11 left", "blocks": []})
    [message] = stand_in.messages("C0LAB")
    assert (message["ts"], message["text"], message["blocks"]) == (ts, "11 left", [])
    httpx.post(url, json={"delete_original": True})
    assert stand_in.messages("C0LAB") == []


def test_response_url_allows_five_uses(stand_in: SlackStandIn) -> None:
    url = stand_in.response_url(channel="C0LAB", user="U0ALICE")
    statuses = [httpx.post(url, json={"text": str(i)}).status_code for i in range(6)]
    assert statuses == [200] * 5 + [404]
    assert stand_in.calls("response_url")[-1].response["error"] == "used_too_many_times"
    unknown = httpx.post(stand_in.url + "/response/nobody-issued-this", json={"text": "x"})
    assert unknown.status_code == 404


# -- signed requests -----------------------------------------------------------------------
def test_commands_are_signed_form_bodies_with_slack_fields(
    slack: SignedSlack, app: Receiver, stand_in: SlackStandIn, client: WebClient
) -> None:
    slack.command("U0ALICE", "take O-ring 2")
    headers, raw = app.last()
    assert headers["content-type"] == "application/x-www-form-urlencoded"
    assert verified(headers, raw)
    fields = {k: v[0] for k, v in parse_qs(raw).items()}
    assert fields["command"] == "/farlab"
    assert fields["text"] == "take O-ring 2"
    assert (fields["team_id"], fields["channel_id"], fields["user_id"]) == (
        "T0FARLAB",
        "C0LAB",
        "U0ALICE",
    )
    assert fields["response_url"].startswith(stand_in.url)
    assert set(fields) >= {"token", "team_domain", "channel_name", "user_name", "api_app_id"}
    opened = client.views_open(trigger_id=fields["trigger_id"], view=modal())["view"]
    assert stand_in.modals("U0ALICE")[0]["id"] == opened["id"]


def test_command_text_with_payload_is_sent_as_a_plain_form(
    slack: SignedSlack, app: Receiver
) -> None:
    slack.command("U0ALICE", "show payload items")
    _, raw = app.last()
    assert "text=show+payload+items" in raw
    assert not raw.startswith("payload=")


def test_stale_bad_and_missing_signatures_do_not_verify(slack: SignedSlack, app: Receiver) -> None:
    slack.command("U0ALICE", "list", timestamp_offset=-301)
    assert not verified(*app.last())
    slack.command("U0ALICE", "list", bad_signature=True)
    assert not verified(*app.last())
    slack.command("U0ALICE", "list", unsigned=True)
    headers, _ = app.last()
    assert "x-slack-signature" not in headers
    assert "x-slack-request-timestamp" not in headers


def test_command_acknowledgement_text_is_shown_as_an_ephemeral(
    slack: SignedSlack, app: Receiver, stand_in: SlackStandIn
) -> None:
    app.answer_json({"text": "Took 2 O-rings"})
    slack.command("U0ALICE", "take O-ring 2")
    assert [e["text"] for e in stand_in.ephemerals("C0LAB", "U0ALICE")] == ["Took 2 O-rings"]


def test_block_action_on_a_message_carries_the_clicked_button(
    slack: SignedSlack, app: Receiver, stand_in: SlackStandIn, client: WebClient
) -> None:
    client.chat_postMessage(channel="C0LAB", text="O-ring", blocks=BUTTONS)
    [message] = stand_in.messages("C0LAB")
    slack.block_action("U0ALICE", "take_part", message=message)
    assert verified(*app.last())
    payload = app.last_payload()
    assert payload["type"] == "block_actions"
    assert payload["user"]["id"] == "U0ALICE"
    assert payload["container"] == {
        "type": "message",
        "message_ts": message["ts"],
        "channel_id": "C0LAB",
        "is_ephemeral": False,
    }
    assert payload["message"]["ts"] == message["ts"]
    assert "channel" not in payload["message"]
    [action] = payload["actions"]
    assert (action["block_id"], action["value"], action["type"]) == (
        "part_actions",
        "part-17",
        "button",
    )
    assert action["text"]["text"] == "Take"
    httpx.post(payload["response_url"], json={"replace_original": True, "text": "taken"})
    assert stand_in.messages("C0LAB")[0]["text"] == "taken"
    with pytest.raises(ValueError, match="no_such_button"):
        slack.block_action("U0ALICE", "no_such_button", message=message)


def test_block_action_on_an_ephemeral_leaves_out_the_message(
    slack: SignedSlack, app: Receiver, stand_in: SlackStandIn, client: WebClient
) -> None:
    client.chat_postEphemeral(channel="C0LAB", user="U0ALICE", text="O-ring", blocks=BUTTONS)
    [ephemeral] = stand_in.ephemerals("C0LAB", "U0ALICE")
    slack.block_action("U0ALICE", "take_part", message=ephemeral)
    payload = app.last_payload()
    assert payload["container"]["is_ephemeral"] is True
    assert "message" not in payload
    httpx.post(payload["response_url"], json={"delete_original": True})
    assert stand_in.ephemerals("C0LAB", "U0ALICE") == []


def test_view_submission_closes_the_modal_on_an_empty_ack(
    slack: SignedSlack, app: Receiver, stand_in: SlackStandIn, client: WebClient
) -> None:
    view = client.views_open(trigger_id=stand_in.issue_trigger("U0ALICE"), view=modal())["view"]
    slack.view_submission("U0ALICE", view, fill_modal(view, {"qty": 5}))
    payload = app.last_payload()
    assert payload["type"] == "view_submission"
    assert payload["response_urls"] == []
    assert payload["view"]["callback_id"] == "restock"
    assert payload["view"]["state"]["values"] == {
        "qty": {"qty": {"type": "number_input", "value": "5"}}
    }
    assert stand_in.modals("U0ALICE") == []


def test_view_submission_errors_keep_and_update_replaces_the_modal(
    slack: SignedSlack, app: Receiver, stand_in: SlackStandIn, client: WebClient
) -> None:
    view = client.views_open(trigger_id=stand_in.issue_trigger("U0ALICE"), view=modal())["view"]
    app.answer_json({"response_action": "errors", "errors": {"qty": "Must be positive"}})
    slack.submit_modal("U0ALICE", view, {"Quantity": -1})
    assert len(stand_in.modals("U0ALICE")) == 1
    done = modal(title={"type": "plain_text", "text": "Done"}, blocks=[])
    app.answer_json({"response_action": "update", "view": done})
    slack.submit_modal("U0ALICE", view, {"qty": 3})
    [shown] = stand_in.modals("U0ALICE")
    assert (shown["id"], shown["title"]["text"]) == (view["id"], "Done")


def test_actions_in_a_modal_and_closing_it(
    slack: SignedSlack, app: Receiver, stand_in: SlackStandIn, client: WebClient
) -> None:
    trigger = stand_in.issue_trigger("U0ALICE")
    view = client.views_open(trigger_id=trigger, view=modal(blocks=BUTTONS))["view"]
    slack.block_action("U0ALICE", "take_part", view=view)
    payload = app.last_payload()
    assert payload["container"] == {"type": "view", "view_id": view["id"]}
    assert payload["view"]["id"] == view["id"]
    assert "response_url" not in payload
    slack.view_closed("U0ALICE", view)
    assert app.last_payload()["type"] == "view_closed"
    assert stand_in.modals("U0ALICE") == []


def test_registered_users_are_described_by_users_info_and_in_payloads(
    slack: SignedSlack, app: Receiver, stand_in: SlackStandIn, client: WebClient
) -> None:
    stand_in.add_user("U0ALICE", real_name="Alice Lab", display_name="alice", email="a@lab.org")
    profile = client.users_info(user="U0ALICE")["user"]["profile"]
    assert (profile["real_name"], profile["email"]) == ("Alice Lab", "a@lab.org")
    stand_in.name_channel("C0MS", "mass-spec")
    slack.command("U0ALICE", "list", channel_id="C0MS")
    fields = parse_qs(app.last()[1])
    assert (fields["user_name"], fields["channel_name"]) == (["alice"], ["mass-spec"])
    with pytest.raises(SlackApiError) as missing:
        client.users_info(user="not-a-user")
    assert missing.value.response["error"] == "user_not_found"


def test_fill_modal_maps_answers_by_element_type() -> None:
    def field(block_id: str, element: dict[str, Any]) -> dict[str, Any]:
        label = {"type": "plain_text", "text": block_id.title()}
        return {"type": "input", "block_id": block_id, "label": label, "element": element}

    option = {"text": {"type": "plain_text", "text": "Kiel IV"}, "value": "kiel"}
    view = {
        "blocks": [
            field("name", {"type": "plain_text_input", "action_id": "name"}),
            field("where", {"type": "static_select", "action_id": "where", "options": [option]}),
            field("part", {"type": "external_select", "action_id": "part"}),
            field("who", {"type": "users_select", "action_id": "who"}),
            field("due", {"type": "datepicker", "action_id": "due"}),
            field("flags", {"type": "checkboxes", "action_id": "flags", "options": [option]}),
            field("qty", {"type": "number_input", "action_id": "qty", "initial_value": "1"}),
        ]
    }
    values = fill_modal(
        view,
        {"name": "O-ring", "Where": "Kiel IV", "part": "p-17", "who": "U0BOB", "due": "2024-05-01"}
        | {"flags": ["kiel"]},
    )
    assert values["name"]["name"] == {"type": "plain_text_input", "value": "O-ring"}
    assert values["where"]["where"]["selected_option"] == option
    assert values["part"]["part"]["selected_option"]["value"] == "p-17"
    assert values["who"]["who"]["selected_user"] == "U0BOB"
    assert values["due"]["due"]["selected_date"] == "2024-05-01"
    assert values["flags"]["flags"]["selected_options"] == [option]
    assert values["qty"]["qty"]["value"] == "1"
    with pytest.raises(KeyError):
        fill_modal(view, {"colour": "red"})


def test_block_suggestion_asks_for_options(slack: SignedSlack, app: Receiver) -> None:
    view = {
        "id": "V1",
        "blocks": [
            {
                "type": "input",
                "block_id": "b",
                "element": {"type": "external_select", "action_id": "part"},
            }
        ],
    }
    slack.block_suggestion("U0ALICE", "part", "o-ri", view=view)
    payload = app.last_payload()
    assert (payload["type"], payload["action_id"], payload["block_id"], payload["value"]) == (
        "block_suggestion",
        "part",
        "b",
        "o-ri",
    )


def test_events_are_signed_json_envelopes_with_retry_headers(
    slack: SignedSlack, app: Receiver, client: WebClient
) -> None:
    slack.event({"type": "member_joined_channel", "user": "U0ALICE"}, event_id="Ev1", retry_num=1)
    headers, raw = app.last()
    assert headers["content-type"] == "application/json"
    assert verified(headers, raw)
    assert headers["x-slack-retry-num"] == "1"
    assert headers["x-slack-retry-reason"]
    envelope = json.loads(raw)
    assert (envelope["type"], envelope["event_id"], envelope["team_id"]) == (
        "event_callback",
        "Ev1",
        "T0FARLAB",
    )
    assert envelope["authorizations"][0]["user_id"] == "UBOT"
    client.views_publish(user_id="U0ALICE", view={"type": "home", "blocks": []})
    slack.app_home_opened("U0ALICE")
    event = json.loads(app.last()[1])["event"]
    assert (event["type"], event["tab"], event["channel"]) == (
        "app_home_opened",
        "home",
        "DU0ALICE",
    )
    assert event["view"]["type"] == "home"


def test_history_needs_the_bot_in_the_channel_and_join_lets_it_in(stand_in: SlackStandIn):
    client = WebClient(token="xoxb-test", base_url=stand_in.base_url)
    stand_in.keep_bot_out_of("C0OUT")
    client.chat_postMessage(channel="C0OUT", text="posted from outside")  # chat:write.public
    with pytest.raises(SlackApiError) as outside:
        client.conversations_history(channel="C0OUT")
    assert outside.value.response["error"] == "not_in_channel"
    joined = client.conversations_join(channel="C0OUT")
    assert joined["channel"]["id"] == "C0OUT"
    assert "warning" not in joined
    history = client.conversations_history(channel="C0OUT")
    assert [m.get("subtype") for m in history["messages"]] == ["channel_join", None]
    assert client.conversations_join(channel="C0OUT")["warning"] == "already_in_channel"
    with pytest.raises(SlackApiError) as private:
        client.conversations_join(channel="G0SECRET")
    assert private.value.response["error"] == "method_not_supported_for_channel_type"


def test_a_messages_permalink_names_its_channel_and_ts(
    stand_in: SlackStandIn, client: WebClient
) -> None:
    said = stand_in.post_as("U0ALICE", "C0LAB", "The pump is rattling")
    found = client.chat_getPermalink(channel="C0LAB", message_ts=said["ts"])
    seconds, micros = said["ts"].split(".")
    assert found["permalink"] == (f"https://farlab-lab.slack.com/archives/C0LAB/p{seconds}{micros}")
    assert found["channel"] == "C0LAB"
    with pytest.raises(SlackApiError, match="message_not_found"):
        client.chat_getPermalink(channel="C0LAB", message_ts="1.000001")


def test_conversations_list_names_the_channels_by_kind_and_pages(
    stand_in: SlackStandIn, client: WebClient
) -> None:
    stand_in.name_channel("C0VAC", "vacuum")
    stand_in.name_channel("G0PRIV", "managers")
    public = client.conversations_list()["channels"]
    assert [(c["id"], c["name"], c["is_private"]) for c in public] == [
        ("C0LAB", "lab", False),
        ("C0VAC", "vacuum", False),
    ]
    both = client.conversations_list(types="public_channel,private_channel", limit=2)
    assert [c["name"] for c in both["channels"]] == ["lab", "vacuum"]
    cursor = both["response_metadata"]["next_cursor"]
    rest = client.conversations_list(types="public_channel,private_channel", cursor=cursor)
    assert [(c["name"], c["is_private"]) for c in rest["channels"]] == [("managers", True)]
    assert rest["response_metadata"]["next_cursor"] == ""


def test_shortcuts_are_sent_in_slacks_shapes(
    slack: SignedSlack, app: Receiver, stand_in: SlackStandIn
) -> None:
    slack.shortcut("U0ALICE", "take_part")
    assert verified(*app.last())
    chosen = app.last_payload()
    assert (chosen["type"], chosen["callback_id"], chosen["user"]["id"]) == (
        "shortcut",
        "take_part",
        "U0ALICE",
    )
    assert "channel" not in chosen
    assert "response_url" not in chosen
    assert stand_in.workspace.directory.redeem_trigger(chosen["trigger_id"]) == "U0ALICE"
    said = stand_in.post_as("U0BOB", "C0LAB", "Kiel IV &lt;3 is leaking")
    slack.message_shortcut("U0ALICE", "raise_alert", said)
    on_message = app.last_payload()
    assert (on_message["type"], on_message["channel"]["id"], on_message["message_ts"]) == (
        "message_action",
        "C0LAB",
        said["ts"],
    )
    assert on_message["message"]["text"] == "Kiel IV &lt;3 is leaking"
    assert on_message["message"]["user"] == "U0BOB"
    httpx.post(on_message["response_url"], json={"text": "Raised"})
    assert [e["text"] for e in stand_in.ephemerals("C0LAB", "U0ALICE")] == ["Raised"]
