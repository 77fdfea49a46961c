"""Fixtures for domain tests: refused calls must leave every table exactly as it was."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import Any

import pytest
from sqlalchemy import select

from domain.errors import Conflict, DomainError, InvalidInput
from persistence.db import Database
from persistence.models import Base

Snapshot = dict[str, list[tuple[Any, ...]]]


def snapshot_of(database: Database) -> Snapshot:
    """Every row of every table, in primary-key order."""
    with database.engine.connect() as conn:
        return {
            table.name: [
                tuple(row) for row in conn.execute(select(table).order_by(*table.primary_key))
            ]
            for table in Base.metadata.sorted_tables
        }


class Refusal:
    """What a refused call raised, filled in when its ``with`` block ends."""

    error: DomainError


@pytest.fixture
def refused(database: Database) -> Callable[..., Any]:
    """``with refused(InvalidInput, field="email"):`` expects the error and an unchanged database.

    ``field`` must be named by the error: a key of ``InvalidInput.errors`` or ``Conflict.field``.
    """

    @contextmanager
    def expect(error: type[DomainError], *, field: str | None = None) -> Iterator[Refusal]:
        before = snapshot_of(database)
        refusal = Refusal()
        with pytest.raises(error) as caught:
            yield refusal
        refusal.error = caught.value
        assert str(caught.value), "the error must carry a readable message"
        if field is not None:
            if isinstance(caught.value, InvalidInput):
                assert field in caught.value.errors, caught.value.errors
            elif isinstance(caught.value, Conflict):
                assert caught.value.field == field, caught.value.field
            else:
                raise AssertionError(f"{type(caught.value).__name__} names no field")
        assert snapshot_of(database) == before, "a refused call changed the database"

    return expect
