"""Ports: what the core needs from the world, named for the domain.

They are synchronous on purpose: pymongo and bcrypt are blocking libraries,
and the HTTP edge runs every use case in a worker thread (see
docs/architecture.md)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Mapping
from decimal import Decimal
from typing import Any, Protocol, TypeVar

from customer_core.addresses import Address, AddressChanges, PostalCheck, Usage
from customer_core.clients import ClientClaims, Scope, ServiceClient
from customer_core.customer import Customer, CustomerChanges
from customer_core.customer_events import CustomerEvent, CustomerEventType
from customer_core.emailed_tokens import EmailedToken, Purpose
from customer_core.media import MediaInfo
from customer_core.orders import Order, OrderTotals
from customer_core.outbox import Channel, OutboxMessage, Status
from customer_core.phone_codes import PhoneCode
from customer_core.records import AuditEntry, Consent, Event
from customer_core.sessions import Replayed, Session
from customer_core.tokens import AccessClaims, IssuedAccessToken
from customer_core.values import Email, Id, MediaId

__all__ = [
    # the ports
    "Clock",
    "IdGenerator",
    "PasswordHasher",
    "AccessTokenIssuer",
    "CustomerRepository",
    "OrderRepository",
    "ServiceClientRepository",
    "SignedInCustomers",
    "LockoutRepository",
    "SessionRepository",
    "MediaCatalog",
    "AuditLog",
    "ConsentLog",
    "Notifier",
    "CustomerEvents",
    "UnitOfWork",
    "EmailedTokenRepository",
    "PhoneCodeRepository",
    "KeyedHasher",
    "MessageQueue",
    "MessageTransport",
    "AddressRepository",
    "PostalRules",
    "RateLimiter",
    # what they take and give besides the names of customer_core
    "AccessClaims",
    "Channel",
    "ClientClaims",
    "CustomerChanges",
    "CustomerEvent",
    "CustomerEventType",
    "EmailedToken",
    "IssuedAccessToken",
    "MediaInfo",
    "OutboxMessage",
    "PhoneCode",
    "PostalCheck",
    "Purpose",
    "Replayed",
    "Status",
    "Usage",
]

T = TypeVar("T")


class Clock(Protocol):
    def now(self) -> dt.datetime:
        """The current time, timezone-aware UTC."""
        ...


class IdGenerator(Protocol):
    def new_id(self) -> Id:
        """A new unique id."""
        ...


class PasswordHasher(Protocol):
    def hash(self, password: str) -> str: ...

    def verify(self, password: str, password_hash: str) -> bool: ...

    def rehash(self, password: str, password_hash: str) -> str | None:
        """After ``password`` matched ``password_hash``: a hash to store
        instead (the stored one is of another scheme or cost), or None."""
        ...


class AccessTokenIssuer(Protocol):
    def issue(self, *, customer_id: Id, session_id: Id, now: dt.datetime) -> IssuedAccessToken: ...

    def verify(self, token: str, *, now: dt.datetime) -> AccessClaims:
        """Raise ``TokenInvalid`` unless the token is a customer's, genuine, current and ours."""
        ...

    def issue_for_client(self, *, client_id: Id, scopes: frozenset[Scope], now: dt.datetime) -> IssuedAccessToken:
        """A token of a service client: ``CLIENT_TOKEN_TTL`` long, no session."""
        ...

    def verify_client(self, token: str, *, now: dt.datetime) -> ClientClaims:
        """Raise ``TokenInvalid`` unless the token is a service client's,
        genuine, current and ours."""
        ...


class CustomerRepository(Protocol):
    def add(self, customer: Customer) -> None:
        """Raise ``EmailTaken`` if the email (or the id) already belongs to an account."""
        ...

    def get(self, customer_id: Id) -> Customer | None: ...

    def get_by_email(self, email: Email) -> Customer | None: ...

    def update(self, customer_id: Id, changes: CustomerChanges) -> Customer | None:
        """Apply the changes atomically; the updated customer, or None if
        there is none. Raise ``EmailTaken`` if a new email belongs to another."""
        ...

    def delete(self, customer_id: Id) -> bool: ...

    def hold(self, customer_id: Id) -> bool:
        """Write to the account in the caller's unit of work, so that the
        unit of work and a concurrent ``delete`` conflict and one of them
        is retried: nothing is ever written under the id of an account
        erased meanwhile. Whether the account exists."""
        ...

    def replace_password_hash(self, customer_id: Id, *, old: str, new: str) -> bool:
        """Store ``new`` only while the hash is still ``old``, so a password
        changed meanwhile is never undone; whether it was stored."""
        ...

    def list(self, *, email_prefix: str = "", after_id: Id | None = None, limit: int = 50) -> list[Customer]:
        """Customers ordered by id, after ``after_id``."""
        ...

    def add_to_totals(self, customer_id: Id, *, orders: int, spent: Decimal, points: int) -> Customer | None:
        """Atomically add to the order totals (negative to take away); the
        updated customer, or None if there is none. A unit of work that
        fails afterwards takes them away again."""
        ...


class OrderRepository(Protocol):
    """Orders by their order id, which is unique across customers."""

    def add(self, order: Order) -> None:
        """Raise ``ConcurrentUpdate`` if an order of that id exists already."""
        ...

    def get(self, order_id: str) -> Order | None: ...

    def mark_refunded(self, order_id: str, *, now: dt.datetime) -> bool:
        """Record the refund unless the order was refunded already; whether it was recorded."""
        ...

    def keep_answer(self, order_id: str, totals: OrderTotals, *, refund: bool) -> None:
        """Keep the totals answered for the order's recording (or refund)."""
        ...

    def list(self, customer_id: Id) -> list[Order]:
        """Oldest first."""
        ...

    def erase(self, customer_id: Id) -> None: ...


class ServiceClientRepository(Protocol):
    def add(self, client: ServiceClient) -> None: ...

    def get(self, client_id: Id) -> ServiceClient | None: ...

    def list(self) -> list[ServiceClient]:
        """Oldest first, revoked ones included."""
        ...

    def revoke(self, client_id: Id, *, now: dt.datetime) -> bool:
        """Whether an active client of that id was revoked now."""
        ...


class SignedInCustomers(Protocol):
    def get(self, customer_id: Id, session_id: Id, *, now: dt.datetime) -> Customer | None:
        """The customer, if ``session_id`` is a session of theirs that is
        active at ``now``: what an authenticated read of one's own profile
        needs, in one read where the store allows."""
        ...


class LockoutRepository(Protocol):
    """Password checks counted per lockout key (see ``lockout_key``)."""

    def begin_check(self, key: str, *, threshold: int, now: dt.datetime) -> int | None:
        """Atomically count one more password check for ``key``, unless it
        is locked at ``now`` or ``threshold`` checks are counted already: the
        number of this check, or None when refused. However many arrive at
        once, at most ``threshold`` get a number before a lock or a success."""
        ...

    def lock(self, key: str, *, until: dt.datetime) -> None:
        """Lock ``key`` until then; the count starts again after it."""
        ...

    def succeeded(self, key: str, *, now: dt.datetime) -> None:
        """A right password: the count starts again (a lock stays)."""
        ...

    def lift(self, key: str) -> None:
        """Forget the count and any lock of ``key``."""
        ...

    def locked_until(self, key: str, *, now: dt.datetime) -> dt.datetime | None: ...


class SessionRepository(Protocol):
    def add(self, session: Session) -> None: ...

    def get(self, session_id: Id) -> Session | None: ...

    def rotate(
        self,
        *,
        session_id: Id | None,
        presented_digest: str,
        new_digest: str,
        now: dt.datetime,
        expires_at: dt.datetime,
    ) -> Session | Replayed | None:
        """Atomically swap the active session's current token for a new one.
        A digest the session already used deletes it and returns
        ``Replayed``; an unknown or expired one returns ``None``. Without a
        session id (an older token), the session is found by its current
        digest, and a replay is not recognised."""
        ...

    def list_active(self, customer_id: Id, *, now: dt.datetime) -> list[Session]: ...

    def revoke(self, session_id: Id, *, customer_id: Id) -> bool:
        """End one session of this customer; False if there was none."""
        ...

    def revoke_all(self, customer_id: Id, *, keep: Id | None = None) -> int: ...


class MediaCatalog(Protocol):
    def describe(self, media_id: MediaId) -> MediaInfo | None:
        """The Media Service's record of ``media_id``, or None if it has
        none. Raise ``DependencyUnavailable`` if it cannot tell."""
        ...


class AuditLog(Protocol):
    """Append-only: entries are never changed, except to pseudonymise them."""

    def record(self, entry: AuditEntry) -> None: ...

    def list(
        self,
        *,
        customer_id: Id | None = None,
        types: frozenset[Event] | None = None,
        since: dt.datetime | None = None,
        before: Id | None = None,
        limit: int = 50,
    ) -> list[AuditEntry]:
        """Newest first; with ``before``, only entries older than that one."""
        ...

    def pseudonymise(self, customer_id: Id, pseudonymised: Callable[[AuditEntry], AuditEntry]) -> None:
        """After an erasure: replace each of the customer's entries with
        ``pseudonymised(entry)``, which has another id."""
        ...


class ConsentLog(Protocol):
    def add(self, consent: Consent) -> None: ...

    def list(self, customer_id: Id) -> list[Consent]:
        """Newest first."""
        ...

    def erase(self, customer_id: Id) -> None: ...


class Notifier(Protocol):
    def send(
        self,
        *,
        template: str,
        to: Email | str,
        locale: str,
        data: Mapping[str, Any],
        customer_id: Id | None,
        channel: Channel = Channel.EMAIL,
    ) -> None:
        """Queue a message to ``to`` (an email address, or a phone number for
        SMS); ``customer_id``: whom it is about, if anyone."""
        ...

    def forget(self, customer_id: Id) -> None:
        """Drop every message about this customer, whatever its state."""
        ...


class CustomerEvents(Protocol):
    def publish(self, event: CustomerEvent) -> None:
        """Queue the event for delivery in the caller's unit of work, so it
        goes out if and only if the change it tells of is stored."""
        ...


class UnitOfWork(Protocol):
    def run(self, work: Callable[[], T]) -> T:
        """Run ``work`` so that all of its writes happen, or none do (a store
        without transactions undoes what it can). It may run ``work`` more
        than once (a transaction retried after a conflict)."""
        ...

    def after_commit(self, action: Callable[[], None]) -> None:
        """Run ``action`` once the unit of work running now has committed
        (at once outside one); never if it fails, once if it was retried."""
        ...


class EmailedTokenRepository(Protocol):
    def replace(self, token: EmailedToken) -> None:
        """Store ``token`` and remove the customer's other tokens of its purpose."""
        ...

    def find(self, digest: str, purpose: Purpose, *, now: dt.datetime) -> EmailedToken | None:
        """The unexpired token of this purpose, left in place."""
        ...

    def redeem(self, digest: str, purpose: Purpose, *, now: dt.datetime) -> EmailedToken | None:
        """Atomically remove and return the unexpired token of this purpose."""
        ...

    def latest(self, customer_id: Id, purpose: Purpose) -> EmailedToken | None: ...

    def remove_all(self, customer_id: Id, purpose: Purpose) -> None: ...


class PhoneCodeRepository(Protocol):
    """At most one code per customer."""

    def issue(self, code: PhoneCode, *, unless_sent_after: dt.datetime) -> dt.datetime | None:
        """Store ``code`` in place of the customer's previous one, unless that
        one was sent after ``unless_sent_after``: then keep it and return when
        it was sent. Of concurrent issues, one stores its code. A unit of
        work that fails afterwards takes the code back."""
        ...

    def take_try(self, customer_id: Id, *, now: dt.datetime) -> PhoneCode | None:
        """Atomically count one try of the customer's code, unless it has
        expired at ``now`` or has no tries left: the code after the try, or
        None. However many tries arrive at once, at most ``tries_left`` get it."""
        ...

    def use(self, customer_id: Id, digest: str) -> bool:
        """Atomically remove the customer's code if it is still the one of
        this digest; whether it was (single use under concurrency)."""
        ...

    def erase(self, customer_id: Id) -> None: ...


class KeyedHasher(Protocol):
    """Digests that only the holder of a key kept apart from the database
    can make or check: for secrets too short to survive guessing (a 6-digit
    code has a million values; a plain digest of one is reversed at once)."""

    def digest(self, message: str) -> str: ...

    def matches(self, message: str, digest: str) -> bool:
        """Whether ``digest`` was made of ``message`` (compared in constant time)."""
        ...


class MessageQueue(Protocol):
    """The delivery side of the outbox that ``Notifier.send`` writes to."""

    def claim(self, *, owner: str, now: dt.datetime, lease_until: dt.datetime) -> OutboxMessage | None:
        """Atomically take the next due message (pending, or in flight with an
        expired lease) for ``owner`` until ``lease_until``."""
        ...

    def mark_delivered(self, message_id: Id, *, owner: str, now: dt.datetime) -> None:
        """Its data is dropped at once; the record goes after ``DELIVERED_KEPT``."""
        ...

    def retry_later(self, message_id: Id, *, owner: str, at: dt.datetime, error: str) -> None: ...

    def mark_dead(self, message_id: Id, *, owner: str, error: str, now: dt.datetime) -> None:
        """Given up on: its ``SECRET_FIELDS`` are dropped, the rest kept for
        operators until ``DEAD_KEPT`` has passed."""
        ...

    def counts(self) -> dict[Status, int]: ...

    def list(self, status: Status, *, limit: int = 50) -> list[OutboxMessage]: ...

    def requeue(self, message_id: Id | None, *, now: dt.datetime) -> int:
        """Make one dead message (or, with None, every dead one) pending
        again, but for those whose secrets were removed."""
        ...


class MessageTransport(Protocol):
    def deliver(self, message: OutboxMessage) -> None:
        """Hand the message over; raise ``DeliveryFailed`` unless accepted."""
        ...


class AddressRepository(Protocol):
    def reserve_slot(self, customer_id: Id, *, limit: int) -> int | None:
        """Atomically count one more address for the customer unless they
        have ``limit`` already; the new count, or None when full. A unit of
        work that fails afterwards gives the slot back."""
        ...

    def release_slot(self, customer_id: Id) -> None: ...

    def add(self, address: Address) -> None:
        """Raise ``ConcurrentUpdate`` if another address became a default
        the new one claims meanwhile."""
        ...

    def get(self, customer_id: Id, address_id: Id) -> Address | None:
        """Only the customer's own address; None for anyone else's."""
        ...

    def find(self, address_id: Id) -> Address | None:
        """Any customer's address (for operators)."""
        ...

    def list(self, customer_id: Id) -> list[Address]: ...

    def update(self, customer_id: Id, address_id: Id, changes: AddressChanges, *, now: dt.datetime) -> Address | None:
        """Apply the changes and set ``updated_at``; raise ``ConcurrentUpdate``
        as ``add`` does."""
        ...

    def clear_default(self, customer_id: Id, usage: Usage) -> None:
        """The customer no longer has a default address for ``usage``."""
        ...

    def delete(self, customer_id: Id, address_id: Id) -> bool: ...

    def erase(self, customer_id: Id) -> None:
        """Remove every address of the customer, and their book."""
        ...


class PostalRules(Protocol):
    def check(self, *, country: str, state: str | None, city: str, postal_code: str | None, street: str) -> PostalCheck:
        """Check an address against its country's postal rules (known
        country, required fields, postal-code format)."""
        ...


class RateLimiter(Protocol):
    def hit(self, key: str, *, limit: int, window: dt.timedelta, now: dt.datetime) -> int:
        """Count one attempt for ``key`` in the current fixed window; the
        seconds until the window ends when this attempt is over ``limit``, else 0."""
        ...

    def reset(self, key: str) -> None:
        """Forget every attempt counted for ``key``."""
        ...
