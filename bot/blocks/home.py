"""The App Home tab: the account, what needs attention, and quick actions."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from datetime import date
from typing import Any, TypeVar

from bot.blocks import labels as lb
from bot.blocks.account import deactivated_blocks, please_link_blocks
from bot.blocks.alerts import alert_blocks
from bot.blocks.elements import Block, actions, button, context, divider, header, section, within
from bot.blocks.ordering import on_order_line, reorder_button
from bot.blocks.usage import usage_line
from bot.ids import ActionId, BlockId
from domain.insight_results import UsageGlance
from domain.results import AlertSummary, AlertView, InstrumentView, Page, PartView, UserView

T = TypeVar("T")

HOME_ALERTS_MAX = 10
HOME_PARTS_MAX = 15
HOME_INSTRUMENTS_MAX = 10


def _quick_actions(can_manage: bool) -> Block:
    buttons = [
        button("Find part", ActionId.QUICK_FIND_PART, style="primary"),
        button("Use", ActionId.QUICK_USE),
        button("Restock", ActionId.QUICK_RESTOCK),
    ]
    if can_manage:
        buttons += [
            button("Add part", ActionId.PART_ADD),
            button("Add instrument", ActionId.INSTRUMENT_ADD),
        ]
    return actions(buttons, block_id=BlockId.HOME_ACTIONS)


def _more(hidden: int, more: bool, where: str) -> list[Block]:
    """``and 12 more: `/farlab alerts``` (or ``and more``) when not everything is shown."""
    if hidden > 0:
        return [context(f"and {hidden} more: {where}")]
    return [context(f"and more: {where}")] if more else []


def _count(shown: Sequence[object], more: bool, total: int | None) -> str:
    return str(total) if total is not None else f"{len(shown)}{'+' if more else ''}"


def _alerts(
    alerts: Sequence[AlertView], more: bool, total: int | None, command: str
) -> list[Block]:
    blocks = [header(f"Open alerts ({_count(alerts, more, total)})")]
    if not alerts:
        return [*blocks, section(":white_check_mark: No open alerts.")]
    items, shown = within((alert_blocks(a, can_manage=True) for a in alerts), HOME_ALERTS_MAX * 2)
    hidden = (total or len(alerts)) - shown
    return blocks + items + _more(hidden, more, f"`{command} alerts`")


def _low_part(part: PartView, takes: Sequence[int] | None) -> list[Block]:
    """The part, its stock, what is on order and its usage of the last weeks; Restock and
    Request reorder."""
    lines = [lb.part_ref(part), lb.stock_line(part)]
    coming = on_order_line(part)
    if coming:
        lines.append(coming)
    if takes is not None:
        lines.append(usage_line(UsageGlance(tuple(takes))))
    restock = button("Restock", ActionId.PART_RESTOCK, value={"id": part.id})
    return [section("\n".join(lines)), actions([restock, reorder_button(part.id)])]


def _low_parts(
    parts: Sequence[PartView],
    more: bool,
    summary: AlertSummary | None,
    command: str,
    usage: Mapping[int, Sequence[int]],
) -> list[Block]:
    total = summary.low_stock_parts if summary else None
    blocks = [header(f"Parts at or below minimum ({_count(parts, more, total)})")]
    if summary:
        blocks.append(
            context(
                f"{summary.out_of_stock_parts} out of stock · "
                f"{summary.critical_parts_low} critical parts low"
            )
        )
    if not parts:
        return [*blocks, section(":white_check_mark: Every part is above its minimum.")]
    items, shown = within((_low_part(p, usage.get(p.id)) for p in parts), 2 * HOME_PARTS_MAX)
    hidden = (total or len(parts)) - shown
    return blocks + items + _more(hidden, more, f"`{command} parts low`")


def _down(instrument: InstrumentView, today: date | None) -> list[Block]:
    view = button("View", ActionId.INSTRUMENT_VIEW, value={"id": instrument.id})
    line = f"{lb.instrument_ref(instrument)}\n{lb.status_label(instrument.status)}"
    if instrument.location:
        line += f" · :round_pushpin: {lb.text(instrument.location)}"
    if instrument.next_maintenance_due:
        line += f" · maintenance {lb.day(instrument.next_maintenance_due, today)}"
    return [section(line, accessory=view)]


def _instruments(
    instruments: Sequence[InstrumentView], today: date | None, command: str
) -> list[Block]:
    blocks = [header("Instruments not operational")]
    if not instruments:
        return [*blocks, section(":white_check_mark: Every instrument is operational.")]
    items, shown = within((_down(i, today) for i in instruments), HOME_INSTRUMENTS_MAX)
    return blocks + items + _more(len(instruments) - shown, False, f"`{command} instruments`")


def _items(
    found: Page[T] | Sequence[T] | None,
) -> tuple[Sequence[T], bool]:
    """The items, and whether there are more than these."""
    if found is None:
        return (), False
    if isinstance(found, Page):
        return found.items, found.has_more
    return found, False


def render_home(
    user: UserView | None,
    *,
    deactivated: bool = False,
    can_manage: bool = False,
    open_alerts: Page[AlertView] | Sequence[AlertView] | None = None,
    low_parts: Page[PartView] | Sequence[PartView] = (),
    instruments_down: Sequence[InstrumentView] = (),
    summary: AlertSummary | None = None,
    today: date | None = None,
    command: str = "/farlab",
    usage: Mapping[int, Sequence[int]] | None = None,
) -> dict[str, Any]:
    """The Home tab view for ``views.publish``.

    ``user`` is ``None`` for an unlinked user (who gets the link prompt) or, with
    ``deactivated``, for a deactivated account. Open alerts are shown when given (``None``:
    the person may not manage alerts); Add part/instrument when ``can_manage``. ``usage``
    gives the low parts' weekly takes (part id -> oldest first) for their sparklines.
    """
    blocks: list[Block] = [header("FarLab")]
    if user is None:
        rest = deactivated_blocks() if deactivated else please_link_blocks(command)
        return {"type": "home", "blocks": blocks + rest}
    slash = lb.text(command, 32)
    blocks.append(
        section(
            f":bust_in_silhouette: You are *{lb.text(user.username, 100)}* "
            f"({lb.text(user.full_name)}), *{lb.text(user.role, 20)}*. "
            f"Type `{slash} help` for every command."
        )
    )
    blocks += [_quick_actions(can_manage), divider()]
    if open_alerts is not None:
        alerts, more = _items(open_alerts)
        total = summary.active_alerts if summary else None
        blocks += [*_alerts(alerts, more, total, slash), divider()]
    parts, more = _items(low_parts)
    blocks += [*_low_parts(parts, more, summary, slash, usage or {}), divider()]
    blocks += _instruments(instruments_down, today, slash)
    return {"type": "home", "blocks": blocks}
