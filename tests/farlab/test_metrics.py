"""/metrics: off unless FARLAB_METRICS, behind FARLAB_METRICS_TOKEN when set, and counting
requests, Slack Web API calls, alert deliveries, job runs and stock movements."""

from __future__ import annotations

from domain import identities
from domain.permissions import SYSTEM
from tests.factories import make_part, make_user
from tests.farlab.observed_web import observed_web, samples, value


def _link(ctx, slack, role: str, slack_user_id: str) -> None:
    user = make_user(ctx, role)
    identities.link_identity(
        ctx,
        actor=SYSTEM,
        team_id=slack.team_id,
        slack_user_id=slack_user_id,
        user_id=user.user_id,
    )


def test_metrics_count_a_command_an_api_route_a_429_a_delivery_a_job_and_a_movement(ctx):
    make_part(ctx, "FIL-1", quantity=5, minimum=3)  # before serving: not counted
    with observed_web(ctx, farlab_metrics=True) as web:
        _link(ctx, web.slack, "member", "UMEMBER")
        assert web.slack.command("UMEMBER", "use FIL-1 3").status_code == 200  # now low
        assert web.http.get("/api/parts/424242").status_code == 404
        assert web.http.get("/api/parts/424243").status_code == 404
        web.stand_in.fail("chat.postMessage", status=429, retry_after=1)
        outcome = web.scheduler.run("alert_delivery")
        assert outcome.status == "ok", outcome
        assert "failed 1" in outcome.detail
        scraped = web.http.get("/metrics")
    assert scraped.status_code == 200
    assert scraped.headers["content-type"].startswith("text/plain")
    found = samples(scraped.text)

    def counted(name: str, **labels: str) -> float | None:
        return value(found, name, **labels)

    assert counted("farlab_requests_total", surface="slack", route="/farlab use") == 1
    assert (
        counted("farlab_request_duration_seconds_count", surface="slack", route="/farlab use") == 1
    )
    # The route's template, once for both parts asked for; raw paths are no label.
    assert counted("farlab_requests_total", surface="api", route="/api/parts/{part_id}") == 2
    assert not [k for k in found if ("route", "/api/parts/424242") in k[1]]
    assert counted("farlab_stock_movements_total", source="slack") == 1
    assert counted("farlab_slack_api_calls_total", method="chat.postMessage", outcome="429") == 1
    assert counted("farlab_alert_deliveries_total", outcome="failed") == 1
    assert counted("farlab_alert_deliveries_total", outcome="posted") == 0
    assert counted("farlab_job_runs_total", job="alert_delivery", outcome="ok") == 1
    assert counted("farlab_job_duration_seconds_count", job="alert_delivery") == 1


def test_metrics_need_the_bearer_token_when_one_is_set(ctx):
    token = "metrics-token-0123456789"
    with observed_web(ctx, farlab_metrics=True, farlab_metrics_token=token) as web:
        assert web.http.get("/metrics").status_code == 401
        wrong = web.http.get("/metrics", headers={"Authorization": "Bearer not-the-token"})
        assert wrong.status_code == 401
        assert wrong.headers["www-authenticate"] == "Bearer"
        right = web.http.get("/metrics", headers={"Authorization": f"Bearer {token}"})
        assert right.status_code == 200
        assert "farlab_requests_total" in right.text


def test_no_metrics_route_unless_farlab_metrics_is_on(ctx):
    with observed_web(ctx) as web:
        assert web.http.get("/metrics").status_code == 404


def test_a_sane_x_request_id_is_echoed_and_any_other_replaced(ctx):
    with observed_web(ctx) as web:
        sent = web.http.get("/healthz", headers={"X-Request-ID": "proxy-1234.abc"})
        assert sent.headers["x-request-id"] == "proxy-1234.abc"
        odd = web.http.get("/healthz", headers={"X-Request-ID": "no spaces <or> markup"})
        assert odd.headers["x-request-id"] not in ("", "no spaces <or> markup")
        # Slack's requests are named by Slack's own id: the trigger id of a command.
        answer = web.slack.command("UNOBODY", "help")
        assert answer.headers["x-request-id"].count(".") == 2  # <time>.<n>.<hex>
