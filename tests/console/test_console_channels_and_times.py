"""The console as a newcomer sees Slack: a channel picker in a form, channels by name, and
times in the machine's own zone."""

from __future__ import annotations

import os
import re
import subprocess
import sys
from datetime import timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

from console.mrkdwn import render_date
from domain import parts, stock
from domain.context import DomainContext
from domain.permissions import SYSTEM
from persistence.db import Database

ROOT = Path(__file__).resolve().parents[2]
ZONE = "Asia/Tokyo"
SCRIPT = """\
as lab.manager
/farlab alerts route
expect Route alerts
expect a channel: #name
field Category or instrument Filaments
field Channel #lab
submit
expect Alerts for category Filaments → #lab
/farlab alerts routes
expect category Filaments → #lab
/farlab part FIL-1272
expect Initial stock
"""


def test_a_manager_picks_the_alert_channel_by_name_and_sees_times_in_the_local_zone(
    tmp_path: Path,
) -> None:
    db_path, script = tmp_path / "farlab.db", tmp_path / "steps.txt"
    script.write_text(SCRIPT, encoding="utf-8")
    env = {
        "PATH": os.environ.get("PATH", ""),
        "PYTHONPATH": str(ROOT),
        "HOME": str(tmp_path),
        "DATABASE_URL": f"sqlite:///{db_path}",
        "BCRYPT_ROUNDS": "4",
        "TZ": ZONE,  # the machine's local zone
    }
    played = subprocess.run(
        [sys.executable, "-m", "bot", "console", "--demo", "--script", str(script)],
        capture_output=True,
        text=True,
        env=env,
        cwd=tmp_path,
        timeout=180,
        check=False,
    )
    assert played.returncode == 0, played.stdout + played.stderr
    assert "C0LAB" not in played.stdout  # channels by name, never by id

    ctx = DomainContext(db=Database.from_url(f"sqlite:///{db_path}"), secret_key="x" * 40)
    part = parts.search_parts(ctx, actor=SYSTEM, query="FIL-1272").items[0]
    [first] = stock.part_history(ctx, actor=SYSTEM, part_id=part.id).items
    epoch = int(first.created_at.timestamp())
    clock = render_date(epoch, "{time}", zone=ZoneInfo(ZONE))
    day = (first.created_at.astimezone(ZoneInfo(ZONE))).date()
    shown = {
        render_date(epoch, "{date_short_pretty} {time}", zone=ZoneInfo(ZONE), today=today)
        for today in (day, day + timedelta(days=1))  # rendered just before midnight there
    }
    assert any(f"• {when} +11 → 11 pcs" in played.stdout for when in shown), (clock, shown)
    assert not re.search(r"\d\d:\d\d UTC", played.stdout)
