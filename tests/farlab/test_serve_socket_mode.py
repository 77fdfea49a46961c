"""``serve`` in Socket Mode (SLACK_APP_TOKEN, no signing secret) with Slack unreachable:
the process stays up and serves HTTP, says so in one line per try (no traceback), retries
with growing delays, and /slack/events tells why it is not served."""

from __future__ import annotations

import re
import time
from pathlib import Path

import httpx

from console.harness import free_port
from tests.farlab.serve_process import serve_env, serving

TRY = re.compile(r"Socket Mode: cannot connect to Slack \(.*\); trying again in ([\d.]+) s")


def test_serve_in_socket_mode_outlives_an_unreachable_slack(tmp_path: Path) -> None:
    env = serve_env(
        tmp_path,
        SLACK_BOT_TOKEN="xoxb-socket-mode",
        SLACK_APP_TOKEN="xapp-1-A0FARLAB-1-socketmode",
        SLACK_API_URL=f"http://127.0.0.1:{free_port()}/api/",  # nothing listens there
    )
    log = tmp_path / "serve.log"
    with serving(env, log, "--no-scheduler") as (url, proc):
        deadline = time.monotonic() + 20
        while len(TRY.findall(log.read_text())) < 3 and time.monotonic() < deadline:
            time.sleep(0.1)
        assert proc.poll() is None  # still serving
        assert httpx.get(f"{url}/healthz").status_code == 200
        refused = httpx.post(f"{url}/slack/events", content=b"{}")
        assert refused.status_code == 404
        assert refused.json()["error"] == "socket_mode_only"
        assert "SLACK_SIGNING_SECRET" in refused.json()["detail"]
    text = log.read_text()
    delays = [float(d) for d in TRY.findall(text)]
    assert len(delays) >= 3, text
    # Up to 1 s, 2 s and 4 s (each less up to half, the jitter): they grow.
    assert delays[0] <= delays[1] <= delays[2], delays
    assert delays[0] < delays[2], delays
    assert "Traceback" not in text
    assert "xapp-1-A0FARLAB-1-socketmode" not in text
    lines = text.splitlines()
    assert len(lines) == len(delays) + 1, text  # plus one: the bot token's check put off
