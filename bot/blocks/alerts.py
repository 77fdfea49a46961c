"""Alerts: the paged list with Acknowledge/Resolve buttons, and a single alert."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

from bot.blocks import labels as lb
from bot.blocks.elements import (
    Block,
    Message,
    actions,
    button,
    header,
    message,
    page_footer,
    section,
    within,
)
from bot.blocks.text import MESSAGE_MAX_BLOCKS
from bot.ids import ActionId
from domain.results import AlertView, Page
from domain.vocabulary import AlertStatus


def alert_buttons(alert: AlertView) -> list[dict[str, Any]]:
    """Acknowledge while open, Resolve until resolved."""
    value = {"id": alert.id}
    buttons = []
    if alert.status == AlertStatus.OPEN:
        buttons.append(button("Acknowledge", ActionId.ALERT_ACKNOWLEDGE, value=value))
    if not alert.is_resolved:
        buttons.append(button("Resolve", ActionId.ALERT_RESOLVE, value=value, style="primary"))
    return buttons


def alert_blocks(alert: AlertView, *, can_manage: bool) -> list[Block]:
    """A section for the alert, and its buttons for managers."""
    blocks = [section(lb.alert_text(alert))]
    buttons = alert_buttons(alert) if can_manage else []
    if buttons:
        blocks.append(actions(buttons))
    return blocks


def render_alerts_page(
    page: Page[AlertView],
    *,
    can_manage: bool = False,
    title: str = "Open alerts",
    filters: Mapping[str, Any] | None = None,
) -> Message:
    """The alerts, newest first, with Acknowledge/Resolve for managers, then Previous/Next.

    ``filters`` (e.g. ``{"s": "open"}``) ride along in the paging buttons' values.
    """
    blocks: list[Block] = [header(title)]
    items, shown = within(
        (alert_blocks(a, can_manage=can_manage) for a in page.items), MESSAGE_MAX_BLOCKS - 3
    )
    blocks += items
    blocks += page_footer(
        page,
        shown,
        next_id=ActionId.ALERTS_NEXT,
        previous_id=ActionId.ALERTS_PREVIOUS,
        state=dict(filters or {}),
        empty=section(":white_check_mark: No open alerts."),
    )
    return message(f"{shown} alerts" if shown else "No open alerts", blocks)


def render_filtered_alerts(
    page: Page[AlertView],
    *,
    kinds: Sequence[str] = (),
    severities: Sequence[str] = (),
    can_manage: bool = False,
) -> Message:
    """``/farlab alerts critical low-stock``: the open alerts of those severities and kinds,
    titled with them ("Open critical alerts: low stock"); paging keeps the filters."""
    title = "Open alerts"
    if severities:
        title = f"Open {' or '.join(severities)} alerts"
    if kinds:
        title += ": " + " or ".join(kind.replace("_", " ") for kind in kinds)
    filters = {"k": list(kinds) or None, "v": list(severities) or None}
    return render_alerts_page(page, can_manage=can_manage, title=title, filters=filters)


def render_alert(alert: AlertView, *, can_manage: bool = False) -> Message:
    """One alert: a raised alert's confirmation, a channel notice, or an updated alert."""
    fallback = f"{lb.severity(alert)} {lb.alert_subject(alert)}: {lb.text(alert.message, 500)}"
    return message(fallback, alert_blocks(alert, can_manage=can_manage))


def render_alert_raised(alert: AlertView) -> Message:
    """The reply to ``alert raise``: the alert as it now stands."""
    note = f":mega: Alert raised on {lb.alert_subject(alert)}."
    blocks = [section(note), *alert_blocks(alert, can_manage=False)]
    return message(note, blocks)
