"""Import previews kept for Slack: Import applies the kept file once, by its own person,
within 30 minutes; every other click is refused and changes nothing."""

from __future__ import annotations

import threading
from concurrent.futures import ThreadPoolExecutor
from datetime import timedelta

import pytest

from domain import import_previews, instruments, parts, stock
from domain.errors import Conflict, DomainError, Forbidden, NotFound
from domain.import_plans import ImportReport
from domain.permissions import SYSTEM
from tests.factories import make_user

LAB_CSV = b"Part No,Name,Qty,Instruments\nFIL-1,Rhenium filament,12,MAT253\nGSK-7,Gasket,40,\n"


@pytest.fixture
def manager(ctx):
    instruments.create_instrument(ctx, actor=SYSTEM, name="MAT253", model="MAT 253")
    return make_user(ctx, "manager")


def _start(ctx, actor, data=LAB_CSV, **options):
    return import_previews.start_preview(
        ctx, actor=actor, kind="parts", data=data, file_name="lab.csv", **options
    )


def _confirm(ctx, actor, kept):
    return import_previews.confirm_preview(ctx, actor=actor, preview_id=kept.id, token=kept.token)


def test_a_preview_keeps_the_file_and_writes_nothing_else(ctx, manager, clock):
    started = _start(ctx, manager)
    assert [row.key for row in started.report.created] == ["FIL-1", "GSK-7"]
    assert started.kept is not None
    assert started.kept.expires_at == clock.now + timedelta(minutes=30)
    assert parts.list_parts(ctx, actor=SYSTEM).items == ()


def test_nothing_is_kept_for_a_file_with_errors_or_without_changes(ctx, manager):
    bad = _start(ctx, manager, b"PN,Name,Qty\nA-1,Bolt,2.5\n")
    assert bad.kept is None
    assert bad.report.errors
    assert _confirm(ctx, manager, _start(ctx, manager).kept).applied
    same = _start(ctx, manager)
    assert same.kept is None
    assert same.report.errors == ()
    assert same.report.unchanged == 2


@pytest.mark.usefixtures("manager")
def test_members_may_not_preview_an_import(ctx, refused):
    member = make_user(ctx, "member")
    with refused(Forbidden):
        _start(ctx, member)


def test_import_applies_the_kept_file_once(ctx, manager, refused):
    kept = _start(ctx, manager).kept
    report = _confirm(ctx, manager, kept)
    assert report.applied
    assert len(report.created) == 2
    assert parts.find_part(ctx, actor=SYSTEM, ref="FIL-1").quantity_in_stock == 12
    with refused(Conflict) as refusal:
        _confirm(ctx, manager, kept)
    assert str(refusal.error) == "lab.csv was already imported; nothing was changed this time."
    with refused(Conflict):
        import_previews.cancel_preview(ctx, actor=manager, preview_id=kept.id, token=kept.token)


def test_someone_elses_preview_is_refused(ctx, manager, refused):
    kept = _start(ctx, manager).kept
    admin, member = make_user(ctx, "admin"), make_user(ctx, "member")
    with refused(Forbidden) as refusal:
        _confirm(ctx, admin, kept)
    assert "Only the person who uploaded this file" in str(refusal.error)
    with refused(Forbidden):
        _confirm(ctx, member, kept)
    assert _confirm(ctx, manager, kept).applied


def test_a_preview_expires_after_30_minutes(ctx, manager, clock, refused):
    kept = _start(ctx, manager).kept
    clock.advance(minutes=30)
    with refused(Conflict) as refusal:
        _confirm(ctx, manager, kept)
    assert "expired after 30 minutes" in str(refusal.error)


def test_a_wrong_token_finds_no_preview(ctx, manager, refused):
    kept = _start(ctx, manager).kept
    with refused(NotFound):
        import_previews.confirm_preview(ctx, actor=manager, preview_id=kept.id, token="guess")
    with refused(NotFound):
        import_previews.confirm_preview(
            ctx, actor=manager, preview_id=kept.id + 1, token=kept.token
        )


def test_a_cancelled_preview_cannot_be_imported(ctx, manager, refused):
    kept = _start(ctx, manager).kept
    cancelled = import_previews.cancel_preview(
        ctx, actor=manager, preview_id=kept.id, token=kept.token
    )
    assert (cancelled.kind, cancelled.file_name) == ("parts", "lab.csv")
    with refused(Conflict) as refusal:
        _confirm(ctx, manager, kept)
    assert "was cancelled" in str(refusal.error)


def test_a_file_that_no_longer_imports_writes_nothing_and_stays_pending(ctx, manager):
    kept = _start(ctx, manager).kept
    mat253 = instruments.find_instrument(ctx, actor=SYSTEM, ref="MAT253")
    instruments.delete_instrument(ctx, actor=SYSTEM, instrument_id=mat253.id)
    report = _confirm(ctx, manager, kept)
    assert report.applied is False
    assert any("MAT253" in error.message for error in report.errors)
    assert parts.list_parts(ctx, actor=SYSTEM).items == ()
    instruments.create_instrument(ctx, actor=SYSTEM, name="MAT253", model="MAT 253")
    assert _confirm(ctx, manager, kept).applied  # still pending: it can be imported now


def test_the_kept_options_are_applied(ctx, manager):
    _confirm(ctx, manager, _start(ctx, manager).kept)
    kept = _start(ctx, manager, b"PN,Name\nFIL-1,Rhenium filament\n", deactivate_missing=True)
    assert kept.report.deactivated == ("GSK-7",)
    assert _confirm(ctx, manager, kept.kept).deactivated == ("GSK-7",)
    assert parts.find_part(ctx, actor=SYSTEM, ref="GSK-7").is_active is False


def test_expired_previews_are_purged_and_pending_ones_kept(ctx, manager, clock):
    old = _start(ctx, manager).kept
    clock.advance(minutes=20)
    new = _start(ctx, manager).kept
    clock.advance(minutes=11)
    assert import_previews.purge_expired_previews(ctx) == 1
    with pytest.raises(NotFound):
        _confirm(ctx, manager, old)
    assert _confirm(ctx, manager, new).applied


def test_clicks_at_the_same_moment_import_the_file_once(ctx, manager):
    kept = _start(ctx, manager).kept
    barrier = threading.Barrier(4)

    def click(_: int) -> ImportReport | DomainError:
        barrier.wait(timeout=30)
        try:
            return _confirm(ctx, manager, kept)
        except DomainError as refused:
            return refused

    with ThreadPoolExecutor(max_workers=4) as pool:
        results = list(pool.map(click, range(4)))
    applied = [r for r in results if isinstance(r, ImportReport)]
    assert len(applied) == 1
    assert applied[0].applied
    refusals = [str(r) for r in results if isinstance(r, Conflict)]
    assert refusals == ["lab.csv was already imported; nothing was changed this time."] * 3
    filament = parts.find_part(ctx, actor=SYSTEM, ref="FIL-1")
    assert len(stock.part_history(ctx, actor=SYSTEM, part_id=filament.id).items) == 1
