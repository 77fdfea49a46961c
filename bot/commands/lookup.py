"""Naming things in commands: parts and instruments by number, name or picked id."""

from __future__ import annotations

import re
import shlex

from bot.commands.base import CommandRequest
from domain import instruments, parts
from domain.errors import Ambiguous
from domain.results import InstrumentView, PartView

_PICKED = re.compile(r"^#(\d{1,12})$")


class NeedsPick(Exception):
    """A name matched several things: answer with a pick list that re-runs the command."""

    def __init__(self, ambiguous: Ambiguous, commands: list[tuple[str, str]]) -> None:
        super().__init__(ambiguous.message)
        self.message = ambiguous.message
        self.choices = commands  # (label, command text to run when picked)


def command_text(*parts_: str) -> str:
    return " ".join(shlex.quote(p) if (" " in p or not p) else p for p in parts_)


def is_pick(ref: str) -> bool:
    """Whether ``ref`` is a pick list's ``#id``."""
    return _PICKED.match(ref.strip()) is not None


def part(
    req: CommandRequest, ref: str, *, rerun: tuple[str, ...] = (), rest: tuple[str, ...] = ()
) -> PartView:
    """The part named by ``ref``; on ambiguity, a pick list re-running ``rerun <#id> rest``."""
    picked = _PICKED.match(ref.strip())
    if picked:
        return parts.get_part(req.ctx, actor=req.actor, part_id=int(picked.group(1)))
    try:
        return parts.find_part(req.ctx, actor=req.actor, ref=ref)
    except Ambiguous as exc:
        raise NeedsPick(
            exc, [(label, command_text(*rerun, f"#{pid}", *rest)) for pid, label in exc.candidates]
        ) from exc


def instrument(
    req: CommandRequest, ref: str, *, rerun: tuple[str, ...] = (), rest: tuple[str, ...] = ()
) -> InstrumentView:
    picked = _PICKED.match(ref.strip())
    if picked:
        return instruments.get_instrument(
            req.ctx, actor=req.actor, instrument_id=int(picked.group(1))
        )
    try:
        return instruments.find_instrument(req.ctx, actor=req.actor, ref=ref)
    except Ambiguous as exc:
        raise NeedsPick(
            exc, [(label, command_text(*rerun, f"#{iid}", *rest)) for iid, label in exc.candidates]
        ) from exc


def instrument_prefix(
    req: CommandRequest, args: list[str], *, rerun: tuple[str, ...] = ()
) -> tuple[InstrumentView, list[str]]:
    """The instrument named by the longest leading run of words ("Kiel IV ..."), and the rest.

    One service call. On ambiguity, a pick list re-running ``rerun <#id> <the rest>``.
    """
    picked = _PICKED.match(args[0].strip()) if args else None
    try:
        found, count = instruments.find_instrument_by_leading_words(
            req.ctx,
            actor=req.actor,
            words=args,
            picked_id=int(picked.group(1)) if picked else None,
        )
    except Ambiguous as exc:
        rest = args[1:]
        raise NeedsPick(
            exc, [(label, command_text(*rerun, f"#{iid}", *rest)) for iid, label in exc.candidates]
        ) from exc
    return found, args[count:]
