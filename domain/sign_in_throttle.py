"""Sign-in throttling: a few tries per name and address, and a ceiling per name.

Every sign-in takes a try before its password is checked, for its (username, client
address) pair and for the username from every address, each in one atomic statement
(``persistence.sign_in_throttle.take_try``). ``ctx.login_max_failures`` tries a pair within
``ctx.login_window_minutes`` lock that pair for ``ctx.lockout_minutes``; a stranger's
failures therefore do not lock the owner out from another address. Only
``ctx.login_name_max_failures`` tries from all addresses together lock the name for
everyone. While locked, a try is refused without checking its password (even the right
one) and told how long the lock lasts. However many tries run at once, no more passwords
are checked than the limit.

A right password clears its pair and gives the name's try back; a wrong one (or a
deactivated account's right one, which must look the same) keeps both; a try that ends
for another reason (an unusable link, say) gives both back. Tries are counted by
lower-cased name whether or not such an account exists, so throttling tells nobody which
accounts exist.
"""

from __future__ import annotations

import ipaddress
import math
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import datetime, timedelta

from domain.context import DomainContext
from domain.errors import AccountInactive, AccountLocked, AuthError, InvalidCredentials
from persistence import sign_in_throttle as store
from persistence.db import Session
from persistence.sign_in_throttle import ANY_ADDRESS, Limits

IN_PROCESS = "in-process"
"""The client address of sign-ins made inside this process (the command line, tests)."""
NAME_MAX = 100
ADDRESS_MAX = 64


@dataclass(frozen=True)
class Attempt:
    """One sign-in try, counted for its pair and its name before the password is checked."""

    username: str  # lower-cased
    address: str
    pair_window: datetime
    name_window: datetime
    last_try: bool  # it used a window's last try: a wrong password leaves a lock behind
    lockout_minutes: int

    def refusal(self, error: AuthError) -> AuthError:
        """The answer to this try's refused password: the lock it leaves, if it leaves one."""
        return AccountLocked(self.lockout_minutes) if self.last_try else error


def username_key(username: str) -> str:
    return (username or "").strip().lower()[:NAME_MAX]


def address_key(address: str) -> str:
    """The address tries are counted by. An IPv6 client is counted by its /64 network,
    since one host commonly has a whole /64 to pick addresses from."""
    text = (address or "").strip()
    try:
        ip = ipaddress.ip_address(text)
    except ValueError:
        return text[:ADDRESS_MAX] or "unknown"
    if isinstance(ip, ipaddress.IPv6Address):
        if ip.ipv4_mapped is not None:
            return str(ip.ipv4_mapped)
        return str(ipaddress.ip_network(f"{ip}/64", strict=False))
    return str(ip)


def _pair_limits(ctx: DomainContext) -> Limits:
    return Limits(
        tries=ctx.login_max_failures,
        window=timedelta(minutes=ctx.login_window_minutes),
        lockout=timedelta(minutes=ctx.lockout_minutes),
    )


def _name_limits(ctx: DomainContext) -> Limits:
    pair = _pair_limits(ctx)
    return Limits(tries=ctx.login_name_max_failures, window=pair.window, lockout=pair.lockout)


def _minutes_left(until: datetime, now: datetime) -> int:
    return max(1, math.ceil((until - now).total_seconds() / 60))


def _take(ctx: DomainContext, username: str, address: str) -> Attempt:
    """Take a try for the pair and then the name, in one transaction; ``AccountLocked``
    (and nothing counted) when either has none left."""
    now = ctx.now()
    with ctx.own_transaction() as session:
        tries = []
        for key_address, limits in ((address, _pair_limits(ctx)), (ANY_ADDRESS, _name_limits(ctx))):
            taken = store.take_try(
                session, username=username, address=key_address, now=now, limits=limits
            )
            if taken is None:  # raising rolls back the pair's try, if it was taken
                until = store.refused_until(
                    session, username=username, address=key_address, now=now, limits=limits
                )
                raise AccountLocked(_minutes_left(until, now))
            tries.append(taken)
    pair, name = tries
    return Attempt(
        username=username,
        address=address,
        pair_window=pair.window_started_at,
        name_window=name.window_started_at,
        last_try=pair.locked_until is not None or name.locked_until is not None,
        lockout_minutes=ctx.lockout_minutes,
    )


def _give_back(ctx: DomainContext, attempt: Attempt) -> None:
    with ctx.transaction() as session:
        for address, window, limits in (
            (attempt.address, attempt.pair_window, _pair_limits(ctx)),
            (ANY_ADDRESS, attempt.name_window, _name_limits(ctx)),
        ):
            store.give_back(
                session,
                username=attempt.username,
                address=address,
                window_started_at=window,
                limits=limits,
            )


@contextmanager
def sign_in_attempt(
    ctx: DomainContext, username: str, client_address: str = IN_PROCESS
) -> Iterator[Attempt]:
    """Around a transaction that checks a password: take the try first (``AccountLocked``
    when there is none), and settle it after the transaction has ended.

    ``InvalidCredentials`` (or ``AccountInactive``, which a wrong password must not be told
    apart from) keeps the try, and becomes ``AccountLocked`` when the try was the last one;
    any other error gives the try back. On success the transaction itself calls
    ``succeeded``.
    """
    attempt = _take(ctx, username_key(username), address_key(client_address))
    try:
        yield attempt
    except (InvalidCredentials, AccountInactive) as exc:
        _forget_stale(ctx)
        raise attempt.refusal(exc) from None
    except Exception:  # not a refused password (an unusable link, a database error): re-raised
        _give_back(ctx, attempt)
        raise


def succeeded(session: Session, ctx: DomainContext, attempt: Attempt) -> None:
    """Inside the transaction that signed in: clear the pair, give the name's try back."""
    store.clear(session, username=attempt.username, address=attempt.address)
    store.give_back(
        session,
        username=attempt.username,
        address=ANY_ADDRESS,
        window_started_at=attempt.name_window,
        limits=_name_limits(ctx),
    )


def forget_username(session: Session, username: str) -> None:
    """Clear every try for a name (its password was just set through a signed link)."""
    store.clear_username(session, username_key(username))


def _forget_stale(ctx: DomainContext) -> None:
    with ctx.transaction() as session:
        store.delete_stale(
            session, now=ctx.now(), window=timedelta(minutes=ctx.login_window_minutes)
        )
