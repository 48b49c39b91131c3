"""What is kept about a customer: seeing it, exporting it, erasing it."""

from __future__ import annotations

import datetime as dt

import attrs

from customer_core.addresses import Address
from customer_core.customer import Customer, Preferences
from customer_core.customer_events import CustomerEvent, CustomerEventType
from customer_core.emailed_tokens import Purpose
from customer_core.errors import Unauthenticated
from customer_core.lockout import lockout_key
from customer_core.orders import Order
from customer_core.ports import (
    AddressRepository,
    AuditLog,
    Clock,
    ConsentLog,
    CustomerEvents,
    CustomerRepository,
    EmailedTokenRepository,
    IdGenerator,
    LockoutRepository,
    Notifier,
    OrderRepository,
    PhoneCodeRepository,
    RateLimiter,
    SessionRepository,
    UnitOfWork,
)
from customer_core.records import ACTIVITY, AuditEntry, Consent, Detail, Event, Origin
from customer_core.sessions import Session
from customer_core.tokens import Principal
from customer_core.use_cases.addresses import AddressBook
from customer_core.use_cases.email_change import email_change_key
from customer_core.use_cases.password_check import PasswordCheck
from customer_core.use_cases.phone_verification import phone_code_key
from customer_core.use_cases.recording import Recorder
from customer_core.values import Email, Id


@attrs.frozen(kw_only=True)
class ActivityEntry:
    type: Event
    at: dt.datetime
    ip_address: str | None
    user_agent: str | None
    detail: Detail


@attrs.frozen(kw_only=True)
class ActivityPage:
    items: list[ActivityEntry]
    # Give it as ``before`` for the next, older page; None on the last one.
    next_before: Id | None


@attrs.frozen(kw_only=True)
class Activity:
    """The customer's own security events, newest first."""

    audit_log: AuditLog

    def __call__(self, customer_id: Id, *, limit: int = 20, before: Id | None = None) -> ActivityPage:
        entries = self.audit_log.list(customer_id=customer_id, types=ACTIVITY, before=before, limit=limit + 1)
        page = entries[:limit]
        return ActivityPage(
            items=[_activity_entry(entry) for entry in page],
            next_before=page[-1].id if len(entries) > limit else None,
        )


@attrs.frozen(kw_only=True)
class ConsentHistory:
    """Every consent given or withdrawn, newest first."""

    consents: ConsentLog

    def __call__(self, customer_id: Id) -> list[Consent]:
        return self.consents.list(customer_id)


@attrs.frozen(kw_only=True)
class CustomerExport:
    """Everything held about one customer (GDPR articles 15 and 20). The
    shape is versioned: fields are only ever added within a version."""

    format: str = "customer-service/export"
    version: int = 1
    exported_at: dt.datetime
    profile: Customer
    preferences: Preferences
    addresses: list[Address]
    consents: list[Consent]
    sessions: list[Session]
    activity: list[ActivityEntry]
    audit_events: list[AuditEntry]
    # The address an email change waits to be confirmed at, if any.
    pending_email_change: PendingEmailChange | None = None
    # Until when logins are refused after too many wrong passwords, if they are.
    locked_until: dt.datetime | None = None
    # The completed orders other services reported, oldest first.
    orders: list[Order] = attrs.Factory(list)


@attrs.frozen(kw_only=True)
class PendingEmailChange:
    new_email: Email
    expires_at: dt.datetime


@attrs.frozen(kw_only=True)
class Export:
    """Builds the export, and records that it was made (which the export
    then holds too)."""

    PAGE = 500

    customers: CustomerRepository
    address_book: AddressBook
    consents: ConsentLog
    sessions: SessionRepository
    audit_log: AuditLog
    emailed_tokens: EmailedTokenRepository
    lockouts: LockoutRepository
    orders: OrderRepository
    recorder: Recorder
    clock: Clock

    def __call__(self, customer_id: Id, origin: Origin) -> CustomerExport:
        customer = self.customers.get(customer_id)
        if customer is None:
            raise Unauthenticated()
        self.recorder.event(Event.DATA_EXPORTED, customer.id, origin)
        audit = self._all_entries(customer.id)
        now = self.clock.now()
        return CustomerExport(
            exported_at=now,
            profile=customer,
            preferences=customer.preferences,
            addresses=self.address_book.list(customer.id),
            consents=self.consents.list(customer.id),
            sessions=self.sessions.list_active(customer.id, now=now),
            activity=[_activity_entry(entry) for entry in audit if entry.type in ACTIVITY],
            audit_events=audit,
            pending_email_change=self._pending_email_change(customer.id, now),
            locked_until=self.lockouts.locked_until(lockout_key(str(customer.email)), now=now),
            orders=self.orders.list(customer.id),
        )

    def _pending_email_change(self, customer_id: Id, now: dt.datetime) -> PendingEmailChange | None:
        token = self.emailed_tokens.latest(customer_id, Purpose.CHANGE_EMAIL)
        if token is None or token.new_email is None or token.expires_at <= now:
            return None
        return PendingEmailChange(new_email=token.new_email, expires_at=token.expires_at)

    def _all_entries(self, customer_id: Id) -> list[AuditEntry]:
        entries: list[AuditEntry] = []
        while page := self.audit_log.list(
            customer_id=customer_id, before=entries[-1].id if entries else None, limit=self.PAGE
        ):
            entries += page
            if len(page) < self.PAGE:
                break
        return entries


@attrs.frozen(kw_only=True)
class AccountDeletion:
    password: str = attrs.field(repr=False)


@attrs.frozen(kw_only=True)
class Erasure:
    """Removes a customer's personal data from every store in one unit of
    work: the account, addresses, orders, sessions, emailed tokens, phone
    codes, consents, queued messages, lockout, email-change and phone-code
    counters. Their audit entries are
    kept under a pseudonym and new ids (``AuditEntry.pseudonymised``), with one
    more saying the account was erased (and when); an ``account_deleted``
    message goes to the address the account had. The email is free again.
    Customer events about it not yet delivered are dropped with its other
    messages, and ``customer.deleted`` is queued after them (filed under no
    one, so it outlives this erasure)."""

    customers: CustomerRepository
    addresses: AddressRepository
    orders: OrderRepository
    sessions: SessionRepository
    emailed_tokens: EmailedTokenRepository
    phone_codes: PhoneCodeRepository
    consents: ConsentLog
    notifier: Notifier
    lockouts: LockoutRepository
    rate_limiter: RateLimiter
    audit_log: AuditLog
    recorder: Recorder
    ids: IdGenerator
    uow: UnitOfWork
    customer_events: CustomerEvents | None

    def __call__(self, customer: Customer, origin: Origin) -> Id:
        """The pseudonym the customer's audit entries now carry."""
        pseudonym = self.ids.new_id()

        def erase() -> None:
            if not self.customers.delete(customer.id):
                raise Unauthenticated()  # erased meanwhile
            self.addresses.erase(customer.id)
            self.orders.erase(customer.id)
            self.sessions.revoke_all(customer.id)
            for purpose in Purpose:
                self.emailed_tokens.remove_all(customer.id, purpose)
            self.phone_codes.erase(customer.id)
            self.consents.erase(customer.id)
            self.notifier.forget(customer.id)
            self.lockouts.lift(lockout_key(str(customer.email)))
            self.rate_limiter.reset(email_change_key(customer.id))
            self.rate_limiter.reset(phone_code_key(customer.id))
            self.audit_log.pseudonymise(customer.id, lambda entry: entry.pseudonymised(pseudonym, self.ids.new_id()))
            self.recorder.pseudonymous(
                Event.ACCOUNT_ERASED, pseudonym, Origin(actor=origin.actor, operator=origin.operator)
            )
            self.notifier.send(
                template="account_deleted",
                to=customer.email,
                locale=str(customer.preferences.language),
                data={"firstName": customer.first_name},
                customer_id=None,  # about no one any more
            )
            if self.customer_events is not None:
                self.customer_events.publish(CustomerEvent(type=CustomerEventType.DELETED, customer_id=customer.id))

        self.uow.run(erase)
        return pseudonym


@attrs.frozen(kw_only=True)
class DeleteAccount:
    """A customer erasing their own account: the password again, counted
    toward the lockout like every re-entry."""

    password_check: PasswordCheck
    erasure: Erasure

    def __call__(self, principal: Principal, deletion: AccountDeletion) -> None:
        customer = self.password_check.reentered(principal, deletion.password)
        self.erasure(customer, principal.origin)


def _activity_entry(entry: AuditEntry) -> ActivityEntry:
    return ActivityEntry(
        type=entry.type, at=entry.at, ip_address=entry.ip_address, user_agent=entry.user_agent, detail=entry.detail
    )
