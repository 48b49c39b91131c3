"""Fixed-window attempt counters shared by every instance."""

from __future__ import annotations

import datetime as dt
import re

from pymongo import ReturnDocument
from pymongo.database import Database
from pymongo.errors import DuplicateKeyError

from adapters.mongo.collection import Collection
from adapters.mongo.errors import translating_errors


@translating_errors
class MongoRateLimiter:
    def __init__(self, db: Database) -> None:
        self._counters = Collection(db, "rate_limits")

    def hit(self, key: str, *, limit: int, window: dt.timedelta, now: dt.datetime) -> int:
        seconds = int(window.total_seconds())
        slot = int(now.timestamp()) // seconds
        ends = dt.datetime.fromtimestamp((slot + 1) * seconds, dt.UTC)
        update = {"$inc": {"count": 1}, "$setOnInsert": {"expiresAt": ends}}
        for _ in range(2):  # two first hits may race to create the counter
            try:
                counter = self._counters.find_one_and_update(
                    {"_id": f"{key}@{slot}"}, update, upsert=True, return_document=ReturnDocument.AFTER
                )
                break
            except DuplicateKeyError:
                continue
        else:
            return 0
        over = counter is not None and counter["count"] > limit
        return max(1, int((ends - now).total_seconds())) if over else 0

    def reset(self, key: str) -> None:
        self._counters.delete_many({"_id": {"$regex": f"^{re.escape(key)}@"}})
