"""The address book in MongoDB. Partial unique indexes allow one default
shipping and one default billing address per customer; a per-customer
counter, raised only below the limit, caps the book at 50 addresses."""

from __future__ import annotations

import contextlib
from collections.abc import Mapping
from typing import Any

from pymongo import ReturnDocument
from pymongo.database import Database
from pymongo.errors import DuplicateKeyError

from adapters.mongo.documents import converter, document_path, from_document, object_id, to_document
from adapters.mongo.repositories import translating_errors
from adapters.mongo.transactions import current_session
from customer_core.addresses import Address, Usage
from customer_core.errors import ConcurrentUpdate


@translating_errors
class MongoAddressRepository:
    def __init__(self, db: Database) -> None:
        self._addresses = db.addresses
        self._books = db.address_books

    def reserve_slot(self, customer_id: str, *, limit: int) -> int | None:
        # The book is created first, on its own: a conditional upsert would
        # take a book that racing requests are creating for being full.
        key = object_id(customer_id)
        with contextlib.suppress(DuplicateKeyError):  # created meanwhile by a racing request
            self._books.update_one({"_id": key}, {"$setOnInsert": {"count": 0}}, upsert=True, session=current_session())
        book = self._books.find_one_and_update(
            {"_id": key, "count": {"$lt": limit}},
            {"$inc": {"count": 1}},
            return_document=ReturnDocument.AFTER,
            session=current_session(),
        )
        return book["count"] if book else None

    def release_slot(self, customer_id: str) -> None:
        self._books.update_one(
            {"_id": object_id(customer_id), "count": {"$gt": 0}}, {"$inc": {"count": -1}}, session=current_session()
        )

    def add(self, address: Address) -> None:
        try:
            self._addresses.insert_one(to_document(address), session=current_session())
        except DuplicateKeyError:  # a second default: another request set one meanwhile
            raise ConcurrentUpdate() from None

    def get(self, customer_id: str, address_id: str) -> Address | None:
        key, owner = object_id(address_id), object_id(customer_id)
        if key is None or owner is None:
            return None
        document = self._addresses.find_one({"_id": key, "customerId": owner}, session=current_session())
        return from_document(document, Address) if document else None

    def find(self, address_id: str) -> Address | None:
        key = object_id(address_id)
        document = self._addresses.find_one({"_id": key}, session=current_session()) if key else None
        return from_document(document, Address) if document else None

    def list(self, customer_id: str) -> list[Address]:
        owner = object_id(customer_id)
        cursor = self._addresses.find({"customerId": owner}, session=current_session()) if owner else []
        return [from_document(document, Address) for document in cursor]

    def update(self, customer_id: str, address_id: str, changes: Mapping[str, Any]) -> Address | None:
        key, owner = object_id(address_id), object_id(customer_id)
        if key is None or owner is None:
            return None
        values = {document_path(path): converter.unstructure(value) for path, value in changes.items()}
        try:
            document = self._addresses.find_one_and_update(
                {"_id": key, "customerId": owner},
                {"$set": values},
                return_document=ReturnDocument.AFTER,
                session=current_session(),
            )
        except DuplicateKeyError:  # a second default: another request set one meanwhile
            raise ConcurrentUpdate() from None
        return from_document(document, Address) if document else None

    def clear_default(self, customer_id: str, usage: Usage) -> None:
        flag = document_path(usage.flag)
        self._addresses.update_many(
            {"customerId": object_id(customer_id), flag: True}, {"$set": {flag: False}}, session=current_session()
        )

    def delete(self, customer_id: str, address_id: str) -> bool:
        key, owner = object_id(address_id), object_id(customer_id)
        if key is None or owner is None:
            return False
        return (
            self._addresses.delete_one({"_id": key, "customerId": owner}, session=current_session()).deleted_count == 1
        )
