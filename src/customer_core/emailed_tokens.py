"""Emailed tokens: single-use secrets sent by email to verify an address,
reset a password or confirm an email change."""

from __future__ import annotations

import datetime as dt
import enum
import hashlib

import attrs

from customer_core.customer import Customer
from customer_core.values import Email, Id


class Purpose(enum.StrEnum):
    VERIFY_EMAIL = "verify_email"
    RESET_PASSWORD = "reset_password"
    CHANGE_EMAIL = "change_email"


LIFETIMES = {
    Purpose.VERIFY_EMAIL: dt.timedelta(hours=48),
    Purpose.RESET_PASSWORD: dt.timedelta(hours=1),
    Purpose.CHANGE_EMAIL: dt.timedelta(hours=24),
}


def state_stamp(customer: Customer, purpose: Purpose) -> str:
    """Changes whenever the email does (and, but for email verification,
    the password), so a token issued before such a change stops working."""
    bound_to = (
        str(customer.email) if purpose is Purpose.VERIFY_EMAIL else f"{customer.password_hash}\x00{customer.email}"
    )
    return hashlib.sha256(bound_to.encode()).hexdigest()[:32]


@attrs.frozen(kw_only=True)
class EmailedToken:
    digest: str = attrs.field(repr=False)  # of the emailed secret; the secret itself is never stored
    customer_id: Id
    purpose: Purpose
    created_at: dt.datetime
    expires_at: dt.datetime
    stamp: str = attrs.field(repr=False)
    new_email: Email | None = None

    def fits(self, customer: Customer) -> bool:
        return self.customer_id == customer.id and self.stamp == state_stamp(customer, self.purpose)
