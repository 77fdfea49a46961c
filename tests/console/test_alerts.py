"""The scheduler's jobs in the console: alerts arrive in #lab after the step that opened
them, are acknowledged there in place, and ``tick`` runs every job once."""

from __future__ import annotations

from datetime import timedelta
from pathlib import Path

from console.session import CHANNEL
from tests.bot.conftest import Lab
from tests.console.support import play
from tests.factories import make_instrument, make_part


def test_an_alert_opened_by_a_step_is_in_lab_and_acknowledged_there_in_place(
    lab: Lab, tmp_path: Path
) -> None:
    make_part(lab.ctx, "FIL-7", "Rhenium filament", quantity=5, minimum=3)
    member, manager = lab.actors["member"].username, lab.actors["manager"].username
    status, out = play(
        lab,
        tmp_path,
        f"as {member}\n/farlab use FIL-7 3\n"
        "expect A low-stock alert is now open\n"
        "expect Low stock: FIL-7\nexpect [2] Acknowledge\n"
        f"as {manager}\nchannel\nexpect Low stock: FIL-7\npress 1\n"
        f"expect #lab · FarLab · updated\nexpect Acknowledged by {manager}\n"
        f"channel\nexpect Acknowledged by {manager}\n",
    )
    assert status == 0, out
    stand_in = lab.harness.stand_in
    [alert_message] = stand_in.messages(CHANNEL)  # updated in place, not posted twice
    assert ":eyes: *Acknowledged*" in str(alert_message["blocks"])
    updates = stand_in.calls("chat.update")
    assert updates
    assert {(c.body["channel"], c.body["ts"]) for c in updates} == {(CHANNEL, alert_message["ts"])}


def test_alerts_waiting_at_the_start_are_posted_and_the_person_is_told_where(
    lab: Lab, tmp_path: Path
) -> None:
    make_part(lab.ctx, "FIL-8", "Tungsten filament", quantity=1, minimum=3)
    status, out = play(lab, tmp_path, "channel\nexpect Low stock: FIL-8\n")
    assert status == 0, out
    assert "FarLab posted 1 message in #lab: type `channel` to see it." in out


def test_tick_runs_every_scheduled_job_and_posts_what_they_opened(lab: Lab, tmp_path: Path) -> None:
    due = lab.ctx.now().date() + timedelta(days=1)
    make_instrument(lab.ctx, "Kiel IV", next_maintenance_due=due, maintenance_interval_days=90)
    status, out = play(
        lab,
        tmp_path,
        "tick\nexpect low_stock_scan: opened 0\nexpect maintenance_reminders: opened 1\n"
        "expect daily_digest: posted\nexpect FarLab daily summary\n"
        "expect Maintenance due: Kiel IV\n"
        "expect weekly_report: posted to C0LAB\nexpect FarLab weekly report\n"
        "jobs\nexpect daily_digest: skipped: already posted today\n"
        "expect weekly_report: skipped: already posted this week\n",
    )
    assert status == 0, out
    assert len(lab.harness.stand_in.messages(CHANNEL)) == 3  # the summary, report and alert


def test_tick_with_job_names_runs_only_those(lab: Lab, tmp_path: Path) -> None:
    make_part(lab.ctx, "FIL-8", "Tungsten filament", quantity=1, minimum=3)
    status, out = play(
        lab,
        tmp_path,
        "tick forecast_scan weekly_report\nexpect Ran forecast_scan, weekly_report once:\n"
        "expect forecast_scan: forecasts 0, too little history\n"
        "expect weekly_report: posted to C0LAB\ntick daily_digest nonsense\n",
    )
    assert status == 1, out
    assert "daily_digest:" not in out
    assert "There is no job 'nonsense'; the jobs: low_stock_scan," in out
