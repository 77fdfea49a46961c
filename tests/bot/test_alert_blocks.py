"""The alert message builders: what each state shows, which buttons remain, Slack's limits."""

from __future__ import annotations

from dataclasses import replace
from datetime import UTC, datetime, timedelta

from bot import blocks
from bot.blocks.alert_admin import delivery_problem_blocks, render_routes
from bot.blocks.alert_message import (
    render_alert_digest,
    render_alert_message,
    render_alert_reminder,
    render_daily_summary,
)
from bot.ids import ActionId
from domain.notices import (
    AffectedInstrument,
    AlertCause,
    AlertDigest,
    AlertNotice,
    AlertReminder,
    DailySummary,
    DeliveryProblem,
    RouteView,
)
from domain.results import AlertView, Page, PartView
from tests.bot.alerting import buttons
from tests.bot.blocks_samples import texts

NOW = datetime(2026, 11, 26, 9, 30, tzinfo=UTC)


def _part(**fields) -> PartView:
    base = {
        "id": 7,
        "part_number": "FIL-1002",
        "name": "Rhenium filament",
        "description": None,
        "category": "Filaments",
        "manufacturer": None,
        "unit_of_measure": "pcs",
        "location": "Cabinet 3",
        "quantity_in_stock": 2,
        "minimum_stock_level": 5,
        "is_critical": True,
        "is_active": True,
        "created_at": NOW,
        "updated_at": None,
    }
    return PartView(**{**base, **fields})


def _alert(**fields) -> AlertView:
    base = {
        "id": 41,
        "kind": "low_stock",
        "part_id": 7,
        "part_number": "FIL-1002",
        "part_name": "Rhenium filament",
        "instrument_id": None,
        "instrument_name": None,
        "message": "Low stock: FIL-1002",
        "severity": "critical",
        "status": "open",
        "current_stock": 2,
        "threshold_stock": 5,
        "created_at": NOW,
        "created_by_id": None,
        "acknowledged_at": None,
        "acknowledged_by_id": None,
        "resolved_at": None,
        "resolved_by_id": None,
        "resolution_note": None,
        "snoozed_until": None,
        "channel_id": None,
        "message_ts": None,
        "delivered_at": None,
        "delivery_attempts": 0,
        "last_error": None,
    }
    return AlertView(**{**base, **fields})


def _notice(**fields) -> AlertNotice:
    base = {
        "alert": _alert(),
        "part": _part(),
        "instruments": (
            AffectedInstrument(1, "MAT253", "operational", True),
            AffectedInstrument(2, "Kiel IV", "operational", False),
        ),
        "cause": AlertCause(
            kind="movement",
            actor="alice",
            delta=-3,
            quantity_after=2,
            reason="source change",
            instrument_name="MAT253",
            at=NOW,
        ),
        "topic": None,
        "acknowledged_by": None,
        "resolved_by": None,
        "snoozed_by": None,
    }
    return AlertNotice(**{**base, **fields})


def _shown(message: dict) -> str:
    return message["text"] + str(message["blocks"])


def test_an_open_low_stock_alert_shows_part_stock_instruments_cause_and_every_button():
    message = render_alert_message(_notice())
    blocks.check_message(message)
    shown = _shown(message)
    assert message["blocks"][0]["text"]["text"] == "🚨 Critical · Low stock: FIL-1002"
    assert "Stock *2 pcs* (minimum 5)" in shown
    assert "Cabinet 3" in shown
    assert shown.index(":rotating_light: *MAT253* affected") < shown.index("Also needed by Kiel IV")
    assert "Caused by *alice*: took 3 for *MAT253* — _source change_" in shown
    assert buttons(message) == [
        ActionId.ALERT_MESSAGE_ACKNOWLEDGE,
        ActionId.PART_RESTOCK,
        ActionId.REORDER_OPEN,
        ActionId.ALERT_MESSAGE_SNOOZE,
        ActionId.ALERT_MESSAGE_RESOLVE,
    ]
    snooze = message["blocks"][-1]["elements"][3]
    assert [o["text"]["text"] for o in snooze["options"]] == ["1 hour", "1 day", "1 week"]
    assert blocks.unpack(snooze["options"][1]["value"]) == {"id": 41, "s": 86400}


def test_acknowledged_drops_acknowledge_and_says_who():
    notice = _notice(alert=_alert(status="acknowledged"), acknowledged_by="bob")
    message = render_alert_message(notice)
    assert "Acknowledged* by *bob*" in _shown(message)
    assert ActionId.ALERT_MESSAGE_ACKNOWLEDGE not in buttons(message)
    assert ActionId.ALERT_MESSAGE_RESOLVE in buttons(message)


def test_resolved_has_no_buttons_and_shows_who_and_why():
    notice = _notice(
        alert=_alert(status="resolved", resolved_at=NOW, resolution_note="Restocked"),
        resolved_by="carol",
    )
    message = render_alert_message(notice)
    assert buttons(message) == []
    assert "Resolved* by *carol*" in _shown(message)
    assert "_Restocked_" in _shown(message)


def test_snoozed_shows_until_when_and_by_whom():
    until = NOW + timedelta(days=1)
    message = render_alert_message(_notice(alert=_alert(snoozed_until=until), snoozed_by="dan"))
    assert "Snoozed until <!date^" in _shown(message)
    assert "by *dan*" in _shown(message)


def test_user_text_cannot_mention_the_channel_or_fake_links():
    notice = _notice(
        part=_part(name="<!channel> filament", location="<https://evil|here>"),
        alert=_alert(part_name="<!channel> filament"),
        cause=AlertCause(kind="person", actor="eve<!here>", at=NOW),
    )
    shown = _shown(render_alert_message(notice))
    assert "<!channel>" not in shown
    assert "&lt;!channel&gt;" in shown
    assert "<https://evil" not in shown
    assert "<!here>" not in shown


FAKE_LINE = ":white_check_mark: *Resolved by admin*"


def test_user_text_cannot_start_a_line_of_its_own():
    """Notes and reasons may hold line breaks, and names stored before names had to be one
    line may too: shown inline, they stay on their line and cannot fake a status line."""
    fake = f"Septa\n{FAKE_LINE}"
    open_notice = _notice(
        alert=_alert(part_name=fake, snoozed_until=NOW),
        part=_part(name=fake, location=f"Cabinet\u2028{FAKE_LINE}", unit_of_measure=fake),
        instruments=(AffectedInstrument(1, fake, "operational", True),),
        cause=AlertCause(
            kind="movement", actor="alice", delta=-3, reason=fake, instrument_name=fake, at=NOW
        ),
        snoozed_by=fake,
    )
    resolved = _notice(
        alert=_alert(status="resolved", resolved_at=NOW, resolution_note=f"done\r\n{FAKE_LINE}"),
        resolved_by="carol",
    )
    manual = _notice(
        alert=_alert(kind="manual", part_id=None, part_number=None, message=fake), part=None
    )
    shown = [
        render_alert_message(open_notice),
        render_alert_message(resolved),
        render_alert_digest(AlertDigest(notices=(open_notice, manual), total=2)),
        render_alert_reminder(AlertReminder(notices=(open_notice, manual), open_since=NOW)),
    ]
    for message in shown:
        lines = [line for text in texts(message) for line in text.split("\n")]
        assert not [line for line in lines if line.lstrip("• _").startswith(FAKE_LINE)], lines
        assert f"Septa {FAKE_LINE}" in "\n".join(lines) or "done" in "\n".join(lines)
    # An alert's own message is a block of its own and keeps its lines.
    assert f"Septa\n{FAKE_LINE}" in list(texts(render_alert_message(manual)))


def test_a_maintenance_reminder_has_done_and_no_restock():
    notice = _notice(
        alert=_alert(
            kind="maintenance",
            part_id=None,
            part_number=None,
            part_name=None,
            instrument_id=3,
            instrument_name="MAT253",
            message="Maintenance due on 2026-12-01.",
            severity="warning",
        ),
        part=None,
        instruments=(),
        cause=AlertCause(kind="scan", at=NOW),
        topic="maintenance_due",
    )
    message = render_alert_message(notice)
    assert message["blocks"][0]["text"]["text"] == "⚠️ Warning · Maintenance due: MAT253"
    assert ActionId.ALERT_MESSAGE_DONE in buttons(message)
    assert ActionId.PART_RESTOCK not in buttons(message)
    assert "scheduled check" in _shown(message)


def test_a_digest_of_many_alerts_fits_one_message_and_shows_the_worst_first():
    notices = tuple(
        _notice(
            alert=_alert(id=i, part_number=f"P-{i:03}", severity="warning"),
            part=_part(id=i, part_number=f"P-{i:03}", quantity_in_stock=4),
        )
        for i in range(200)
    )
    worst = _notice(
        alert=_alert(id=999, part_number="P-999"), part=_part(id=999, quantity_in_stock=0)
    )
    message = render_alert_digest(AlertDigest(notices=(*notices, worst), total=201))
    blocks.check_message(message)
    shown = _shown(message)
    assert "201 new alerts" in shown
    assert "*1* critical · *200* warning" in shown
    assert shown.index("P-999") < shown.index("P-000")
    assert buttons(message) == [ActionId.ALERT_DIGEST_LIST]


def test_reminder_summary_routes_and_problems_stay_within_limits():
    notices = (_notice(), _notice(alert=_alert(id=42, part_number="FIL-2")))
    reminder = render_alert_reminder(AlertReminder(notices=notices, open_since=NOW))
    assert "2 of these alerts are still open" in reminder["text"]
    single = render_alert_reminder(AlertReminder(notices=notices[:1], open_since=NOW))
    assert "Still open and not acknowledged" in single["text"]
    assert buttons(single) == []
    summary = DailySummary(3, 1, 12, 2, 1, notices, 4)
    for message in (reminder, single, render_daily_summary(summary)):
        blocks.check_message(message)
    routes = [RouteView(1, "category", "Filaments", None, None, "C0FIL")]
    assert "<#C0FIL>" in _shown(render_routes(routes, default_channel="C0LAB"))
    problem = DeliveryProblem(
        alert=_alert(), attempts=3, error="channel_not_found", next_attempt_at=NOW
    )
    retrying = replace(problem, error="internal_error (HTTP 500)")
    text = str(delivery_problem_blocks([problem, retrying]))
    assert ":no_entry:" in text
    assert ":hourglass:" in text


FORECAST_TEXT = "at 3.2/week, 9 left lasts ~20 days; lead time 21 days"


def _forecast_notice(**fields) -> AlertNotice:
    alert = _alert(kind="forecast", severity="warning", message=FORECAST_TEXT, **fields)
    return _notice(
        alert=alert, part=_part(quantity_in_stock=9), cause=AlertCause(kind="scan", at=NOW)
    )


def test_a_forecast_alert_says_it_runs_out_before_a_reorder_would_arrive_with_its_numbers():
    message = render_alert_message(_forecast_notice())
    blocks.check_message(message)
    assert message["blocks"][0]["text"]["text"] == (
        ":crystal_ball: Forecast: FIL-1002 runs out before a reorder would arrive"
    )
    assert FORECAST_TEXT in _shown(message)
    assert "Stock *9 pcs* (minimum 5)" in _shown(message)
    assert message["text"].startswith(":warning: Forecast: *FIL-1002* Rhenium filament")
    assert buttons(message) == [
        ActionId.ALERT_MESSAGE_ACKNOWLEDGE,
        ActionId.PART_RESTOCK,
        ActionId.REORDER_OPEN,
        ActionId.ALERT_MESSAGE_SNOOZE,
        ActionId.ALERT_MESSAGE_RESOLVE,
    ]
    reorder = message["blocks"][-1]["elements"][2]
    assert blocks.unpack(reorder["value"]) == {"id": 7}


def test_forecast_alerts_are_named_as_such_in_lists_digests_and_the_summary():
    notice = _forecast_notice()
    page = Page(items=(notice.alert,), offset=0, limit=10, has_more=False)
    listed = blocks.render_alerts_page(page, can_manage=True)
    assert ":crystal_ball: forecast" in _shown(listed)
    assert FORECAST_TEXT in _shown(listed)
    low = _notice()
    digest = render_alert_digest(AlertDigest(notices=(notice, low), total=2))
    summary = render_daily_summary(DailySummary(2, 0, 1, 0, 1, (notice, low), 0))
    for message in (digest, summary):
        lines = [line for text in texts(message) for line in text.split("\n")]
        assert [line for line in lines if "forecast" in line] == [
            "• :warning: *FIL-1002* Rhenium filament · :crystal_ball: forecast — 9/5 pcs"
            " · *MAT253* affected"
        ]
