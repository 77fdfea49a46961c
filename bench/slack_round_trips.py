"""Round trips to PostgreSQL per Slack command, counted with SQLAlchemy events.

The real web app (what ``serve`` runs) is built in this process against the bench database
and sent signed commands through its ASGI interface. Every BEGIN, statement, COMMIT and
ROLLBACK its engine sends is one round trip; so is each pool checkout's ping when a pool
pings. Work the command queued for after its answer (the reply to ``response_url``) is
waited for and counted with it.
"""

from __future__ import annotations

import itertools
import os
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any
from unittest import mock

from sqlalchemy import Engine, event

from bench.slack_requests import command_body
from bench.slack_setup import MEMBER
from slack_stand_in import slack_signature

if TYPE_CHECKING:
    from starlette.testclient import TestClient


@dataclass
class Trips:
    """What one command sent to the database, in order."""

    sent: list[str] = field(default_factory=list)

    @property
    def count(self) -> int:
        return len(self.sent)

    def summary(self) -> str:
        return ", ".join(self.sent)


@contextmanager
def counting(engine: Engine) -> Iterator[Trips]:
    trips = Trips()

    def statement(_c: Any, _cur: Any, text: str, *_rest: Any) -> None:
        trips.sent.append(_label(text))

    def begin(_conn: Any) -> None:
        trips.sent.append("BEGIN")

    def commit(_conn: Any) -> None:
        trips.sent.append("COMMIT")

    def rollback(_conn: Any) -> None:
        trips.sent.append("ROLLBACK")

    def checkout(*_args: Any) -> None:
        if engine.pool._pre_ping:  # the old configuration pinged
            trips.sent.append("SELECT 1 (pre-ping)")

    hooks = [
        ("before_cursor_execute", statement),
        ("begin", begin),
        ("commit", commit),
        ("rollback", rollback),
    ]
    for name, fn in hooks:
        event.listen(engine, name, fn)
    event.listen(engine.pool, "checkout", checkout)
    try:
        yield trips
    finally:
        for name, fn in hooks:
            event.remove(engine, name, fn)
        event.remove(engine.pool, "checkout", checkout)


def _label(statement: str) -> str:
    """``SELECT parts``: the statement's verb and the first table it names."""
    words = statement.replace("(", " ").replace(",", " ").split()
    verb = words[0].upper() if words else "?"
    for word, following in itertools.pairwise(words):
        if word.upper() in {"FROM", "INTO", "UPDATE"} and following.upper() != "SELECT":
            return f"{verb} {following.strip(chr(34))}"
    return verb


def measure(
    db_url: str, api_url: str, signing_secret: str, secret_key: str, commands: list[str]
) -> dict[str, Trips]:
    """The round trips of each of ``commands`` (after one warm-up run of each)."""
    # Imported here: bench/slack.py's generator processes import this module too.
    from starlette.testclient import TestClient

    from farlab.settings import load_settings
    from farlab.web import build_web
    from farlab.wiring import build_context

    env = {
        "DATABASE_URL": db_url,
        "SECRET_KEY": secret_key,
        "SLACK_BOT_TOKEN": "xoxb-bench-farlab",
        "SLACK_SIGNING_SECRET": signing_secret,
        "SLACK_API_URL": api_url,
    }
    with mock.patch.dict(os.environ, env):
        settings = load_settings()
        ctx = build_context(settings)
        web, runtime, _ = build_web(settings, ctx)
    assert runtime is not None
    results: dict[str, Trips] = {}
    try:
        with TestClient(web) as client:
            for round_ in ("warm-up", "counted"):
                for i, text in enumerate(commands):
                    body = command_body(
                        MEMBER, text, f"{api_url}/response/round-trips", f"{round_}.{i}.trips"
                    )
                    with counting(ctx.db.engine) as trips:
                        _send(client, signing_secret, body)
                        _settle(runtime.executor)
                    results[text] = trips
    finally:
        runtime.shutdown()
        ctx.db.dispose()
    return results


def _send(client: TestClient, secret: str, body: str) -> None:
    timestamp = str(int(time.time()))
    response = client.post(
        "/slack/events",
        content=body,
        headers={
            "content-type": "application/x-www-form-urlencoded",
            "x-slack-request-timestamp": timestamp,
            "x-slack-signature": slack_signature(secret, timestamp, body),
        },
    )
    response.raise_for_status()


def _settle(executor: Any, seconds: float = 0.3) -> None:
    """Let the work queued after the answer run (it is counted with the command)."""
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if executor._work_queue.empty():  # a bench may look inside
            time.sleep(0.05)
            if executor._work_queue.empty():
                break
        time.sleep(0.01)
    time.sleep(0.1)


TARGETS = {"part": 4, "use": 5}


def report(trips: dict[str, Trips]) -> str:
    lines = ["Round trips to PostgreSQL per command (SQLAlchemy events, one command at a time):"]
    for text, seen in trips.items():
        target = TARGETS.get(text.split()[0])
        met = target is not None and seen.count <= target
        verdict = "" if target is None else f" (target <= {target}: {'met' if met else 'MISSED'})"
        lines.append(f"  /farlab {text}: {seen.count}{verdict}")
        lines.append(f"    {seen.summary()}")
    return "\n".join(lines)


def main() -> int:
    import argparse

    from bench.slack_setup import drop_database, load_lab, recreate_database, sample_part_numbers
    from slack_stand_in import SlackStandIn

    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--url", default="postgresql+psycopg2://postgres@127.0.0.1:5432/")
    parser.add_argument("--parts", type=int, default=10_000)
    args = parser.parse_args()
    db_url = recreate_database(args.url, "farlab_bench_round_trips")
    stand_in = SlackStandIn().start()
    try:
        load_lab(db_url, args.parts, "bench-secret-key-that-is-long-enough-0123456789")
        shown = sample_part_numbers(db_url, 1, use_pool=False)[0]
        used = sample_part_numbers(db_url, 1, use_pool=True)[0]
        trips = measure(
            db_url,
            stand_in.base_url,
            "bench-signing-secret-0123456789abcdef",
            "bench-secret-key-that-is-long-enough-0123456789",
            [f"part {shown}", f"use {used} 1"],
        )
        print(report(trips))
    finally:
        stand_in.stop()
        drop_database(args.url, "farlab_bench_round_trips")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
