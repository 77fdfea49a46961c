"""``/farlab minimums``: parts whose minimum is far from the suggestion, with a button to
accept each suggestion and one to accept every one shown; and what was accepted."""

from __future__ import annotations

from collections.abc import Sequence

from bot.blocks import labels as lb
from bot.blocks.elements import Block, Message, actions, button, context, header, message, section
from bot.blocks.usage import rate
from bot.ids import ActionId, BlockId
from domain.insight_results import MinimumChangeView, MinimumSuggestion

SHOWN = 20  # keeps "Accept all shown"'s value (the pairs) far under Slack's 2000 characters
TITLE = "Minimums far from the suggestion"
NONE_FAR = ":white_check_mark: Every minimum is close to its suggestion."
HOW = (
    "Suggested: the usage expected during the lead time plus safety stock for 95% of weeks. "
    "Accepting sets the part's minimum; every change is recorded."
)


def suggestion_line(found: MinimumSuggestion) -> str:
    """``*PN* name: minimum 4 → suggested 11 (3.2/week, lead time 21 d)``."""
    part, forecast = found.part, found.forecast
    why = [rate(forecast.weekly_rate)] if forecast.weekly_rate is not None else []
    why.append(f"lead time {forecast.lead_time_days} d")
    return (
        f"{lb.part_ref(part)}: minimum {part.minimum_stock_level} → suggested "
        f"{found.suggested} ({', '.join(why)})"
    )


def accepted_pairs(shown: Sequence[MinimumSuggestion]) -> list[list[int]]:
    """``[[part id, suggested], ...]``: what "Accept all shown" accepts."""
    return [[s.part.id, s.suggested] for s in shown]


def _suggestion(found: MinimumSuggestion) -> Block:
    accept = button(
        f"Accept {found.suggested}",
        ActionId.MINIMUM_ACCEPT,
        value={"id": found.part.id, "m": found.suggested},
    )
    return section(suggestion_line(found), accessory=accept)


def suggestion_blocks(suggestions: Sequence[MinimumSuggestion]) -> list[Block]:
    shown = list(suggestions[:SHOWN])
    if not shown:
        return [section(NONE_FAR)]
    accept_all = button(
        "Accept all shown",
        ActionId.MINIMUMS_ACCEPT_ALL,
        value={"a": accepted_pairs(shown)},
        style="primary",
    )
    return [
        *(_suggestion(s) for s in shown),
        context(HOW),
        actions([accept_all], block_id=BlockId.MINIMUM_ACTIONS),
    ]


def render_minimum_suggestions(suggestions: Sequence[MinimumSuggestion]) -> Message:
    """The parts furthest from their suggestion first, at most ``SHOWN``."""
    shown = min(len(suggestions), SHOWN)
    blocks = [header(TITLE), *suggestion_blocks(suggestions)]
    return message(f"{shown} minimums far from the suggestion", blocks)


def change_line(change: MinimumChangeView) -> str:
    """``• *FIL-1002*: minimum 4 → 11 · by alice``."""
    who = f" · by {lb.text(change.actor_username, 100)}" if change.actor_username else ""
    number = lb.text(change.part_number, lb.NUMBER_BUDGET)
    return f"• *{number}*: minimum {change.old_minimum} → {change.new_minimum}{who}"


def render_minimums_accepted(
    changes: Sequence[MinimumChangeView], remaining: Sequence[MinimumSuggestion]
) -> Message:
    """What replaces the list once suggestions were accepted: the changes, then the
    suggestions still open."""
    lines = "\n".join(change_line(c) for c in changes)
    accepted = f":white_check_mark: *Accepted {len(changes)} suggested minimums*\n{lines}"
    blocks = [header(TITLE), section(accepted), *suggestion_blocks(remaining)]
    return message(f"Accepted {len(changes)} suggested minimums", blocks)
