"""Phone verification codes: six digits sent by SMS, kept only as a keyed
digest that binds them to the customer and to the phone they went to."""

from __future__ import annotations

import datetime as dt
import secrets

import attrs

from customer_core.values import Id, Phone

DIGITS = 6
LIFETIME = dt.timedelta(minutes=10)
TRIES = 5


def new_code() -> str:
    return f"{secrets.randbelow(10**DIGITS):0{DIGITS}d}"


def bound_code(customer_id: Id, phone: Phone, code: str) -> str:
    """What is digested: a code checked against another customer or another
    phone than it was sent for never matches."""
    return f"phone-code\x00{customer_id}\x00{phone}\x00{code}"


@attrs.frozen(kw_only=True)
class PhoneCode:
    """The one code a customer may be trying; a new one replaces it."""

    customer_id: Id
    digest: str = attrs.field(repr=False)  # KeyedHasher digest of ``bound_code``
    sent_at: dt.datetime
    expires_at: dt.datetime
    tries_left: int = TRIES
