"""Alert messages posted to channels: one alert, a digest, a reminder, the daily summary.

Pure builders: notices in, Block Kit out. The one-alert message carries the buttons; when
the alert's state changes the same builder renders the updated message (``chat.update``),
and buttons that no longer apply are left out.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from bot.blocks import labels as lb
from bot.blocks.elements import (
    Block,
    Message,
    actions,
    button,
    context,
    header,
    message,
    option,
    plain,
    section,
)
from bot.blocks.ordering import on_order_line, reorder_button, short_day
from bot.blocks.text import escape
from bot.blocks.values import pack
from bot.ids import ActionId, BlockId
from domain.notices import (
    AlertCause,
    AlertDigest,
    AlertNotice,
    AlertReminder,
    CoveredAlert,
    DailySummary,
)
from domain.vocabulary import AlertKind, AlertStatus

WORST_SHOWN = 5
OTHERS_SHOWN = 5
SNOOZES = (("1 hour", 3600), ("1 day", 86_400), ("1 week", 604_800))
_SEVERITY = {"critical": 0, "warning": 1, "info": 2}
_TOPICS = {
    "maintenance_due": "Maintenance due",
    "calibration_due": "Calibration due",
    "out_of_service": "Out of service",
}
DONE_TOPICS = ("maintenance_due", "calibration_due")
# The kinds about a part's stock: their messages offer Request reorder and say when an
# order on its way covers them.
STOCK_KINDS = (AlertKind.LOW_STOCK, AlertKind.FORECAST)
FORECAST_TITLE = "Forecast"


def title(notice: AlertNotice) -> str:
    """``Low stock``, ``Out of stock``, ``Maintenance due``, ... (plain text)."""
    alert = notice.alert
    if alert.kind == AlertKind.LOW_STOCK:
        out = notice.part is not None and notice.part.quantity_in_stock == 0
        return "Out of stock" if out else "Low stock"
    if alert.kind == AlertKind.FORECAST:
        return FORECAST_TITLE
    if notice.topic in _TOPICS:
        return _TOPICS[notice.topic]
    return "Maintenance" if alert.kind == AlertKind.MAINTENANCE else "Alert"


def subject(notice: AlertNotice) -> str:
    """Plain text: the part number, else the instrument's name."""
    return notice.alert.part_number or notice.alert.instrument_name or "FarLab"


def _part_section(notice: AlertNotice) -> str:
    part = notice.part
    assert part is not None
    stock = (
        f"Stock *{lb.amount(part.quantity_in_stock, part.unit_of_measure)}*"
        f" (minimum {part.minimum_stock_level})"
    )
    where = f" · :round_pushpin: {lb.text(part.location)}" if part.location else ""
    lines = [lb.part_ref(part), f"{stock}{where}"]
    coming = on_order_line(part)
    if coming:
        lines.append(coming)
    return "\n".join(lines)


def covered_text(notice: AlertNotice) -> str | None:
    """``:truck: Covered by order #4 (expected 12 Jan 2025)`` when what is on order brings
    the part back above its minimum."""
    part, on = notice.part, notice.on_order
    if part is None or on is None or not part.is_covered_by_order:
        return None
    expected = f" (expected {short_day(on.expected_on)})" if on.expected_on else ""
    return f":truck: Covered by order #{on.order_id}{expected}"


def _instruments_line(notice: AlertNotice) -> str | None:
    critical = [
        f":rotating_light: *{lb.text(i.name)}* affected"
        for i in notice.instruments
        if i.is_critical
    ]
    others = [lb.text(i.name) for i in notice.instruments if not i.is_critical]
    lines = critical
    if others:
        shown = ", ".join(others[:OTHERS_SHOWN])
        more = f" and {len(others) - OTHERS_SHOWN} more" if len(others) > OTHERS_SHOWN else ""
        lines.append(f"Also needed by {shown}{more}")
    return "\n".join(lines) or None


def cause_text(cause: AlertCause) -> str:
    when = f" · {lb.when(cause.at)}" if cause.at else ""
    if cause.kind == "movement" and cause.delta is not None:
        verb = f"took {-cause.delta}" if cause.delta < 0 else f"added {cause.delta}"
        text = f"Caused by *{lb.text(cause.actor, 100)}*: {verb}"
        if cause.instrument_name:
            text += f" for *{lb.text(cause.instrument_name)}*"
        if cause.reason:
            text += f" — _{lb.text(cause.reason, lb.NOTE_BUDGET)}_"
        return text + when
    if cause.kind == "person":
        return f"Raised by *{lb.text(cause.actor, 100)}*{when}"
    return f"Found by FarLab's scheduled check{when}"


def state_text(notice: AlertNotice) -> str:
    """What has happened to the alert since it was raised, and who did it."""
    alert = notice.alert

    def by(name: str | None) -> str:
        return f" by *{lb.text(name, 100)}*" if name else ""

    if alert.status == AlertStatus.RESOLVED:
        text = ":white_check_mark: *Resolved*" + by(notice.resolved_by)
        if alert.resolved_at:
            text += f" · {lb.when(alert.resolved_at)}"
        if alert.resolution_note:
            text += f" · _{lb.text(alert.resolution_note, lb.NOTE_BUDGET)}_"
        return text
    parts = []
    if alert.status == AlertStatus.ACKNOWLEDGED:
        parts.append(":eyes: *Acknowledged*" + by(notice.acknowledged_by))
    else:
        parts.append(":red_circle: *Open*")
    if alert.snoozed_until is not None:
        parts.append(f":zzz: Snoozed until {lb.when(alert.snoozed_until)}" + by(notice.snoozed_by))
    return " · ".join(parts)


def _buttons(notice: AlertNotice) -> list[dict[str, Any]]:
    alert = notice.alert
    if alert.is_resolved:
        return []
    value = {"id": alert.id}
    elements: list[dict[str, Any]] = []
    if alert.status == AlertStatus.OPEN:
        elements.append(button("Acknowledge", ActionId.ALERT_MESSAGE_ACKNOWLEDGE, value=value))
    if notice.part is not None:
        elements.append(button("Restock…", ActionId.PART_RESTOCK, value={"id": notice.part.id}))
        if alert.kind in STOCK_KINDS:
            elements.append(reorder_button(notice.part.id))
    if notice.topic in DONE_TOPICS:
        elements.append(button("Done", ActionId.ALERT_MESSAGE_DONE, value=value, style="primary"))
    elements.append(
        {
            "type": "static_select",
            "action_id": ActionId.ALERT_MESSAGE_SNOOZE,
            "placeholder": plain("Snooze…", 150),
            "options": [option(label, pack({"id": alert.id, "s": s})) for label, s in SNOOZES],
        }
    )
    elements.append(button("Resolve", ActionId.ALERT_MESSAGE_RESOLVE, value=value))
    return elements


def stock_ratio(notice: AlertNotice) -> str:
    """``2/5 pcs``: stock over minimum."""
    part = notice.part
    if part is None:
        return ""
    minimum = lb.amount(part.minimum_stock_level, part.unit_of_measure)
    return f"{part.quantity_in_stock}/{minimum}"


def fallback(notice: AlertNotice) -> str:
    text = f"{lb.severity(notice.alert)} {title(notice)}: {lb.alert_subject(notice.alert)}"
    return text + (f" ({stock_ratio(notice)})" if notice.part is not None else "")


def heading(notice: AlertNotice) -> str:
    """Plain text: ``⚠️ Warning · Low stock: FIL-1002``, or for a forecast
    ``:crystal_ball: Forecast: FIL-1002 runs out before a reorder would arrive``."""
    alert = notice.alert
    if alert.kind == AlertKind.FORECAST:
        return (
            f":crystal_ball: {FORECAST_TITLE}: {subject(notice)} runs out before a reorder "
            "would arrive"
        )
    severity = alert.severity.capitalize()
    return f"{_emoji(alert.severity)} {severity} · {title(notice)}: {subject(notice)}"


def render_alert_message(notice: AlertNotice) -> Message:
    """The channel message of one alert, as its state is now."""
    alert = notice.alert
    blocks: list[Block] = [header(heading(notice))]
    if notice.part is not None:
        blocks.append(section(_part_section(notice)))
    elif alert.instrument_name:
        blocks.append(section(f"*{lb.text(alert.instrument_name)}*"))
    if alert.kind != AlertKind.LOW_STOCK:
        blocks.append(section(lb.paragraph(alert.message, lb.MESSAGE_BUDGET)))
    affected = _instruments_line(notice)
    if affected:
        blocks.append(section(affected))
    blocks.append(context(cause_text(notice.cause)))
    waiting = alert.kind in STOCK_KINDS and alert.status != AlertStatus.RESOLVED
    covered = covered_text(notice) if waiting else None
    blocks.append(context(state_text(notice), *([covered] if covered else [])))
    elements = _buttons(notice)
    if elements:
        blocks.append(actions(elements, block_id=BlockId.ALERT_ACTIONS))
    return message(fallback(notice), blocks)


def render_deleted_alert_message(shown: Sequence[Block]) -> Message:
    """What an alert's channel message becomes once the alert was deleted: its heading as
    it was (``shown`` is the message's blocks), a note, and no buttons."""
    kept = [block for block in shown[:1] if block.get("type") == "header"]
    note = ":wastebasket: This alert was deleted; there is nothing more to do here."
    return message("This alert was deleted.", [*kept, context(note)])


def _emoji(severity: str) -> str:
    """Plain-text emoji for headers."""
    return {"critical": "🚨", "warning": "⚠️", "info": "💬"}.get(severity, "⚠️")


def worst_first(notices: Sequence[AlertNotice]) -> list[AlertNotice]:
    def rank(n: AlertNotice) -> tuple[int, float, int]:
        part = n.part
        ratio = part.quantity_in_stock / max(part.minimum_stock_level, 1) if part else 0.0
        return (_SEVERITY.get(n.alert.severity, 3), ratio, n.alert.id)

    return sorted(notices, key=rank)


def notice_line(notice: AlertNotice) -> str:
    """``• :rotating_light: *FIL-1002* Rhenium filament — 0/5 pcs · MAT253 affected``."""
    line = f"• {lb.severity(notice.alert)} {lb.alert_subject(notice.alert)}"
    kind = lb.alert_kind(notice.alert)
    if kind:
        line += f" · {kind}"
    if notice.part is not None:
        line += f" — {stock_ratio(notice)}"
    elif notice.alert.kind != AlertKind.LOW_STOCK:
        line += f" — {lb.text(notice.alert.message, 200)}"
    critical = notice.critical_instruments
    if critical:
        line += f" · *{lb.text(critical[0].name)}* affected"
    return line


def _list_all_button() -> dict[str, Any]:
    return button("List all alerts", ActionId.ALERT_DIGEST_LIST, value={"o": 0})


def render_alert_digest(digest: AlertDigest) -> Message:
    """Many alerts at once: counts, the worst of them, and a button to list them all."""
    counts = digest.counts
    summary = " · ".join(
        f"*{counts[s]}* {s}" for s in ("critical", "warning", "info") if counts.get(s)
    )
    worst = worst_first(digest.notices)[:WORST_SHOWN]
    blocks: list[Block] = [
        header(f"⚠️ {digest.total} new alerts"),
        section(f"{summary}\nThe worst of them:\n" + "\n".join(notice_line(n) for n in worst)),
        context(
            "Posted as one message to keep this channel readable; each alert's state is "
            "in `/farlab alerts`."
        ),
        actions([_list_all_button()]),
    ]
    return message(f"{digest.total} new alerts ({summary.replace('*', '')})", blocks)


def render_alert_reminder(reminder: AlertReminder) -> Message:
    """A thread reply: these alerts are still open and nobody has acknowledged them."""
    notices = worst_first(reminder.notices)
    if len(notices) == 1:
        text = f":bell: Still open and not acknowledged: {lb.alert_subject(notices[0].alert)}"
        lines = [text, f"Raised {lb.when(reminder.open_since)}."]
    else:
        text = f":bell: {len(notices)} of these alerts are still open and not acknowledged."
        lines = [text, *(notice_line(n) for n in notices[:WORST_SHOWN])]
    blocks: list[Block] = [section("\n".join(lines))]
    if len(notices) > 1:
        blocks.append(actions([_list_all_button()]))
    return message(text, blocks)


def covered_line(covered: CoveredAlert) -> str:
    """``FIL-1 Rhenium filament: order #3, 10 pcs coming, expected 12 Jan``."""
    expected = f", expected {covered.expected_on:%-d %b}" if covered.expected_on else ""
    return (
        f"• {escape(covered.part_number)} {escape(covered.part_name)}: order #{covered.order_id}, "
        f"{lb.amount(covered.coming, covered.unit)} coming{expected}"
    )


def render_daily_summary(summary: DailySummary) -> Message:
    fields = [
        f"*Open alerts*\n{summary.open_alerts}",
        f"*Acknowledged*\n{summary.acknowledged_alerts}",
        f"*Low-stock parts*\n{summary.low_stock_parts}",
        f"*Out of stock*\n{summary.out_of_stock_parts}",
        f"*Critical parts low*\n{summary.critical_parts_low}",
        f"*Waiting to be posted*\n{summary.pending_deliveries}",
    ]
    blocks: list[Block] = [header("📋 FarLab daily summary"), section(fields=fields)]
    if summary.worst:
        blocks.append(
            section("*Needs attention*\n" + "\n".join(notice_line(n) for n in summary.worst))
        )
    if summary.covered:
        lines = "\n".join(covered_line(c) for c in summary.covered)
        more = summary.covered_count - len(summary.covered)
        extra = f"\n…and {more} more" if more > 0 else ""
        blocks.append(
            section(f"*Covered by orders on their way ({summary.covered_count})*\n{lines}{extra}")
        )
    blocks.append(actions([_list_all_button()]))
    text = (
        f"FarLab daily summary: {summary.open_alerts} open alerts, "
        f"{summary.low_stock_parts} low-stock parts"
    )
    return message(text, blocks)
