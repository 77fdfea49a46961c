"""Modal stacks and Home tabs per user, as views.* calls and view submissions leave them."""

from __future__ import annotations

import contextlib
import copy
import itertools
import secrets
import threading
import time
from collections.abc import Mapping
from typing import Any

from slack_stand_in.answers import SlackError
from slack_stand_in.identity import APP_ID, BOT_ID, TEAM_ID
from slack_stand_in.messages import with_block_ids

MAX_STACK = 3
MAX_VIEW_BLOCKS = 100
MAX_TITLE = 24
MAX_PRIVATE_METADATA = 3000


class ViewStore:
    """Open views by id; each user's modal stack (bottom first) and Home tab."""

    def __init__(self, changed: threading.Condition) -> None:
        self._changed = changed
        self._ids = itertools.count(1)
        self._views: dict[str, dict[str, Any]] = {}
        self._stacks: dict[str, list[str]] = {}
        self._homes: dict[str, str] = {}

    # -- reading -------------------------------------------------------------------------
    def get(self, view_id: str) -> dict[str, Any] | None:
        with self._changed:
            view = self._views.get(view_id)
            return copy.deepcopy(view) if view is not None else None

    def modals(self, user: str) -> list[dict[str, Any]]:
        """Copies of the user's open modals, bottom of the stack first."""
        with self._changed:
            return [copy.deepcopy(self._views[v]) for v in self._stacks.get(user, [])]

    def home(self, user: str) -> dict[str, Any] | None:
        with self._changed:
            view_id = self._homes.get(user)
            return copy.deepcopy(self._views[view_id]) if view_id else None

    # -- views.* -------------------------------------------------------------------------
    def open(self, user: str, view: Any) -> dict[str, Any]:
        """A new modal stack for the user (replacing any open one)."""
        with self._changed:
            for old in self._stacks.pop(user, []):
                self._views.pop(old, None)
            return self._add(user, view, root=None)

    def push(self, user: str, view: Any) -> dict[str, Any]:
        with self._changed:
            stack = self._stacks.get(user, [])
            if len(stack) >= MAX_STACK:
                raise SlackError("push_limit_reached")
            return self._add(user, view, root=stack[0] if stack else None)

    def update(
        self,
        view: Any,
        *,
        view_id: str | None = None,
        external_id: str | None = None,
        hash: str | None = None,
    ) -> dict[str, Any]:
        with self._changed:
            current = self._locate(view_id, external_id)
            if hash and hash != current["hash"]:
                raise SlackError("hash_conflict")
            return self._replace(current, view)

    def publish(self, user: str, view: Any, hash: str | None = None) -> dict[str, Any]:
        with self._changed:
            view_id = self._homes.get(user)
            if view_id is None:
                created = self._build(_checked(view, "home"), self._new_id(), None)
                self._views[created["id"]] = created
                self._homes[user] = created["id"]
                self._changed.notify_all()
                return copy.deepcopy(created)
            current = self._views[view_id]
            if hash and hash != current["hash"]:
                raise SlackError("hash_conflict")
            return self._replace(current, view)

    # -- what the user does --------------------------------------------------------------
    def close(self, user: str, view_id: str) -> None:
        """Close one modal (the others in the stack stay open)."""
        with self._changed:
            stack = self._stacks.get(user, [])
            if view_id in stack:
                stack.remove(view_id)
                self._views.pop(view_id, None)
                self._changed.notify_all()

    def clear(self, user: str) -> None:
        """Close all of the user's modals."""
        with self._changed:
            for view_id in self._stacks.pop(user, []):
                self._views.pop(view_id, None)
            self._changed.notify_all()

    def answer_submission(self, user: str, view_id: str, response: Mapping[str, Any]) -> None:
        """Apply the app's answer to a view submission (an empty answer closes the view)."""
        action = response.get("response_action")
        if action == "errors":
            return
        if action == "clear":
            self.clear(user)
        elif action == "update" and "view" in response:
            with self._changed:
                if view_id in self._views:
                    self._replace(self._views[view_id], response["view"])
        elif action == "push" and "view" in response:
            with contextlib.suppress(SlackError):  # Slack shows the error inside the modal
                self.push(user, response["view"])
        else:
            self.close(user, view_id)

    # -- internals -----------------------------------------------------------------------
    def _add(self, user: str, view: Any, root: str | None) -> dict[str, Any]:
        stack = self._stacks.setdefault(user, [])
        created = self._build(_checked(view, "modal"), self._new_id(), stack[-1] if stack else None)
        created["root_view_id"] = root or created["id"]
        self._views[created["id"]] = created
        stack.append(created["id"])
        self._changed.notify_all()
        return copy.deepcopy(created)

    def _replace(self, current: dict[str, Any], view: Any) -> dict[str, Any]:
        checked = _checked(view, current["type"])
        replaced = self._build(checked, current["id"], current["previous_view_id"])
        replaced["root_view_id"] = current["root_view_id"]
        current.clear()
        current.update(replaced)
        self._changed.notify_all()
        return copy.deepcopy(current)

    def _locate(self, view_id: str | None, external_id: str | None) -> dict[str, Any]:
        if view_id:
            found = self._views.get(view_id)
        elif external_id:
            found = next((v for v in self._views.values() if v["external_id"] == external_id), None)
        else:
            raise SlackError("invalid_arguments")
        if found is None:
            raise SlackError("not_found")
        return found

    def _new_id(self) -> str:
        return f"V{next(self._ids):010d}"

    @staticmethod
    def _build(view: Mapping[str, Any], view_id: str, previous: str | None) -> dict[str, Any]:
        return {
            "id": view_id,
            "team_id": TEAM_ID,
            "type": view["type"],
            "blocks": with_block_ids(view.get("blocks", [])),
            "private_metadata": view.get("private_metadata", ""),
            "callback_id": view.get("callback_id", ""),
            "state": {"values": {}},
            "hash": f"{int(time.time())}.{secrets.token_hex(4)}",
            "title": copy.deepcopy(view.get("title")),
            "clear_on_close": bool(view.get("clear_on_close", False)),
            "notify_on_close": bool(view.get("notify_on_close", False)),
            "close": copy.deepcopy(view.get("close")),
            "submit": copy.deepcopy(view.get("submit")),
            "previous_view_id": previous,
            "root_view_id": view_id,
            "app_id": APP_ID,
            "external_id": view.get("external_id", ""),
            "app_installed_team_id": TEAM_ID,
            "bot_id": BOT_ID,
        }


def _checked(view: Any, expected_type: str) -> Mapping[str, Any]:
    """The view if it is one Slack would accept in this place; else ``invalid_arguments``."""
    if not isinstance(view, Mapping) or view.get("type") != expected_type:
        raise SlackError("invalid_arguments")
    blocks = view.get("blocks", [])
    title = (view.get("title") or {}).get("text", "")
    too_long = len(str(view.get("private_metadata", ""))) > MAX_PRIVATE_METADATA
    if not isinstance(blocks, list) or len(blocks) > MAX_VIEW_BLOCKS or too_long:
        raise SlackError("invalid_arguments")
    if expected_type == "modal" and (not title or len(title) > MAX_TITLE):
        raise SlackError("invalid_arguments")
    return view
