"""Phone verification codes in MongoDB: one document per customer (a unique
index on ``customerId``), removed by a TTL index once expired. Tries are
counted by one conditional update, so concurrent tries never take more than
are left."""

from __future__ import annotations

import datetime as dt
from typing import Any

from bson import ObjectId
from pymongo import ReturnDocument
from pymongo.database import Database
from pymongo.errors import DuplicateKeyError

from adapters.mongo.collection import Collection
from adapters.mongo.documents import from_document, object_id, to_document
from adapters.mongo.errors import translating_errors
from adapters.undo import on_failure
from customer_core.phone_codes import PhoneCode
from customer_core.values import Id


@translating_errors
class MongoPhoneCodes:
    def __init__(self, db: Database[Any]) -> None:
        self._codes = Collection(db, "phone_codes")

    def issue(self, code: PhoneCode, *, unless_sent_after: dt.datetime) -> dt.datetime | None:
        key = ObjectId(code.customer_id)
        previous = self._codes.find_one({"customerId": key})
        if previous is not None and previous["sentAt"] > unless_sent_after:
            return previous["sentAt"]
        try:
            # Replaces only a code sent before the limit: if another request
            # issued one since, the upsert collides with it on the unique index.
            self._codes.replace_one(
                {"customerId": key, "sentAt": {"$lte": unless_sent_after}}, to_document(code), upsert=True
            )
        except DuplicateKeyError:
            return code.sent_at
        on_failure(
            lambda: (
                self._codes.replace_one({"customerId": key}, previous)
                if previous is not None
                else self._codes.delete_one({"customerId": key})
            )
        )
        return None

    def take_try(self, customer_id: Id, *, now: dt.datetime) -> PhoneCode | None:
        key = object_id(customer_id)
        if key is None:
            return None
        document = self._codes.find_one_and_update(
            {"customerId": key, "expiresAt": {"$gt": now}, "triesLeft": {"$gt": 0}},
            {"$inc": {"triesLeft": -1}},
            return_document=ReturnDocument.AFTER,
        )
        return from_document(document, PhoneCode) if document else None

    def use(self, customer_id: Id, digest: str) -> bool:
        document = self._codes.find_one_and_delete({"customerId": object_id(customer_id), "digest": digest})
        if document is None:
            return False
        on_failure(lambda: self._codes.insert_one(document))
        return True

    def erase(self, customer_id: Id) -> None:
        self._codes.delete_many({"customerId": object_id(customer_id)})
