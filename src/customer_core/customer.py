"""The customer entity, what registration gives it, and how it changes."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

import attrs

from customer_core.changes import Changes
from customer_core.orders import in_cents
from customer_core.values import UNSET, Currency, Email, Gender, Id, Language, MediaId, Phone, Unset, text

MAX_AGE_YEARS = 130


def birth_date_problem(value: dt.date, *, today: dt.date) -> str | None:
    """A date of birth is in the past, at most ``MAX_AGE_YEARS`` ago."""
    if value >= today:
        return "must be in the past"
    try:
        oldest = today.replace(year=today.year - MAX_AGE_YEARS)
    except ValueError:  # 29 February in a common year
        oldest = today.replace(year=today.year - MAX_AGE_YEARS, day=28)
    if value < oldest:
        return f"must be within the last {MAX_AGE_YEARS} years"
    return None


def birth_date(*, default: Any) -> Any:
    """An attrs field of a date of birth as a customer gives it."""
    return attrs.field(
        default=default,
        converter=plausible_birth_date,
        metadata={"description": f"a date in the past, at most {MAX_AGE_YEARS} years ago"},
    )


def plausible_birth_date(value: Any) -> Any:
    """A date of birth as a customer gives it, checked against today (as an
    attrs converter; a stored one is not checked again as years pass)."""
    if isinstance(value, dt.date):
        problem = birth_date_problem(value, today=dt.datetime.now(dt.UTC).date())
        if problem:
            raise ValueError(problem)
    return value


@attrs.frozen(kw_only=True)
class Preferences:
    newsletter: bool = False
    sms_notifications: bool = False
    language: Language = Language("en")
    currency: Currency = Currency("USD")


@attrs.frozen(kw_only=True)
class Profile:
    """What a customer says about themselves when registering."""

    first_name: str = text(100)
    last_name: str = text(100)
    phone: Phone | None = None
    date_of_birth: dt.date | None = None
    gender: Gender | None = None


@attrs.frozen(kw_only=True)
class Customer(Profile):
    id: Id
    email: Email
    password_hash: str = attrs.field(repr=False)
    profile_image: MediaId | None = None
    preferences: Preferences = Preferences()
    is_active: bool = True
    email_verified: bool = False
    phone_verified: bool = False
    total_orders: int = 0
    total_spent: Decimal = attrs.field(default=Decimal(0), converter=in_cents)
    loyalty_points: int = 0
    created_at: dt.datetime
    updated_at: dt.datetime
    last_login: dt.datetime | None = None
    is_verified: bool = attrs.field(init=False)

    @is_verified.default
    def _verified_with_email(self) -> bool:
        return self.email_verified


@attrs.frozen(kw_only=True)
class PreferenceChanges(Changes):
    newsletter: bool | Unset = UNSET
    sms_notifications: bool | Unset = UNSET
    language: Language | Unset = UNSET
    currency: Currency | Unset = UNSET


@attrs.frozen(kw_only=True)
class ProfileChanges(Changes):
    """What a customer may change of their own profile; ``None`` clears an
    optional field."""

    first_name: str | Unset = text(100, default=UNSET)
    last_name: str | Unset = text(100, default=UNSET)
    phone: Phone | None | Unset = UNSET
    date_of_birth: dt.date | None | Unset = birth_date(default=UNSET)
    gender: Gender | None | Unset = UNSET
    profile_image: MediaId | None | Unset = UNSET


@attrs.frozen(kw_only=True)
class CustomerChanges(ProfileChanges):
    """Everything the use cases change of a customer."""

    preferences: PreferenceChanges = PreferenceChanges()
    email: Email | Unset = UNSET
    email_verified: bool | Unset = UNSET
    phone_verified: bool | Unset = UNSET
    password_hash: str | Unset = attrs.field(default=UNSET, repr=False)
    is_active: bool | Unset = UNSET
    last_login: dt.datetime | Unset = UNSET
    updated_at: dt.datetime | Unset = UNSET
