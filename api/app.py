"""``create_api``: the REST API as a FastAPI app, built around one domain context."""

from __future__ import annotations

from collections.abc import Callable, Iterable
from ipaddress import IPv4Network, IPv6Network
from typing import Any

from fastapi import FastAPI
from fastapi.middleware.cors import CORSMiddleware

from api.client_address import trust_proxies
from api.description import DESCRIPTION, TAGS
from api.errors import install_error_handlers
from api.middleware import (
    ProcessTimeMiddleware,
    SecurityHeadersMiddleware,
    UnexpectedErrorMiddleware,
)
from api.routers import (
    alerts,
    auth,
    forecasts,
    health,
    instruments,
    orders,
    part_offers,
    parts,
    suppliers,
    tables,
    usage,
    users,
)
from api.unit_of_work import UnitOfWorkMiddleware
from domain.context import DomainContext

CORS_METHODS = ["GET", "POST", "PUT", "PATCH", "DELETE", "OPTIONS"]
CORS_HEADERS = ["Accept", "Accept-Language", "Content-Language", "Content-Type", "Authorization"]
UNREADABLE_BODY = {
    "description": "The body cannot be read (e.g. it is not valid UTF-8).",
    "content": {"application/json": {"schema": {"$ref": "#/components/schemas/ErrorMessage"}}},
}


def create_api(
    ctx: DomainContext,
    *,
    api_prefix: str = "/api",
    cors_origins: list[str],
    health_extra: Callable[[], dict[str, Any]] | None = None,
    scheduler_health: Callable[[bool], dict[str, Any]] | None = None,
    trusted_proxies: Iterable[IPv4Network | IPv6Network] = (),
) -> FastAPI:
    """The API: routes under ``api_prefix``, plus ``/`` and ``/health`` outside it.

    ``health_extra`` adds its keys to ``GET /health`` (e.g. the scheduler's state);
    ``scheduler_health`` answers ``GET /health/scheduler`` (given whether an admin asks).
    ``X-Forwarded-For`` is believed only from ``trusted_proxies`` (api/client_address.py).
    """
    prefix = api_prefix.rstrip("/")
    app = FastAPI(
        title="FarLab REST API",
        version=health.API_VERSION,
        description=DESCRIPTION,
        openapi_tags=TAGS,
        swagger_ui_parameters={"persistAuthorization": True},
    )
    app.state.ctx = ctx
    app.state.health_extra = health_extra
    app.state.scheduler_health = scheduler_health
    install_error_handlers(app)
    # Added innermost first: errors become JSON inside CORS, the timing wraps that, and
    # the security headers go on every answer, the 500s and CORS refusals included.
    # The unit of work is innermost: it commits before the answer leaves the route.
    app.add_middleware(UnitOfWorkMiddleware, ctx=ctx, prefix=prefix, own=(f"{prefix}/token",))
    app.add_middleware(UnexpectedErrorMiddleware)
    app.add_middleware(
        CORSMiddleware,
        allow_origins=list(cors_origins),
        allow_credentials=True,
        allow_methods=CORS_METHODS,
        allow_headers=CORS_HEADERS,
        expose_headers=["X-Process-Time"],
    )
    app.add_middleware(ProcessTimeMiddleware)
    no_store = (f"{prefix}/token", f"{prefix}/users", f"{prefix}/auth")
    app.add_middleware(SecurityHeadersMiddleware, no_store=no_store)
    trust_proxies(app, trusted_proxies)  # outermost: every route sees the resolved client

    app.include_router(health.router)
    app.include_router(auth.router, prefix=prefix)
    app.include_router(users.router, prefix=f"{prefix}/users")
    app.include_router(instruments.router, prefix=f"{prefix}/instruments")
    app.include_router(parts.router, prefix=f"{prefix}/parts")
    app.include_router(part_offers.router, prefix=f"{prefix}/parts")
    app.include_router(alerts.router, prefix=f"{prefix}/alerts")
    app.include_router(tables.router, prefix=prefix)
    app.include_router(suppliers.router, prefix=f"{prefix}/suppliers")
    app.include_router(orders.router, prefix=f"{prefix}/orders")
    app.include_router(usage.router, prefix=prefix)
    app.include_router(forecasts.router, prefix=prefix)
    _complete_document(app, token_url=f"{prefix}/token")
    return app


def _complete_document(app: FastAPI, *, token_url: str) -> None:
    """Finish the OpenAPI document: the docs' "Authorize" form signs in at this app's
    token route, and every route with a body documents the 400 of an unreadable one."""
    build = app.openapi

    def openapi() -> dict[str, Any]:
        schema = build()  # cached by FastAPI; the changes below are made once and kept
        for scheme in schema.get("components", {}).get("securitySchemes", {}).values():
            flow = scheme.get("flows", {}).get("password")
            if flow is not None:
                flow["tokenUrl"] = token_url
        for operations in schema["paths"].values():
            for operation in operations.values():
                if "requestBody" in operation:
                    operation["responses"].setdefault("400", UNREADABLE_BODY)
        return schema

    app.openapi = openapi  # type: ignore[method-assign]
