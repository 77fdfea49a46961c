"""The scheduler: its jobs and their options, one run at a time, run-once, and /healthz."""

from __future__ import annotations

import logging
import threading
from datetime import date, timedelta
from pathlib import Path

import httpx
import pytest
from apscheduler.triggers.cron import CronTrigger
from apscheduler.triggers.interval import IntervalTrigger
from fastapi import FastAPI

from api.healthz import add_healthz
from bot.ids import ActionId
from console.harness import WebServer
from domain import import_previews, instruments, scheduling
from domain.permissions import SYSTEM
from farlab.settings import Settings
from farlab.web import build_web
from farlab.wiring import alert_schedule
from scheduler.__main__ import main as scheduler_main
from scheduler.health import scheduler_health
from scheduler.jobs import JOB_IDS
from tests.bot.alerting import Jobs, alert_row, buttons, eventually, low_part, posted
from tests.bot.conftest import Lab
from tests.database_faults import unwritable
from tests.factories import make_user
from tests.helpers import Clock, access_token


def test_every_job_has_its_id_coalesces_and_runs_one_instance_at_a_time(jobs: Jobs):
    settings = Settings(
        farlab_alert_scan_seconds=120, farlab_digest_hour=6, farlab_alert_channel="CLAB"
    )
    schedule = alert_schedule(settings)
    scheduler = jobs.with_schedule(**schedule.__dict__).scheduler
    options = scheduler.job_options()
    assert tuple(options) == JOB_IDS
    assert all(o["coalesce"] is True and o["max_instances"] == 1 for o in options.values())
    table = scheduler.jobs.table()
    scan = table["low_stock_scan"][1]
    assert isinstance(scan, IntervalTrigger)
    assert scan.interval == timedelta(seconds=120)
    assert isinstance(table["alert_delivery"][1], IntervalTrigger)
    digest = table["daily_digest"][1]
    assert isinstance(digest, CronTrigger)
    assert "hour='6'" in str(digest)
    assert schedule.default_channel == "CLAB"
    assert schedule.renotify_hours == 24


def test_a_job_already_running_is_skipped_not_run_twice(lab: Lab, jobs: Jobs):
    low_part(lab.ctx)
    held, release = threading.Event(), threading.Event()

    def hold() -> None:
        with scheduling.job_slot(lab.ctx, "alert_delivery") as got:
            assert got
            held.set()
            release.wait(10)

    holder = threading.Thread(target=hold)
    holder.start()
    held.wait(10)
    try:
        assert jobs.scheduler.run("alert_delivery").status == "skipped"
        assert jobs.scheduler.run("low_stock_scan").status == "ok"  # other jobs still run
    finally:
        release.set()
        holder.join(10)
    assert jobs.scheduler.run("alert_delivery").status == "ok"


def test_healthz_reports_the_scheduler_its_jobs_and_pending_deliveries(lab: Lab, jobs: Jobs):
    low_part(lab.ctx)
    lab.harness.stand_in.fail("chat.postMessage", status=503, times=None)
    jobs.with_schedule(default_channel="CLAB").run("alert_delivery")
    failing = jobs.with_schedule(default_channel="CLAB").scheduler
    assert failing.run("daily_digest").status == "failed"
    web = FastAPI()
    add_healthz(web, lab.ctx, extra=lambda: scheduler_health(lab.ctx, jobs.scheduler))
    server = WebServer(web).start()
    jobs.scheduler.start()
    admin = lab.actors["admin"]
    assert admin.user_id is not None
    token = access_token(lab.ctx, admin)
    try:
        anyone = httpx.get(f"{server.url}/healthz").json()
        body = httpx.get(f"{server.url}/healthz", headers={"Authorization": f"Bearer {token}"})
        body = body.json()
    finally:
        jobs.scheduler.shutdown()
        server.stop()
    assert anyone == {"status": "ok", "database": "ok"}  # job errors are for admins
    state = body["scheduler"]
    assert body["status"] == "ok"
    assert state["running"] is True
    assert state["pending_deliveries"] == 1
    assert set(state["jobs"]) == set(JOB_IDS)
    delivery, digest = state["jobs"]["alert_delivery"], state["jobs"]["daily_digest"]
    assert delivery["last_success"] == delivery["last_run"] is not None
    assert "failed 1" in delivery["last_result"]
    assert delivery["next_run"] is not None
    assert digest["last_success"] is None
    assert "service_unavailable" in digest["last_error"]
    assert (digest["runs"], digest["failures"]) == (1, 1)
    assert state["jobs"]["alert_renotify"]["last_run"] is None
    stopped = scheduler_health(lab.ctx, jobs.scheduler)["scheduler"]
    assert stopped["running"] is False
    assert stopped["jobs"]["daily_digest"]["failures"] == 1


def test_the_daily_digest_is_posted_once_a_day(lab: Lab, jobs: Jobs, clock: Clock):
    low_part(lab.ctx, stock=0)
    daily = jobs.with_schedule(default_channel="CLAB")
    assert daily.run("daily_digest").detail.startswith("posted to CLAB")
    assert daily.run("daily_digest").detail == "skipped: already posted today"
    [summary] = posted(lab.harness.stand_in, "CLAB")
    assert "daily summary" in summary["text"]
    assert "FIL-1002" in str(summary["blocks"])
    clock.advance(days=1)
    assert daily.run("daily_digest").detail.startswith("posted")
    assert len(posted(lab.harness.stand_in, "CLAB")) == 2


def test_import_previews_past_their_30_minutes_are_deleted(lab: Lab, jobs: Jobs, clock: Clock):
    def keep(name: str) -> import_previews.KeptPreview | None:
        data = f"PN,Name\n{name},Part {name}\n".encode()
        manager = lab.actors["manager"]
        started = import_previews.start_preview(
            lab.ctx, actor=manager, kind="parts", data=data, file_name=f"{name}.csv"
        )
        return started.kept

    keep("OLD-1")
    clock.advance(minutes=25)
    newer = keep("NEW-1")
    assert jobs.run("import_preview_cleanup").detail == "deleted 0"
    clock.advance(minutes=6)
    assert jobs.run("import_preview_cleanup").detail == "deleted 1"
    assert newer is not None
    manager = lab.actors["manager"]
    confirmed = import_previews.confirm_preview(
        lab.ctx, actor=manager, preview_id=newer.id, token=newer.token
    )
    assert confirmed.applied


def test_out_of_service_raises_a_critical_alert_that_operational_resolves(lab: Lab, jobs: Jobs):
    kiel = instruments.create_instrument(lab.ctx, actor=SYSTEM, name="Kiel IV", model="Kiel")
    lab.command("manager", "alerts route Kiel IV <#CKIEL|kiel>")
    instruments.set_instrument_status(
        lab.ctx,
        actor=lab.actors["manager"],
        instrument_id=kiel.id,
        status="out_of_service",
        note="valve stuck",
    )
    row = alert_row(lab.ctx, instrument_id=kiel.id)
    assert (row.kind, row.topic, row.severity) == ("maintenance", "out_of_service", "critical")
    jobs.deliver()
    [message] = posted(lab.harness.stand_in, "CKIEL")
    assert "Out of service" in message["text"]
    assert "valve stuck" in str(message["blocks"])
    instruments.set_instrument_status(
        lab.ctx, actor=lab.actors["manager"], instrument_id=kiel.id, status="operational"
    )
    assert alert_row(lab.ctx, instrument_id=kiel.id).status == "resolved"
    assert "messages updated 1" in jobs.deliver()


def test_done_on_a_maintenance_reminder_moves_the_next_due_date(lab: Lab, jobs: Jobs, clock: Clock):
    today = clock.now.date()
    mat = instruments.create_instrument(
        lab.ctx,
        actor=SYSTEM,
        name="MAT253",
        model="MAT",
        next_maintenance_due=today + timedelta(days=3),
        maintenance_interval_days=90,
        next_calibration_due=today + timedelta(days=30),
    )
    lab.command("manager", "alerts route MAT253 <#CMAT|mat>")
    assert jobs.run("maintenance_reminders").detail == "opened 1"
    assert jobs.run("maintenance_reminders").detail == "opened 0"
    jobs.deliver()
    [message] = posted(lab.harness.stand_in, "CMAT")
    assert ActionId.ALERT_MESSAGE_DONE in buttons(message)
    assert f"Maintenance due on {today + timedelta(days=3)}" in str(message["blocks"])
    lab.harness.slack.block_action("UMANAGER", ActionId.ALERT_MESSAGE_DONE, message=message)
    lab.harness.stand_in.wait_for("chat.update")
    found = instruments.get_instrument(lab.ctx, actor=SYSTEM, instrument_id=mat.id)
    assert found.next_maintenance_due == today + timedelta(days=90)
    row = alert_row(lab.ctx, instrument_id=mat.id)
    assert row.status == "resolved"
    assert "next due" in (row.resolution_note or "")
    eventually(lambda: "Resolved" in str(posted(lab.harness.stand_in, "CMAT")[0]["blocks"]))


def test_run_once_runs_the_jobs_from_the_command_line(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str], stand_in
):
    monkeypatch.chdir(tmp_path)
    monkeypatch.setenv("DATABASE_URL", f"sqlite:///{tmp_path / 'farlab.db'}")
    monkeypatch.setenv("SLACK_BOT_TOKEN", "xoxb-farlab-local")
    monkeypatch.setenv("SLACK_API_URL", stand_in.base_url)
    assert scheduler_main(["run-once", "low_stock_scan"]) == 0
    assert capsys.readouterr().out == "low_stock_scan: ok: opened 0, resolved 0\n"
    assert scheduler_main(["run-once"]) == 0
    lines = capsys.readouterr().out.splitlines()
    assert [line.split(":")[0] for line in lines] == list(JOB_IDS)
    monkeypatch.delenv("SLACK_BOT_TOKEN")
    assert scheduler_main(["run-once"]) == 2
    assert "SLACK_BOT_TOKEN" in capsys.readouterr().err


def test_maintenance_notice_window_counts_from_today(lab: Lab, jobs: Jobs, clock: Clock):
    today: date = clock.now.date()
    instruments.create_instrument(
        lab.ctx,
        actor=SYSTEM,
        name="Far",
        model="M",
        next_calibration_due=today + timedelta(days=8),
    )
    instruments.create_instrument(
        lab.ctx, actor=SYSTEM, name="Late", model="M", next_calibration_due=today - timedelta(1)
    )
    assert jobs.run("maintenance_reminders").detail == "opened 1"
    row = alert_row(lab.ctx, topic="calibration_due")
    assert row.severity == "critical"
    assert "Calibration due on" in row.message


def test_serve_builds_the_scheduler_unless_told_not_to_and_healthz_shows_it(ctx, stand_in):
    settings = Settings(
        slack_bot_token="xoxb-farlab-local",
        slack_signing_secret="a-signing-secret",
        slack_api_url=stand_in.base_url,
        farlab_alert_channel="C0LAB",
    )
    web, runtime, scheduler = build_web(settings, ctx, with_scheduler=True)
    assert scheduler is not None
    assert scheduler.jobs.schedule.default_channel == "C0LAB"
    assert runtime is not None
    assert runtime.alert_channel == "C0LAB"
    server = WebServer(web).start()
    scheduler.start()
    admin = make_user(ctx, "admin")
    assert admin.user_id is not None
    token = access_token(ctx, admin)
    try:
        answer = httpx.get(f"{server.url}/healthz", headers={"Authorization": f"Bearer {token}"})
        state = answer.json()["scheduler"]
        assert state["running"] is True
        assert state["pending_deliveries"] == 0
        assert all(job["next_run"] for job in state["jobs"].values())
    finally:
        scheduler.shutdown()
        server.stop()
        runtime.shutdown()
    web, runtime, scheduler = build_web(settings, ctx, with_scheduler=False)
    assert scheduler is None
    assert runtime is not None
    runtime.shutdown()


def test_alert_settings_have_defaults_and_refuse_a_channel_name():
    settings = Settings(farlab_alert_channel="")
    assert settings.farlab_alert_channel is None
    assert (settings.farlab_alert_scan_seconds, settings.farlab_renotify_hours) == (300, 24)
    assert (settings.farlab_maintenance_notice_days, settings.farlab_alert_burst) == (7, 10)
    with pytest.raises(ValueError, match="channel id"):
        Settings(farlab_alert_channel="#lab-alerts")


def test_a_job_run_while_the_database_is_unavailable_fails_with_one_warning(
    lab: Lab, jobs: Jobs, caplog: pytest.LogCaptureFixture
):
    low_part(lab.ctx)
    with unwritable(lab.ctx.db):
        outcomes = [jobs.scheduler.run(job_id) for job_id in ("low_stock_scan", "alert_delivery")]
    assert [o.status for o in outcomes] == ["failed", "failed"]
    assert all("cannot save changes right now" in o.detail for o in outcomes)
    assert not [r for r in caplog.records if r.levelno >= logging.ERROR or r.exc_info]
