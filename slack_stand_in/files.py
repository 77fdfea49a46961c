"""Files in the workspace: those people pick in a modal's file input, and those the app
uploads with ``files_upload_v2`` (files.getUploadURLExternal, a POST of the bytes to the
upload URL it gave, files.completeUploadExternal sharing them into a channel).

A file object has the fields Slack's files.info gives (``url_private_download`` points at
the stand-in, which serves the bytes to the app's token only). A file a person picked is
shared nowhere (``channels``, ``ims`` empty), as Slack sends it in a view submission.
"""

from __future__ import annotations

import copy
import itertools
import mimetypes
import secrets
import threading
import time
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import quote

from slack_stand_in.answers import SlackError
from slack_stand_in.identity import BOT_USER_ID, TEAM_ID, WORKSPACE_URL

FILES_PREFIX = "/files-pri/"
UPLOAD_PREFIX = "/upload/v1/"
# Slack's names of the file types FarLab meets; others are shown by their extension.
_PRETTY = {"csv": "CSV", "xlsx": "Excel Spreadsheet", "pdf": "PDF", "txt": "Plain Text"}
_MIMETYPES = {"xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"}


@dataclass
class StoredFile:
    id: str
    name: str
    title: str
    user: str
    created: int
    data: bytes = b""
    length: int = 0  # announced by files.getUploadURLExternal
    uploaded: bool = False  # the bytes arrived (a person's file: at once)
    complete: bool = False  # files.completeUploadExternal was called (a person's: at once)
    deleted: bool = False
    channels: list[str] = field(default_factory=list)

    @property
    def filetype(self) -> str:
        return self.name.rpartition(".")[2].lower() if "." in self.name else "binary"

    @property
    def mimetype(self) -> str:
        guessed = _MIMETYPES.get(self.filetype) or mimetypes.guess_type(self.name)[0]
        return guessed or "application/octet-stream"


class FileStore:
    """Every file by id, and the upload URLs handed out and not yet used."""

    def __init__(self, changed: threading.Condition) -> None:
        self._changed = changed
        self._ids = itertools.count(1)
        self._files: dict[str, StoredFile] = {}
        self._uploads: dict[str, str] = {}  # upload key -> file id
        self.url_root = ""  # the stand-in's http://127.0.0.1:PORT, set when it starts

    # -- a person's files ----------------------------------------------------------------
    def add(self, name: str, data: bytes, *, user: str, title: str | None = None) -> str:
        """A file a person uploaded (in a file input); its id."""
        with self._changed:
            stored = self._new(name, title, user)
            stored.data, stored.length = data, len(data)
            stored.uploaded = stored.complete = True
            self._changed.notify_all()
            return stored.id

    def delete(self, file_id: str) -> None:
        with self._changed:
            self._get(file_id).deleted = True
            self._changed.notify_all()

    # -- reading -------------------------------------------------------------------------
    def info(self, file_id: str) -> dict[str, Any]:
        """The file object files.info answers with (``file_not_found``, ``file_deleted``)."""
        with self._changed:
            stored = self._get(file_id)
            if stored.deleted:
                raise SlackError("file_deleted")
            if not stored.complete:
                raise SlackError("file_not_found")
            return self.object_of(stored)

    def data(self, file_id: str) -> bytes | None:
        """The bytes of a complete, undeleted file; None when there is no such file."""
        with self._changed:
            stored = self._files.get(file_id)
            if stored is None or stored.deleted or not stored.complete:
                return None
            return stored.data

    def object_of(self, stored: StoredFile) -> dict[str, Any]:
        path = f"{self.url_root}{FILES_PREFIX}{TEAM_ID}-{stored.id}"
        name = quote(stored.name)
        return {
            "id": stored.id,
            "created": stored.created,
            "timestamp": stored.created,
            "name": stored.name,
            "title": stored.title,
            "mimetype": stored.mimetype,
            "filetype": stored.filetype,
            "pretty_type": _PRETTY.get(stored.filetype, stored.filetype.upper()),
            "user": stored.user,
            "user_team": TEAM_ID,
            "size": len(stored.data),
            "mode": "hosted",
            "is_external": False,
            "is_public": False,
            "public_url_shared": False,
            "url_private": f"{path}/{name}",
            "url_private_download": f"{path}/download/{name}",
            "permalink": f"{WORKSPACE_URL}files/{stored.user}/{stored.id}/{name}",
            "channels": [c for c in stored.channels if c[:1] == "C"],
            "groups": [c for c in stored.channels if c[:1] == "G"],
            "ims": [c for c in stored.channels if c[:1] == "D"],
            "file_access": "visible",
        }

    # -- the app's uploads (files_upload_v2) ---------------------------------------------
    def begin_upload(self, filename: str, length: int) -> tuple[str, str]:
        """files.getUploadURLExternal: a new file of the app's, and the key of its upload URL."""
        with self._changed:
            stored = self._new(filename, None, BOT_USER_ID)
            stored.length = length
            key = secrets.token_urlsafe(12)
            self._uploads[key] = stored.id
            return stored.id, key

    def receive(self, key: str, data: bytes) -> bool:
        """The POST of a file's bytes to its upload URL; False for an unknown URL."""
        with self._changed:
            file_id = self._uploads.pop(key, None)
            if file_id is None:
                return False
            stored = self._files[file_id]
            stored.data, stored.uploaded = data, True
            self._changed.notify_all()
            return True

    def complete(self, file_id: str, title: str | None, channels: list[str]) -> StoredFile:
        """files.completeUploadExternal for one file: done, titled, shared in ``channels``."""
        with self._changed:
            stored = self._files.get(file_id)
            if stored is None or stored.user != BOT_USER_ID or stored.complete:
                raise SlackError("file_not_found")
            if not stored.uploaded:
                raise SlackError("file_upload_not_found")  # its bytes never arrived
            stored.complete = True
            stored.title = title or stored.title
            stored.channels.extend(c for c in channels if c not in stored.channels)
            self._changed.notify_all()
            return copy.deepcopy(stored)

    # -- internals -----------------------------------------------------------------------
    def _new(self, name: str, title: str | None, user: str) -> StoredFile:
        file_id = f"F{next(self._ids):010d}"
        stored = StoredFile(file_id, name, title or name, user, int(time.time()))
        self._files[file_id] = stored
        return stored

    def _get(self, file_id: str) -> StoredFile:
        stored = self._files.get(file_id)
        if stored is None:
            raise SlackError("file_not_found")
        return stored
