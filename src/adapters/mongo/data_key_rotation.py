"""``keys rotate-data-key``: seal every sealed field with a new data key, a
batch at a time, while the service keeps serving; an interrupted rotation is
resumed where it stopped by running the command again.

Each value is replaced only if it is still the one read (a compare-and-set
per field), so a write by the service meanwhile, already sealed with the new
key, is never overwritten. Progress is kept in ``data_key_rotations``: the
key id, and per collection the last document id done. A value that does
not open (altered, or sealed with a key that is gone) is left as it is and
reported."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from typing import Any

import attrs
from pymongo.database import Database

from adapters.mongo.sealing import SEALED_FIELDS, Sealer
from adapters.security.data_keys import DataKeys, SealedValueInvalid, is_sealed, key_id


@attrs.frozen
class Unopenable:
    collection: str
    document_id: Any
    field: str
    reason: str

    def __str__(self) -> str:
        return f"{self.collection} {self.document_id} {self.field}: {self.reason}"


class DataKeyRotation:
    def __init__(self, db: Database[Any], keys: DataKeys) -> None:
        self._db = db
        self._keys = keys
        self._rotations = db["data_key_rotations"]
        self.unopenable: list[Unopenable] = []  # found by the last run

    def run(
        self,
        now: dt.datetime,
        *,
        batch_size: int = 200,
        after_batch: Callable[[str, int], None] = lambda collection, n: None,
    ) -> str:
        """Finish the unfinished rotation, or start one with a new key; the
        key id. ``after_batch(collection, values resealed)`` follows each batch."""
        self.unopenable = []
        state = self._rotations.find_one({"finishedAt": None})
        if state is None:
            kid = self._keys.rotate(now).kid
            state = {"_id": kid, "startedAt": now, "finishedAt": None, "after": {}}
            self._rotations.insert_one(state)
        kid = state["_id"]
        for collection in SEALED_FIELDS:
            self._reseal_collection(kid, collection, state["after"].get(collection), batch_size, after_batch)
        self._rotations.update_one({"_id": kid}, {"$set": {"finishedAt": now}})
        return str(kid)

    def _reseal_collection(
        self, kid: str, collection: str, after: Any, batch_size: int, after_batch: Callable[[str, int], None]
    ) -> None:
        sealer = Sealer(self._keys, collection)
        while True:
            query = {"_id": {"$gt": after}} if after is not None else {}
            batch = list(self._db[collection].find(query).sort("_id", 1).limit(batch_size))
            if not batch:
                return
            resealed = sum(self._reseal(sealer, kid, document) for document in batch)
            after = batch[-1]["_id"]
            self._rotations.update_one({"_id": kid}, {"$set": {f"after.{collection}": after}})
            after_batch(collection, resealed)

    def _reseal(self, sealer: Sealer, kid: str, document: dict[str, Any]) -> int:
        done = 0
        for field in sealer.fields:
            value = document.get(field)
            if value is None or (is_sealed(value) and key_id(value) == kid):
                continue
            try:
                new = sealer.resealed_value(document["_id"], field, value)
            except SealedValueInvalid as error:
                self.unopenable.append(Unopenable(sealer.collection, document["_id"], field, str(error)))
                continue
            result = self._db[sealer.collection].update_one(
                {"_id": document["_id"], field: value}, {"$set": {field: new}}
            )
            done += result.modified_count
        return done
