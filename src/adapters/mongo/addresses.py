"""The address book in MongoDB. Partial unique indexes allow one default
shipping and one default billing address per customer; a per-customer
counter, raised only below the limit, caps the book at 50 addresses."""

from __future__ import annotations

import contextlib
import datetime as dt
from typing import Any

from pymongo import ReturnDocument
from pymongo.database import Database
from pymongo.errors import DuplicateKeyError

from adapters.camel_case import camel
from adapters.mongo.collection import Collection
from adapters.mongo.documents import from_document, object_id, set_fields, to_document
from adapters.mongo.errors import translating_errors
from adapters.mongo.sealing import Sealer
from adapters.security.data_keys import DataKeys
from adapters.undo import on_failure
from customer_core.addresses import Address, AddressChanges, Usage
from customer_core.errors import ConcurrentUpdate
from customer_core.values import Id


@translating_errors
class MongoAddressRepository:
    def __init__(self, db: Database, data_keys: DataKeys) -> None:
        self._addresses = Collection(db, "addresses")
        self._books = Collection(db, "address_books")
        self._sealer = Sealer(data_keys, "addresses")

    def reserve_slot(self, customer_id: Id, *, limit: int) -> int | None:
        # The book is created first, on its own: a conditional upsert would
        # take a book that racing requests are creating for being full.
        key = object_id(customer_id)
        with contextlib.suppress(DuplicateKeyError):  # created meanwhile by a racing request
            self._books.update_one({"_id": key}, {"$setOnInsert": {"count": 0}}, upsert=True)
        book = self._books.find_one_and_update(
            {"_id": key, "count": {"$lt": limit}}, {"$inc": {"count": 1}}, return_document=ReturnDocument.AFTER
        )
        if book is None:
            return None
        on_failure(lambda: self.release_slot(customer_id))
        return int(book["count"])

    def release_slot(self, customer_id: Id) -> None:
        self._books.update_one({"_id": object_id(customer_id), "count": {"$gt": 0}}, {"$inc": {"count": -1}})

    def add(self, address: Address) -> None:
        try:
            self._addresses.insert_one(self._sealer.sealed(to_document(address)))
        except DuplicateKeyError:  # a second default: another request set one meanwhile
            raise ConcurrentUpdate() from None

    def get(self, customer_id: Id, address_id: Id) -> Address | None:
        key, owner = object_id(address_id), object_id(customer_id)
        if key is None or owner is None:
            return None
        document = self._addresses.find_one({"_id": key, "customerId": owner})
        return self._address(document) if document else None

    def find(self, address_id: Id) -> Address | None:
        key = object_id(address_id)
        document = self._addresses.find_one({"_id": key}) if key else None
        return self._address(document) if document else None

    def list(self, customer_id: Id) -> list[Address]:
        owner = object_id(customer_id)
        cursor = self._addresses.find({"customerId": owner}) if owner else []
        return [self._address(document) for document in cursor]

    def update(self, customer_id: Id, address_id: Id, changes: AddressChanges, *, now: dt.datetime) -> Address | None:
        key, owner = object_id(address_id), object_id(customer_id)
        if key is None or owner is None:
            return None
        paths = set_fields(changes)
        try:
            document = self._addresses.find_one_and_update(
                {"_id": key, "customerId": owner},
                {"$set": {**paths, **self._sealer.sealed_paths(key, paths), "updatedAt": now}},
                return_document=ReturnDocument.AFTER,
            )
        except DuplicateKeyError:  # a second default: another request set one meanwhile
            raise ConcurrentUpdate() from None
        return self._address(document) if document else None

    def clear_default(self, customer_id: Id, usage: Usage) -> None:
        flag = camel(usage.flag)
        self._addresses.update_many({"customerId": object_id(customer_id), flag: True}, {"$set": {flag: False}})

    def delete(self, customer_id: Id, address_id: Id) -> bool:
        key, owner = object_id(address_id), object_id(customer_id)
        if key is None or owner is None:
            return False
        return bool(self._addresses.delete_one({"_id": key, "customerId": owner}).deleted_count == 1)

    def _address(self, document: dict[str, Any]) -> Address:
        return from_document(self._sealer.opened(document), Address)

    def erase(self, customer_id: Id) -> None:
        owner = object_id(customer_id)
        self._addresses.delete_many({"customerId": owner})
        self._books.delete_one({"_id": owner})
