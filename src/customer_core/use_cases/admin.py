"""What operators do from the admin CLI."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable

import attrs

from customer_core.addresses import Address
from customer_core.customer import Customer, CustomerChanges, PreferenceChanges, Preferences
from customer_core.errors import EmailTaken, NotFound, ValidationFailed
from customer_core.lockout import lockout_key
from customer_core.ports import AuditLog, Clock, CustomerRepository, LockoutRepository, SessionRepository, UnitOfWork
from customer_core.records import AuditEntry, ConsentSource, Event, Origin
from customer_core.use_cases.addresses import AddressBook
from customer_core.use_cases.password_check import PasswordCheck
from customer_core.use_cases.preferences import UpdatePreferences
from customer_core.use_cases.privacy import CustomerExport, Erasure, Export
from customer_core.use_cases.recording import Recorder
from customer_core.values import UNSET, Email, Id, as_id

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
    """Every action names its operator, and is recorded in the audit trail
    with their name, reading a customer's data included."""

    customers: CustomerRepository
    sessions: SessionRepository
    lockouts: LockoutRepository
    address_book: AddressBook
    audit_log: AuditLog
    recorder: Recorder
    password_check: PasswordCheck
    update_preferences: UpdatePreferences
    export: Export
    erasure: Erasure
    uow: UnitOfWork
    clock: Clock

    def record(self, event: Event, *, operator: str, **detail: str | int) -> None:
        """An operator's action on the service itself (keys, outbox)."""
        self.recorder.event(event, None, Origin.admin(operator), **detail)

    def list_customers(
        self, *, operator: str, email_prefix: str = "", after_id: str | None = None, limit: int = 50
    ) -> list[Customer]:
        after = as_id(after_id) if after_id is not None else None
        if after_id is not None and after is None:
            raise ValidationFailed.single("after", "must be a customer id (24 hex digits)")
        self.recorder.event(Event.CUSTOMERS_LISTED, None, Origin.admin(operator))
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

    def view(self, id_or_email: str, *, operator: str) -> Customer:
        customer = self.find(id_or_email)
        self.recorder.event(Event.CUSTOMER_VIEWED, customer.id, Origin.admin(operator))
        return customer

    def set_active(self, id_or_email: str, active: bool, *, operator: str) -> Customer:
        """Disabling also ends every session, so the customer is out at once;
        enabling also lifts a lockout."""
        customer = self.find(id_or_email)
        origin = Origin.admin(operator)

        def apply() -> Customer:
            changes = CustomerChanges(is_active=active, updated_at=self.clock.now())
            updated = self.customers.update(customer.id, changes) or customer
            if active:
                self.password_check.lift(customer, origin)
            else:
                self.sessions.revoke_all(customer.id)
            changed = ["is_active"] if customer.is_active != active else []
            event = Event.ACCOUNT_ENABLED if active else Event.ACCOUNT_DISABLED
            self.recorder.event(event, customer.id, origin, fields=changed)
            return updated

        return self.uow.run(apply)

    def import_customers(self, lines: Iterable[ImportLine], *, operator: str, dry_run: bool = False) -> ImportReport:
        """Add accounts brought from another system, keeping their ids (and
        their consents, recorded as imported). One whose id or email is here
        already (or earlier in ``lines``) is a duplicate and left alone, so an
        import can run again."""
        origin = Origin.admin(operator)
        report = ImportReport()
        seen: set[str] = set()
        for line, customer in lines:
            if isinstance(customer, str):
                report.rejected.append(Rejected(line, customer))
            elif self._is_duplicate(customer, seen) or not (dry_run or self._added(customer, origin)):
                report.duplicate_lines.append(line)
            else:
                report.imported += 1
                seen.update((customer.id, customer.email.value))
        self.recorder.event(
            Event.CUSTOMERS_IMPORTED,
            None,
            origin,
            dry_run=dry_run,
            imported=report.imported,
            duplicates=len(report.duplicate_lines),
            rejected=len(report.rejected),
        )
        return report

    def _is_duplicate(self, customer: Customer, seen: set[str]) -> bool:
        return (
            customer.id in seen
            or customer.email.value in seen
            or self.customers.get(customer.id) is not None
            or self.customers.get_by_email(customer.email) is not None
        )

    def _added(self, customer: Customer, origin: Origin) -> bool:
        def add() -> None:
            self.customers.add(customer)
            self.recorder.consents_given(customer.id, None, customer.preferences, ConsentSource.IMPORT, origin)

        try:
            self.uow.run(add)
        except EmailTaken:  # added meanwhile by another import
            return False
        return True

    def set_consents(
        self, id_or_email: str, *, newsletter: bool | None, sms: bool | None, operator: str
    ) -> Preferences:
        """Record consents the customer gave or withdrew outside the API."""
        changes = PreferenceChanges(
            newsletter=UNSET if newsletter is None else newsletter,
            sms_notifications=UNSET if sms is None else sms,
        )
        customer = self.find(id_or_email)
        return self.update_preferences.apply(customer.id, changes, ConsentSource.ADMIN, Origin.admin(operator))

    def export_customer(self, id_or_email: str, *, operator: str) -> CustomerExport:
        return self.export(self.find(id_or_email).id, Origin.admin(operator))

    def erase(self, id_or_email: str, *, operator: str) -> Id:
        """The pseudonym the customer's audit entries now carry."""
        return self.erasure(self.find(id_or_email), Origin.admin(operator))

    def locked_until(self, customer: Customer) -> dt.datetime | None:
        """When the customer's lockout ends, if they are locked out now."""
        return self.lockouts.locked_until(lockout_key(str(customer.email)), now=self.clock.now())

    def revoke_sessions(self, id_or_email: str, *, operator: str) -> int:
        customer = self.find(id_or_email)

        def revoke() -> int:
            ended = self.sessions.revoke_all(customer.id)
            self.recorder.event(Event.SESSION_REVOKED, customer.id, Origin.admin(operator), all_sessions=True)
            return ended

        return self.uow.run(revoke)

    def addresses(self, id_or_email: str, *, operator: str) -> list[Address]:
        customer = self.view(id_or_email, operator=operator)
        return self.address_book.list(customer.id)

    def address(self, address_id: str, *, operator: str) -> Address:
        key = as_id(address_id)
        address = self.address_book.find(key) if key else None
        if address is None:
            raise NotFound(f"No address {address_id!r}")
        self.recorder.event(Event.CUSTOMER_VIEWED, address.customer_id, Origin.admin(operator), address_id=address.id)
        return address

    def audit(
        self,
        *,
        operator: str,
        customer: str | None = None,
        types: frozenset[Event] | None = None,
        since: dt.datetime | None = None,
        before: Id | None = None,
        limit: int = 50,
    ) -> list[AuditEntry]:
        """Audit entries, newest first, of one customer (id or email) or all.
        An id need not name a customer: an erased one's pseudonym does not."""
        customer_id = (as_id(customer) or self.find(customer).id) if customer else None
        origin = Origin.admin(operator)
        if customer_id is None or self.customers.get(customer_id) is not None:
            self.recorder.event(Event.AUDIT_VIEWED, customer_id, origin)
        elif self.audit_log.list(customer_id=customer_id, limit=1):  # an erased customer's pseudonym
            self.recorder.pseudonymous(Event.AUDIT_VIEWED, customer_id, origin)
        else:  # no one: not even an erased customer's former id is written down again
            self.recorder.event(Event.AUDIT_VIEWED, None, origin)
        return self.audit_log.list(customer_id=customer_id, types=types, since=since, before=before, limit=limit)
