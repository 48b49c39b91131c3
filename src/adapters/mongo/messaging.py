"""Emailed tokens and the outbox, in MongoDB."""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from typing import Any

from bson import ObjectId
from pymongo import ReturnDocument
from pymongo.database import Database

from adapters.mongo.collection import Collection
from adapters.mongo.documents import from_document, object_id, to_document
from adapters.mongo.errors import translating_errors
from adapters.undo import on_failure
from customer_core.emailed_tokens import EmailedToken, Purpose
from customer_core.outbox import OutboxMessage, Status
from customer_core.ports import Clock
from customer_core.values import Email, Id

# Delivered messages are kept this long (without their data), then removed.
DELIVERED_KEPT = dt.timedelta(days=7)


@translating_errors
class MongoEmailedTokens:
    def __init__(self, db: Database) -> None:
        self._tokens = Collection(db, "emailed_tokens")

    def replace(self, token: EmailedToken) -> None:
        self._tokens.delete_many({"customerId": ObjectId(token.customer_id), "purpose": token.purpose.value})
        self._tokens.insert_one(to_document(token))

    def find(self, digest: str, purpose: Purpose, *, now: dt.datetime) -> EmailedToken | None:
        document = self._tokens.find_one(self._live(digest, purpose, now))
        return from_document(document, EmailedToken) if document else None

    def redeem(self, digest: str, purpose: Purpose, *, now: dt.datetime) -> EmailedToken | None:
        document = self._tokens.find_one_and_delete(self._live(digest, purpose, now))
        if document is None:
            return None
        on_failure(lambda: self._tokens.insert_one(document))
        return from_document(document, EmailedToken)

    def latest(self, customer_id: Id, purpose: Purpose) -> EmailedToken | None:
        key = object_id(customer_id)
        query = {"customerId": key, "purpose": purpose.value}
        document = self._tokens.find_one(query, sort=[("createdAt", -1)]) if key else None
        return from_document(document, EmailedToken) if document else None

    def remove_all(self, customer_id: Id, purpose: Purpose) -> None:
        self._tokens.delete_many({"customerId": object_id(customer_id), "purpose": purpose.value})

    @staticmethod
    def _live(digest: str, purpose: Purpose, now: dt.datetime) -> dict[str, Any]:
        return {"digest": digest, "purpose": purpose.value, "expiresAt": {"$gt": now}}


@translating_errors
class MongoOutbox:
    """``Notifier.send`` writes a message, in the caller's transaction; the
    queue side hands due messages to dispatchers under atomic leases."""

    def __init__(self, db: Database, clock: Clock) -> None:
        self._outbox = Collection(db, "outbox")
        self._clock = clock

    def send(self, *, template: str, to: Email, locale: str, data: Mapping[str, Any]) -> None:
        message = OutboxMessage.new(
            id=Id(str(ObjectId())), template=template, to=str(to), locale=locale, data=data, now=self._clock.now()
        )
        self._outbox.insert_one(to_document(message))

    def claim(self, *, owner: str, now: dt.datetime, lease_until: dt.datetime) -> OutboxMessage | None:
        document = self._outbox.find_one_and_update(
            {
                "$or": [
                    {"status": Status.PENDING.value, "nextAttemptAt": {"$lte": now}},
                    {"status": Status.IN_FLIGHT.value, "leaseUntil": {"$lte": now}},
                ]
            },
            {
                "$set": {"status": Status.IN_FLIGHT.value, "leaseOwner": owner, "leaseUntil": lease_until},
                "$inc": {"attempts": 1},
            },
            sort=[("nextAttemptAt", 1)],
            return_document=ReturnDocument.AFTER,
        )
        return from_document(document, OutboxMessage) if document else None

    def mark_delivered(self, message_id: Id, *, owner: str, now: dt.datetime) -> None:
        # The data (links, tokens) is not needed any more; the record stays a while.
        self._finish(
            message_id,
            owner,
            {"status": Status.DELIVERED.value, "deliveredAt": now, "purgeAt": now + DELIVERED_KEPT, "data": {}},
        )

    def retry_later(self, message_id: Id, *, owner: str, at: dt.datetime, error: str) -> None:
        self._finish(message_id, owner, {"status": Status.PENDING.value, "nextAttemptAt": at, "lastError": error})

    def mark_dead(self, message_id: Id, *, owner: str, error: str) -> None:
        self._finish(message_id, owner, {"status": Status.DEAD.value, "lastError": error})

    def counts(self) -> dict[Status, int]:
        counts = dict.fromkeys(Status, 0)
        for row in self._outbox.aggregate([{"$group": {"_id": "$status", "n": {"$sum": 1}}}]):
            counts[Status(row["_id"])] = row["n"]
        return counts

    def list(self, status: Status, *, limit: int = 50) -> list[OutboxMessage]:
        cursor = self._outbox.find({"status": status.value}).sort("createdAt", 1).limit(limit)
        return [from_document(document, OutboxMessage) for document in cursor]

    def requeue(self, message_id: Id | None, *, now: dt.datetime) -> int:
        query: dict[str, Any] = {"status": Status.DEAD.value}
        if message_id is not None:
            key = object_id(message_id)
            if key is None:
                return 0
            query["_id"] = key
        update = {"$set": {"status": Status.PENDING.value, "attempts": 0, "nextAttemptAt": now}}
        return int(self._outbox.update_many(query, update).modified_count)

    def _finish(self, message_id: Id, owner: str, changes: dict[str, Any]) -> None:
        self._outbox.update_one(
            {"_id": ObjectId(message_id), "status": Status.IN_FLIGHT.value, "leaseOwner": owner},
            {"$set": {**changes, "leaseOwner": None, "leaseUntil": None}},
        )
