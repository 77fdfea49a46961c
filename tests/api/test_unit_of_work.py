"""Each REST call is one unit of work: one transaction, committed before the answer, and
nothing kept of a call that is refused or whose commit the database refuses."""

from __future__ import annotations

from typing import Any

import pytest
from sqlalchemy import event

from domain import parts
from domain.context import DomainContext
from domain.errors import Unavailable
from domain.permissions import SYSTEM
from tests.api.support import assert_json_error, bearer


class Transactions:
    def __init__(self, ctx: DomainContext) -> None:
        self.engine = ctx.db.engine
        self.begun = 0
        self.committed = 0

    def __enter__(self) -> Transactions:
        event.listen(self.engine, "begin", self._begin)
        event.listen(self.engine, "commit", self._commit)
        return self

    def __exit__(self, *_exc: object) -> None:
        event.remove(self.engine, "begin", self._begin)
        event.remove(self.engine, "commit", self._commit)

    def _begin(self, _conn: Any) -> None:
        self.begun += 1

    def _commit(self, _conn: Any) -> None:
        self.committed += 1


def _stock(ctx: DomainContext, part_id: int) -> int:
    return parts.get_part(ctx, actor=SYSTEM, part_id=part_id).quantity_in_stock


def test_a_call_is_one_transaction_however_many_services_it_uses(client, ctx, lab):
    headers = bearer(ctx, lab.member)
    with Transactions(ctx) as seen:
        response = client.post(
            f"/api/parts/{lab.gasket.id}/stock",
            json={"quantity_change": -3, "reason": "Kiel rebuild"},
            headers=headers,
        )
    assert response.status_code == 200, response.text
    assert (seen.begun, seen.committed) == (1, 1)  # the actor, the take and the answer
    with Transactions(ctx) as seen:
        assert client.get(f"/api/parts/{lab.gasket.id}/history", headers=headers).status_code == 200
    assert (seen.begun, seen.committed) == (1, 1)


def test_a_commit_the_database_refuses_answers_503_and_keeps_nothing(
    client, ctx, lab, monkeypatch: pytest.MonkeyPatch
):
    before = _stock(ctx, lab.gasket.id)
    finish = DomainContext.finish_unit

    def refuse_commits(self: DomainContext, unit: Any, *, commit: bool) -> bool:
        if commit:
            finish(self, unit, commit=False)
            raise Unavailable("the database is read-only")
        return finish(self, unit, commit=False)

    monkeypatch.setattr(DomainContext, "finish_unit", refuse_commits)
    response = client.post(
        f"/api/parts/{lab.gasket.id}/stock",
        json={"quantity_change": -3, "reason": "Kiel rebuild"},
        headers=bearer(ctx, lab.member),
    )
    assert_json_error(response, 503)
    monkeypatch.undo()
    assert _stock(ctx, lab.gasket.id) == before


def test_a_refused_call_keeps_nothing_it_wrote_on_the_way(client, ctx, lab):
    before = _stock(ctx, lab.gasket.id)
    response = client.post(
        f"/api/parts/{lab.gasket.id}/stock",
        json={"quantity_change": -(before + 1), "reason": "more than there is"},
        headers=bearer(ctx, lab.member),
    )
    assert response.status_code in (400, 409, 422), response.text
    assert _stock(ctx, lab.gasket.id) == before
