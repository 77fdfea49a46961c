"""Importing a file from Slack: the upload form's submission, and Import and Cancel on the
preview sent by DM.

Each answers at once after the domain's check (managers and admins; a preview is its own
person's, pending and unexpired); the slow part (reading the file from Slack, checking every
row, importing) runs after the answer (``bot.import_export``) and is told by DM.
"""

from __future__ import annotations

from typing import Any

from slack_bolt import Ack, BoltContext, Respond
from slack_sdk import WebClient

from bot import blocks
from bot.forms import read_state
from bot.ids import ActionId, BlockId, CallbackId
from bot.import_export import PreviewClick, Upload, apply_preview, cancel_preview, preview_upload
from bot.listeners.registry import Listeners
from bot.middleware import actor_of
from bot.runtime import BotRuntime
from domain import import_previews, imports
from domain.errors import InvalidInput
from domain.permissions import Actor

Payload = dict[str, Any]
listeners = Listeners()


@listeners.view(CallbackId.IMPORT_FILE)
def handle_import_file_submission(
    runtime: BotRuntime,
    ack: Ack,
    body: Payload,
    view: dict[str, Any],
    client: WebClient,
    context: BoltContext,
) -> None:
    actor, values = actor_of(context), read_state(view)
    kind = imports.require_import(actor, values.get(BlockId.IMPORT_KIND) or "parts")
    upload = Upload(
        user_id=body["user"]["id"],
        actor=actor,
        file_id=_picked_file(view),
        kind=kind.value,
        deactivate_missing=bool(values.get(BlockId.DEACTIVATE_MISSING)),
    )
    ack()  # closes the form; the preview follows by DM
    runtime.defer(preview_upload, runtime, client, upload)


def _picked_file(view: dict[str, Any]) -> str:
    """The id of the one file in the form's file input (Slack sends the file objects)."""
    state = (view.get("state") or {}).get("values", {})
    files = state.get(BlockId.IMPORT_UPLOAD, {}).get(ActionId.FIELD, {}).get("files") or []
    ids = [f.get("id") for f in files if isinstance(f, dict)]
    if len(ids) != 1 or not isinstance(ids[0], str) or not ids[0]:
        raise InvalidInput.field(BlockId.IMPORT_UPLOAD, "Choose one CSV or XLSX file.")
    return ids[0]


def _click(body: Payload) -> PreviewClick:
    value = blocks.unpack((body.get("actions") or [{}])[0].get("value"))
    preview_id, token = blocks.packed_id(value.get("id")), value.get("t")
    container = body.get("container") or {}
    channel = container.get("channel_id") or (body.get("channel") or {}).get("id")
    ts = container.get("message_ts") or (body.get("message") or {}).get("ts")
    if preview_id is None or not isinstance(token, str) or not channel or not ts:
        raise InvalidInput("This button is out of date; upload the file again.")
    return PreviewClick(preview_id, token, str(channel), str(ts))


def _checked_click(
    runtime: BotRuntime, body: Payload, context: BoltContext
) -> tuple[Actor, PreviewClick]:
    """(actor, click) once the domain agrees the actor may act on the preview now."""
    actor, click = actor_of(context), _click(body)
    import_previews.check_preview(
        runtime.ctx, actor=actor, preview_id=click.preview_id, token=click.token
    )
    return actor, click


@listeners.action(ActionId.IMPORT_CONFIRM)
def handle_import_confirm_action(
    runtime: BotRuntime,
    ack: Ack,
    body: Payload,
    client: WebClient,
    respond: Respond,
    context: BoltContext,
) -> None:
    ack()
    actor, click = _checked_click(runtime, body, context)
    runtime.defer(apply_preview, runtime, client, actor, click, respond)


@listeners.action(ActionId.IMPORT_CANCEL)
def handle_import_cancel_action(
    runtime: BotRuntime,
    ack: Ack,
    body: Payload,
    client: WebClient,
    respond: Respond,
    context: BoltContext,
) -> None:
    ack()
    actor, click = _checked_click(runtime, body, context)
    runtime.defer(cancel_preview, runtime, client, actor, click, respond)
