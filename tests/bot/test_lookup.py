"""Naming an instrument by the leading words of a command: the longest run that names one
wins, and the whole lookup is one service call, one transaction and one query."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass

import pytest
from sqlalchemy import event

from bot.commands import lookup
from domain import instruments
from domain.context import DomainContext
from domain.errors import NotFound
from domain.permissions import SYSTEM, Actor
from tests.factories import make_user


@dataclass(frozen=True)
class Request:
    """What ``lookup`` reads of a command request."""

    ctx: DomainContext
    actor: Actor


@pytest.fixture
def req(ctx: DomainContext) -> Request:
    for name in ("Kiel IV", "Kiel 253", "Kiel IV Plus", "Delta V"):
        instruments.create_instrument(ctx, actor=SYSTEM, name=name, model="M")
    return Request(ctx=ctx, actor=make_user(ctx))


@dataclass
class Counts:
    transactions: int = 0
    statements: int = 0


@contextmanager
def counting(ctx: DomainContext, monkeypatch: pytest.MonkeyPatch) -> Iterator[Counts]:
    """Counts the transactions opened and the queries sent while in the block."""
    counts = Counts()
    opened = DomainContext.transaction

    @contextmanager
    def transaction(self: DomainContext):
        counts.transactions += 1
        with opened(self) as session:
            yield session

    def statement(_conn: object, _cursor: object, sql: str, *_args: object) -> None:
        if not sql.lstrip().upper().startswith("BEGIN"):  # SQLite's BEGIN IMMEDIATE
            counts.statements += 1

    monkeypatch.setattr(DomainContext, "transaction", transaction)
    event.listen(ctx.db.engine, "before_cursor_execute", statement)
    try:
        yield counts
    finally:
        event.remove(ctx.db.engine, "before_cursor_execute", statement)
        monkeypatch.undo()


def test_the_longest_leading_run_of_words_that_names_an_instrument_wins(req):
    found, rest = lookup.instrument_prefix(req, ["kiel", "iv", "plus", "FIL-1", "2"])
    assert (found.name, rest) == ("Kiel IV Plus", ["FIL-1", "2"])
    found, rest = lookup.instrument_prefix(req, ["Kiel", "IV", "FIL-1", "2"])
    assert (found.name, rest) == ("Kiel IV", ["FIL-1", "2"])
    found, rest = lookup.instrument_prefix(req, ["delt", "FIL-1"])
    assert (found.name, rest) == ("Delta V", ["FIL-1"])


def test_a_first_word_that_starts_several_names_asks_for_a_pick(req):
    with pytest.raises(lookup.NeedsPick) as caught:
        lookup.instrument_prefix(req, ["kiel", "FIL-1", "2"], rerun=("instrument", "link"))
    assert caught.value.message == "Several instruments match kiel."
    assert [label for label, _command in caught.value.choices] == [
        "Kiel 253",
        "Kiel IV",
        "Kiel IV Plus",
    ]
    assert all(
        command.startswith("instrument link #") and command.endswith(" FIL-1 2")
        for _label, command in caught.value.choices
    )


def test_a_picked_id_names_its_instrument_and_an_unknown_one_is_not_found(req):
    kiel = instruments.find_instrument(req.ctx, actor=SYSTEM, ref="Kiel 253")
    found, rest = lookup.instrument_prefix(req, [f"#{kiel.id}", "FIL-1"])
    assert (found.id, rest) == (kiel.id, ["FIL-1"])
    with pytest.raises(NotFound, match=r"^No instrument named #999999\.$"):
        lookup.instrument_prefix(req, ["#999999", "FIL-1"])
    with pytest.raises(NotFound, match=r"^No instrument named Vacuum\.$"):
        lookup.instrument_prefix(req, ["Vacuum", "pump", "FIL-1"])


def test_a_many_word_lookup_is_one_transaction_and_one_statement(req, monkeypatch):
    words = ["Kiel", "IV", "FIL-1", "2", "for", "the", "source", "change"]
    with counting(req.ctx, monkeypatch) as counts:
        found, rest = lookup.instrument_prefix(req, words)
    assert (found.name, rest) == ("Kiel IV", words[2:])
    assert (counts.transactions, counts.statements) == (1, 1)
