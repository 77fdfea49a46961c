"""The web app's logs and metrics, wired from the settings: the request-id middleware
always, ``/metrics`` (Prometheus text format) only with FARLAB_METRICS=true, behind
FARLAB_METRICS_TOKEN when it is set.

With ``serve --workers N`` the parent process makes a directory for the workers' metric
files and sets PROMETHEUS_MULTIPROC_DIR before they start (``multiprocess_metrics``); each
worker then reads it here.
"""

from __future__ import annotations

import hmac
import os
import shutil
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager

from fastapi import FastAPI, Request
from fastapi.responses import JSONResponse, Response

from farlab.settings import Settings
from observability.http import RequestObservationMiddleware
from observability.metrics import CONTENT_TYPE, FarLabMetrics

MULTIPROC_ENV = "PROMETHEUS_MULTIPROC_DIR"


def build_metrics(settings: Settings) -> FarLabMetrics | None:
    """This process's metrics when FARLAB_METRICS is on (shared by the workers' files when
    ``serve`` set a multiprocess directory)."""
    if not settings.farlab_metrics:
        return None
    return FarLabMetrics(multiprocess_dir=os.environ.get(MULTIPROC_ENV) or None)


def observe_web(web: FastAPI, settings: Settings, metrics: FarLabMetrics | None) -> None:
    """Request ids on every request (outermost middleware); ``/metrics`` with ``metrics``."""
    web.add_middleware(
        RequestObservationMiddleware, metrics=metrics, api_prefix=settings.api_prefix
    )
    if metrics is None:
        return
    token = settings.farlab_metrics_token
    expected = f"Bearer {token.get_secret_value()}".encode() if token is not None else None

    def scrape(request: Request) -> Response:
        if expected is not None:
            given = request.headers.get("authorization", "").encode()
            if not hmac.compare_digest(given, expected):
                return JSONResponse(
                    {"detail": "Not authenticated"},
                    status_code=401,
                    headers={"WWW-Authenticate": "Bearer"},
                )
        return Response(metrics.scrape(), media_type=CONTENT_TYPE)

    web.add_api_route("/metrics", scrape, methods=["GET"], include_in_schema=False)


@contextmanager
def multiprocess_metrics(settings: Settings, workers: int) -> Iterator[None]:
    """For ``serve --workers N`` with metrics on: a fresh directory for the workers' metric
    files in PROMETHEUS_MULTIPROC_DIR while they run, removed afterwards."""
    if not settings.farlab_metrics or workers < 2:
        yield
        return
    folder = tempfile.mkdtemp(prefix="farlab-metrics-")
    before = os.environ.get(MULTIPROC_ENV)
    os.environ[MULTIPROC_ENV] = folder
    try:
        yield
    finally:
        if before is None:
            os.environ.pop(MULTIPROC_ENV, None)
        else:
            os.environ[MULTIPROC_ENV] = before
        shutil.rmtree(folder, ignore_errors=True)
