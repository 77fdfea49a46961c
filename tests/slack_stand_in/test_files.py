"""Files in the stand-in: a person's file served to the app's token only, files.info, and
the three steps of files_upload_v2 ending in a message with the file in the channel."""

from __future__ import annotations

from collections.abc import Iterator

import httpx
import pytest
from slack_sdk import WebClient
from slack_sdk.errors import SlackApiError

from slack_stand_in import SlackStandIn, fill_modal

CSV = "PN,Name\nFIL-1,Rhenium filament µ\n".encode()


@pytest.fixture
def stand_in() -> Iterator[SlackStandIn]:
    with SlackStandIn(token="xoxb-the-bot") as server:
        yield server


@pytest.fixture
def client(stand_in: SlackStandIn) -> WebClient:
    return WebClient(base_url=stand_in.base_url, token="xoxb-the-bot")


def test_a_persons_file_is_described_by_files_info_and_shared_nowhere(
    stand_in: SlackStandIn, client: WebClient
) -> None:
    file_id = stand_in.add_file("lab.csv", CSV, user="UMANAGER")
    info = client.files_info(file=file_id)["file"]
    assert (info["id"], info["name"], info["size"], info["user"]) == (
        file_id,
        "lab.csv",
        len(CSV),
        "UMANAGER",
    )
    assert (info["filetype"], info["mimetype"]) == ("csv", "text/csv")
    assert info["channels"] == info["ims"] == []
    assert info["url_private_download"].startswith(stand_in.url + "/files-pri/")


def test_the_download_needs_the_bots_token_and_unknown_files_are_404(
    stand_in: SlackStandIn,
) -> None:
    url = stand_in.file_info(stand_in.add_file("lab.csv", CSV))["url_private_download"]
    got = httpx.get(url, headers={"Authorization": "Bearer xoxb-the-bot"})
    assert (got.status_code, got.content, got.headers["content-type"]) == (200, CSV, "text/csv")
    # As Slack: without a valid token, HTTP 200 with a sign-in page instead of the file.
    for headers in ({}, {"Authorization": "Bearer xoxb-someone-else"}):
        page = httpx.get(url, headers=headers)
        assert page.status_code == 200
        assert page.headers["content-type"].startswith("text/html")
    missing = url.replace("F0000000001", "F0000000099")
    assert httpx.get(missing, headers={"Authorization": "Bearer xoxb-the-bot"}).status_code == 404
    assert [c.method for c in stand_in.calls()] == ["file_download"] * 4


def test_a_deleted_or_unknown_file_is_an_error(stand_in: SlackStandIn, client: WebClient) -> None:
    file_id = stand_in.add_file("lab.csv", CSV)
    stand_in.delete_file(file_id)
    with pytest.raises(SlackApiError) as deleted:
        client.files_info(file=file_id)
    assert deleted.value.response["error"] == "file_deleted"
    with pytest.raises(SlackApiError) as unknown:
        client.files_info(file="F0000000042")
    assert unknown.value.response["error"] == "file_not_found"


def test_download_failures_can_be_injected(stand_in: SlackStandIn) -> None:
    url = stand_in.file_info(stand_in.add_file("lab.csv", CSV))["url_private_download"]
    stand_in.fail("file_download", 403, retry_after=None)
    assert httpx.get(url, headers={"Authorization": "Bearer xoxb-the-bot"}).status_code == 403


def test_files_upload_v2_shares_the_file_into_the_dm_as_a_message(
    stand_in: SlackStandIn, client: WebClient
) -> None:
    sent = client.files_upload_v2(
        channel="DUMANAGER",
        content=CSV,
        filename="farlab-parts.csv",
        title="Parts",
        initial_comment="Your export",
    )
    file_id = sent["file"]["id"]
    methods = [c.method for c in stand_in.calls()]
    assert methods == ["files.getUploadURLExternal", "file_upload", "files.completeUploadExternal"]
    assert stand_in.calls("files.getUploadURLExternal")[0].body["length"] == str(len(CSV))
    assert stand_in.file_bytes(file_id) == CSV
    [message] = stand_in.messages("UMANAGER")
    assert message["text"] == "Your export"
    [shared] = message["files"]
    assert (shared["id"], shared["name"], shared["title"]) == (file_id, "farlab-parts.csv", "Parts")
    assert shared["ims"] == ["DUMANAGER"]
    assert stand_in.files_in("UMANAGER") == [shared]


def test_an_upload_never_completed_or_never_sent_is_not_a_file(client: WebClient) -> None:
    started = client.files_getUploadURLExternal(filename="a.csv", length=3)
    with pytest.raises(SlackApiError) as never_sent:
        client.files_completeUploadExternal(files=[{"id": started["file_id"]}], channel_id="C1")
    assert never_sent.value.response["error"] == "file_upload_not_found"
    assert httpx.post(started["upload_url"], content=b"abc").status_code == 200
    assert httpx.post(started["upload_url"], content=b"abc").status_code == 404  # used
    with pytest.raises(SlackApiError):
        client.files_info(file=started["file_id"])  # not complete: no such file yet


def test_a_file_input_is_filled_with_file_objects(stand_in: SlackStandIn) -> None:
    view = {
        "blocks": [
            {
                "type": "input",
                "block_id": "file",
                "label": {"type": "plain_text", "text": "File"},
                "element": {"type": "file_input", "action_id": "field", "max_files": 1},
            }
        ]
    }
    picked = stand_in.file_info(stand_in.add_file("lab.csv", CSV))
    values = fill_modal(view, {"File": picked})
    assert values == {"file": {"field": {"type": "file_input", "files": [picked]}}}
    assert fill_modal(view, {})["file"]["field"]["files"] == []
