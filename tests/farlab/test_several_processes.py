"""Several FarLab processes on one PostgreSQL database do no work twice.

Two ``serve`` processes (each running the scheduler too, as ``serve`` does by default) and
two ``python -m scheduler`` processes share one database: four schedulers compete for every
job, and commands are sent alternately to both serves, some of them again to both as Slack
retries. Then many parts are taken below their minimum at once. Every command is answered
once, every low-stock alert is posted once: the replay guard's claims, the open-alert rule
and the job locks all live in the database.
"""

from __future__ import annotations

import json
import subprocess
import sys
import time
from collections import Counter
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from contextlib import ExitStack, contextmanager
from pathlib import Path
from typing import Any

import httpx
import pytest
from sqlalchemy import select, text

from domain import alert_routes, identities, parts, stock
from domain.context import DomainContext
from domain.permissions import SYSTEM
from persistence.db import Database
from persistence.models import Alert
from slack_stand_in import SignedSlack, SlackStandIn
from slack_stand_in.identity import TEAM_ID
from tests.conftest import TABLES
from tests.factories import make_user
from tests.farlab.serve_process import ROOT, SECRET, serve_env, serving

SIGNING = "several-processes-signing-secret"
CHANNELS = {"Filaments": "CFILAMENTS", "Pumps": "CPUMPS", "Valves": "CVALVES"}
PER_CATEGORY = 4
STOCK, MINIMUM = 10, 5
ALERTS_WITHIN = 45.0  # seconds: the delivery job runs every 20 s in each scheduler


@contextmanager
def scheduling(env: dict[str, str], log: Path) -> Iterator[subprocess.Popen[bytes]]:
    """``python -m scheduler`` until the end of the block (then stopped with SIGTERM)."""
    with log.open("wb") as output:
        proc = subprocess.Popen(
            [sys.executable, "-m", "scheduler"],
            cwd=ROOT,
            env=env,
            stdout=output,
            stderr=subprocess.STDOUT,
        )
    try:
        yield proc
    finally:
        proc.terminate()
        try:
            proc.wait(timeout=15)
        except subprocess.TimeoutExpired:
            proc.kill()


def _lab(postgres_url: str) -> tuple[DomainContext, list[str]]:
    """An empty database with a member linked to Slack, parts with stock above their
    minimum in three categories, and each category's alerts routed to a channel."""
    db = Database.from_url(postgres_url)
    with db.engine.begin() as conn:
        conn.execute(text(f"TRUNCATE {TABLES} RESTART IDENTITY CASCADE"))
    ctx = DomainContext(db=db, secret_key=SECRET, bcrypt_rounds=4)
    member = make_user(ctx, "member")
    assert member.user_id is not None
    identities.link_identity(
        ctx, actor=SYSTEM, team_id=TEAM_ID, slack_user_id="UMEMBER", user_id=member.user_id
    )
    numbers = []
    for category, channel in CHANNELS.items():
        for n in range(PER_CATEGORY):
            number = f"{category[:3].upper()}-{n:03}"
            parts.create_part(
                ctx,
                actor=SYSTEM,
                part_number=number,
                name=f"{category} part {n}",
                category=category,
                quantity_in_stock=STOCK,
                minimum_stock_level=MINIMUM,
            )
            numbers.append(number)
        alert_routes.set_alert_route(
            ctx, actor=SYSTEM, target=category, channel_id=channel, kind="category"
        )
    return ctx, numbers


def _retry(slack: SignedSlack, first: httpx.Response, number: int) -> httpx.Response:
    """Slack's retry of a request, byte for byte, as Slack marks it."""
    headers = {"X-Slack-Retry-Num": str(number), "X-Slack-Retry-Reason": "http_timeout"}
    return slack.resend(first.request, headers=headers)


def _all_delivered(ctx: DomainContext) -> bool:
    return all(a.delivered_at is not None for a in _low_stock_alerts(ctx))


def _alert_ids_posted(stand_in: SlackStandIn) -> Counter[int]:
    """How many chat.postMessage calls carried each alert (by the message's metadata)."""
    carried: Counter[int] = Counter()
    for call in stand_in.calls("chat.postMessage"):
        metadata: Any = call.body.get("metadata") or {}
        if isinstance(metadata, str):
            metadata = json.loads(metadata)
        payload = metadata.get("event_payload") or {}
        if metadata.get("event_type") == "farlab_alert":
            carried[int(payload["alert_id"])] += 1
        elif metadata.get("event_type") == "farlab_alert_digest":
            carried.update(int(i) for i in str(payload["alert_ids"]).split(","))
    return carried


def _low_stock_alerts(ctx: DomainContext) -> list[Alert]:
    with ctx.transaction() as session:
        return list(session.scalars(select(Alert).order_by(Alert.part_id)).all())


@pytest.mark.postgres_only
def test_two_serves_and_two_schedulers_answer_each_command_and_post_each_alert_once(
    postgres_url: str, tmp_path: Path
) -> None:
    ctx, numbers = _lab(postgres_url)
    stand_in = SlackStandIn().start()
    env = serve_env(
        tmp_path,
        DATABASE_URL=postgres_url,
        SLACK_BOT_TOKEN="xoxb-several-processes",
        SLACK_SIGNING_SECRET=SIGNING,
        SLACK_API_URL=stand_in.base_url,
        FARLAB_ALERT_SCAN_SECONDS="10",
    )
    logs = [tmp_path / f"{name}.log" for name in ("serve-a", "serve-b", "sched-a", "sched-b")]
    try:
        with ExitStack() as running:
            for log in logs[2:]:  # first, so that their first delivery run comes soonest
                running.enter_context(scheduling(env, log))
            url_a, _ = running.enter_context(serving(env, logs[0]))
            url_b, _ = running.enter_context(serving(env, logs[1]))
            a = running.enter_context(SignedSlack(f"{url_a}/slack/events", SIGNING, stand_in))
            b = running.enter_context(SignedSlack(f"{url_b}/slack/events", SIGNING, stand_in))
            _commands_alternately_and_retried(a, b, numbers)
            _low_stock_burst(a, b, numbers)
            commands = 2 * len(numbers)
            answers = stand_in.ephemerals("C0LAB", "UMEMBER")
            assert len(answers) == commands  # one answer each, none posted again later
            assert all("Took" in str(answer) for answer in answers), answers
            for number in numbers:
                part = parts.find_part(ctx, actor=SYSTEM, ref=number)
                moves = stock.part_history(ctx, actor=SYSTEM, part_id=part.id).items
                assert [m.delta for m in moves] == [-5, -1, STOCK], number

            alerts = _low_stock_alerts(ctx)
            assert [a.part_id for a in alerts] == list(range(1, len(numbers) + 1))  # one each
            expected = Counter({alert.id: 1 for alert in alerts})
            deadline = time.monotonic() + ALERTS_WITHIN
            while _alert_ids_posted(stand_in) != expected and time.monotonic() < deadline:
                time.sleep(0.2)
            assert _alert_ids_posted(stand_in) == expected
            # Slack has each message; the run that posted it records so once Slack answers.
            while not _all_delivered(ctx) and time.monotonic() < deadline + 10:
                time.sleep(0.2)
            assert _all_delivered(ctx)
            assert _alert_ids_posted(stand_in) == expected  # and nothing was posted again
            posts = stand_in.calls("chat.postMessage")
            assert Counter(c.body["channel"] for c in posts) == Counter(
                dict.fromkeys(CHANNELS.values(), PER_CATEGORY)
            )
    finally:
        stand_in.stop()
        ctx.db.dispose()
    for log in logs:
        assert "Traceback" not in log.read_text(), log.read_text()


def _commands_alternately_and_retried(a: SignedSlack, b: SignedSlack, numbers: list[str]) -> None:
    """`use NUMBER 1` for every part, sent to A and B in turn; every third one comes again
    as Slack's first retry to the other serve and as its second retry to the first."""
    for i, number in enumerate(numbers):
        first, other = (a, b) if i % 2 == 0 else (b, a)
        answer = first.command("UMEMBER", f"use {number} 1")
        assert answer.status_code == 200, answer.text
        assert f"Took 1 pc of *{number}*" in answer.json()["text"]
        if i % 3 == 0:
            for retry_number, slack in ((1, other), (2, first)):
                copy = _retry(slack, answer, retry_number)
                assert (copy.status_code, copy.content) == (200, answer.content)


def _low_stock_burst(a: SignedSlack, b: SignedSlack, numbers: list[str]) -> None:
    """Every part taken below its minimum (9 -> 4, the minimum is 5), four commands at a
    time, to both serves in turn."""
    with ThreadPoolExecutor(max_workers=4) as pool:

        def take(i: int) -> httpx.Response:
            return (a, b)[i % 2].command("UMEMBER", f"use {numbers[i]} 5")

        answers = list(pool.map(take, range(len(numbers))))
    for answer in answers:
        assert answer.status_code == 200, answer.text
        assert "Took 5" in answer.json()["text"], answer.text
