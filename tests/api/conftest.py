"""The REST API built on the ``ctx`` fixture (SQLite and PostgreSQL), and a small lab."""

from __future__ import annotations

import warnings
from collections.abc import Iterator
from dataclasses import dataclass

import httpx
import pytest
from fastapi import FastAPI

with warnings.catch_warnings():  # Starlette asks for httpx2; httpx serves the tests as well
    warnings.filterwarnings("ignore", message=".*httpx2")
    from fastapi.testclient import TestClient

from api import create_api
from console.harness import SlackHarness
from domain import instruments, parts
from domain.context import DomainContext
from domain.permissions import SYSTEM, Actor
from domain.results import InstrumentView, PartView
from tests.api.support import UI_ORIGIN
from tests.factories import make_user


@pytest.fixture
def app(ctx: DomainContext) -> FastAPI:
    return create_api(ctx, cors_origins=[UI_ORIGIN])


@pytest.fixture
def client(app: FastAPI) -> Iterator[TestClient]:
    with TestClient(app) as test_client:
        yield test_client


@pytest.fixture
def site(ctx: DomainContext) -> Iterator[SlackHarness]:
    """The whole site on a real port: Slack's endpoint, the REST API, the link pages."""
    with SlackHarness(ctx) as harness:
        yield harness


@pytest.fixture
def browser(site: SlackHarness) -> Iterator[httpx.Client]:
    """A browser (an HTTP client) on the site's public URL."""
    with httpx.Client(base_url=site.public_url or "", timeout=10) as client:
        yield client


@dataclass(frozen=True)
class Lab:
    admin: Actor
    manager: Actor
    member: Actor
    mat253: InstrumentView
    kiel: InstrumentView
    filament: PartView
    gasket: PartView


@pytest.fixture
def lab(ctx: DomainContext) -> Lab:
    """Two instruments, one account of each role, a part on each instrument."""
    mat253 = instruments.create_instrument(
        ctx, actor=SYSTEM, name="MAT253", model="MAT 253 Plus", location="Lab 1"
    )
    kiel = instruments.create_instrument(
        ctx, actor=SYSTEM, name="Kiel IV", model="Kiel IV", manufacturer="Thermo"
    )
    filament = parts.create_part(
        ctx,
        actor=SYSTEM,
        part_number="FIL-1",
        name="Rhenium filament",
        manufacturer="Thermo",
        quantity_in_stock=6,
        minimum_stock_level=5,
        instrument_ids=(mat253.id,),
    )
    gasket = parts.create_part(
        ctx,
        actor=SYSTEM,
        part_number="GSK-7",
        name="Copper gasket",
        quantity_in_stock=40,
        minimum_stock_level=10,
        instrument_ids=(mat253.id, kiel.id),
    )
    return Lab(
        admin=make_user(ctx, "admin"),
        manager=make_user(ctx, "manager"),
        member=make_user(ctx, "member"),
        mat253=mat253,
        kiel=kiel,
        filament=filament,
        gasket=gasket,
    )
