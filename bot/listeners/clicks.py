"""Buttons whose click must count once: a double click on them is answered, not repeated.

A pick list's Choose runs the command it continues, and some of those (``use``,
``restock``) move stock: a person who double-clicks, or presses Choose again on a list
whose answer has not replaced it yet, must not take stock twice. A choice is keyed by the
person and the message it was made in; a new pick list is a new choice.

The choice is claimed in the database (``domain.handled_requests``), inside the click's
unit of work, so every process serving the same database sees it: a second click on
another replica (or worker) finds it. The claim commits with what the choice changed; a
choice that failed keeps nothing, so the list can be used again. Two clicks at the same
moment queue on the claim's row until the first commits.
"""

from __future__ import annotations

import hashlib
from datetime import timedelta
from typing import Any

from domain import handled_requests
from domain.context import DomainContext

# response_urls work for 30 minutes; after that a pick list can no longer be replaced.
REMEMBER = timedelta(minutes=30)


def first_choice(ctx: DomainContext, body: dict[str, Any]) -> bool:
    """Whether this is the first such click (claimed, with the open unit of work, if so)."""
    digest = hashlib.sha256("\x1f".join(click_key(body)).encode()).hexdigest()
    return handled_requests.claim_request(ctx, f"choice:{digest}", keep_for=REMEMBER)


def click_key(body: dict[str, Any]) -> tuple[str, ...]:
    """Who clicked what, where: team, user, the message (channel, ts), action and value."""
    container = body.get("container") or {}
    action = (body.get("actions") or [{}])[0]
    return (
        str((body.get("team") or {}).get("id", "")),
        str((body.get("user") or {}).get("id", "")),
        str(container.get("channel_id") or container.get("view_id") or ""),
        str(container.get("message_ts") or ""),
        str(action.get("action_id", "")),
        str(action.get("value", "")),
    )
