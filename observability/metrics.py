"""FarLab's Prometheus metrics, in one registry per process.

| metric | labels |
|---|---|
| ``farlab_requests_total``, ``farlab_request_duration_seconds`` | surface, route |
| ``farlab_slack_api_calls_total`` | method, outcome (ok, Slack's error code, 429, network) |
| ``farlab_alert_deliveries_total`` | outcome (posted, found, digest, failed) |
| ``farlab_job_runs_total``, ``farlab_job_duration_seconds`` | job, outcome (ok, failed, skipped) |
| ``farlab_stock_movements_total`` | source (slack, api, import, system) |

Surfaces are ``slack``, ``api`` and ``pages``. Every label has a bounded set of values:
routes are templates (``/api/parts/{part_id}``), Slack requests are named by command word
or action family, never by user text.

With ``multiprocess_dir`` (``serve --workers N``), the values are kept in files there by
every worker (prometheus-client's multiprocess mode, chosen by PROMETHEUS_MULTIPROC_DIR
when the library is imported) and a scrape adds up all the workers' files.
"""

from __future__ import annotations

from prometheus_client import CollectorRegistry, Counter, Histogram, generate_latest
from prometheus_client.exposition import CONTENT_TYPE_LATEST
from prometheus_client.multiprocess import MultiProcessCollector

CONTENT_TYPE = CONTENT_TYPE_LATEST
# Seconds: Slack wants its answer within 3 s; jobs may take a minute.
REQUEST_BUCKETS = (0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1.0, 2.5, 5.0, 10.0)
JOB_BUCKETS = (0.01, 0.05, 0.1, 0.5, 1.0, 5.0, 15.0, 30.0, 60.0, 300.0)


class FarLabMetrics:
    def __init__(self, *, multiprocess_dir: str | None = None) -> None:
        self.multiprocess_dir = multiprocess_dir
        self.registry = CollectorRegistry(auto_describe=True)
        r = self.registry
        self.requests = Counter(
            "farlab_requests", "Requests handled", ["surface", "route"], registry=r
        )
        self.request_seconds = Histogram(
            "farlab_request_duration_seconds",
            "Time to answer a request",
            ["surface", "route"],
            buckets=REQUEST_BUCKETS,
            registry=r,
        )
        self.slack_api_calls = Counter(
            "farlab_slack_api_calls", "Slack Web API calls", ["method", "outcome"], registry=r
        )
        self.alert_deliveries = Counter(
            "farlab_alert_deliveries", "Alerts delivered to Slack", ["outcome"], registry=r
        )
        self.job_runs = Counter(
            "farlab_job_runs", "Scheduled job runs", ["job", "outcome"], registry=r
        )
        self.job_seconds = Histogram(
            "farlab_job_duration_seconds",
            "Time a job run took",
            ["job"],
            buckets=JOB_BUCKETS,
            registry=r,
        )
        self.stock_movements = Counter(
            "farlab_stock_movements", "Stock movements recorded", ["source"], registry=r
        )

    # What the entrypoints report.

    def request_handled(self, surface: str, route: str, seconds: float) -> None:
        self.requests.labels(surface, route).inc()
        self.request_seconds.labels(surface, route).observe(seconds)

    def slack_api_called(self, method: str, outcome: str) -> None:
        self.slack_api_calls.labels(method, outcome).inc()

    def job_ran(self, job: str, outcome: str, seconds: float) -> None:
        self.job_runs.labels(job, outcome).inc()
        self.job_seconds.labels(job).observe(seconds)

    # What the domain reports (``domain.observation.Observer``).

    def stock_moved(self, source: str, count: int = 1) -> None:
        self.stock_movements.labels(source).inc(count)

    def alerts_delivered(self, outcome: str, count: int) -> None:
        self.alert_deliveries.labels(outcome).inc(count)

    def scrape(self) -> bytes:
        """The Prometheus text exposition of every metric (all workers' in multiprocess
        mode)."""
        if self.multiprocess_dir is None:
            return generate_latest(self.registry)
        collected = CollectorRegistry()
        MultiProcessCollector(collected, path=self.multiprocess_dir)  # type: ignore[no-untyped-call]
        return generate_latest(collected)
