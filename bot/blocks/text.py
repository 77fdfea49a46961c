"""Escaping user text for mrkdwn, fitting text to Slack's limits, and the limits themselves."""

from __future__ import annotations

import re

# Slack's Block Kit limits (Slack's Block Kit reference).
MESSAGE_MAX_BLOCKS = 50
VIEW_MAX_BLOCKS = 100
SECTION_TEXT_MAX = 3000
SECTION_FIELDS_MAX = 10
SECTION_FIELD_TEXT_MAX = 2000
HEADER_TEXT_MAX = 150
CONTEXT_ELEMENTS_MAX = 10
ACTIONS_ELEMENTS_MAX = 25
BUTTON_TEXT_MAX = 75
BUTTON_VALUE_MAX = 2000
BUTTON_URL_MAX = 3000
OPTION_TEXT_MAX = 75
OPTION_VALUE_MAX = 150
SELECT_OPTIONS_MAX = 100
PLACEHOLDER_MAX = 150
INPUT_LABEL_MAX = 2000
INPUT_HINT_MAX = 2000
TEXT_INPUT_MAX_LENGTH = 3000
ACTION_ID_MAX = 255
BLOCK_ID_MAX = 255
VIEW_TITLE_MAX = 24
VIEW_BUTTON_MAX = 24
PRIVATE_METADATA_MAX = 3000
CALLBACK_ID_MAX = 255
CONFIRM_TITLE_MAX = 100
CONFIRM_TEXT_MAX = 300
CONFIRM_BUTTON_MAX = 30
# Our own choice: the fallback text doubles as the notification text, so keep it short.
FALLBACK_TEXT_MAX = 3000

ELLIPSIS = "…"

# An entity cut short by fit(): "&", "&a", "&am", "&amp", "&l", "&lt", "&g", "&gt".
_CUT_ENTITY = re.compile(r"&(?:a|am|amp|l|lt|g|gt)?$")


def escape(text: str) -> str:
    """Make user text safe inside mrkdwn: escape exactly ``&``, ``<`` and ``>``.

    Other formatting characters (``*``, ``_``, ``~``, backticks) are left as they are.
    """
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


def fit(text: str, limit: int) -> str:
    """Cut ``text`` to at most ``limit`` characters, ending with an ellipsis when cut.

    A cut never leaves half of an escape entity (``&am…``) behind.
    """
    if limit < 1:
        raise ValueError("limit must be at least 1")
    if len(text) <= limit:
        return text
    kept = _CUT_ENTITY.sub("", text[: limit - len(ELLIPSIS)])
    return kept + ELLIPSIS


# A Slack entity in message text: <@U1|name>, <#C1|name>, <!here>, <!date^…|fallback>, <url|label>.
_ENTITY = re.compile(r"<([^<>|]*)(?:\|([^<>]*))?>")


def plain_text_of(text: str) -> str:
    """A message's mrkdwn text as a person reads it, for a text input to start from:
    mentions as ``@name``/``#name``, links as ``label (url)``, entities unescaped."""

    def readable(found: re.Match[str]) -> str:
        target, label = found.group(1), found.group(2)
        if target[:1] in ("@", "#"):
            return target[0] + (label.lstrip("@#") if label else target[1:])
        if target.startswith("!"):
            special = target[1:].split("^", 1)[0]
            return label or f"@{special}"
        address = target.removeprefix("mailto:")
        return f"{label} ({address})" if label and label != address else address

    readable_text = _ENTITY.sub(readable, text)
    return readable_text.replace("&lt;", "<").replace("&gt;", ">").replace("&amp;", "&")
