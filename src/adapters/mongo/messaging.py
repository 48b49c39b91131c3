"""Emailed tokens and the outbox, in MongoDB."""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from typing import Any

import attrs
from bson import ObjectId
from pymongo import ReturnDocument
from pymongo.database import Database

from adapters.mongo.collection import Collection
from adapters.mongo.documents import from_document, object_id, to_document
from adapters.mongo.errors import translating_errors
from adapters.mongo.sealing import Sealer
from adapters.security.data_keys import DataKeys
from adapters.undo import on_failure
from customer_core.emailed_tokens import EmailedToken, Purpose
from customer_core.outbox import (
    DEAD_KEPT,
    DELIVERED_KEPT,
    SECRET_FIELDS,
    Channel,
    OutboxMessage,
    Status,
    without_secrets,
)
from customer_core.ports import Clock
from customer_core.values import Email, Id


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
    queue side hands due messages to dispatchers under atomic leases. A
    message's data (links with tokens) is sealed with a data key: a database
    dump alone gives no usable secret."""

    def __init__(self, db: Database[Any], clock: Clock, data_keys: DataKeys) -> None:
        self._outbox = Collection(db, "outbox")
        self._clock = clock
        self._sealer = Sealer(data_keys, "outbox")

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
        message = OutboxMessage.new(
            id=Id(str(ObjectId())),
            template=template,
            to=str(to),
            locale=locale,
            data=data,
            now=self._clock.now(),
            customer_id=customer_id,
            channel=channel,
        )
        self._outbox.insert_one(self._sealer.sealed(to_document(message)))
        on_failure(lambda: self._outbox.delete_one({"_id": ObjectId(message.id)}))

    def forget(self, customer_id: Id) -> None:
        self._outbox.delete_many({"customerId": object_id(customer_id)})

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
        return self._opened(document) if document else None

    def mark_delivered(self, message_id: Id, *, owner: str, now: dt.datetime) -> None:
        self._finish(
            message_id,
            owner,
            {
                "status": Status.DELIVERED.value,
                "deliveredAt": now,
                "purgeAt": now + DELIVERED_KEPT,
                "data": {},
                "to": "",
            },
        )

    def retry_later(self, message_id: Id, *, owner: str, at: dt.datetime, error: str) -> None:
        self._finish(message_id, owner, {"status": Status.PENDING.value, "nextAttemptAt": at, "lastError": error})

    def mark_dead(self, message_id: Id, *, owner: str, error: str, now: dt.datetime) -> None:
        document = self._outbox.find_one({"_id": ObjectId(message_id), "leaseOwner": owner})
        if document is None:
            return
        message = self._opened(document)
        kept = attrs.evolve(
            message, data=without_secrets(message.data), secrets_removed=any(n in SECRET_FIELDS for n in message.data)
        )
        changes = {
            "data": self._sealer.seal_value(message_id, "data", kept.data),
            "secretsRemoved": kept.secrets_removed,
        }
        self._finish(
            message_id,
            owner,
            {"status": Status.DEAD.value, "lastError": error, "purgeAt": now + DEAD_KEPT, **changes},
        )

    def counts(self) -> dict[Status, int]:
        counts = dict.fromkeys(Status, 0)
        for row in self._outbox.aggregate([{"$group": {"_id": "$status", "n": {"$sum": 1}}}]):
            counts[Status(row["_id"])] = row["n"]
        return counts

    def list(self, status: Status, *, limit: int = 50) -> list[OutboxMessage]:
        cursor = self._outbox.find({"status": status.value}).sort("createdAt", 1).limit(limit)
        return [self._opened(document) for document in cursor]

    def requeue(self, message_id: Id | None, *, now: dt.datetime) -> int:
        query: dict[str, Any] = {"status": Status.DEAD.value, "secretsRemoved": {"$ne": True}}
        if message_id is not None:
            key = object_id(message_id)
            if key is None:
                return 0
            query["_id"] = key
        update = {"$set": {"status": Status.PENDING.value, "attempts": 0, "nextAttemptAt": now, "purgeAt": None}}
        return int(self._outbox.update_many(query, update).modified_count)

    def _finish(self, message_id: Id, owner: str, changes: dict[str, Any]) -> None:
        self._outbox.update_one(
            {"_id": ObjectId(message_id), "status": Status.IN_FLIGHT.value, "leaseOwner": owner},
            {"$set": {**changes, "leaseOwner": None, "leaseUntil": None}},
        )

    def _opened(self, document: dict[str, Any]) -> OutboxMessage:
        return from_document(self._sealer.opened(document), OutboxMessage)
