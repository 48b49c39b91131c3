"""What operators do from the admin CLI."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable

import attrs

from customer_core.addresses import Address
from customer_core.customer import Customer, CustomerChanges
from customer_core.errors import EmailTaken, NotFound, ValidationFailed
from customer_core.lockout import lockout_key
from customer_core.ports import Clock, CustomerRepository, LockoutRepository, SessionRepository
from customer_core.use_cases.addresses import AddressBook
from customer_core.values import Email, as_id

ImportLine = tuple[int, Customer | str]
"""A customer read from line N of an import, or why line N is not one."""


@attrs.frozen
class Rejected:
    line: int
    reason: str


@attrs.define
class ImportReport:
    imported: int = 0
    duplicate_lines: list[int] = attrs.Factory(list)
    rejected: list[Rejected] = attrs.Factory(list)


@attrs.frozen(kw_only=True)
class CustomerAdmin:
    customers: CustomerRepository
    sessions: SessionRepository
    lockouts: LockoutRepository
    address_book: AddressBook
    clock: Clock

    def list_customers(self, *, email_prefix: str = "", after_id: str | None = None, limit: int = 50) -> list[Customer]:
        after = as_id(after_id) if after_id is not None else None
        if after_id is not None and after is None:
            raise ValidationFailed.single("after", "must be a customer id (24 hex digits)")
        return self.customers.list(email_prefix=email_prefix.strip().lower(), after_id=after, limit=limit)

    def find(self, id_or_email: str) -> Customer:
        """Look a customer up by id or by email."""
        customer = None
        customer_id = as_id(id_or_email)
        if customer_id is not None:
            customer = self.customers.get(customer_id)
        elif "@" in id_or_email:
            try:
                customer = self.customers.get_by_email(Email(id_or_email))
            except ValueError:
                customer = None
        if customer is None:
            raise NotFound(f"No customer {id_or_email!r}")
        return customer

    def set_active(self, id_or_email: str, active: bool) -> Customer:
        """Disabling also ends every session, so the customer is out at once;
        enabling also lifts a lockout."""
        customer = self.find(id_or_email)
        updated = self.customers.update(customer.id, CustomerChanges(is_active=active, updated_at=self.clock.now()))
        if active:
            self.lockouts.lift(lockout_key(str(customer.email)))
        else:
            self.sessions.revoke_all(customer.id)
        return updated or customer

    def import_customers(self, lines: Iterable[ImportLine], *, dry_run: bool = False) -> ImportReport:
        """Add accounts brought from another system, keeping their ids. One
        whose id or email is here already (or earlier in ``lines``) is a
        duplicate and left alone, so an import can run again."""
        report = ImportReport()
        seen: set[str] = set()
        for line, customer in lines:
            if isinstance(customer, str):
                report.rejected.append(Rejected(line, customer))
            elif self._is_duplicate(customer, seen) or not (dry_run or self._added(customer)):
                report.duplicate_lines.append(line)
            else:
                report.imported += 1
                seen.update((customer.id, customer.email.value))
        return report

    def _is_duplicate(self, customer: Customer, seen: set[str]) -> bool:
        return (
            customer.id in seen
            or customer.email.value in seen
            or self.customers.get(customer.id) is not None
            or self.customers.get_by_email(customer.email) is not None
        )

    def _added(self, customer: Customer) -> bool:
        try:
            self.customers.add(customer)
        except EmailTaken:  # added meanwhile by another import
            return False
        return True

    def locked_until(self, customer: Customer) -> dt.datetime | None:
        """When the customer's lockout ends, if they are locked out now."""
        return self.lockouts.locked_until(lockout_key(str(customer.email)), now=self.clock.now())

    def revoke_sessions(self, id_or_email: str) -> int:
        return self.sessions.revoke_all(self.find(id_or_email).id)

    def addresses(self, id_or_email: str) -> list[Address]:
        return self.address_book.list(self.find(id_or_email).id)

    def address(self, address_id: str) -> Address:
        key = as_id(address_id)
        address = self.address_book.find(key) if key else None
        if address is None:
            raise NotFound(f"No address {address_id!r}")
        return address
