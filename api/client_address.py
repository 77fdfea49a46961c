"""Where a request comes from: the socket's peer, or what a trusted proxy says it is.

``X-Forwarded-For`` is believed only when the peer is one of the proxies named in
``FARLAB_TRUSTED_PROXIES``; the client is then the right-most address in it that is not
itself a trusted proxy (each proxy appends the address it was reached from, so that is the
last one a trusted proxy vouches for). uvicorn's ``ProxyHeadersMiddleware`` does exactly
this; ``serve`` turns off uvicorn's own copy of it, which trusts 127.0.0.1 by default, so
that this one, set from the setting, is the only one. With no trusted proxies the peer's
address is used and every forwarded header is ignored.
"""

from __future__ import annotations

from collections.abc import Iterable
from ipaddress import IPv4Network, IPv6Network

from fastapi import FastAPI, Request
from uvicorn.middleware.proxy_headers import ProxyHeadersMiddleware


def trust_proxies(app: FastAPI, proxies: Iterable[IPv4Network | IPv6Network]) -> None:
    """Resolve every request's client address on ``app``; call it after the other middleware."""
    app.add_middleware(ProxyHeadersMiddleware, trusted_hosts=[str(net) for net in proxies])


def client_address(request: Request) -> str:
    """The client's address, as the app's proxy settings resolve it ("" when unknown)."""
    return request.client.host if request.client is not None else ""
