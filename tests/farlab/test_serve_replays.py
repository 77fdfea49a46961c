"""Two ``serve`` processes on one PostgreSQL database: a request sent to both runs once.

The replay guard's claims live in the database, so it holds across processes; an in-memory
guard would let each process take the stock once.
"""

from __future__ import annotations

import threading
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any
from urllib.parse import urlencode

import httpx
import pytest
from sqlalchemy import text

from domain import identities, parts, stock
from domain.context import DomainContext
from domain.permissions import SYSTEM
from persistence.db import Database
from slack_stand_in import SignedSlack, SlackStandIn
from slack_stand_in.identity import TEAM_ID
from slack_stand_in.signing import signed_headers
from tests.bot.steps import button_for
from tests.conftest import TABLES
from tests.factories import make_user
from tests.farlab.serve_process import SECRET, serve_env, serving

SIGNING = "serve-replay-signing-secret"
FORM = "application/x-www-form-urlencoded"


@dataclass
class TwoServers:
    ctx: DomainContext
    stand_in: SlackStandIn
    a: SignedSlack
    b: SignedSlack
    logs: list[Path]

    def moves(self, part_number: str) -> list[int]:
        part = parts.find_part(self.ctx, actor=SYSTEM, ref=part_number)
        return [m.delta for m in stock.part_history(self.ctx, actor=SYSTEM, part_id=part.id).items]


@pytest.fixture
def two_servers(postgres_url: str, tmp_path: Path) -> Iterator[TwoServers]:
    db = Database.from_url(postgres_url)
    with db.engine.begin() as conn:
        conn.execute(text(f"TRUNCATE {TABLES} RESTART IDENTITY CASCADE"))
    ctx = DomainContext(db=db, secret_key=SECRET, bcrypt_rounds=4)
    member = make_user(ctx, "member")
    identities.link_identity(
        ctx, actor=SYSTEM, team_id=TEAM_ID, slack_user_id="UMEMBER", user_id=member.user_id
    )
    manager = make_user(ctx, "manager")
    for number, name in (("FIL-1002", "Rhenium filament"), ("FIL-B", "Filament B")):
        parts.create_part(ctx, actor=manager, part_number=number, name=name, quantity_in_stock=10)
    stand_in = SlackStandIn().start()
    env = serve_env(
        tmp_path,
        DATABASE_URL=postgres_url,
        SLACK_BOT_TOKEN="xoxb-serve-replays",
        SLACK_SIGNING_SECRET=SIGNING,
        SLACK_API_URL=stand_in.base_url,
    )
    logs = [tmp_path / "a.log", tmp_path / "b.log"]
    try:
        with (
            serving(env, logs[0], "--no-scheduler") as (url_a, _),
            serving(env, logs[1], "--no-scheduler") as (url_b, _),
        ):
            slacks = [
                SignedSlack(f"{url}/slack/events", SIGNING, stand_in) for url in (url_a, url_b)
            ]
            yield TwoServers(ctx=ctx, stand_in=stand_in, a=slacks[0], b=slacks[1], logs=logs)
            for slack in slacks:
                slack.close()
    finally:
        stand_in.stop()
        db.dispose()


@pytest.mark.postgres_only
def test_a_request_sent_to_two_serve_processes_changes_the_ledger_once(
    two_servers: TwoServers,
) -> None:
    lab, stand_in = two_servers, two_servers.stand_in

    # A command sent to both at the same moment.
    template = lab.a.command("UMEMBER", "help").request.content
    content = template.replace(
        b"text=help", b"text=" + urlencode({"t": "use FIL-1002 1"})[2:].encode()
    )
    headers = signed_headers(SIGNING, content.decode(), FORM, {})
    barrier, answers = threading.Barrier(2), []

    def send(slack: SignedSlack) -> None:
        barrier.wait()
        answers.append(httpx.post(slack.app_url, content=content, headers=headers, timeout=10))

    threads = [threading.Thread(target=send, args=(s,)) for s in (lab.a, lab.b)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert [a.status_code for a in answers] == [200, 200]
    said = [a.json()["text"] for a in answers]
    assert any("Took 1" in s for s in said), said
    assert all("Took 1" in s or "already being handled" in s for s in said), said
    assert lab.moves("FIL-1002") == [-1, 10]

    # A Use a part form submitted to one, replayed to the other.
    lab.a.command("UMEMBER", "part FIL-1002")
    card = _newest_with(stand_in, "part.use")
    lab.a.block_action("UMEMBER", "part.use", message=card)
    stand_in.wait_for("views.open", 1)
    form = stand_in.modals("UMEMBER")[-1]
    first = lab.a.submit_modal("UMEMBER", form, {"How many to take": "2"})
    copy = lab.b.resend(first.request)
    assert (copy.status_code, copy.content) == (first.status_code, first.content)
    assert lab.moves("FIL-1002") == [-2, -1, 10]

    # A pick list's Choose button (it runs `use`) clicked on one, replayed to the other.
    lab.a.command("UMEMBER", "use filament 3")
    picks = _newest_with(stand_in, "pick.choose")
    choice = button_for(picks, "pick.choose", "FIL-B")
    first = lab.a.block_action("UMEMBER", "pick.choose", message=picks, value=choice)
    copy = lab.b.resend(first.request)
    assert (copy.status_code, copy.content) == (first.status_code, first.content)
    assert lab.moves("FIL-B") == [-3, 10]

    for log in lab.logs:
        assert "Traceback" not in log.read_text()


def _newest_with(stand_in: SlackStandIn, action_id: str) -> dict[str, Any]:
    """The member's newest ephemeral with that button: replies sent after an earlier ack
    may land after the command's own answer."""
    shown = stand_in.ephemerals("C0LAB", "UMEMBER")
    return next(e for e in reversed(shown) if action_id in str(e.get("blocks", [])))
