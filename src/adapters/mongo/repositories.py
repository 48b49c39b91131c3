"""Customers and sessions in MongoDB."""

from __future__ import annotations

import datetime as dt
import re
from decimal import Decimal
from typing import Any

from bson import Decimal128, ObjectId
from pymongo import ReturnDocument
from pymongo.database import Database
from pymongo.errors import DuplicateKeyError

from adapters.mongo.collection import Collection
from adapters.mongo.documents import from_document, object_id, set_fields, to_document
from adapters.mongo.errors import translating_errors
from adapters.mongo.sealing import Sealer
from adapters.mongo.transactions import note_written, written_in_transaction
from adapters.security.data_keys import DataKeys
from adapters.undo import on_failure
from customer_core.customer import Customer, CustomerChanges
from customer_core.errors import EmailTaken
from customer_core.sessions import USED_TOKENS_KEPT, Replayed, Session
from customer_core.values import Email, Id


def _active(now: dt.datetime) -> dict[str, Any]:
    """Sessions in use at ``now``: before their expiry and their absolute end."""
    return {"expiresAt": {"$gt": now}, "$or": [{"endsAt": None}, {"endsAt": {"$gt": now}}]}


class ObjectIds:
    def new_id(self) -> Id:
        return Id(str(ObjectId()))


@translating_errors
class MongoCustomerRepository:
    """``phone`` and ``dateOfBirth`` are stored sealed (see ``sealing``)."""

    def __init__(self, db: Database, data_keys: DataKeys) -> None:
        self._customers = Collection(db, "customers")
        self._sealer = Sealer(data_keys, "customers")

    def add(self, customer: Customer) -> None:
        try:
            self._customers.insert_one(self._sealer.sealed(to_document(customer)))
        except DuplicateKeyError:
            raise EmailTaken() from None
        note_written("customers", object_id(customer.id))

    def get(self, customer_id: Id) -> Customer | None:
        key = object_id(customer_id)
        return self._one({"_id": key}) if key else None

    def get_by_email(self, email: Email) -> Customer | None:
        return self._one({"email": email.value})

    def update(self, customer_id: Id, changes: CustomerChanges) -> Customer | None:
        key = object_id(customer_id)
        if key is None:
            return None
        paths = set_fields(changes)
        try:
            document = self._customers.find_one_and_update(
                {"_id": key},
                # Counted as a hold too: an update that changed no value would not conflict.
                {"$set": {**paths, **self._sealer.sealed_paths(key, paths)}, "$inc": {"holds": 1}},
                return_document=ReturnDocument.AFTER,
            )
        except DuplicateKeyError:
            raise EmailTaken() from None
        if document is None:
            return None
        note_written("customers", key)
        return self._customer(document)

    def delete(self, customer_id: Id) -> bool:
        return bool(self._customers.delete_one({"_id": object_id(customer_id)}).deleted_count == 1)

    def hold(self, customer_id: Id) -> bool:
        key = object_id(customer_id)
        if written_in_transaction("customers", key):
            return True  # the transaction's own write already conflicts with an erasure
        # A counter: a write that changes nothing would not conflict.
        return self._customers.update_one({"_id": key}, {"$inc": {"holds": 1}}).matched_count == 1

    def replace_password_hash(self, customer_id: Id, *, old: str, new: str) -> bool:
        result = self._customers.update_one(
            {"_id": object_id(customer_id), "passwordHash": old}, {"$set": {"passwordHash": new}}
        )
        return result.modified_count == 1

    def list(self, *, email_prefix: str = "", after_id: Id | None = None, limit: int = 50) -> list[Customer]:
        query: dict[str, Any] = {}
        if email_prefix:
            query["email"] = {"$regex": "^" + re.escape(email_prefix)}
        if after_id and object_id(after_id):
            query["_id"] = {"$gt": object_id(after_id)}
        cursor = self._customers.find(query).sort("_id", 1).limit(limit)
        return [self._customer(document) for document in cursor]

    def add_to_totals(self, customer_id: Id, *, orders: int, spent: Decimal, points: int) -> Customer | None:
        key = object_id(customer_id)
        increments = {"totalOrders": orders, "totalSpent": Decimal128(spent), "loyaltyPoints": points}
        document = self._customers.find_one_and_update(
            {"_id": key}, {"$inc": {**increments, "holds": 1}}, return_document=ReturnDocument.AFTER
        )
        if document is None:
            return None
        note_written("customers", key)

        def take_back() -> None:
            self.add_to_totals(customer_id, orders=-orders, spent=-spent, points=-points)

        on_failure(take_back)
        return self._customer(document)

    def _one(self, query: dict[str, Any]) -> Customer | None:
        document = self._customers.find_one(query)
        return self._customer(document) if document else None

    def _customer(self, document: dict[str, Any]) -> Customer:
        return from_document(self._sealer.opened(document), Customer)


@translating_errors
class MongoSignedInCustomers:
    """The session and its customer in one aggregation."""

    def __init__(self, db: Database, data_keys: DataKeys) -> None:
        self._sessions = Collection(db, "sessions")
        self._sealer = Sealer(data_keys, "customers")

    def get(self, customer_id: Id, session_id: Id, *, now: dt.datetime) -> Customer | None:
        key, owner = object_id(session_id), object_id(customer_id)
        if key is None or owner is None:
            return None
        found = list(
            self._sessions.aggregate(
                [
                    {"$match": {"_id": key, "customerId": owner, **_active(now)}},
                    {"$lookup": {"from": "customers", "localField": "customerId", "foreignField": "_id", "as": "c"}},
                    {"$project": {"c": 1}},
                ]
            )
        )
        customers = found[0]["c"] if found else []
        return from_document(self._sealer.opened(customers[0]), Customer) if customers else None


@translating_errors
class MongoSessionRepository:
    def __init__(self, db: Database) -> None:
        self._sessions = Collection(db, "sessions")

    def add(self, session: Session) -> None:
        self._sessions.insert_one(to_document(session))

    def get(self, session_id: Id) -> Session | None:
        key = object_id(session_id)
        document = self._sessions.find_one({"_id": key}) if key else None
        return from_document(document, Session) if document else None

    def rotate(
        self,
        *,
        session_id: Id | None,
        presented_digest: str,
        new_digest: str,
        now: dt.datetime,
        expires_at: dt.datetime,
    ) -> Session | Replayed | None:
        # One conditional, atomic update: of two concurrent refreshes with
        # the same token, exactly one finds it current.
        key = object_id(session_id) if session_id is not None else None
        if session_id is not None and key is None:
            return None
        named = {"_id": key} if key else {}
        document = self._sessions.find_one_and_update(
            {**named, "currentTokenDigest": presented_digest, **_active(now)},
            {
                "$set": {"currentTokenDigest": new_digest, "lastUsedAt": now, "expiresAt": expires_at},
                "$push": {"usedTokenDigests": {"$each": [presented_digest], "$slice": -USED_TOKENS_KEPT}},
            },
            return_document=ReturnDocument.AFTER,
        )
        if document:
            return from_document(document, Session)
        if key is None:
            return None
        replayed = self._sessions.find_one_and_delete(
            {"_id": key, "usedTokenDigests": presented_digest}, projection={"_id": 1, "customerId": 1}
        )
        return Replayed(Id(str(replayed["_id"])), Id(str(replayed["customerId"]))) if replayed else None

    def list_active(self, customer_id: Id, *, now: dt.datetime) -> list[Session]:
        key = object_id(customer_id)
        cursor = self._sessions.find({"customerId": key, **_active(now)}) if key else []
        return [from_document(document, Session) for document in cursor]

    def revoke(self, session_id: Id, *, customer_id: Id) -> bool:
        key, owner = object_id(session_id), object_id(customer_id)
        if key is None or owner is None:
            return False
        return bool(self._sessions.delete_one({"_id": key, "customerId": owner}).deleted_count == 1)

    def revoke_all(self, customer_id: Id, *, keep: Id | None = None) -> int:
        query: dict[str, Any] = {"customerId": object_id(customer_id)}
        if keep:
            query["_id"] = {"$ne": object_id(keep)}
        return int(self._sessions.delete_many(query).deleted_count)
