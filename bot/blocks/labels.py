"""Short mrkdwn labels for domain values. Every user-supplied string is escaped here."""

from __future__ import annotations

import re
from datetime import UTC, date, datetime

from bot.blocks.text import escape, fit
from domain.results import AlertView, InstrumentView, MovementView, PartView
from domain.vocabulary import unit_for

# How much of one user-supplied value a line shows; whole blocks are fitted again later.
NUMBER_BUDGET = 100
NAME_BUDGET = 200
NOTE_BUDGET = 500
MESSAGE_BUDGET = 1000
_LINE_BREAKS = re.compile(r"[ \t]*[\n\r\x0b\x0c\x1c-\x1e\x85\u2028\u2029]+[ \t]*")

_STATUS = {
    "operational": ":large_green_circle: operational",
    "maintenance": ":wrench: maintenance",
    "out_of_service": ":red_circle: out of service",
}
_SEVERITY = {"info": ":information_source:", "warning": ":warning:", "critical": ":rotating_light:"}
# Kinds a list of alerts names: a forecast reads like a low-stock alert otherwise.
_ALERT_KIND = {"forecast": ":crystal_ball: forecast"}
_ALERT_STATUS = {"open": "open", "acknowledged": ":eyes: acknowledged", "resolved": "resolved"}


def text(value: str | None, budget: int = NAME_BUDGET) -> str:
    """A user-supplied value on one line, fitted and escaped for mrkdwn: line breaks become
    spaces, so no value (a note or reason, or a name stored before names had to be one
    line) can start a line of its own, such as a fake ":white_check_mark: *Resolved*"."""
    return paragraph(_LINE_BREAKS.sub(" ", value), budget) if value else ""


def paragraph(value: str | None, budget: int) -> str:
    """A user-supplied text that keeps its lines (a description, an alert's message) and
    is shown as a block of its own, fitted and escaped for mrkdwn."""
    return escape(fit(value or "", budget)) if value else ""


def part_title(part: PartView) -> str:
    """Plain text: ``FIL-1002 Rhenium filament``."""
    return f"{part.part_number} {part.name}"


def part_ref(part: PartView) -> str:
    """Mrkdwn: ``*FIL-1002* Rhenium filament``."""
    return f"*{text(part.part_number, NUMBER_BUDGET)}* {text(part.name)}"


def amount(quantity: int, unit: str) -> str:
    """``1 pc``, ``3 pcs``, ``1 box``, ``250 mL``: the unit as it reads after the number."""
    return f"{quantity} {text(unit_for(quantity, unit), 20)}"


def stock_badge(part: PartView) -> str:
    """``:x: out of stock``, ``:warning: low`` or nothing."""
    if part.quantity_in_stock == 0:
        return ":x: out of stock"
    if part.is_low_stock:
        return ":warning: low"
    return ""


def stock_line(part: PartView) -> str:
    """``3 pcs in stock (minimum 5) :warning: low``."""
    line = f"{amount(part.quantity_in_stock, part.unit_of_measure)} in stock"
    if part.minimum_stock_level:
        line += f" (minimum {part.minimum_stock_level})"
    badge = stock_badge(part)
    return f"{line} {badge}" if badge else line


def status_label(status: str) -> str:
    return _STATUS.get(status, text(status, 50))


def instrument_ref(instrument: InstrumentView) -> str:
    """``*Centrifuge 5810R* · 5810 R``: the name, then the model, told apart."""
    model = f" · {text(instrument.model, NAME_BUDGET)}" if instrument.model else ""
    return f"*{text(instrument.name, NAME_BUDGET)}*{model}"


def status_word(status: str) -> str:
    """``out of service``: a status as a plain word, without its emoji."""
    return text(status.replace("_", " "), 50)


def when(moment: datetime) -> str:
    """A Slack date token: shown in the reader's own time zone, with a UTC fallback."""
    aware = moment if moment.tzinfo else moment.replace(tzinfo=UTC)
    fallback = aware.astimezone(UTC).strftime("%Y-%m-%d %H:%M UTC")
    return f"<!date^{int(aware.timestamp())}^{{date_short_pretty}} {{time}}|{fallback}>"


def day(value: date | None, today: date | None = None) -> str:
    """``3 Jun 2024``, marked when it is today or past; ``-`` when unset."""
    if value is None:
        return "-"
    shown = f"{value.day} {value:%b %Y}"
    if today is not None and value < today:
        return f"{shown} :warning: overdue"
    if today is not None and value == today:
        return f"{shown} :warning: due today"
    return shown


def signed(delta: int) -> str:
    return f"+{delta}" if delta > 0 else f"-{-delta}" if delta < 0 else "±0"


def movement_line(move: MovementView, unit: str) -> str:
    """``• <date> *-2* → 3 pcs · alice · for MAT253 · filament change``."""
    parts = [
        f"• {when(move.created_at)} *{signed(move.delta)}* → {amount(move.quantity_after, unit)}"
    ]
    parts.append(text(move.actor_username, 100) if move.actor_username else move.source)
    if move.instrument_name:
        parts.append(f"for {text(move.instrument_name)}")
    if move.reason:
        parts.append(f"_{text(move.reason, NOTE_BUDGET)}_")
    return " · ".join(parts)


def severity(alert: AlertView) -> str:
    return _SEVERITY.get(alert.severity, ":warning:")


def alert_subject(alert: AlertView) -> str:
    """What the alert is about: part and/or instrument."""
    subjects = []
    if alert.part_number or alert.part_name:
        subjects.append(
            f"*{text(alert.part_number, NUMBER_BUDGET)}* {text(alert.part_name)}".strip()
        )
    if alert.instrument_name:
        subjects.append(f"*{text(alert.instrument_name)}*")
    return " on ".join(subjects) or "FarLab"


def alert_kind(alert: AlertView) -> str:
    """``:crystal_ball: forecast`` for the kinds a list names, else nothing."""
    return _ALERT_KIND.get(alert.kind, "")


def alert_text(alert: AlertView) -> str:
    """Severity, subject, kind, message, stock and status of an alert, for a section."""
    kind = alert_kind(alert)
    first = f"{severity(alert)} {alert_subject(alert)}" + (f" · {kind}" if kind else "")
    lines = [first, paragraph(alert.message, MESSAGE_BUDGET)]
    facts = [_ALERT_STATUS.get(alert.status, text(alert.status, 50)), when(alert.created_at)]
    if alert.current_stock is not None:
        stock = f"stock {alert.current_stock}"
        if alert.threshold_stock is not None:
            stock += f" (minimum {alert.threshold_stock})"
        facts.append(stock)
    if alert.resolution_note:
        facts.append(f"_{text(alert.resolution_note, NOTE_BUDGET)}_")
    lines.append(" · ".join(facts))
    return "\n".join(line for line in lines if line)
