"""``GET /`` and ``GET /health``."""

from __future__ import annotations

from api import create_api
from persistence.db import Database


def test_root_welcomes(client):
    assert client.get("/").json() == {
        "message": "Welcome to FARLAB Inventory Management System",
        "version": "0.1.0",
        "status": "running",
        "docs": "/docs",
    }


def test_health_counts_accounts_and_adds_extra_keys(ctx, clock, lab):
    from fastapi.testclient import TestClient

    app = create_api(ctx, cors_origins=[], health_extra=lambda: {"scheduler": {"running": True}})
    with TestClient(app) as client:
        body = client.get("/health").json()
    assert body == {
        "status": "healthy",
        "database": "connected",
        "user_count": 3,
        "timestamp": clock.now.timestamp(),
        "scheduler": {"running": True},
    }


def test_health_is_503_when_the_database_is_gone(ctx, tmp_path):
    from dataclasses import replace

    from fastapi.testclient import TestClient

    missing = Database.from_url(f"sqlite:///{tmp_path}/no/such/dir/x.db")
    app = create_api(replace(ctx, db=missing), cors_origins=[])
    with TestClient(app) as client:
        response = client.get("/health")
    assert response.status_code == 503
    assert response.json() == {"detail": "Database connection failed"}
