"""Import previews waiting for their person's Import or Cancel: kept, found, settled once,
and deleted once expired."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import delete, update
from sqlalchemy.engine import CursorResult
from sqlalchemy.orm import Session

from domain.vocabulary import PreviewState
from persistence.models import ImportPreview


def add_preview(
    session: Session,
    *,
    token: str,
    user_id: int,
    kind: str,
    file_name: str,
    options: str,
    data: bytes,
    created_at: datetime,
    expires_at: datetime,
) -> ImportPreview:
    preview = ImportPreview(
        token=token,
        user_id=user_id,
        kind=kind,
        file_name=file_name,
        options=options,
        data=data,
        created_at=created_at,
        expires_at=expires_at,
        state=PreviewState.PENDING.value,
    )
    session.add(preview)
    session.flush()
    return preview


def preview_by_id(session: Session, preview_id: int) -> ImportPreview | None:
    return session.get(ImportPreview, preview_id)


def settle_pending(
    session: Session,
    preview_id: int,
    *,
    token: str,
    user_id: int,
    now: datetime,
    state: PreviewState,
) -> bool:
    """Move a pending, unexpired preview of ``user_id`` carrying ``token`` to ``state``, in
    one conditional UPDATE (so of two clicks at once, one wins and the other finds it
    settled); False when the preview is not in that condition."""
    result: CursorResult[Any] = session.execute(  # type: ignore[assignment]
        update(ImportPreview)
        .where(
            ImportPreview.id == preview_id,
            ImportPreview.token == token,
            ImportPreview.user_id == user_id,
            ImportPreview.state == PreviewState.PENDING.value,
            ImportPreview.expires_at > now,
        )
        .values(state=state.value)
        .execution_options(synchronize_session=False)
    )
    return result.rowcount == 1


def purge_expired(session: Session, *, now: datetime) -> int:
    """Delete the previews past their expiry (an index range on ``expires_at``)."""
    result: CursorResult[Any] = session.execute(  # type: ignore[assignment]
        delete(ImportPreview)
        .where(ImportPreview.expires_at <= now)
        .execution_options(synchronize_session=False)
    )
    return result.rowcount
