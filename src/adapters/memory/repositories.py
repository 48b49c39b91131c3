from __future__ import annotations

import datetime as dt
import threading
from collections.abc import Callable, Mapping
from typing import Any, TypeVar

import attrs

from customer_core.action_tokens import ActionToken, Purpose
from customer_core.addresses import Address, Usage
from customer_core.customer import Customer
from customer_core.errors import ConcurrentUpdate, EmailTaken
from customer_core.sessions import USED_TOKENS_KEPT, Replayed, Session
from customer_core.values import Email

T = TypeVar("T")


def _evolve_path(obj: Any, path: str, value: Any) -> Any:
    """``attrs.evolve`` along a dotted attribute path ('preferences.language')."""
    head, _, rest = path.partition(".")
    return attrs.evolve(obj, **{head: _evolve_path(getattr(obj, head), rest, value) if rest else value})


class InMemoryCustomerRepository:
    def __init__(self) -> None:
        self._by_id: dict[str, Customer] = {}
        self._lock = threading.Lock()

    def add(self, customer: Customer) -> None:
        with self._lock:
            if any(c.email == customer.email for c in self._by_id.values()):
                raise EmailTaken()
            self._by_id[customer.id] = customer

    def get(self, customer_id: str) -> Customer | None:
        return self._by_id.get(customer_id)

    def get_by_email(self, email: Email) -> Customer | None:
        return next((c for c in self._by_id.values() if c.email == email), None)

    def update(self, customer_id: str, changes: Mapping[str, Any]) -> Customer | None:
        with self._lock:
            customer = self._by_id.get(customer_id)
            if customer is None:
                return None
            if "email" in changes and any(
                c.email == changes["email"] and c.id != customer_id for c in self._by_id.values()
            ):
                raise EmailTaken()
            for path, value in changes.items():
                customer = _evolve_path(customer, path, value)
            self._by_id[customer_id] = customer
            return customer

    def count_failed_login(self, customer_id: str, *, now: dt.datetime) -> int | None:
        with self._lock:
            customer = self._by_id.get(customer_id)
            if customer is None or (customer.locked_until is not None and now < customer.locked_until):
                return None
            self._by_id[customer_id] = attrs.evolve(customer, failed_logins=customer.failed_logins + 1)
            return customer.failed_logins + 1

    def lock(self, customer_id: str, *, until: dt.datetime, failures: int) -> bool:
        with self._lock:
            customer = self._by_id.get(customer_id)
            if customer is None or customer.failed_logins != failures:
                return False
            self._by_id[customer_id] = attrs.evolve(customer, failed_logins=0, locked_until=until)
            return True

    def record_login(self, customer_id: str, *, now: dt.datetime) -> Customer | None:
        return self.update(customer_id, {"failed_logins": 0, "locked_until": None, "last_login": now})

    def list(self, *, email_prefix: str = "", after_id: str | None = None, limit: int = 50) -> list[Customer]:
        matching = sorted(
            (c for c in self._by_id.values() if c.email.value.startswith(email_prefix)),
            key=lambda c: c.id,
        )
        return [c for c in matching if after_id is None or c.id > after_id][:limit]


class InMemorySessionRepository:
    def __init__(self) -> None:
        self._by_id: dict[str, Session] = {}
        self._lock = threading.Lock()

    def add(self, session: Session) -> None:
        with self._lock:
            self._by_id[session.id] = session

    def get(self, session_id: str) -> Session | None:
        return self._by_id.get(session_id)

    def rotate(
        self, *, presented_digest: str, new_digest: str, now: dt.datetime, expires_at: dt.datetime
    ) -> Session | Replayed | None:
        with self._lock:
            for session in self._by_id.values():
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
                if presented_digest in session.used_token_digests:
                    del self._by_id[session.id]
                    return Replayed(session.id)
            return None

    def list_active(self, customer_id: str, *, now: dt.datetime) -> list[Session]:
        return [s for s in self._by_id.values() if s.customer_id == customer_id and s.is_active(now)]

    def revoke(self, session_id: str, *, customer_id: str) -> bool:
        with self._lock:
            session = self._by_id.get(session_id)
            if session is None or session.customer_id != customer_id:
                return False
            del self._by_id[session_id]
            return True

    def revoke_all(self, customer_id: str, *, keep: str | None = None) -> int:
        with self._lock:
            doomed = [s.id for s in self._by_id.values() if s.customer_id == customer_id and s.id != keep]
            for session_id in doomed:
                del self._by_id[session_id]
            return len(doomed)


class InMemoryActionTokens:
    def __init__(self) -> None:
        self._by_digest: dict[str, ActionToken] = {}
        self._lock = threading.Lock()

    def replace(self, token: ActionToken) -> None:
        with self._lock:
            self._remove(token.customer_id, token.purpose)
            self._by_digest[token.digest] = token

    def find(self, digest: str, purpose: Purpose, *, now: dt.datetime) -> ActionToken | None:
        token = self._by_digest.get(digest)
        return token if token is not None and token.purpose == purpose and now < token.expires_at else None

    def redeem(self, digest: str, purpose: Purpose, *, now: dt.datetime) -> ActionToken | None:
        with self._lock:
            token = self.find(digest, purpose, now=now)
            if token is not None:
                del self._by_digest[digest]
            return token

    def latest(self, customer_id: str, purpose: Purpose) -> ActionToken | None:
        mine = [t for t in self._by_digest.values() if t.customer_id == customer_id and t.purpose == purpose]
        return max(mine, key=lambda t: t.created_at, default=None)

    def remove_all(self, customer_id: str, purpose: Purpose) -> None:
        with self._lock:
            self._remove(customer_id, purpose)

    def _remove(self, customer_id: str, purpose: Purpose) -> None:
        for digest, token in list(self._by_digest.items()):
            if token.customer_id == customer_id and token.purpose == purpose:
                del self._by_digest[digest]


class ImmediateUnitOfWork:
    """Runs the work as it comes: in memory there is nothing to roll back to,
    so a failure part-way leaves the writes made before it."""

    rolls_back = False

    def run(self, work: Callable[[], T]) -> T:
        return work()


class InMemoryAddressRepository:
    def __init__(self) -> None:
        self._by_id: dict[str, Address] = {}
        self._slots: dict[str, int] = {}
        self._lock = threading.Lock()

    def reserve_slot(self, customer_id: str, *, limit: int) -> int | None:
        with self._lock:
            count = self._slots.get(customer_id, 0)
            if count >= limit:
                return None
            self._slots[customer_id] = count + 1
            return count + 1

    def release_slot(self, customer_id: str) -> None:
        with self._lock:
            self._slots[customer_id] = max(self._slots.get(customer_id, 0) - 1, 0)

    def add(self, address: Address) -> None:
        with self._lock:
            for usage in Usage:
                if address.is_default_for(usage) and any(
                    a.customer_id == address.customer_id and a.is_default_for(usage) for a in self._by_id.values()
                ):
                    raise ConcurrentUpdate()
            self._by_id[address.id] = address

    def get(self, customer_id: str, address_id: str) -> Address | None:
        address = self._by_id.get(address_id)
        return address if address is not None and address.customer_id == customer_id else None

    def find(self, address_id: str) -> Address | None:
        return self._by_id.get(address_id)

    def list(self, customer_id: str) -> list[Address]:
        return [a for a in self._by_id.values() if a.customer_id == customer_id]

    def update(self, customer_id: str, address_id: str, changes: Mapping[str, Any]) -> Address | None:
        with self._lock:
            address = self.get(customer_id, address_id)
            if address is None:
                return None
            updated = attrs.evolve(address, **changes)
            for usage in Usage:
                if updated.is_default_for(usage) and any(
                    a.customer_id == customer_id and a.id != address_id and a.is_default_for(usage)
                    for a in self._by_id.values()
                ):
                    raise ConcurrentUpdate()
            self._by_id[address_id] = updated
            return updated

    def clear_default(self, customer_id: str, usage: Usage) -> None:
        with self._lock:
            for address in self.list(customer_id):
                if address.is_default_for(usage):
                    self._by_id[address.id] = attrs.evolve(address, **{usage.flag: False})

    def delete(self, customer_id: str, address_id: str) -> bool:
        with self._lock:
            if self.get(customer_id, address_id) is None:
                return False
            del self._by_id[address_id]
            return True


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
