"""CSRF protection for the link pages: a browser cookie bound to each form.

Opening a page sets a random, HttpOnly, SameSite=Strict cookie (or keeps the one there);
the form carries an HMAC of that cookie, the page and its link token under a key derived
from SECRET_KEY. A post is accepted only with the cookie and the matching value, which a
page elsewhere can neither read nor send.
"""

from __future__ import annotations

import hashlib
import hmac
import secrets

from fastapi import Request, Response

COOKIE = "farlab_form"
COOKIE_MAX_AGE = 3600


def _key(secret_key: str) -> bytes:
    return hmac.new(secret_key.encode(), b"farlab link page forms", hashlib.sha256).digest()


def form_value(secret_key: str, *, nonce: str, purpose: str, token: str) -> str:
    message = f"{purpose}\n{nonce}\n{token}".encode()
    return hmac.new(_key(secret_key), message, hashlib.sha256).hexdigest()


def browser_nonce(request: Request) -> str:
    """The browser's form cookie, or a new value for ``set_nonce_cookie`` to set."""
    current = request.cookies.get(COOKIE, "")
    return current if 20 <= len(current) <= 100 else secrets.token_urlsafe(32)


def set_nonce_cookie(response: Response, request: Request, nonce: str) -> None:
    response.set_cookie(
        COOKIE,
        nonce,
        max_age=COOKIE_MAX_AGE,
        path="/",
        httponly=True,
        samesite="strict",
        secure=request.url.scheme == "https",
    )


def form_is_genuine(
    secret_key: str, request: Request, *, purpose: str, token: str, given: str
) -> bool:
    nonce = request.cookies.get(COOKIE, "")
    if not nonce or not given or not given.isascii():  # a hex digest is ASCII
        return False
    expected = form_value(secret_key, nonce=nonce, purpose=purpose, token=token)
    return hmac.compare_digest(expected, given)
