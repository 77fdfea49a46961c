"""What /slack/events checks before it parses anything: size, then Slack's signature.

The body is read in chunks and refused as soon as it passes ``MAX_BODY_BYTES`` (or at once
when its Content-Length says so), so an oversized body is never held whole. The v0
signature (HMAC-SHA256 of ``v0:{timestamp}:{body}`` with the signing secret) and the
timestamp's age are checked on the raw bytes; only a request that passes is decoded.
"""

from __future__ import annotations

import hashlib
import hmac
import re
import time
from collections.abc import AsyncIterator, Mapping
from dataclasses import dataclass

# Slack's own requests are a few kB (a modal submission with its blocks, tens of kB).
MAX_BODY_BYTES = 1024 * 1024
# Slack's rule: a request whose timestamp is more than five minutes off may be a replay.
MAX_AGE_SECONDS = 5 * 60
_TIMESTAMP = re.compile(r"[0-9]{1,12}")
_SIGNATURE = re.compile(r"v0=[0-9a-f]{64}")


class RequestRefused(Exception):
    """A request answered with ``status`` and ``{"error": code}``, before any parsing."""

    def __init__(self, status: int, code: str, detail: str | None = None) -> None:
        super().__init__(detail or code)
        self.status, self.code, self.detail = status, code, detail


@dataclass(frozen=True)
class VerifiedRequest:
    body: bytes
    timestamp: int
    signature: str


async def read_body(
    chunks: AsyncIterator[bytes], content_length: str | None, limit: int = MAX_BODY_BYTES
) -> bytes:
    """The whole body, or ``RequestRefused(413)`` as soon as it is known to pass ``limit``."""
    if content_length is not None:
        if not content_length.isascii() or not content_length.isdigit():
            raise RequestRefused(400, "bad_content_length")
        if int(content_length) > limit:
            raise RequestRefused(413, "body_too_large", f"The limit is {limit} bytes.")
    body = bytearray()
    async for chunk in chunks:
        body += chunk
        if len(body) > limit:
            raise RequestRefused(413, "body_too_large", f"The limit is {limit} bytes.")
    return bytes(body)


def verify_signature(
    body: bytes, headers: Mapping[str, str], signing_secret: str, *, now: float | None = None
) -> VerifiedRequest:
    """The request if Slack signed it within the last five minutes, else ``RequestRefused``."""
    timestamp = headers.get("x-slack-request-timestamp")
    signature = headers.get("x-slack-signature")
    if timestamp is None or signature is None:
        raise RequestRefused(401, "missing_signature")
    if not _TIMESTAMP.fullmatch(timestamp):
        raise RequestRefused(401, "invalid_timestamp")
    age = (time.time() if now is None else now) - int(timestamp)
    if abs(age) > MAX_AGE_SECONDS:
        raise RequestRefused(401, "stale_timestamp")
    expected = hmac.new(
        signing_secret.encode(), b"v0:" + timestamp.encode() + b":" + body, hashlib.sha256
    ).hexdigest()
    if not _SIGNATURE.fullmatch(signature) or not hmac.compare_digest(
        f"v0={expected}".encode(), signature.encode()
    ):
        raise RequestRefused(401, "invalid_signature")
    return VerifiedRequest(body=body, timestamp=int(timestamp), signature=signature)
