"""A Slack Web API client that counts each call by method and outcome.

Every method of ``WebClient`` goes through ``api_call``; the outcome is the call's as the
caller sees it, after the client's own retries: ``ok``, ``429`` (still rate limited),
``network`` (no answer), or Slack's error code (``channel_not_found``).
"""

from __future__ import annotations

import re
from collections.abc import Callable
from typing import Any
from urllib.error import URLError

from slack_sdk import WebClient
from slack_sdk.errors import SlackApiError
from slack_sdk.web import SlackResponse

# Slack's error codes are short snake_case words; anything else is counted as "error".
ERROR_CODE = re.compile(r"[a-z0-9_]{1,60}")
CallCounter = Callable[[str, str], None]


def outcome_of(error: SlackApiError) -> str:
    response = error.response
    if response.status_code == 429:
        return "429"
    code = response.get("error") if isinstance(response.data, dict) else None
    return code if isinstance(code, str) and ERROR_CODE.fullmatch(code) else "error"


class CountingWebClient(WebClient):
    """``WebClient`` that tells ``count(method, outcome)`` about every call it makes."""

    def __init__(self, *args: Any, count: CallCounter, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.count = count

    def api_call(self, api_method: str, **kwargs: Any) -> SlackResponse:
        try:
            response = super().api_call(api_method, **kwargs)
        except SlackApiError as error:
            self.count(api_method, outcome_of(error))
            raise
        except (URLError, OSError):
            self.count(api_method, "network")
            raise
        self.count(api_method, "ok")
        assert isinstance(response, SlackResponse)  # a sync client's answer
        return response
