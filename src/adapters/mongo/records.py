"""The audit trail and the consent history in MongoDB. Audit entries carry
``expiresAt`` (their time plus the retention), which a TTL index honours."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from typing import Any

from pymongo import DESCENDING
from pymongo.database import Database

from adapters.mongo.collection import Collection
from adapters.mongo.documents import from_document, object_id, to_document
from adapters.mongo.errors import translating_errors
from adapters.undo import on_failure
from customer_core.records import AuditEntry, Consent, Event
from customer_core.values import Id

NEWEST_FIRST = [("at", DESCENDING), ("_id", DESCENDING)]


@translating_errors
class MongoAuditLog:
    def __init__(self, db: Database[Any], *, retention: dt.timedelta) -> None:
        self._entries = Collection(db, "audit")
        self._retention = retention

    def record(self, entry: AuditEntry) -> None:
        self._entries.insert_one(self._document(entry))
        on_failure(lambda: self._entries.delete_one({"_id": object_id(entry.id)}))

    def list(
        self,
        *,
        customer_id: Id | None = None,
        types: frozenset[Event] | None = None,
        since: dt.datetime | None = None,
        before: Id | None = None,
        limit: int = 50,
    ) -> list[AuditEntry]:
        query: dict[str, Any] = {}
        if customer_id is not None:
            query["customerId"] = object_id(customer_id)
        if types is not None:
            query["type"] = {"$in": sorted(types)}
        if since is not None:
            query["at"] = {"$gte": since}
        if before is not None:
            older = self._entries.find_one({"_id": object_id(before)}, projection={"at": 1})
            if older is None:
                return []
            key = older["_id"]
            query["$or"] = [{"at": {"$lt": older["at"]}}, {"at": older["at"], "_id": {"$lt": key}}]
        cursor = self._entries.find(query).sort(NEWEST_FIRST).limit(limit)
        return [from_document(document, AuditEntry) for document in cursor]

    def pseudonymise(self, customer_id: Id, pseudonymised: Callable[[AuditEntry], AuditEntry]) -> None:
        originals = list(self._entries.find({"customerId": object_id(customer_id)}))
        if not originals:
            return
        renamed = [self._document(pseudonymised(from_document(document, AuditEntry))) for document in originals]
        self._entries.insert_many(renamed)
        self._entries.delete_many({"_id": {"$in": [document["_id"] for document in originals]}})

        def undo() -> None:
            self._entries.delete_many({"_id": {"$in": [document["_id"] for document in renamed]}})
            self._entries.insert_many(originals)

        on_failure(undo)

    def _document(self, entry: AuditEntry) -> dict[str, Any]:
        return {**to_document(entry), "expiresAt": entry.at + self._retention}


@translating_errors
class MongoConsentLog:
    def __init__(self, db: Database[Any]) -> None:
        self._consents = Collection(db, "consents")

    def add(self, consent: Consent) -> None:
        self._consents.insert_one(to_document(consent))
        on_failure(lambda: self._consents.delete_one({"_id": object_id(consent.id)}))

    def list(self, customer_id: Id) -> list[Consent]:
        cursor = self._consents.find({"customerId": object_id(customer_id)}).sort(NEWEST_FIRST)
        return [from_document(document, Consent) for document in cursor]

    def erase(self, customer_id: Id) -> None:
        self._consents.delete_many({"customerId": object_id(customer_id)})
