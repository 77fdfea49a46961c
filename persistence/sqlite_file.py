"""Is an SQLite database file still the one that was opened, and can it still be written?

A WAL database keeps its index in ``<file>-shm``, which SQLite maps into memory shared and
writable. If that file is then made unwritable (``chattr +i``, say), the kernel refuses the
next write to a mapped page with SIGBUS, and SIGBUS kills the process, in the middle of a
read as well as a write. If the files are deleted, the open connections go on writing to
the deleted files and everything is lost at the next start. SQLite notices neither, so
every transaction first looks at the files (a few ``stat``/``access`` calls) and refuses
to begin when they are gone, replaced or unwritable.

There is still a window between that check and SQLite's next touch of the mapping, but a
change made while the process is idle (the usual case) is refused instead of fatal.
"""

from __future__ import annotations

import os
import threading
from pathlib import Path

# SQLite makes these beside the database while it is open (and removes them when the last
# connection closes); when they are there, they must be writable too.
COMPANIONS = ("-wal", "-shm")


class DatabaseUnavailable(Exception):
    """The database cannot be used safely right now; ``reason`` says why, briefly."""

    def __init__(self, reason: str) -> None:
        super().__init__(reason)
        self.reason = reason


class SqliteFile:
    """The file behind an SQLite engine, as it was when the engine first opened it."""

    def __init__(self, path: str) -> None:
        self.path = Path(path)
        self._identity: tuple[int, int] | None = None
        self._lock = threading.Lock()
        self._remember()

    def _remember(self) -> None:
        try:
            found = self.path.stat()
        except FileNotFoundError:
            return  # SQLite creates it at the first connection
        with self._lock:
            if self._identity is None:
                self._identity = (found.st_dev, found.st_ino)

    def before_connect(self) -> None:
        """Refuse to open a new connection once the opened file has gone: SQLite would
        silently create a new, empty database in its place."""
        if self._identity is not None:
            self._check_identity()

    def after_connect(self) -> None:
        self._remember()

    def check(self) -> None:
        """Raise ``DatabaseUnavailable`` unless the path names the opened file and it (with
        its -wal and -shm files, when there) can be written."""
        self._check_identity()
        for name in ("", *COMPANIONS):
            path = f"{self.path}{name}"
            # access() refuses root too for immutable files and read-only mounts.
            if not os.access(path, os.W_OK) and (not name or os.path.exists(path)):
                raise DatabaseUnavailable("the database file cannot be written")

    def _check_identity(self) -> None:
        try:
            found = self.path.stat()
        except FileNotFoundError:
            raise DatabaseUnavailable("the database file is gone") from None
        if self._identity is not None and (found.st_dev, found.st_ino) != self._identity:
            raise DatabaseUnavailable("the database file was replaced")
