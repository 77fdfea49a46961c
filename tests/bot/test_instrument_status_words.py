"""`/farlab instrument status <name> <status> [note]` takes the status in plain words."""

from __future__ import annotations

import pytest

from bot.commands.instrument_cmds import status_in
from domain import instruments
from domain.permissions import SYSTEM
from domain.vocabulary import InstrumentStatus
from tests.bot.conftest import Lab


@pytest.mark.parametrize(
    ("said", "status", "note"),
    [
        ("out of service", "out_of_service", None),
        ("OUT OF SERVICE vacuum leak", "out_of_service", "vacuum leak"),
        ("Out-Of-Service", "out_of_service", None),
        ("out_of_service", "out_of_service", None),
        ("out-of service source swap", "out_of_service", "source swap"),
        ("Maintenance pump swap", "maintenance", "pump swap"),
        ("OPERATIONAL", "operational", None),
    ],
)
def test_a_manager_sets_a_status_in_plain_words(
    lab: Lab, said: str, status: str, note: str | None
) -> None:
    instruments.create_instrument(lab.ctx, actor=SYSTEM, name="Kiel IV", model="Kiel")
    answer = lab.command("manager", f"instrument status Kiel IV {said}")
    [found] = instruments.list_instruments(lab.ctx, actor=SYSTEM).items
    assert found.status == status
    assert answer["text"].startswith("*Kiel IV* is now ")
    history = instruments.status_history(lab.ctx, actor=SYSTEM, instrument_id=found.id)
    assert history[0].note == note


def test_a_missing_or_unknown_status_is_explained_in_plain_words(lab: Lab) -> None:
    instruments.create_instrument(lab.ctx, actor=SYSTEM, name="MAT253", model="MAT 253")
    for text in ("instrument status MAT253 broken", "instrument status out of service"):
        answer = lab.command("manager", text)
        assert "operational, maintenance or out of service" in answer["text"], text
    [found] = instruments.list_instruments(lab.ctx, actor=SYSTEM).items
    assert found.status == "operational"


def test_status_in_finds_the_first_status_and_where_it_ends() -> None:
    words = ["Kiel", "IV", "out", "of", "service", "since", "maintenance"]
    assert status_in(words) == (2, 5, InstrumentStatus.OUT_OF_SERVICE)
    assert status_in(["out", "of"]) is None
    assert status_in(["MAT253", "out", "of", "order"]) is None
