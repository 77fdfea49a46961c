"""Slack's v0 request signature, and the knobs that spoil it for security tests."""

from __future__ import annotations

import hashlib
import hmac
import time
from typing import TypedDict

from slack_sdk.signature import SignatureVerifier

WRONG_SECRET = "not-the-signing-secret"  # noqa: S105


class Signing(TypedDict, total=False):
    """Knobs for security tests, accepted by every sending method of ``SignedSlack``."""

    timestamp_offset: int  # seconds added to the request timestamp (-301: stale)
    bad_signature: bool  # sign with the wrong secret
    unsigned: bool  # send no signature headers at all


def slack_signature(signing_secret: str, timestamp: str, body: str | bytes) -> str:
    """``v0=`` + hex HMAC-SHA256 of ``v0:{timestamp}:{body}``, as Slack computes it (bytes
    that are not UTF-8, which Slack never sends, are signed as they are)."""
    if isinstance(body, bytes):
        message = b"v0:" + timestamp.encode() + b":" + body
        return "v0=" + hmac.new(signing_secret.encode(), message, hashlib.sha256).hexdigest()
    signature = SignatureVerifier(signing_secret).generate_signature(timestamp=timestamp, body=body)
    assert signature is not None
    return signature


def signed_headers(
    signing_secret: str, body: str | bytes, content_type: str, signing: Signing
) -> dict[str, str]:
    """The headers Slack sends with ``body``: content type, timestamp and signature."""
    headers = {"content-type": content_type}
    if signing.get("unsigned", False):
        return headers
    timestamp = str(int(time.time()) + signing.get("timestamp_offset", 0))
    secret = WRONG_SECRET if signing.get("bad_signature", False) else signing_secret
    headers["x-slack-request-timestamp"] = timestamp
    headers["x-slack-signature"] = slack_signature(secret, timestamp, body)
    return headers
