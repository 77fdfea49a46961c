"""The Web API methods about files: files.info, and the two calls around an upload that
``files_upload_v2`` makes (the bytes go between them to the upload URL, see ``server``)."""

from __future__ import annotations

import json
from collections.abc import Callable
from typing import Any

from slack_stand_in.answers import SlackError
from slack_stand_in.files import UPLOAD_PREFIX
from slack_stand_in.identity import conversation_id
from slack_stand_in.workspace import Workspace

Body = dict[str, Any]


def files_info(workspace: Workspace, body: Body) -> Body:
    file_id = body.get("file")
    if not isinstance(file_id, str) or not file_id:
        raise SlackError("file_not_found")
    return {"file": workspace.files.info(file_id)}


def files_get_upload_url_external(workspace: Workspace, body: Body) -> Body:
    filename = body.get("filename")
    if not isinstance(filename, str) or not filename.strip():
        raise SlackError("invalid_arguments")
    try:
        length = int(body.get("length") or 0)
    except (TypeError, ValueError):
        raise SlackError("invalid_arguments") from None
    if length < 1:
        raise SlackError("invalid_arguments")
    file_id, key = workspace.files.begin_upload(filename, length)
    upload_url = f"{workspace.files.url_root}{UPLOAD_PREFIX}{key}"
    return {"upload_url": upload_url, "file_id": file_id}


def files_complete_upload_external(workspace: Workspace, body: Body) -> Body:
    """Finish the uploads named in ``files`` (JSON ``[{"id", "title"}]``) and share them,
    as one message with ``initial_comment``, into ``channel_id`` (or each of ``channels``);
    with neither they stay private."""
    wanted = _files_arg(body.get("files"))
    channels = [str(body["channel_id"])] if body.get("channel_id") else []
    channels += [c for c in str(body.get("channels") or "").split(",") if c]
    shared_in = [conversation_id(c) for c in channels]
    done = [workspace.files.complete(str(f["id"]), f.get("title"), shared_in) for f in wanted]
    objects = [workspace.files.object_of(f) for f in done]
    comment = str(body.get("initial_comment") or "")
    for channel in shared_in:
        workspace.messages.share_files(channel, objects, comment)
    return {"files": [{"id": o["id"], "title": o["title"]} for o in objects]}


def _files_arg(value: Any) -> list[dict[str, Any]]:
    if isinstance(value, str):
        try:
            value = json.loads(value)
        except json.JSONDecodeError:
            raise SlackError("invalid_arguments") from None
    if not isinstance(value, list) or not value:
        raise SlackError("invalid_arguments")
    if not all(isinstance(f, dict) and f.get("id") for f in value):
        raise SlackError("invalid_arguments")
    return value


FILE_METHODS: dict[str, Callable[[Workspace, Body], Body]] = {
    "files.info": files_info,
    "files.getUploadURLExternal": files_get_upload_url_external,
    "files.completeUploadExternal": files_complete_upload_external,
}
