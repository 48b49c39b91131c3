"""The address book: validated addresses, with at most one default shipping
and one default billing address (the database enforces both)."""

from __future__ import annotations

import random
import time
from collections.abc import Callable

import attrs

from customer_core.addresses import MAX_ADDRESSES, Address, AddressChanges, AddressFields, Usage
from customer_core.errors import AddressLimitReached, ConcurrentUpdate, FieldError, NotFound, ValidationFailed
from customer_core.ports import AddressRepository, Clock, IdGenerator, PostalRules, UnitOfWork
from customer_core.records import Event
from customer_core.tokens import Principal
from customer_core.use_cases.recording import Recorder
from customer_core.values import Id


@attrs.frozen(kw_only=True)
class AddressBook:
    ATTEMPTS = 8

    addresses: AddressRepository
    postal_rules: PostalRules
    uow: UnitOfWork
    ids: IdGenerator
    clock: Clock
    recorder: Recorder

    def list(self, customer_id: Id) -> list[Address]:
        """Default addresses first, then oldest first."""
        return sorted(
            self.addresses.list(customer_id),
            key=lambda a: (not a.is_default_shipping, not a.is_default_billing, a.created_at, a.id),
        )

    def get(self, customer_id: Id, address_id: Id) -> Address:
        address = self.addresses.get(customer_id, address_id)
        if address is None:
            raise NotFound("Address not found")
        return address

    def find(self, address_id: Id) -> Address | None:
        """Any customer's address, for operators."""
        return self.addresses.find(address_id)

    def add(self, principal: Principal, fields: AddressFields) -> Address:
        """The first address becomes the default for shipping and billing."""
        customer_id = principal.customer_id
        fields = self._postal_checked(fields)
        now = self.clock.now()

        def create() -> Address:
            count = self.addresses.reserve_slot(customer_id, limit=MAX_ADDRESSES)
            if count is None:
                raise AddressLimitReached()
            address = Address(
                **attrs.asdict(fields, recurse=False),
                id=self.ids.new_id(),
                customer_id=customer_id,
                created_at=now,
                updated_at=now,
            )
            for usage in Usage:
                if count == 1 or address.is_default_for(usage):
                    self.addresses.clear_default(customer_id, usage)
                    address = address.made_default_for(usage)
            self.addresses.add(address)
            self.recorder.event(Event.ADDRESS_ADDED, customer_id, principal.origin, address_id=address.id)
            return address

        return self._run(create)

    def update(self, principal: Principal, address_id: Id, changes: AddressChanges) -> Address:
        """Making an address a default moves that default; unsetting it
        leaves the usage without one."""
        customer_id = principal.customer_id
        current = self.get(customer_id, address_id)
        if not changes.given():
            raise ValidationFailed.single("body", "give at least one field to change")
        checked = self._postal_checked(changes.apply_to(current))
        changes = attrs.evolve(changes, state=checked.state, postal_code=checked.postal_code)

        def change() -> Address:
            for usage in Usage:
                if getattr(changes, usage.flag) is True:
                    self.addresses.clear_default(customer_id, usage)
            updated = self.addresses.update(customer_id, address_id, changes, now=self.clock.now())
            if updated is None:
                raise NotFound("Address not found")
            fields = [name for name in sorted(changes.given()) if getattr(updated, name) != getattr(current, name)]
            self.recorder.event(
                Event.ADDRESS_CHANGED, customer_id, principal.origin, address_id=address_id, fields=fields
            )
            return updated

        return self._run(change)

    def delete(self, principal: Principal, address_id: Id) -> None:
        """Deleting a default leaves that usage without a default."""
        customer_id = principal.customer_id

        def remove() -> None:
            if not self.addresses.delete(customer_id, address_id):
                raise NotFound("Address not found")
            self.addresses.release_slot(customer_id)
            self.recorder.event(Event.ADDRESS_REMOVED, customer_id, principal.origin, address_id=address_id)

        self.uow.run(remove)

    def _run(self, work: Callable[[], Address]) -> Address:
        """Run ``work`` in a unit of work, again if a concurrent request moved
        a default in between (the database lets only one of them through)."""
        for attempt in range(self.ATTEMPTS - 1):
            try:
                return self.uow.run(work)
            except ConcurrentUpdate:
                time.sleep(random.uniform(0, 0.01 * 2**attempt))  # let the other request commit first
        return self.uow.run(work)

    def _postal_checked(self, fields: AddressFields) -> AddressFields:
        """The address with its state and postal code in their normal form,
        if its country's postal rules accept it."""
        check = self.postal_rules.check(
            country=str(fields.country),
            state=fields.state,
            city=fields.city,
            postal_code=fields.postal_code,
            street=fields.street,
        )
        if check.problems:
            raise ValidationFailed([FieldError(field, problem) for field, problem in check.problems.items()])
        return attrs.evolve(fields, state=check.state, postal_code=check.postal_code)
