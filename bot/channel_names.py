"""A channel named as a person typed it (``#lab``), found among the channels FarLab can see.

Slack escapes a channel picked from its list as ``<#C0LAB|lab>`` (``should_escape`` in the
manifest); a name typed out in full, or a private channel's, may arrive as plain ``#lab``.
Such a name is looked up with conversations.list: the public channels, and the private ones
FarLab was invited to.
"""

from __future__ import annotations

from slack_sdk import WebClient
from slack_sdk.errors import SlackApiError

from domain.errors import InvalidInput

PAGE = 1000  # conversations.list's largest page
MAX_PAGES = 10


def channel_named(client: WebClient, name: str) -> str | None:
    """The id of the channel called ``name`` (with or without ``#``, any case), or None."""
    wanted = name.lstrip("#").lower()
    cursor = None
    for _ in range(MAX_PAGES):
        try:
            found = client.conversations_list(
                types="public_channel,private_channel",
                exclude_archived=True,
                limit=PAGE,
                cursor=cursor,
            )
        except SlackApiError as exc:
            raise InvalidInput.field(
                "channel",
                f"FarLab could not look #{wanted} up in Slack ({exc.response.get('error')}): "
                "pick the channel from Slack's list as you type #.",
            ) from None
        for channel in found.get("channels") or []:
            if str(channel.get("name", "")).lower() == wanted:
                return str(channel["id"])
        cursor = (found.get("response_metadata") or {}).get("next_cursor")
        if not cursor:
            return None
    return None
