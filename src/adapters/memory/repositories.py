"""Every storage port in memory: dictionaries behind a lock, with the same
observable behaviour as the MongoDB adapters (the shared contract tests
hold both to it)."""

from __future__ import annotations

import datetime as dt
import threading
from collections.abc import Callable
from decimal import Decimal
from typing import TypeVar

import attrs

from adapters.undo import after_commit, on_failure, run_undoing_on_failure
from customer_core.addresses import Address, AddressChanges, Usage
from customer_core.clients import ServiceClient
from customer_core.customer import Customer, CustomerChanges
from customer_core.emailed_tokens import EmailedToken, Purpose
from customer_core.errors import ConcurrentUpdate, EmailTaken
from customer_core.orders import Order, OrderTotals
from customer_core.phone_codes import PhoneCode
from customer_core.ports import CustomerRepository, SessionRepository
from customer_core.sessions import USED_TOKENS_KEPT, Replayed, Session
from customer_core.values import Email, Id

T = TypeVar("T")


class InMemoryCustomerRepository:
    def __init__(self) -> None:
        self._by_id: dict[Id, Customer] = {}
        self._lock = threading.Lock()

    def add(self, customer: Customer) -> None:
        with self._lock:
            if customer.id in self._by_id or any(c.email == customer.email for c in self._by_id.values()):
                raise EmailTaken()
            self._by_id[customer.id] = customer

    def get(self, customer_id: Id) -> Customer | None:
        return self._by_id.get(customer_id)

    def get_by_email(self, email: Email) -> Customer | None:
        return next((c for c in self._by_id.values() if c.email == email), None)

    def update(self, customer_id: Id, changes: CustomerChanges) -> Customer | None:
        with self._lock:
            customer = self._by_id.get(customer_id)
            if customer is None:
                return None
            updated = changes.apply_to(customer)
            if any(c.email == updated.email and c.id != customer_id for c in self._by_id.values()):
                raise EmailTaken()
            self._by_id[customer_id] = updated
            return updated

    def delete(self, customer_id: Id) -> bool:
        with self._lock:
            return self._by_id.pop(customer_id, None) is not None

    def hold(self, customer_id: Id) -> bool:
        return customer_id in self._by_id  # no transaction here to conflict with

    def replace_password_hash(self, customer_id: Id, *, old: str, new: str) -> bool:
        with self._lock:
            customer = self._by_id.get(customer_id)
            if customer is None or customer.password_hash != old:
                return False
            self._by_id[customer_id] = attrs.evolve(customer, password_hash=new)
            return True

    def list(self, *, email_prefix: str = "", after_id: Id | None = None, limit: int = 50) -> list[Customer]:
        matching = sorted(
            (c for c in self._by_id.values() if c.email.value.startswith(email_prefix)),
            key=lambda c: c.id,
        )
        return [c for c in matching if after_id is None or c.id > after_id][:limit]

    def add_to_totals(self, customer_id: Id, *, orders: int, spent: Decimal, points: int) -> Customer | None:
        with self._lock:
            customer = self._by_id.get(customer_id)
            if customer is None:
                return None
            updated = attrs.evolve(
                customer,
                total_orders=customer.total_orders + orders,
                total_spent=customer.total_spent + spent,
                loyalty_points=customer.loyalty_points + points,
            )
            self._by_id[customer_id] = updated

        def take_back() -> None:
            self.add_to_totals(customer_id, orders=-orders, spent=-spent, points=-points)

        on_failure(take_back)
        return updated


class InMemoryOrders:
    def __init__(self) -> None:
        self._orders: dict[str, Order] = {}
        self._lock = threading.Lock()

    def add(self, order: Order) -> None:
        with self._lock:
            if order.order_id in self._orders:
                raise ConcurrentUpdate()
            self._orders[order.order_id] = order
        on_failure(lambda: self._drop(order.order_id))

    def _drop(self, order_id: str) -> None:
        with self._lock:
            self._orders.pop(order_id, None)

    def get(self, order_id: str) -> Order | None:
        return self._orders.get(order_id)

    def mark_refunded(self, order_id: str, *, now: dt.datetime) -> bool:
        with self._lock:
            order = self._orders.get(order_id)
            if order is None or order.refunded_at is not None:
                return False
            self._orders[order_id] = attrs.evolve(order, refunded_at=now)
        on_failure(lambda: self._put_back(order))
        return True

    def keep_answer(self, order_id: str, totals: OrderTotals, *, refund: bool) -> None:
        with self._lock:
            order = self._orders.get(order_id)
            if order is not None and refund:
                self._orders[order_id] = attrs.evolve(order, totals_after_refund=totals)
            elif order is not None:
                self._orders[order_id] = attrs.evolve(order, totals_after=totals)

    def _put_back(self, order: Order) -> None:
        with self._lock:
            self._orders[order.order_id] = order

    def list(self, customer_id: Id) -> list[Order]:
        return sorted((o for o in self._orders.values() if o.customer_id == customer_id), key=lambda o: o.recorded_at)

    def erase(self, customer_id: Id) -> None:
        with self._lock:
            for order_id in [o.order_id for o in self._orders.values() if o.customer_id == customer_id]:
                del self._orders[order_id]


class InMemoryServiceClients:
    def __init__(self) -> None:
        self._by_id: dict[Id, ServiceClient] = {}
        self._lock = threading.Lock()

    def add(self, client: ServiceClient) -> None:
        with self._lock:
            self._by_id[client.id] = client
        on_failure(lambda: self._put(client.id, None))

    def _put(self, client_id: Id, client: ServiceClient | None) -> None:
        with self._lock:
            if client is None:
                self._by_id.pop(client_id, None)
            else:
                self._by_id[client_id] = client

    def get(self, client_id: Id) -> ServiceClient | None:
        return self._by_id.get(client_id)

    def list(self) -> list[ServiceClient]:
        return sorted(self._by_id.values(), key=lambda client: (client.created_at, client.id))

    def revoke(self, client_id: Id, *, now: dt.datetime) -> bool:
        with self._lock:
            client = self._by_id.get(client_id)
            if client is None or not client.active:
                return False
            self._by_id[client_id] = attrs.evolve(client, revoked_at=now)
        on_failure(lambda: self._put(client_id, client))
        return True


@attrs.define
class _Lockout:
    checks: int = 0
    locked_until: dt.datetime | None = None

    def locked_at(self, now: dt.datetime) -> bool:
        return self.locked_until is not None and now < self.locked_until


class InMemoryLockouts:
    def __init__(self) -> None:
        self._by_key: dict[str, _Lockout] = {}
        self._lock = threading.Lock()

    def begin_check(self, key: str, *, threshold: int, now: dt.datetime) -> int | None:
        with self._lock:
            lockout = self._by_key.setdefault(key, _Lockout())
            if lockout.locked_at(now) or lockout.checks >= threshold:
                return None
            lockout.checks += 1
            return lockout.checks

    def lock(self, key: str, *, until: dt.datetime) -> None:
        with self._lock:
            self._by_key[key] = _Lockout(checks=0, locked_until=until)

    def succeeded(self, key: str, *, now: dt.datetime) -> None:
        with self._lock:
            lockout = self._by_key.get(key)
            if lockout is not None and not lockout.locked_at(now):
                lockout.checks = 0

    def lift(self, key: str) -> None:
        with self._lock:
            self._by_key.pop(key, None)

    def locked_until(self, key: str, *, now: dt.datetime) -> dt.datetime | None:
        lockout = self._by_key.get(key)
        return lockout.locked_until if lockout is not None and lockout.locked_at(now) else None


class InMemorySessionRepository:
    def __init__(self) -> None:
        self._by_id: dict[Id, Session] = {}
        self._lock = threading.Lock()

    def add(self, session: Session) -> None:
        with self._lock:
            self._by_id[session.id] = session

    def get(self, session_id: Id) -> Session | None:
        return self._by_id.get(session_id)

    def rotate(
        self,
        *,
        session_id: Id | None,
        presented_digest: str,
        new_digest: str,
        now: dt.datetime,
        expires_at: dt.datetime,
    ) -> Session | Replayed | None:
        with self._lock:
            named = [self._by_id[session_id]] if session_id in self._by_id else []
            for session in self._by_id.values() if session_id is None else named:
                if session.current_token_digest == presented_digest and session.is_active(now):
                    rotated = attrs.evolve(
                        session,
                        current_token_digest=new_digest,
                        used_token_digests=(*session.used_token_digests, presented_digest)[-USED_TOKENS_KEPT:],
                        last_used_at=now,
                        expires_at=expires_at,
                    )
                    self._by_id[session.id] = rotated
                    return rotated
                if session_id is not None and presented_digest in session.used_token_digests:
                    del self._by_id[session.id]
                    return Replayed(session.id, session.customer_id)
            return None

    def list_active(self, customer_id: Id, *, now: dt.datetime) -> list[Session]:
        return [s for s in self._by_id.values() if s.customer_id == customer_id and s.is_active(now)]

    def revoke(self, session_id: Id, *, customer_id: Id) -> bool:
        with self._lock:
            session = self._by_id.get(session_id)
            if session is None or session.customer_id != customer_id:
                return False
            del self._by_id[session_id]
            return True

    def revoke_all(self, customer_id: Id, *, keep: Id | None = None) -> int:
        with self._lock:
            doomed = [s.id for s in self._by_id.values() if s.customer_id == customer_id and s.id != keep]
            for session_id in doomed:
                del self._by_id[session_id]
            return len(doomed)


class InMemorySignedInCustomers:
    """Over any customer and session repositories: two reads."""

    def __init__(self, customers: CustomerRepository, sessions: SessionRepository) -> None:
        self._customers = customers
        self._sessions = sessions

    def get(self, customer_id: Id, session_id: Id, *, now: dt.datetime) -> Customer | None:
        session = self._sessions.get(session_id)
        if session is None or session.customer_id != customer_id or not session.is_active(now):
            return None
        return self._customers.get(customer_id)


class InMemoryEmailedTokens:
    def __init__(self) -> None:
        self._by_digest: dict[str, EmailedToken] = {}
        self._lock = threading.Lock()

    def replace(self, token: EmailedToken) -> None:
        with self._lock:
            self._remove(token.customer_id, token.purpose)
            self._by_digest[token.digest] = token

    def find(self, digest: str, purpose: Purpose, *, now: dt.datetime) -> EmailedToken | None:
        token = self._by_digest.get(digest)
        return token if token is not None and token.purpose == purpose and now < token.expires_at else None

    def redeem(self, digest: str, purpose: Purpose, *, now: dt.datetime) -> EmailedToken | None:
        with self._lock:
            token = self.find(digest, purpose, now=now)
            if token is None:
                return None
            del self._by_digest[digest]
        on_failure(lambda: self._restore(token))
        return token

    def _restore(self, token: EmailedToken) -> None:
        with self._lock:
            self._by_digest.setdefault(token.digest, token)

    def latest(self, customer_id: Id, purpose: Purpose) -> EmailedToken | None:
        mine = [t for t in self._by_digest.values() if t.customer_id == customer_id and t.purpose == purpose]
        return max(mine, key=lambda t: t.created_at, default=None)

    def remove_all(self, customer_id: Id, purpose: Purpose) -> None:
        with self._lock:
            self._remove(customer_id, purpose)

    def _remove(self, customer_id: Id, purpose: Purpose) -> None:
        for digest, token in list(self._by_digest.items()):
            if token.customer_id == customer_id and token.purpose == purpose:
                del self._by_digest[digest]


class InMemoryPhoneCodes:
    def __init__(self) -> None:
        self._by_customer: dict[Id, PhoneCode] = {}
        self._lock = threading.Lock()

    def issue(self, code: PhoneCode, *, unless_sent_after: dt.datetime) -> dt.datetime | None:
        with self._lock:
            previous = self._by_customer.get(code.customer_id)
            if previous is not None and previous.sent_at > unless_sent_after:
                return previous.sent_at
            self._by_customer[code.customer_id] = code
        on_failure(lambda: self._put_back(code, previous))
        return None

    def _put_back(self, issued: PhoneCode, previous: PhoneCode | None) -> None:
        with self._lock:
            if self._by_customer.get(issued.customer_id) is issued:
                if previous is None:
                    del self._by_customer[issued.customer_id]
                else:
                    self._by_customer[issued.customer_id] = previous

    def take_try(self, customer_id: Id, *, now: dt.datetime) -> PhoneCode | None:
        with self._lock:
            code = self._by_customer.get(customer_id)
            if code is None or now >= code.expires_at or code.tries_left <= 0:
                return None
            tried = attrs.evolve(code, tries_left=code.tries_left - 1)
            self._by_customer[customer_id] = tried
            return tried

    def use(self, customer_id: Id, digest: str) -> bool:
        with self._lock:
            code = self._by_customer.get(customer_id)
            if code is None or code.digest != digest:
                return False
            del self._by_customer[customer_id]
        on_failure(lambda: self._put_back_used(code))
        return True

    def _put_back_used(self, code: PhoneCode) -> None:
        with self._lock:
            self._by_customer.setdefault(code.customer_id, code)

    def erase(self, customer_id: Id) -> None:
        with self._lock:
            self._by_customer.pop(customer_id, None)


class InMemoryUnitOfWork:
    """Runs the work as it comes; there is no transaction to roll back, so
    writes that registered an undo step are taken back if the work fails."""

    def run(self, work: Callable[[], T]) -> T:
        return run_undoing_on_failure(work)

    def after_commit(self, action: Callable[[], None]) -> None:
        after_commit(action)


class InMemoryAddressRepository:
    def __init__(self) -> None:
        self._by_id: dict[Id, Address] = {}
        self._slots: dict[Id, int] = {}
        self._lock = threading.Lock()

    def reserve_slot(self, customer_id: Id, *, limit: int) -> int | None:
        with self._lock:
            count = self._slots.get(customer_id, 0)
            if count >= limit:
                return None
            self._slots[customer_id] = count + 1
        on_failure(lambda: self.release_slot(customer_id))
        return count + 1

    def release_slot(self, customer_id: Id) -> None:
        with self._lock:
            self._slots[customer_id] = max(self._slots.get(customer_id, 0) - 1, 0)

    def add(self, address: Address) -> None:
        with self._lock:
            self._refuse_second_default(address)
            self._by_id[address.id] = address

    def get(self, customer_id: Id, address_id: Id) -> Address | None:
        address = self._by_id.get(address_id)
        return address if address is not None and address.customer_id == customer_id else None

    def find(self, address_id: Id) -> Address | None:
        return self._by_id.get(address_id)

    def list(self, customer_id: Id) -> list[Address]:
        return [a for a in self._by_id.values() if a.customer_id == customer_id]

    def update(self, customer_id: Id, address_id: Id, changes: AddressChanges, *, now: dt.datetime) -> Address | None:
        with self._lock:
            address = self.get(customer_id, address_id)
            if address is None:
                return None
            updated = attrs.evolve(changes.apply_to(address), updated_at=now)
            self._refuse_second_default(updated)
            self._by_id[address_id] = updated
            return updated

    def clear_default(self, customer_id: Id, usage: Usage) -> None:
        with self._lock:
            for address in self.list(customer_id):
                if address.is_default_for(usage):
                    self._by_id[address.id] = address.made_default_for(usage, False)

    def delete(self, customer_id: Id, address_id: Id) -> bool:
        with self._lock:
            if self.get(customer_id, address_id) is None:
                return False
            del self._by_id[address_id]
            return True

    def erase(self, customer_id: Id) -> None:
        with self._lock:
            self._by_id = {key: a for key, a in self._by_id.items() if a.customer_id != customer_id}
            self._slots.pop(customer_id, None)

    def _refuse_second_default(self, address: Address) -> None:
        for usage in Usage:
            if address.is_default_for(usage) and any(
                other.customer_id == address.customer_id and other.id != address.id and other.is_default_for(usage)
                for other in self._by_id.values()
            ):
                raise ConcurrentUpdate()


class InMemoryRateLimiter:
    def __init__(self) -> None:
        self._counts: dict[tuple[str, int], int] = {}
        self._lock = threading.Lock()

    def hit(self, key: str, *, limit: int, window: dt.timedelta, now: dt.datetime) -> int:
        seconds = int(window.total_seconds())
        slot = int(now.timestamp()) // seconds
        with self._lock:
            count = self._counts.get((key, slot), 0) + 1
            self._counts[(key, slot)] = count
        return (slot + 1) * seconds - int(now.timestamp()) if count > limit else 0

    def reset(self, key: str) -> None:
        with self._lock:
            self._counts = {counted: n for counted, n in self._counts.items() if counted[0] != key}
