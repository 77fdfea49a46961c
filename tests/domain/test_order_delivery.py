"""The purchasing outbox on both databases: what is due, the overdue question, retries and
DMs. Slack is replaced by a recording messenger that can be told to fail."""

from __future__ import annotations

from datetime import date, datetime, timedelta

import pytest
from sqlalchemy import select

from domain import identities, order_delivery, order_steps, ordering, suppliers
from domain.alert_attempts import DeliveryOptions
from domain.notices import DeliveryFailed, FoundPost
from domain.order_notices import OrderNotice
from domain.permissions import SYSTEM
from persistence import order_outbox
from persistence.models import PurchaseRequest
from tests.factories import make_part, make_user

OPTIONS = DeliveryOptions(per_channel_interval=0.0)
CHANNEL = "CBUYING"


class RecordingMessenger:
    """What a Slack messenger would have sent; ``fail`` makes the next calls raise it."""

    def __init__(self) -> None:
        self.posts: list[tuple[str, int, int]] = []
        self.updates: list[tuple[str, str, int]] = []
        self.reminders: list[tuple[str, str, int]] = []
        self.dms: list[tuple[str, str, str | None]] = []
        self.lookups: list[tuple[str, datetime, datetime]] = []
        self.fail: DeliveryFailed | None = None

    def _maybe_fail(self) -> None:
        if self.fail is not None:
            raise self.fail

    def post_order(self, channel_id: str, notice: OrderNotice, *, attempt: int) -> str:
        self._maybe_fail()
        self.posts.append((channel_id, notice.order.id, attempt))
        return f"1700000000.{len(self.posts):06}"

    def update_order(self, channel_id: str, ts: str, notice: OrderNotice) -> None:
        self._maybe_fail()
        self.updates.append((channel_id, ts, notice.order.version))

    def find_order_posts(
        self, channel_id: str, *, oldest: datetime, latest: datetime
    ) -> dict[int, FoundPost]:
        self.lookups.append((channel_id, oldest, latest))
        return {}

    def post_order_reminder(self, channel_id: str, thread_ts: str, notice: OrderNotice) -> str:
        self._maybe_fail()
        self.reminders.append((channel_id, thread_ts, notice.order.id))
        return "1700000001.000001"

    def send_order_decision(self, slack_user_id: str, notice: OrderNotice, decision: str) -> None:
        self._maybe_fail()
        self.dms.append((slack_user_id, decision, notice.order.reason))


@pytest.fixture
def world(ctx):
    manager = make_user(ctx, "manager")
    member = make_user(ctx, "member")
    part = make_part(ctx, "FIL-1", "Rhenium filament", quantity=1, minimum=4)
    thermo = suppliers.add_supplier(ctx, actor=manager, name="Thermo Fisher")
    order = ordering.request_reorder(
        ctx, actor=member, part_id=part.id, quantity=8, supplier_id=thermo.id
    ).order
    return manager, member, order


def _deliver(ctx, messenger):
    return order_delivery.deliver_orders(
        ctx, messenger=messenger, channel_id=CHANNEL, options=OPTIONS
    ).describe()


def _row(ctx, order_id) -> PurchaseRequest:
    with ctx.transaction() as session:
        return session.scalars(select(PurchaseRequest).where(PurchaseRequest.id == order_id)).one()


def test_a_request_is_posted_once_and_updated_only_when_it_changed(ctx, world):
    manager, _, order = world
    messenger = RecordingMessenger()
    assert _deliver(ctx, messenger) == "posted 1"
    assert _deliver(ctx, messenger) == "nothing due"
    order_steps.edit_order(ctx, actor=manager, order_id=order.id, quantity=9)
    assert _deliver(ctx, messenger) == "updated 1"
    assert messenger.posts == [(CHANNEL, order.id, 1)]
    assert messenger.updates == [(CHANNEL, "1700000000.000001", 2)]
    assert _row(ctx, order.id).shown_version == 2


def test_a_refused_post_waits_for_slacks_retry_after_then_goes_out(ctx, world, clock):
    _, _, order = world
    messenger = RecordingMessenger()
    messenger.fail = DeliveryFailed("ratelimited (HTTP 429)", retry_after=90)
    assert _deliver(ctx, messenger) == "failed 1"
    row = _row(ctx, order.id)
    assert row.post_started_at is None  # Slack answered: nothing was posted
    assert row.next_post_at == ctx.now() + timedelta(seconds=90)
    messenger.fail = None
    assert _deliver(ctx, messenger) == "nothing due"
    clock.advance(seconds=90)
    assert _deliver(ctx, messenger) == "posted 1"
    assert messenger.posts == [(CHANNEL, order.id, 2)]


def test_a_post_with_no_answer_stays_open_and_is_looked_up_before_posting_again(ctx, world, clock):
    _, _, order = world
    messenger = RecordingMessenger()
    messenger.fail = DeliveryFailed("unreachable: timeout", outcome_unknown=True)
    assert _deliver(ctx, messenger) == "failed 1"
    assert _row(ctx, order.id).post_started_at is not None
    messenger.fail = None
    clock.advance(minutes=5)
    assert _deliver(ctx, messenger) == "posted 1"  # not in the channel's history
    [(channel, oldest, latest)] = messenger.lookups
    assert channel == CHANNEL
    assert oldest < ctx.now() - timedelta(minutes=5) < latest
    assert messenger.posts == [(CHANNEL, order.id, 2)]


def test_the_requesters_rejection_dm_carries_the_reason_and_is_sent_once(ctx, world):
    manager, member, order = world
    identities.link_identity(
        ctx, actor=SYSTEM, team_id="T1", slack_user_id="UMEMBER", user_id=member.user_id
    )
    order_steps.reject_order(ctx, actor=manager, order_id=order.id, reason="duplicate")
    messenger = RecordingMessenger()
    assert _deliver(ctx, messenger) == "dms 1, posted 1"
    assert messenger.dms == [("UMEMBER", "rejected", "duplicate")]
    assert _deliver(ctx, messenger) == "nothing due"


def test_a_requester_without_slack_gets_no_dm_and_the_flag_is_cleared(ctx, world):
    manager, _, order = world
    order_steps.approve_order(ctx, actor=manager, order_id=order.id)
    messenger = RecordingMessenger()
    _deliver(ctx, messenger)
    assert messenger.dms == []
    assert _row(ctx, order.id).dm_due is None


def test_a_failing_dm_is_retried_with_backoff_five_times_in_all(ctx, world, clock):
    manager, member, order = world
    identities.link_identity(
        ctx, actor=SYSTEM, team_id="T1", slack_user_id="UMEMBER", user_id=member.user_id
    )
    messenger = RecordingMessenger()
    _deliver(ctx, messenger)
    order_steps.approve_order(ctx, actor=manager, order_id=order.id)
    _deliver(ctx, messenger)
    assert messenger.dms == [("UMEMBER", "approved", None)]
    with ctx.transaction() as session:
        row = session.get(PurchaseRequest, order.id)
        assert row is not None
        row.dm_due = "approved"  # as if the DM were due again
    messenger.fail = DeliveryFailed("user_not_found")
    tries = 0
    while _row(ctx, order.id).dm_due is not None:
        tries += 1
        order_delivery.deliver_order(
            ctx, messenger=messenger, order_id=order.id, channel_id=CHANNEL, options=OPTIONS
        )
        assert (
            order_delivery.deliver_order(
                ctx, messenger=messenger, order_id=order.id, channel_id=CHANNEL, options=OPTIONS
            )
            == {}
        )  # waiting for its backoff
        clock.advance(hours=1)
    assert tries == order_delivery.MAX_DM_TRIES


def _ordered(ctx, world, expected: date):
    manager, _, order = world
    order_steps.approve_order(ctx, actor=manager, order_id=order.id)
    order_steps.mark_ordered(
        ctx, actor=manager, order_id=order.id, order_number="PO-1", expected_on=expected
    )
    return order


def test_the_overdue_question_finds_posted_ordered_requests_expected_before_today(
    ctx, world, clock
):
    order = _ordered(ctx, world, ctx.now().date() + timedelta(days=1))
    today = ctx.now().date()
    with ctx.transaction() as session:
        assert order_outbox.overdue_ids(session, today=today + timedelta(days=2), limit=10) == []
    messenger = RecordingMessenger()
    _deliver(ctx, messenger)  # posted: a reminder has a thread to go in
    with ctx.transaction() as session:
        assert order_outbox.overdue_ids(session, today=today + timedelta(days=1), limit=10) == []
        assert order_outbox.overdue_ids(session, today=today + timedelta(days=2), limit=10) == [
            order.id
        ]
    clock.advance(days=2)
    assert order_delivery.remind_overdue_orders(ctx, messenger=messenger, options=OPTIONS) == 1
    assert order_delivery.remind_overdue_orders(ctx, messenger=messenger, options=OPTIONS) == 0
    assert messenger.reminders == [(CHANNEL, "1700000000.000001", order.id)]
    detail = ordering.get_order(ctx, actor=SYSTEM, order_id=order.id)
    assert detail.events[-1].kind == "overdue"
    assert messenger.updates[-1][2] == detail.order.version  # the message shows it overdue
