"""Files between FarLab and Slack: a file a person picked in a modal, read with the bot's
token (files.info, then its ``url_private_download``), and files FarLab sends a person in
their DM (``files_upload_v2``).

Slack checks neither the type nor, for an app's download, the size of a picked file, so
the size is checked from files.info before anything is downloaded, and the download is
cut off past it. Without a token Slack answers a download with its sign-in page (HTTP 200),
so a page instead of the file is a failure too. The token goes only to Slack's own file
host, or to the host of the Web API the client talks to (the stand-in in tests).
"""

from __future__ import annotations

import urllib.request
from dataclasses import dataclass
from urllib.error import HTTPError, URLError
from urllib.parse import urlsplit

from slack_sdk import WebClient
from slack_sdk.errors import SlackApiError

DOWNLOAD_TIMEOUT_SECONDS = 60
# files.info's answers about a file that is gone, or that the app may not see.
_GONE = frozenset({"file_not_found", "file_deleted"})
_NO_ACCESS = frozenset({"access_denied", "not_visible", "no_permission", "missing_scope"})


class FileNotRead(Exception):
    """A file FarLab could not get from Slack; ``problem`` says why, for the person."""

    def __init__(self, problem: str, *, file_name: str = "") -> None:
        super().__init__(problem)
        self.problem = problem
        self.file_name = file_name


@dataclass(frozen=True)
class PickedFile:
    id: str
    name: str
    data: bytes


def read_picked_file(client: WebClient, file_id: str, *, max_bytes: int) -> PickedFile:
    """The name and bytes of a file a person picked; ``FileNotRead`` saying why not."""
    try:
        info = client.files_info(file=file_id)["file"]
    except SlackApiError as error:
        raise FileNotRead(_why_no_info(error)) from error
    name = str(info.get("name") or info.get("title") or "the file")
    size = info.get("size")
    if isinstance(size, int) and size > max_bytes:
        raise FileNotRead(
            f"it is {size / 1e6:.1f} MB; files up to {max_bytes // (1024 * 1024)} MB can be "
            "imported.",
            file_name=name,
        )
    url = str(info.get("url_private_download") or info.get("url_private") or "")
    if not _may_send_token(url, client.base_url):
        raise FileNotRead("Slack gave no address FarLab may download it from.", file_name=name)
    return PickedFile(file_id, name, _download(url, client.token or "", max_bytes, name))


def _why_no_info(error: SlackApiError) -> str:
    code = str(error.response.get("error") or "")
    if code in _GONE:
        return f"Slack says the file is not there any more ({code}): it was deleted."
    if code in _NO_ACCESS:
        return f"Slack does not let FarLab read it ({code})."
    return f"Slack would not describe it ({code or error.response.status_code})."


def _download(url: str, token: str, max_bytes: int, name: str) -> bytes:
    request = urllib.request.Request(url, headers={"Authorization": f"Bearer {token}"})  # noqa: S310 - checked by _may_send_token
    try:
        with urllib.request.urlopen(request, timeout=DOWNLOAD_TIMEOUT_SECONDS) as answer:  # noqa: S310
            if "text/html" in str(answer.headers.get("Content-Type", "")):
                raise FileNotRead(
                    "Slack sent its sign-in page instead of the file: FarLab's token may not "
                    "read files (the files:read scope; reinstall the app from manifest.yml).",
                    file_name=name,
                )
            data: bytes = answer.read(max_bytes + 1)
    except HTTPError as error:
        if error.code in (403, 404):
            raise FileNotRead(
                f"Slack would not let FarLab download it (HTTP {error.code}): it was deleted, "
                "or FarLab has no access to it.",
                file_name=name,
            ) from error
        raise FileNotRead(
            f"Slack answered the download with HTTP {error.code}.", file_name=name
        ) from error
    except (URLError, TimeoutError, OSError) as error:
        raise FileNotRead("FarLab could not reach Slack to download it.", file_name=name) from error
    if len(data) > max_bytes:
        raise FileNotRead(
            f"it is over {max_bytes // (1024 * 1024)} MB, the largest file FarLab imports.",
            file_name=name,
        )
    return data


def _may_send_token(url: str, api_base_url: str) -> bool:
    """Slack's own https hosts, or the host the Web API client talks to."""
    target, api = urlsplit(url), urlsplit(api_base_url)
    if not target.hostname:
        return False
    if target.scheme == "https" and (
        target.hostname == "slack.com" or target.hostname.endswith(".slack.com")
    ):
        return True
    return (target.scheme, target.netloc) == (api.scheme, api.netloc)


def send_file_to_dm(
    client: WebClient,
    user_id: str,
    *,
    file_name: str,
    content: bytes,
    title: str,
    comment: str = "",
) -> str:
    """Share a file into the app's DM with the person (files_upload_v2 needs the DM's
    channel id); the file's id."""
    opened = client.conversations_open(users=user_id)
    sent = client.files_upload_v2(
        channel=opened["channel"]["id"],
        content=content,
        filename=file_name,
        title=title,
        initial_comment=comment or None,
    )
    return str(sent["file"]["id"])
