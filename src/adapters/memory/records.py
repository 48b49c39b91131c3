"""The audit trail and the consent history in memory."""

from __future__ import annotations

import datetime as dt
import threading
from collections.abc import Callable

from adapters.undo import on_failure
from customer_core.records import AuditEntry, Consent, Event
from customer_core.values import Id


def _newest_first(entry: AuditEntry | Consent) -> tuple[dt.datetime, str]:
    return entry.at, entry.id


class InMemoryAuditLog:
    def __init__(self) -> None:
        self._entries: dict[Id, AuditEntry] = {}
        self._lock = threading.Lock()

    def record(self, entry: AuditEntry) -> None:
        with self._lock:
            self._entries[entry.id] = entry
        on_failure(lambda: self._forget(entry.id))

    def _forget(self, entry_id: Id) -> None:
        with self._lock:
            self._entries.pop(entry_id, None)

    def list(
        self,
        *,
        customer_id: Id | None = None,
        types: frozenset[Event] | None = None,
        since: dt.datetime | None = None,
        before: Id | None = None,
        limit: int = 50,
    ) -> list[AuditEntry]:
        with self._lock:
            entries = sorted(self._entries.values(), key=_newest_first, reverse=True)
            older_than = _newest_first(self._entries[before]) if before in self._entries else None
        return [
            entry
            for entry in entries
            if (customer_id is None or entry.customer_id == customer_id)
            and (types is None or entry.type in types)
            and (since is None or entry.at >= since)
            and (before is None or (older_than is not None and _newest_first(entry) < older_than))
        ][:limit]

    def pseudonymise(self, customer_id: Id, pseudonymised: Callable[[AuditEntry], AuditEntry]) -> None:
        with self._lock:
            for entry in [entry for entry in self._entries.values() if entry.customer_id == customer_id]:
                del self._entries[entry.id]
                renamed = pseudonymised(entry)
                self._entries[renamed.id] = renamed


class InMemoryConsentLog:
    def __init__(self) -> None:
        self._consents: dict[Id, Consent] = {}
        self._lock = threading.Lock()

    def add(self, consent: Consent) -> None:
        with self._lock:
            self._consents[consent.id] = consent
        on_failure(lambda: self.erase_one(consent.id))

    def erase_one(self, consent_id: Id) -> None:
        with self._lock:
            self._consents.pop(consent_id, None)

    def list(self, customer_id: Id) -> list[Consent]:
        with self._lock:
            mine = [consent for consent in self._consents.values() if consent.customer_id == customer_id]
        return sorted(mine, key=_newest_first, reverse=True)

    def erase(self, customer_id: Id) -> None:
        with self._lock:
            for consent in list(self._consents.values()):
                if consent.customer_id == customer_id:
                    del self._consents[consent.id]
