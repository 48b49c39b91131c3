"""Recorded orders and service clients, in MongoDB."""

from __future__ import annotations

import datetime as dt
from typing import Any

from pymongo.database import Database
from pymongo.errors import DuplicateKeyError

from adapters.mongo.collection import Collection
from adapters.mongo.documents import from_document, object_id, to_document
from adapters.mongo.errors import translating_errors
from adapters.undo import on_failure
from customer_core.clients import ServiceClient
from customer_core.errors import ConcurrentUpdate
from customer_core.orders import Order, OrderTotals
from customer_core.values import Id


@translating_errors
class MongoOrders:
    """One document per order id, unique: the same order delivered twice at
    once is recorded once."""

    def __init__(self, db: Database[Any]) -> None:
        self._orders = Collection(db, "orders")

    def add(self, order: Order) -> None:
        try:
            result = self._orders.insert_one(to_document(order))
        except DuplicateKeyError:
            raise ConcurrentUpdate() from None
        on_failure(lambda: self._orders.delete_one({"_id": result.inserted_id}))

    def get(self, order_id: str) -> Order | None:
        document = self._orders.find_one({"orderId": order_id})
        return from_document(document, Order) if document else None

    def mark_refunded(self, order_id: str, *, now: dt.datetime) -> bool:
        query = {"orderId": order_id, "refundedAt": None}
        if self._orders.update_one(query, {"$set": {"refundedAt": now}}).modified_count != 1:
            return False
        on_failure(lambda: self._orders.update_one({"orderId": order_id}, {"$set": {"refundedAt": None}}))
        return True

    def keep_answer(self, order_id: str, totals: OrderTotals, *, refund: bool) -> None:
        answer = "totalsAfterRefund" if refund else "totalsAfter"
        self._orders.update_one({"orderId": order_id}, {"$set": {answer: to_document(totals)}})

    def list(self, customer_id: Id) -> list[Order]:
        cursor = self._orders.find({"customerId": object_id(customer_id)}).sort("recordedAt", 1)
        return [from_document(document, Order) for document in cursor]

    def erase(self, customer_id: Id) -> None:
        self._orders.delete_many({"customerId": object_id(customer_id)})


@translating_errors
class MongoServiceClients:
    def __init__(self, db: Database[Any]) -> None:
        self._clients = Collection(db, "service_clients")

    def add(self, client: ServiceClient) -> None:
        self._clients.insert_one(to_document(client))
        on_failure(lambda: self._clients.delete_one({"_id": object_id(client.id)}))

    def get(self, client_id: Id) -> ServiceClient | None:
        key = object_id(client_id)
        document = self._clients.find_one({"_id": key}) if key else None
        return from_document(document, ServiceClient) if document else None

    def list(self) -> list[ServiceClient]:
        return [from_document(document, ServiceClient) for document in self._clients.find().sort("createdAt", 1)]

    def revoke(self, client_id: Id, *, now: dt.datetime) -> bool:
        active = {"_id": object_id(client_id), "revokedAt": None}
        if self._clients.update_one(active, {"$set": {"revokedAt": now}}).modified_count != 1:
            return False
        on_failure(lambda: self._clients.update_one({"_id": object_id(client_id)}, {"$set": {"revokedAt": None}}))
        return True
