"""Prices: an ISO 4217 currency and an amount, kept as a whole number of its minor unit.

``12.50 EUR`` is kept as 1250 (cents), ``1200 JPY`` as 1200 (the yen has no minor unit),
so sums are exact on every database. Currency codes come from the ``iso4217`` package.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal, InvalidOperation

from iso4217 import Currency

from domain.errors import InvalidInput

MAX_PRICE = Decimal("10000000")  # per pack: a sanity bound, far above any lab purchase


def currency(code: object, *, field: str = "currency") -> str:
    """The upper-case ISO 4217 code, or a message naming what was given."""
    if not isinstance(code, str) or not code.strip():
        raise InvalidInput.field(field, "Currency is required: a three-letter ISO 4217 code.")
    value = code.strip().upper()
    try:
        Currency(value)
    except ValueError:
        raise InvalidInput.field(
            field, f"Currency {code.strip()[:10]!r} is not an ISO 4217 code (e.g. EUR, USD, CHF)."
        ) from None
    return value


def _exponent(code: str) -> int:
    exponent = Currency(code).exponent
    return exponent if isinstance(exponent, int) else 2


def to_minor(price: object, code: str, *, field: str = "unit_price") -> int | None:
    """A price as given (a number or text such as ``12.5``) in ``code``'s minor unit."""
    if price is None or (isinstance(price, str) and not price.strip()):
        return None
    if isinstance(price, bool):
        raise InvalidInput.field(field, "Price must be a number.")
    try:
        value = Decimal(str(price).strip().replace(",", "."))
    except InvalidOperation:
        raise InvalidInput.field(
            field, f"Price must be a number (got {str(price)[:20]!r})."
        ) from None
    if not value.is_finite():
        raise InvalidInput.field(field, "Price must be a number.")
    if value < 0:
        raise InvalidInput.field(field, "Price cannot be below zero.")
    if value > MAX_PRICE:
        raise InvalidInput.field(field, f"Price must be at most {MAX_PRICE:,}.")
    scale = Decimal(10) ** _exponent(code)
    return int((value * scale).quantize(Decimal(1), rounding=ROUND_HALF_UP))


def from_minor(minor: int, code: str) -> Decimal:
    return Decimal(minor).scaleb(-_exponent(code))  # 1250 EUR cents -> Decimal('12.50')


@dataclass(frozen=True)
class Money:
    minor: int
    currency: str

    @property
    def amount(self) -> Decimal:
        return from_minor(self.minor, self.currency)

    def __str__(self) -> str:
        places = _exponent(self.currency)
        return f"{self.amount:,.{places}f} {self.currency}"

    @property
    def decimal_text(self) -> str:
        """The amount with the currency's decimal places and no grouping: ``"1250.00"``."""
        return f"{self.amount:.{_exponent(self.currency)}f}"

    def times(self, count: int) -> Money:
        return Money(self.minor * count, self.currency)


def money(minor: int | None, code: str | None) -> Money | None:
    if minor is None or code is None:
        return None
    return Money(minor, code)
