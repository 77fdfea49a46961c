"""Import previews kept for a while: a person uploads a file, sees what importing it would
do, and then imports it (or cancels) with one click, within ``PREVIEW_MINUTES``.

``start_preview`` checks the whole file as ``imports.preview_import`` does and, when it can
be imported and changes something, keeps the file with a random token for the preview's
buttons. ``confirm_preview`` applies the kept file with ``imports.import_file`` and marks
the preview applied in the same transaction: all of it or nothing, once, by the person who
uploaded it, before it expires. ``cancel_preview`` marks it cancelled. Every refusal names
its reason and changes nothing. ``purge_expired_previews`` deletes expired previews (a
scheduled job runs it).
"""

from __future__ import annotations

import json
import secrets
from dataclasses import dataclass
from datetime import datetime, timedelta

from domain import imports
from domain.context import DomainContext
from domain.errors import Conflict, DomainError, Forbidden, NotFound
from domain.import_plans import ImportReport
from domain.permissions import Actor
from domain.vocabulary import PreviewState
from persistence import import_previews as kept
from persistence.db import Session
from persistence.models import ImportPreview

PREVIEW_MINUTES = 30


@dataclass(frozen=True)
class KeptPreview:
    """What the preview's buttons carry (``id``, ``token``) and when it expires."""

    id: int
    token: str
    expires_at: datetime


@dataclass(frozen=True)
class PreviewStarted:
    report: ImportReport
    kept: KeptPreview | None  # None: nothing to import (the file has errors, or matches)


@dataclass(frozen=True)
class PreviewCancelled:
    kind: str
    file_name: str


class _NotApplied(Exception):
    """Rolls the confirmation back (the preview stays pending) and carries the report."""

    def __init__(self, report: ImportReport) -> None:
        super().__init__(report.file_name)
        self.report = report


def start_preview(
    ctx: DomainContext,
    *,
    actor: Actor,
    kind: str,
    data: bytes,
    file_name: str,
    deactivate_missing: bool = False,
) -> PreviewStarted:
    """Check the file (managers and admins); keep it for ``PREVIEW_MINUTES`` when it can be
    imported and would change something. Nothing else is written."""
    imports.require_import(actor, kind)
    if actor.user_id is None:
        raise Forbidden("A preview to confirm later is kept for a person's account only.")
    with ctx.transaction() as session:
        report = imports.preview_import(
            ctx,
            actor=actor,
            kind=kind,
            data=data,
            file_name=file_name,
            deactivate_missing=deactivate_missing,
        )
        if report.errors or not report.changes_anything:
            return PreviewStarted(report, None)
        now = ctx.now()
        row = kept.add_preview(
            session,
            token=secrets.token_urlsafe(24),
            user_id=actor.user_id,
            kind=report.kind,
            file_name=file_name[:255],
            options=json.dumps({"deactivate_missing": deactivate_missing}),
            data=data,
            created_at=now,
            expires_at=now + timedelta(minutes=PREVIEW_MINUTES),
        )
        return PreviewStarted(report, KeptPreview(row.id, row.token, row.expires_at))


def check_preview(ctx: DomainContext, *, actor: Actor, preview_id: int, token: str) -> None:
    """Refuse now what Import or Cancel would refuse (a click is answered at once; the
    import itself checks again as it settles the preview)."""
    with ctx.transaction() as session:
        refusal = _refusal(kept.preview_by_id(session, preview_id), actor, token, ctx.now())
    if refusal is not None:
        raise refusal


def confirm_preview(
    ctx: DomainContext, *, actor: Actor, preview_id: int, token: str
) -> ImportReport:
    """Import the previewed file and mark its preview applied, in one transaction.

    When the file no longer imports cleanly (FarLab changed since the preview: say, an
    instrument it names was deleted) nothing is written, the preview stays pending, and the
    report (``applied`` False) says why.
    """
    try:
        with ctx.transaction() as session:
            row = _settle(ctx, session, actor, preview_id, token, PreviewState.APPLIED)
            report = imports.import_file(
                ctx,
                actor=actor,
                kind=row.kind,
                data=row.data,
                file_name=row.file_name,
                deactivate_missing=bool(json.loads(row.options).get("deactivate_missing")),
            )
            if not report.applied:
                raise _NotApplied(report)
            return report
    except _NotApplied as not_applied:
        return not_applied.report


def cancel_preview(
    ctx: DomainContext, *, actor: Actor, preview_id: int, token: str
) -> PreviewCancelled:
    """Cancel a pending preview: its file will not be imported."""
    with ctx.transaction() as session:
        row = _settle(ctx, session, actor, preview_id, token, PreviewState.CANCELLED)
        return PreviewCancelled(row.kind, row.file_name)


def purge_expired_previews(ctx: DomainContext) -> int:
    """Delete the previews past their expiry (and their files); how many."""
    with ctx.transaction() as session:
        return kept.purge_expired(session, now=ctx.now())


def _settle(
    ctx: DomainContext,
    session: Session,
    actor: Actor,
    preview_id: int,
    token: str,
    state: PreviewState,
) -> ImportPreview:
    """The preview, once moved from pending to ``state`` by its own person; else the
    refusal that says why not."""
    now = ctx.now()
    row = kept.preview_by_id(session, preview_id)
    refusal = _refusal(row, actor, token, now)
    if refusal is not None:
        raise refusal
    assert row is not None
    assert actor.user_id is not None
    if not kept.settle_pending(
        session, preview_id, token=token, user_id=actor.user_id, now=now, state=state
    ):  # settled meanwhile by a click at the same time
        session.refresh(row)
        raise _refusal(row, actor, token, now) or Conflict(_ALREADY_APPLIED.format(row.file_name))
    return row


_ALREADY_APPLIED = "{} was already imported; nothing was changed this time."


def _refusal(
    row: ImportPreview | None, actor: Actor, token: str, now: datetime
) -> DomainError | None:
    if row is None or not secrets.compare_digest(row.token, token):
        return NotFound(
            f"This import preview is gone (a preview lasts {PREVIEW_MINUTES} minutes); "
            "upload the file again."
        )
    imports.require_import(actor, row.kind)
    if row.user_id != actor.user_id:
        return Forbidden("Only the person who uploaded this file can import or cancel it.")
    if row.state == PreviewState.APPLIED:
        return Conflict(_ALREADY_APPLIED.format(row.file_name))
    if row.state == PreviewState.CANCELLED:
        return Conflict(
            f"The import of {row.file_name} was cancelled; upload the file again to import it."
        )
    if row.expires_at <= now:
        return Conflict(
            f"This preview of {row.file_name} expired after {PREVIEW_MINUTES} minutes and "
            "nothing was imported; upload the file again."
        )
    return None
