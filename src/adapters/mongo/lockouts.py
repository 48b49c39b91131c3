"""Password checks counted per lockout key, shared by every instance.

One document per key: ``checks`` since the last success or lock and
``lockedUntil``. A check is counted by one conditional update that matches
only an unlocked key below the threshold, so concurrent attempts can never
take more than the threshold between them. Keys idle for a day are
forgotten (TTL index on ``expiresAt``)."""

from __future__ import annotations

import contextlib
import datetime as dt
from typing import Any

from pymongo import ReturnDocument
from pymongo.database import Database
from pymongo.errors import DuplicateKeyError

from adapters.mongo.collection import Collection
from adapters.mongo.errors import translating_errors

FORGET_AFTER = dt.timedelta(days=1)


def _unlocked(now: dt.datetime) -> dict[str, Any]:
    return {"$or": [{"lockedUntil": None}, {"lockedUntil": {"$lte": now}}]}


@translating_errors
class MongoLockouts:
    def __init__(self, db: Database[Any]) -> None:
        self._lockouts = Collection(db, "lockouts")

    def begin_check(self, key: str, *, threshold: int, now: dt.datetime) -> int | None:
        # The record is created on its own first: a conditional upsert racing
        # with others can count a check it then reports as a duplicate key.
        with contextlib.suppress(DuplicateKeyError):
            self._lockouts.update_one(
                {"_id": key}, {"$setOnInsert": {"checks": 0, "expiresAt": now + FORGET_AFTER}}, upsert=True
            )
        document = self._lockouts.find_one_and_update(
            {"_id": key, "checks": {"$lt": threshold}, **_unlocked(now)},
            {"$inc": {"checks": 1}, "$set": {"expiresAt": now + FORGET_AFTER}},
            return_document=ReturnDocument.AFTER,
        )
        return int(document["checks"]) if document else None

    def lock(self, key: str, *, until: dt.datetime) -> None:
        self._lockouts.update_one(
            {"_id": key},
            {"$set": {"checks": 0, "lockedUntil": until, "expiresAt": until + FORGET_AFTER}},
            upsert=True,
        )

    def succeeded(self, key: str, *, now: dt.datetime) -> None:
        self._lockouts.update_one({"_id": key, **_unlocked(now)}, {"$set": {"checks": 0}})

    def lift(self, key: str) -> None:
        self._lockouts.delete_one({"_id": key})

    def locked_until(self, key: str, *, now: dt.datetime) -> dt.datetime | None:
        document = self._lockouts.find_one({"_id": key, "lockedUntil": {"$gt": now}})
        return document["lockedUntil"] if document else None
