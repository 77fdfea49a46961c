"""Each request handled once: the first claim wins, copies find its answer until it expires."""

from __future__ import annotations

import threading
from datetime import timedelta

from domain import handled_requests as handled
from domain.context import DomainContext
from domain.handled_requests import StoredAnswer
from tests.helpers import Clock

KEEP = timedelta(minutes=6)
ANSWER = StoredAnswer(status=200, content_type="application/json", body='{"text": "Took 1."}')
OTHER = StoredAnswer(status=200, content_type="application/json", body='{"text": "Took 2."}')


def test_only_the_first_claim_of_a_key_wins_and_copies_get_its_answer(ctx: DomainContext):
    assert handled.earlier_answer(ctx, "signature:v0=aa") is None  # not handled yet
    assert handled.claim_request(ctx, "signature:v0=aa", keep_for=KEEP, answer=ANSWER) is True
    assert handled.claim_request(ctx, "signature:v0=aa", keep_for=KEEP, answer=OTHER) is False
    assert handled.earlier_answer(ctx, "signature:v0=aa") == ANSWER  # the first one's
    assert handled.claim_request(ctx, "signature:v0=bb", keep_for=KEEP, answer=OTHER) is True


def test_a_claim_lasts_until_it_expires_and_is_then_purged(ctx: DomainContext, clock: Clock):
    handled.claim_request(ctx, "event:1", keep_for=KEEP, answer=ANSWER)
    handled.claim_request(ctx, "event:2", keep_for=KEEP * 2, answer=ANSWER)
    clock.advance(minutes=5, seconds=59)
    assert handled.claim_request(ctx, "event:1", keep_for=KEEP) is False
    assert handled.purge_handled_requests(ctx) == 0
    clock.advance(seconds=1)
    assert handled.earlier_answer(ctx, "event:1") is None  # expired: no longer an answer
    assert handled.purge_handled_requests(ctx) == 1
    assert handled.claim_request(ctx, "event:2", keep_for=KEEP) is False  # still kept
    assert handled.claim_request(ctx, "event:1", keep_for=KEEP) is True  # a new claim


def test_an_expired_claim_not_yet_purged_is_claimed_afresh(ctx: DomainContext, clock: Clock):
    handled.claim_request(ctx, "signature:v0=cc", keep_for=KEEP, answer=ANSWER)
    clock.advance(minutes=7)
    assert handled.claim_request(ctx, "signature:v0=cc", keep_for=KEEP, answer=OTHER) is True
    assert handled.earlier_answer(ctx, "signature:v0=cc") == OTHER  # the new claim's answer


def test_of_many_simultaneous_claims_of_one_key_exactly_one_wins(ctx: DomainContext):
    barrier, results = threading.Barrier(8), []

    def claim() -> None:
        barrier.wait()
        results.append(handled.claim_request(ctx, "signature:v0=dd", keep_for=KEEP))

    threads = [threading.Thread(target=claim) for _ in range(8)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert sorted(results) == [False] * 7 + [True]
