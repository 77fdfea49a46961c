"""Units of measure read as people say them: one pc, two pcs, one box, 250 mL."""

from __future__ import annotations

import pytest

from domain.vocabulary import UNIT_FORMS, amount, unit_for


@pytest.mark.parametrize(
    ("quantity", "unit", "reads"),
    [
        (1, "pcs", "1 pc"),
        (2, "pcs", "2 pcs"),
        (0, "pcs", "0 pcs"),
        (1, "pc", "1 pc"),
        (5, "pc", "5 pcs"),
        (1, "box", "1 box"),
        (2, "box", "2 boxes"),
        (1, "boxes", "1 box"),
        (1, "Boxes", "1 Box"),
        (4, "Pair", "4 Pairs"),
        (1, "mL", "1 mL"),
        (3, "m", "3 m"),
        (1, "g", "1 g"),
        (1, "gizmos", "1 gizmos"),  # not a unit FarLab knows: as stored
    ],
)
def test_amount_reads_the_unit_for_the_quantity(quantity, unit, reads):
    assert amount(quantity, unit) == reads


def test_a_negative_one_is_one_too():
    assert unit_for(-1, "pcs") == "pc"


def test_every_unit_reads_back_to_itself():
    for one, several in UNIT_FORMS:
        assert (unit_for(1, several), unit_for(2, one)) == (one, several)
        assert (unit_for(1, one), unit_for(2, several)) == (one, several)
