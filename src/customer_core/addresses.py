"""A customer's address book."""

from __future__ import annotations

import datetime as dt
import enum

import attrs

from customer_core.values import Phone


class AddressType(enum.StrEnum):
    HOME = "home"
    WORK = "work"
    OTHER = "other"


class Usage(enum.StrEnum):
    """What a default address is for; each has at most one per customer."""

    SHIPPING = "shipping"
    BILLING = "billing"

    @property
    def flag(self) -> str:
        return f"is_default_{self.value}"


MAX_ADDRESSES = 50


@attrs.frozen(kw_only=True)
class Address:
    id: str
    customer_id: str
    type: AddressType = AddressType.HOME
    label: str | None = None
    first_name: str
    last_name: str
    company: str | None = None
    street: str
    street2: str | None = None
    city: str
    state: str | None = None
    country: str  # ISO 3166-1 alpha-2, upper case
    postal_code: str | None = None
    phone: Phone | None = None
    is_default_shipping: bool = False
    is_default_billing: bool = False
    created_at: dt.datetime
    updated_at: dt.datetime

    def is_default_for(self, usage: Usage) -> bool:
        return bool(getattr(self, usage.flag))


@attrs.frozen(kw_only=True)
class PostalCheck:
    """What the postal rules of a country make of an address: the state and
    postal code in their normal form, and the problems by field."""

    state: str | None
    postal_code: str | None
    problems: dict[str, str] = attrs.field(factory=dict)
