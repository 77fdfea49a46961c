"""``GET /``, ``GET /health`` and ``GET /healthz``: public "is it up", details for admins,
and 503 when the database cannot be reached or written."""

from __future__ import annotations

import os
from dataclasses import replace

import pytest
from fastapi import FastAPI
from fastapi.testclient import TestClient

from api import create_api
from api.healthz import add_healthz
from console.harness import free_port
from domain.context import DomainContext
from persistence.db import Database
from tests.api.support import assert_json_error, bearer, ui_headers
from tests.conftest import TEST_SECRET
from tests.database_faults import unwritable
from tests.factories import PASSWORD

SCHEDULER = {"scheduler": {"running": True, "jobs": {"scan": {"last_error": "boom at host x"}}}}


def _app(ctx: DomainContext) -> FastAPI:
    """The API with /healthz beside it, as ``serve`` builds it, with a scheduler report."""
    app = create_api(ctx, cors_origins=[], health_extra=lambda: SCHEDULER)
    add_healthz(app, ctx, extra=lambda: SCHEDULER)
    return app


def test_root_welcomes(client):
    assert client.get("/").json() == {
        "message": "Welcome to FARLAB Inventory Management System",
        "version": "0.1.0",
        "status": "running",
        "docs": "/docs",
    }


def test_health_tells_an_admin_the_account_count_and_the_scheduler(ctx, clock, lab):
    with TestClient(_app(ctx)) as client:
        body = client.get("/health", headers=bearer(ctx, lab.admin)).json()
    assert body == {
        "status": "healthy",
        "database": "connected",
        "user_count": 3,
        "timestamp": clock.now.timestamp(),
        **SCHEDULER,
    }


@pytest.mark.parametrize("who", ["anonymous", "member", "manager", "expired"])
def test_health_tells_anyone_else_only_that_the_service_is_up(ctx, clock, lab, who):
    actor = getattr(lab, who, None)
    headers = bearer(ctx, actor) if actor else {}
    if who == "expired":
        headers = bearer(ctx, lab.admin)
        clock.advance(days=1)
    with TestClient(_app(ctx)) as client:
        health = client.get("/health", headers=headers)
        healthz = client.get("/healthz", headers=headers)
    assert health.status_code == 200
    assert health.json() == {
        "status": "healthy",
        "database": "connected",
        "timestamp": clock.now.timestamp(),
    }
    assert healthz.status_code == 200
    assert healthz.json() == {"status": "ok", "database": "ok"}


def test_healthz_shows_the_scheduler_and_its_errors_to_an_admin(ctx, lab):
    with TestClient(_app(ctx)) as client:
        body = client.get("/healthz", headers=bearer(ctx, lab.admin)).json()
    assert body == {"status": "ok", "database": "ok", **SCHEDULER}


def test_health_is_503_when_the_database_cannot_be_written(ctx, lab):
    auth = bearer(ctx, lab.admin)  # made while the database can still be read
    with TestClient(_app(ctx)) as client:
        assert client.get("/healthz").status_code == 200
        with unwritable(ctx.db) as reason:
            health = client.get("/health", headers=auth)
            healthz = client.get("/healthz")
    assert health.status_code == 503
    assert health.json() == {"detail": "Database connection failed", "reason": reason}
    assert healthz.status_code == 503
    assert healthz.json() == {"status": "unhealthy", "database": "unavailable", "reason": reason}


def test_a_write_to_a_database_that_cannot_be_written_is_a_json_503(ctx, lab):
    auth = bearer(ctx, lab.admin)
    sqlite_path = ctx.db.engine.url.database if ctx.db.dialect == "sqlite" else None
    with TestClient(_app(ctx)) as client:
        with unwritable(ctx.db):
            created = client.post(
                "/api/instruments/", json={"name": "Lost", "model": "X"}, headers=ui_headers(auth)
            )
            signed_in = client.post(
                "/api/token", data={"username": lab.member.username, "password": PASSWORD}
            )
        if sqlite_path is None:  # PostgreSQL is writable again: nothing was written
            listed = client.get("/api/instruments/").json()
            assert "Lost" not in [i["name"] for i in listed]
    detail = assert_json_error(created, 503)
    assert detail.startswith("FarLab cannot save changes right now")
    assert assert_json_error(signed_in, 503) == detail
    if sqlite_path is not None:  # nor quietly into a new, empty database file
        assert not os.path.exists(sqlite_path)


def test_health_and_writes_are_503_when_postgresql_cannot_be_reached():
    stopped = Database.from_url(f"postgresql+psycopg2://postgres@127.0.0.1:{free_port()}/farlab")
    down = DomainContext(db=stopped, secret_key=TEST_SECRET, bcrypt_rounds=4)
    with TestClient(_app(down)) as client:
        health = client.get("/health")
        healthz = client.get("/healthz")
        created = client.post("/api/token", data={"username": "someone", "password": "x"})
    stopped.dispose()
    assert health.status_code == 503
    assert health.json() == {
        "detail": "Database connection failed",
        "reason": "the database cannot be reached",
    }
    assert healthz.status_code == 503
    assert healthz.json()["reason"] == "the database cannot be reached"
    assert assert_json_error(created, 503).startswith("FarLab cannot save changes right now")


def test_health_is_503_when_the_database_is_gone(ctx, tmp_path):
    missing = Database.from_url(f"sqlite:///{tmp_path}/no/such/dir/x.db")
    app = create_api(replace(ctx, db=missing), cors_origins=[])
    with TestClient(app) as client:
        response = client.get("/health")
    assert response.status_code == 503
    assert response.json()["detail"] == "Database connection failed"


def test_sqlites_own_read_only_error_is_a_503_too(sqlite_template, tmp_path):
    """A database SQLite itself opened read-only (here by asking for it): its "attempt to
    write a readonly database" is the same 503 as the file checks give."""
    import shutil

    path = tmp_path / "farlab.db"
    shutil.copy(sqlite_template, path)
    read_only = Database.from_url(f"sqlite:///file:{path}?mode=ro&uri=true")
    ctx = DomainContext(db=read_only, secret_key=TEST_SECRET, bcrypt_rounds=4)
    with TestClient(_app(ctx)) as client:
        health = client.get("/health")
        signed_in = client.post("/api/token", data={"username": "nobody", "password": "x"})
    read_only.dispose()
    assert health.status_code == 503
    assert health.json()["reason"] == "the database cannot be written"
    assert assert_json_error(signed_in, 503).startswith("FarLab cannot save changes right now")
