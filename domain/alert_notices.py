"""Loading what alert messages show, for a batch of alerts in a fixed number of queries."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import replace

from domain.notices import AffectedInstrument, AlertCause, AlertNotice
from domain.order_results import OnOrder
from domain.ordering import on_order_of
from domain.results import AlertView, PartView
from persistence import outbox
from persistence.db import Session


def load_notices(session: Session, ids: Sequence[int]) -> list[AlertNotice]:
    """The notices of ``ids`` in that order (missing alerts are left out): four queries.

    Each notice's part carries what is on order for it (``PartView.on_order``)."""
    rows = outbox.notice_rows(session, ids)
    needing: dict[int, list[AffectedInstrument]] = {}
    part_ids = sorted({row.part.id for row in rows if row.part is not None})
    for need in outbox.instruments_needing(session, part_ids):
        needing.setdefault(need.part_id, []).append(
            AffectedInstrument(need.instrument_id, need.name, need.status, need.is_critical)
        )
    coming = on_order_of(session, part_ids)
    moves = {
        found.movement.id: found
        for found in outbox.movements(session, [r.movement_id for r in rows if r.movement_id])
    }
    by_id: dict[int, AlertNotice] = {}
    for row in rows:
        alert = row.alert
        by_id[alert.id] = AlertNotice(
            alert=AlertView.of(alert, row.part, row.instrument),
            part=_part(row, coming),
            instruments=tuple(needing.get(row.part.id, ())) if row.part is not None else (),
            cause=_cause(row, moves.get(row.movement_id) if row.movement_id else None),
            topic=alert.topic,
            acknowledged_by=row.acknowledged_by,
            resolved_by=row.resolved_by,
            snoozed_by=row.snoozed_by,
        )
    return [by_id[i] for i in ids if i in by_id]


def _part(row: outbox.NoticeRow, coming: dict[int, OnOrder]) -> PartView | None:
    if row.part is None:
        return None
    view = PartView.of(row.part)
    return replace(view, on_order=coming[view.id]) if view.id in coming else view


def _cause(row: outbox.NoticeRow, move: outbox.MovementRow | None) -> AlertCause:
    """A low-stock alert opened by a stock move carries that move's time; anything else
    was opened by a person (manual alerts, status changes) or by a scheduled check."""
    alert = row.alert
    if alert.kind == "low_stock":
        if move is not None and move.movement.created_at == alert.created_at:
            m = move.movement
            return AlertCause(
                kind="movement",
                actor=move.username or m.source,
                delta=m.delta,
                quantity_after=m.quantity_after,
                reason=m.reason,
                instrument_name=move.instrument_name,
                at=m.created_at,
            )
        return AlertCause(kind="scan", at=alert.created_at)
    if row.created_by is not None:
        return AlertCause(kind="person", actor=row.created_by, at=alert.created_at)
    return AlertCause(kind="scan", at=alert.created_at)
