"""The link pages: ``GET``/``POST`` ``/link``, ``/invite``, ``/confirm-link``, ``/password``.

A Slack DM's button opens ``/<purpose>?token=...``; the page checks the link and shows its
form; the form posts the token back in its body (never in a URL), with a CSRF value. After
a link is completed, ``notify`` (given by the composition root) tells the person in Slack.
Every answer is ``no-store`` and ``no-referrer``, loads nothing from anywhere, and no
token is logged.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from typing import Any

from fastapi import FastAPI, Request
from fastapi.responses import HTMLResponse
from starlette.concurrency import run_in_threadpool

from api.client_address import client_address
from api.pages import csrf
from api.pages.html import CONTENT_SECURITY_POLICY, FORMS, done_page, failure_page, form_page
from domain import linking
from domain.context import DomainContext
from domain.errors import (
    AccountInactive,
    AccountLocked,
    Conflict,
    DomainError,
    InvalidCredentials,
    InvalidInput,
    NotFound,
    TokenExpired,
    TokenReused,
    TokenWrongUser,
    Unavailable,
)
from domain.linking import LinkOutcome

log = logging.getLogger("farlab.pages")

Notify = Callable[[LinkOutcome], None]
HEADERS = {
    "Cache-Control": "no-store",
    "Pragma": "no-cache",
    "Referrer-Policy": "no-referrer",
    "X-Content-Type-Options": "nosniff",
    "X-Frame-Options": "DENY",
    "Content-Security-Policy": CONTENT_SECURITY_POLICY,
}
# Where a person gets a fresh link of each kind.
AGAIN = {
    "link": "Run /farlab link in Slack for a new link.",
    "invite": "Ask a FarLab admin to send you a new invitation.",
    "confirm-link": "Ask a FarLab admin to send you a new link.",
    "password": "Run /farlab password in Slack for a new link.",
}


def _html(body: str, status: int = 200) -> HTMLResponse:
    return HTMLResponse(body, status_code=status, headers=HEADERS)


def _failure(purpose: str, exc: DomainError) -> HTMLResponse:
    """A page for a link that cannot be used (as it is, or at all)."""
    again = AGAIN[purpose]
    status, title, lines = 400, "This link is not valid", [exc.message, again]
    if isinstance(exc, TokenExpired):
        status, title = 410, "This link has expired"
    elif isinstance(exc, TokenReused):
        status, title = 410, "This link has already been used"
    elif isinstance(exc, TokenWrongUser):
        status, title = 403, "This link is not yours"
        lines = [exc.message, "It was made for another Slack user or account.", again]
    elif isinstance(exc, AccountInactive):
        status, title = 403, "This account is deactivated"
        lines = ["This FarLab account is deactivated.", "Ask a FarLab admin if this is a mistake."]
    elif isinstance(exc, Conflict):
        status, title = 409, "Already linked"
        lines = [exc.message, "Run /farlab unlink in Slack first, then ask for a new link."]
    elif isinstance(exc, NotFound):
        status, title = 404, "Not found"
    elif isinstance(exc, Unavailable):
        status, title, lines = 503, "FarLab cannot save changes right now", [exc.message]
    log.info("link page %s refused: %s", purpose, type(exc).__name__)
    return _html(failure_page(title, lines), status)


def _done(outcome: LinkOutcome) -> HTMLResponse:
    user = outcome.user
    if outcome.purpose == "password":
        lines = [f"The password of your FarLab account {user.username} is changed."]
        return _html(done_page("Password changed", [*lines, "You can close this page."]))
    lines = [
        f"You are now linked as {user.username} ({user.role}).",
        "You can close this page and go back to Slack.",
    ]
    return _html(done_page("You are linked", lines))


class _Pages:
    def __init__(self, ctx: DomainContext, notify: Notify | None) -> None:
        self.ctx, self.notify = ctx, notify

    def form(
        self,
        request: Request,
        purpose: str,
        token: str,
        *,
        username: str | None,
        typed: str = "",
        error: str | None = None,
        status: int = 200,
    ) -> HTMLResponse:
        nonce = csrf.browser_nonce(request)
        value = csrf.form_value(self.ctx.secret_key, nonce=nonce, purpose=purpose, token=token)
        html = form_page(
            purpose, token=token, csrf=value, username=username, typed_username=typed, error=error
        )
        response = _html(html, status)
        csrf.set_nonce_cookie(response, request, nonce)
        return response

    def show(self, request: Request, purpose: str) -> HTMLResponse:
        token = request.query_params.get("token", "")
        try:
            page = linking.describe_link(self.ctx, purpose=purpose, token=token)
        except DomainError as exc:
            return _failure(purpose, exc)
        return self.form(request, purpose, token, username=page.username)

    def submit(self, request: Request, purpose: str, fields: dict[str, str]) -> HTMLResponse:
        token, text = fields.get("token", ""), FORMS[purpose]
        given = fields.get("csrf", "")
        if not csrf.form_is_genuine(
            self.ctx.secret_key, request, purpose=purpose, token=token, given=given
        ):
            log.info("link page %s refused: form not from this browser's page", purpose)
            lines = [
                "This form was not sent from the FarLab page in this browser, or it is too old.",
                "Open the link from Slack again.",
            ]
            return _html(failure_page("This form cannot be accepted", lines), 403)
        username, password = fields.get("username", ""), fields.get("password", "")

        def again(error: str, status: int) -> HTMLResponse:
            typed = username if text.asks_username else ""
            shown = None if text.asks_username else self._account_name(purpose, token)
            return self.form(
                request, purpose, token, username=shown, typed=typed, error=error, status=status
            )

        if text.new_password and password != fields.get("password2", ""):
            return again("The two passwords are not the same.", 422)
        try:
            outcome = linking.complete_link(
                self.ctx,
                purpose=purpose,
                token=token,
                password=password,
                username=username if text.asks_username else None,
                client_address=client_address(request),
            )
        except InvalidCredentials as exc:
            return again(exc.message, 400)
        except AccountLocked as exc:
            return again(exc.message, 429)
        except InvalidInput as exc:
            return again(" ".join(exc.errors.values()) or exc.message, 422)
        except DomainError as exc:
            return _failure(purpose, exc)
        self._tell(outcome)
        return _done(outcome)

    def _account_name(self, purpose: str, token: str) -> str | None:
        """The username a link is bound to (the form shows it again after a refusal)."""
        try:
            return linking.describe_link(self.ctx, purpose=purpose, token=token).username
        except DomainError:
            return None

    def _tell(self, outcome: LinkOutcome) -> None:
        if self.notify is None:
            return
        try:
            self.notify(outcome)
        except Exception:  # the link is made; the page still says so
            log.exception("could not tell Slack that a %s link was completed", outcome.purpose)


def _routes(pages: _Pages, purpose: str) -> tuple[Callable[..., Any], Callable[..., Any]]:
    def show(request: Request) -> HTMLResponse:
        return pages.show(request, purpose)

    async def submit(request: Request) -> HTMLResponse:
        form = await request.form()
        fields = {k: v for k, v in form.items() if isinstance(v, str)}
        return await run_in_threadpool(pages.submit, request, purpose, fields)

    return show, submit


def add_link_pages(web: FastAPI, ctx: DomainContext, notify: Notify | None = None) -> None:
    """Serve the four link pages on ``web``; ``notify`` is called after each completed link."""
    pages = _Pages(ctx, notify)
    for purpose in FORMS:
        show, submit = _routes(pages, purpose)
        web.add_api_route(f"/{purpose}", show, methods=["GET"], include_in_schema=False)
        web.add_api_route(f"/{purpose}", submit, methods=["POST"], include_in_schema=False)
