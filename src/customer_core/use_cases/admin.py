"""What operators do from the admin CLI."""

from __future__ import annotations

from customer_core.addresses import Address
from customer_core.customer import Customer
from customer_core.errors import NotFound, ValidationFailed
from customer_core.ports import Clock, CustomerRepository, SessionRepository
from customer_core.use_cases.addresses import AddressBook
from customer_core.values import Email, is_id


class CustomerAdmin:
    def __init__(
        self, *, customers: CustomerRepository, sessions: SessionRepository, address_book: AddressBook, clock: Clock
    ) -> None:
        self._customers = customers
        self._sessions = sessions
        self._address_book = address_book
        self._clock = clock

    def list(self, *, email_prefix: str = "", after_id: str | None = None, limit: int = 50) -> list[Customer]:
        if after_id is not None and not is_id(after_id):
            raise ValidationFailed.single("after", "must be a customer id (24 hex digits)")
        return self._customers.list(email_prefix=email_prefix.strip().lower(), after_id=after_id, limit=limit)

    def find(self, id_or_email: str) -> Customer:
        """Look a customer up by id or by email."""
        key = id_or_email.strip()
        customer = None
        if is_id(key.lower()):
            customer = self._customers.get(key.lower())
        elif "@" in key:
            try:
                customer = self._customers.get_by_email(Email.parse(key))
            except ValueError:
                customer = None
        if customer is None:
            raise NotFound(f"No customer {id_or_email!r}")
        return customer

    def set_active(self, id_or_email: str, active: bool) -> Customer:
        """Disabling also ends every session, so the customer is out at once;
        enabling also lifts a lockout."""
        customer = self.find(id_or_email)
        changes = {"is_active": active, "updated_at": self._clock.now()}
        if active:  # enabling also lifts a lockout
            changes.update(failed_logins=0, locked_until=None)
        updated = self._customers.update(customer.id, changes)
        if not active:
            self._sessions.revoke_all(customer.id)
        return updated or customer

    def revoke_sessions(self, id_or_email: str) -> int:
        return self._sessions.revoke_all(self.find(id_or_email).id)

    def addresses(self, id_or_email: str) -> list[Address]:
        return self._address_book.list(self.find(id_or_email).id)

    def address(self, address_id: str) -> Address:
        address = self._address_book.find(address_id.strip().lower())
        if address is None:
            raise NotFound(f"No address {address_id!r}")
        return address
