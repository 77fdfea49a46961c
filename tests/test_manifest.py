"""manifest.yml is a valid Slack app manifest and asks for exactly the scopes the code uses."""

from __future__ import annotations

import json
import re
from pathlib import Path

import jsonschema
import yaml

ROOT = Path(__file__).resolve().parents[1]
# Slack's app-manifest JSON Schema, kept with its license beside the tests.
SCHEMA = ROOT / "tests" / "fixtures" / "slack" / "manifest.schema.1.0.0.json"
# Web API method (as slack_sdk names it) -> the bot scopes it needs; empty: none.
SCOPES: dict[str, frozenset[str]] = {
    "chat_postMessage": frozenset({"chat:write"}),
    "chat_postEphemeral": frozenset({"chat:write"}),
    "chat_update": frozenset({"chat:write"}),
    "chat_delete": frozenset({"chat:write"}),
    "conversations_open": frozenset({"im:write"}),
    # Reading back alert posts whose answer was lost, in the public and private channels
    # alerts go to (one scope per kind of channel).
    "conversations_history": frozenset({"channels:history", "groups:history"}),
    # Joining a public channel alerts go to without an invitation, to read its history.
    "conversations_join": frozenset({"channels:join"}),
    # Finding a channel typed as #name among the public and private channels.
    "conversations_list": frozenset({"channels:read", "groups:read"}),
    # A message's link, for the alert raised from it: no scope.
    "chat_getPermalink": frozenset(),
    "users_info": frozenset({"users:read"}),
    # Reading a file picked in a modal (files.info, then its download URL), and sharing
    # exports and import reports (files.getUploadURLExternal, files.completeUploadExternal).
    "files_info": frozenset({"files:read"}),
    "files_upload_v2": frozenset({"files:write"}),
    "views_open": frozenset(),
    "views_update": frozenset(),
    "views_push": frozenset(),
    "views_publish": frozenset(),
    "auth_test": frozenset(),
}
# Scopes that no single method call names: slash commands, and posting alerts to public
# channels the bot was never invited to (chat.postMessage under chat:write.public).
ALWAYS = {"commands", "chat:write.public"}
CALL = re.compile(r"\.(chat_\w+|views_\w+|conversations_\w+|users_\w+|files_\w+|auth_test)\b")


def _manifest() -> dict:
    return yaml.safe_load((ROOT / "manifest.yml").read_text())


def _methods_called() -> set[str]:
    found: set[str] = set()
    for package in ("bot", "api", "scheduler", "domain"):
        for path in (ROOT / package).rglob("*.py"):
            found |= set(CALL.findall(path.read_text()))
    return found


def test_manifest_is_valid_against_slacks_schema():
    jsonschema.validate(_manifest(), json.loads(SCHEMA.read_text()))


def test_manifest_asks_for_exactly_the_scopes_the_code_calls():
    methods = _methods_called()
    assert methods, "no Web API calls found: the scan is broken"
    unknown = methods - SCOPES.keys()
    assert not unknown, f"add these methods' scopes to SCOPES: {unknown}"
    needed = set().union(*(SCOPES[m] for m in methods)) | ALWAYS
    assert set(_manifest()["oauth_config"]["scopes"]["bot"]) == needed


def test_manifest_sends_everything_to_one_verified_url_and_subscribes_app_home():
    manifest = _manifest()
    command = manifest["features"]["slash_commands"][0]
    settings = manifest["settings"]
    urls = {
        command["url"],
        settings["interactivity"]["request_url"],
        settings["interactivity"]["message_menu_options_url"],
        settings["event_subscriptions"]["request_url"],
    }
    assert len(urls) == 1
    assert urls.pop().endswith("/slack/events")
    assert command["command"] == "/farlab"
    assert command["usage_hint"]
    assert settings["event_subscriptions"]["bot_events"] == ["app_home_opened"]
    assert manifest["features"]["app_home"]["home_tab_enabled"] is True


def test_manifest_lists_the_shortcuts_the_bot_answers():
    from bot.ids import ShortcutId

    shortcuts = {s["callback_id"]: s["type"] for s in _manifest()["features"]["shortcuts"]}
    assert shortcuts == {ShortcutId.TAKE_PART: "global", ShortcutId.RAISE_ALERT: "message"}
    assert _manifest()["settings"]["interactivity"]["is_enabled"] is True
