"""Completed orders that the order service reports, and the totals and
loyalty points they add up to on the customer. Money is ``Decimal`` with
two places, never a binary float: 0.10 + 0.20 is 0.30."""

from __future__ import annotations

import datetime as dt
import math
import re
from decimal import Decimal
from typing import Any

import attrs

from customer_core.values import Currency, Id

CENT = Decimal("0.01")
MAX_ORDER_TOTAL = Decimal("1000000000")  # a billion a single order: anything more is a mistake
_DECIMAL_TEXT = re.compile(r"[0-9]+(?:\.[0-9]{1,2})?")


def money(raw: Any) -> Any:
    """A sum as an order service sends it (a decimal string, or a JSON
    number read as a Decimal), 0 or more, in whole cents: an attrs converter."""
    if isinstance(raw, str):
        if len(raw) > 32 or not _DECIMAL_TEXT.fullmatch(raw.strip()):
            raise ValueError("must be a decimal number with at most 2 decimal places, such as 19.99")
        raw = Decimal(raw.strip())
    if isinstance(raw, int) and not isinstance(raw, bool):
        raw = Decimal(raw)
    if not isinstance(raw, Decimal) or not raw.is_finite():
        raise ValueError("must be a decimal number such as 19.99")
    if raw < 0:
        raise ValueError("must not be negative")
    if raw > MAX_ORDER_TOTAL:
        raise ValueError(f"must be at most {MAX_ORDER_TOTAL}")
    exponent = raw.as_tuple().exponent
    if isinstance(exponent, int) and exponent < -2:
        raise ValueError("must have at most 2 decimal places")
    return raw.quantize(CENT)


def in_cents(amount: Decimal) -> Decimal:
    """A sum as the service shows it: always two decimal places."""
    return amount.quantize(CENT)


def completed_at(raw: Any) -> Any:
    """In UTC, to the millisecond as MongoDB keeps it: a replay sent with
    microseconds is still the same order."""
    if isinstance(raw, dt.datetime):
        if raw.tzinfo is None:
            raise ValueError("must be a date and time with a time zone, such as 2026-11-26T10:00:00Z")
        return raw.astimezone(dt.UTC).replace(microsecond=raw.microsecond // 1000 * 1000)
    return raw


@attrs.frozen
class OrderIdRule:
    """An order id as the order service gives it, used as it is in URLs:
    1 to 100 letters, digits and ``. _ : -``, nothing around them."""

    max_length: int = 100
    pattern: str = r"^[A-Za-z0-9._:-]{1,100}$"

    def __call__(self, raw: Any) -> Any:
        if isinstance(raw, str) and not re.fullmatch(self.pattern, raw):
            raise ValueError("must be 1 to 100 letters, digits, '.', '_', ':' or '-'")
        return raw


def order_id_field() -> Any:
    """An attrs field of an order id under the ``OrderIdRule``."""
    return attrs.field(converter=OrderIdRule(), metadata={"description": "the order service's id of the order"})


@attrs.frozen(kw_only=True)
class LoyaltyPolicy:
    """``points_per_unit`` points for each whole unit of an order's total,
    rounded down (CS_LOYALTY_POINTS_PER_UNIT)."""

    points_per_unit: Decimal = Decimal(1)

    def points_for(self, total: Decimal) -> int:
        return math.floor(math.floor(total) * self.points_per_unit)


@attrs.frozen(kw_only=True)
class CompletedOrder:
    """An order the order service reports as completed."""

    order_id: str = order_id_field()
    total: Decimal = attrs.field(
        converter=money,
        metadata={"description": "a decimal string or number, at most 2 decimals, in the base currency"},
    )
    currency: Currency
    completed_at: dt.datetime = attrs.field(converter=completed_at)


@attrs.frozen(kw_only=True)
class OrderTotals:
    """What a customer's completed orders add up to."""

    total_orders: int
    total_spent: Decimal = attrs.field(converter=in_cents)
    loyalty_points: int


@attrs.frozen(kw_only=True)
class Order:
    """A recorded order, with the answers given when it was recorded and
    refunded: a replay gets the same answer again. An answer is None while
    its delivery is still being recorded (the order is claimed first)."""

    customer_id: Id
    order_id: str
    total: Decimal
    currency: Currency
    completed_at: dt.datetime
    points: int
    recorded_at: dt.datetime
    totals_after: OrderTotals | None = None
    refunded_at: dt.datetime | None = None
    totals_after_refund: OrderTotals | None = None

    def is_same(self, customer_id: Id, order: CompletedOrder) -> bool:
        """Whether ``order`` of that customer is this one delivered again."""
        delivered = (customer_id, order.total, order.currency, order.completed_at)
        return (self.customer_id, self.total, self.currency, self.completed_at) == delivered
