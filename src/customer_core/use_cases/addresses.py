"""The address book: validated addresses, with at most one default shipping
and one default billing address (the database enforces both)."""

from __future__ import annotations

import random
import re
import time
from collections.abc import Callable, Mapping
from typing import Any

import attrs

from customer_core.addresses import MAX_ADDRESSES, Address, AddressType, Usage
from customer_core.errors import AddressLimitReached, ConcurrentUpdate, NotFound, ValidationFailed
from customer_core.ports import AddressRepository, Clock, IdGenerator, PostalRules, UnitOfWork
from customer_core.validation import FieldErrors
from customer_core.values import Phone, check_text

_TEXT_LIMITS = {
    "label": 50,
    "first_name": 100,
    "last_name": 100,
    "company": 100,
    "street": 200,
    "street2": 200,
    "city": 100,
    "state": 100,
    "postal_code": 20,
}
REQUIRED = ("first_name", "last_name", "street", "city", "country")
NOT_NULL = (*REQUIRED, "type", "is_default_shipping", "is_default_billing")


def _camel(name: str) -> str:
    head, *rest = name.split("_")
    return head + "".join(part.title() for part in rest)


def _country(raw: object) -> str:
    if not isinstance(raw, str) or not re.fullmatch(r"[A-Za-z]{2}", raw.strip()):
        raise ValueError("must be an ISO 3166-1 alpha-2 country code, e.g. US")
    return raw.strip().upper()


def _boolean(raw: object) -> bool:
    if not isinstance(raw, bool):
        raise ValueError("must be true or false")
    return raw


def _parsers() -> dict[str, Callable[[Any], Any]]:
    parsers: dict[str, Callable[[Any], Any]] = {
        name: (lambda raw, limit=limit: check_text(raw, max_length=limit)) for name, limit in _TEXT_LIMITS.items()
    }
    parsers.update(
        type=_address_type,
        country=_country,
        phone=Phone.parse,
        is_default_shipping=_boolean,
        is_default_billing=_boolean,
    )
    return parsers


def _address_type(raw: object) -> AddressType:
    try:
        return AddressType(raw)
    except ValueError:
        raise ValueError("must be one of home, work, other") from None


class AddressBook:
    ATTEMPTS = 8

    def __init__(
        self,
        *,
        addresses: AddressRepository,
        postal_rules: PostalRules,
        uow: UnitOfWork,
        ids: IdGenerator,
        clock: Clock,
    ) -> None:
        self._addresses = addresses
        self._postal_rules = postal_rules
        self._uow = uow
        self._ids = ids
        self._clock = clock
        self._parsers = _parsers()

    def list(self, customer_id: str) -> list[Address]:
        """Default addresses first, then oldest first."""
        return sorted(
            self._addresses.list(customer_id),
            key=lambda a: (not a.is_default_shipping, not a.is_default_billing, a.created_at, a.id),
        )

    def get(self, customer_id: str, address_id: str) -> Address:
        address = self._addresses.get(customer_id, address_id)
        if address is None:
            raise NotFound("Address not found")
        return address

    def find(self, address_id: str) -> Address | None:
        """Any customer's address, for operators."""
        return self._addresses.find(address_id)

    def add(self, customer_id: str, raw: Mapping[str, object]) -> Address:
        """``raw`` maps address attributes to client values. The first
        address becomes the default for shipping and billing."""
        fields = self._validated(raw, current=None)
        now = self._clock.now()

        def create() -> Address:
            count = self._addresses.reserve_slot(customer_id, limit=MAX_ADDRESSES)
            if count is None:
                raise AddressLimitReached()
            address = Address(id=self._ids.new_id(), customer_id=customer_id, created_at=now, updated_at=now, **fields)
            try:
                for usage in Usage:
                    if count == 1 or address.is_default_for(usage):
                        self._addresses.clear_default(customer_id, usage)
                        address = attrs.evolve(address, **{usage.flag: True})
                self._addresses.add(address)
            except ConcurrentUpdate:
                if not self._uow.rolls_back:  # give the slot back before trying again
                    self._addresses.release_slot(customer_id)
                raise
            return address

        return self._run(create)

    def update(self, customer_id: str, address_id: str, raw: Mapping[str, object]) -> Address:
        """Partial update; making an address a default moves that default,
        unsetting it leaves the usage without one."""
        current = self.get(customer_id, address_id)
        if not raw:
            raise ValidationFailed.single("body", "give at least one field to change")
        fields = self._validated(raw, current=current)

        def change() -> Address:
            for usage in Usage:
                if fields.get(usage.flag) is True:
                    self._addresses.clear_default(customer_id, usage)
            updated = self._addresses.update(customer_id, address_id, {**fields, "updated_at": self._clock.now()})
            if updated is None:
                raise NotFound("Address not found")
            return updated

        return self._run(change)

    def delete(self, customer_id: str, address_id: str) -> None:
        """Deleting a default leaves that usage without a default."""

        def remove() -> None:
            if not self._addresses.delete(customer_id, address_id):
                raise NotFound("Address not found")
            self._addresses.release_slot(customer_id)

        self._uow.run(remove)

    def _run(self, work: Callable[[], Address]) -> Address:
        """Run ``work`` in a unit of work, again if a concurrent request moved
        a default in between (the database lets only one of them through)."""
        for attempt in range(self.ATTEMPTS - 1):
            try:
                return self._uow.run(work)
            except ConcurrentUpdate:
                time.sleep(random.uniform(0, 0.01 * 2**attempt))  # let the other request commit first
        return self._uow.run(work)

    def _validated(self, raw: Mapping[str, object], *, current: Address | None) -> dict[str, Any]:
        errors = FieldErrors()
        parsed: dict[str, Any] = {}
        for name, value in raw.items():
            if value is None:
                if name in NOT_NULL:
                    errors.add(_camel(name), "must not be null")
                else:
                    parsed[name] = None
                continue
            parsed[name] = errors.parse(_camel(name), self._parsers[name], value)
        if current is None:
            for name in REQUIRED:
                if name not in raw:
                    errors.add(_camel(name), "is required")
        errors.raise_if_any()

        merged = {**(attrs.asdict(current, recurse=False) if current else {}), **parsed}
        check = self._postal_rules.check(
            country=merged["country"],
            state=merged.get("state"),
            city=merged["city"],
            postal_code=merged.get("postal_code"),
            street=merged["street"],
        )
        for field, problem in check.problems.items():
            errors.add(_camel(field), problem)
        errors.raise_if_any()
        if check.state != merged.get("state"):
            parsed["state"] = check.state
        if check.postal_code != merged.get("postal_code"):
            parsed["postal_code"] = check.postal_code
        return parsed
