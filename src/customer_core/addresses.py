"""A customer's address book."""

from __future__ import annotations

import datetime as dt
import enum
from typing import Self

import attrs

from customer_core.changes import Changes
from customer_core.values import UNSET, CountryCode, Id, Phone, Unset, text

MAX_ADDRESSES = 50


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


@attrs.frozen(kw_only=True)
class AddressFields:
    """What a customer gives when adding an address."""

    type: AddressType = AddressType.HOME
    label: str | None = text(50, default=None)
    first_name: str = text(100)
    last_name: str = text(100)
    company: str | None = text(100, default=None)
    street: str = text(200)
    street2: str | None = text(200, default=None)
    city: str = text(100)
    state: str | None = text(100, default=None)
    country: CountryCode
    postal_code: str | None = text(20, default=None)
    phone: Phone | None = None
    is_default_shipping: bool = False
    is_default_billing: bool = False

    def is_default_for(self, usage: Usage) -> bool:
        return self.is_default_shipping if usage is Usage.SHIPPING else self.is_default_billing

    def made_default_for(self, usage: Usage, is_default: bool = True) -> Self:
        if usage is Usage.SHIPPING:
            return attrs.evolve(self, is_default_shipping=is_default)
        return attrs.evolve(self, is_default_billing=is_default)


@attrs.frozen(kw_only=True)
class Address(AddressFields):
    id: Id
    customer_id: Id
    created_at: dt.datetime
    updated_at: dt.datetime


@attrs.frozen(kw_only=True)
class AddressChanges(Changes):
    """Some fields of an address; ``None`` clears an optional one. Setting a
    default flag moves that default here; clearing it leaves the usage
    without one."""

    type: AddressType | Unset = UNSET
    label: str | None | Unset = text(50, default=UNSET)
    first_name: str | Unset = text(100, default=UNSET)
    last_name: str | Unset = text(100, default=UNSET)
    company: str | None | Unset = text(100, default=UNSET)
    street: str | Unset = text(200, default=UNSET)
    street2: str | None | Unset = text(200, default=UNSET)
    city: str | Unset = text(100, default=UNSET)
    state: str | None | Unset = text(100, default=UNSET)
    country: CountryCode | Unset = UNSET
    postal_code: str | None | Unset = text(20, default=UNSET)
    phone: Phone | None | Unset = UNSET
    is_default_shipping: bool | Unset = UNSET
    is_default_billing: bool | Unset = UNSET


@attrs.frozen(kw_only=True)
class PostalCheck:
    """What the postal rules of a country make of an address: the state and
    postal code in their normal form, and the problems by field."""

    state: str | None
    postal_code: str | None
    problems: dict[str, str] = attrs.field(factory=dict)
