from __future__ import annotations

import datetime as dt
import functools
import re
from collections.abc import Callable, Mapping
from typing import Any, TypeVar

from bson import ObjectId
from pymongo import ReturnDocument
from pymongo.database import Database
from pymongo.errors import DuplicateKeyError, PyMongoError

from adapters.mongo.documents import converter, document_path, from_document, object_id, to_document
from adapters.mongo.transactions import current_session
from customer_core.customer import Customer
from customer_core.errors import DependencyUnavailable, EmailTaken
from customer_core.sessions import USED_TOKENS_KEPT, Replayed, Session
from customer_core.values import Email

F = TypeVar("F", bound=Callable[..., Any])


def _translate_errors(method: F) -> F:
    """Database failures reach the core as a port-level error."""

    @functools.wraps(method)
    def wrapper(*args: Any, **kwargs: Any) -> Any:
        try:
            return method(*args, **kwargs)
        except (DuplicateKeyError, EmailTaken):
            raise
        except PyMongoError as error:
            if current_session() is not None:
                raise  # the unit of work retries transient errors, then translates
            raise DependencyUnavailable("The database is unavailable; try again shortly") from error

    return wrapper  # type: ignore[return-value]


def translating_errors(cls: type) -> type:
    for name, member in list(vars(cls).items()):
        if callable(member) and not name.startswith("_"):
            setattr(cls, name, _translate_errors(member))
    return cls


class ObjectIds:
    def new_id(self) -> str:
        return str(ObjectId())


@translating_errors
class MongoCustomerRepository:
    def __init__(self, db: Database) -> None:
        self._customers = db.customers

    def add(self, customer: Customer) -> None:
        try:
            self._customers.insert_one(to_document(customer), session=current_session())
        except DuplicateKeyError:
            raise EmailTaken() from None

    def get(self, customer_id: str) -> Customer | None:
        key = object_id(customer_id)
        return self._one({"_id": key}) if key else None

    def get_by_email(self, email: Email) -> Customer | None:
        return self._one({"email": email.value})

    def update(self, customer_id: str, changes: Mapping[str, Any]) -> Customer | None:
        key = object_id(customer_id)
        if key is None:
            return None
        values = {document_path(path): converter.unstructure(value) for path, value in changes.items()}
        try:
            document = self._customers.find_one_and_update(
                {"_id": key}, {"$set": values}, return_document=ReturnDocument.AFTER, session=current_session()
            )
        except DuplicateKeyError:
            raise EmailTaken() from None
        return from_document(document, Customer) if document else None

    def count_failed_login(self, customer_id: str, *, now: dt.datetime) -> int | None:
        document = self._customers.find_one_and_update(
            {"_id": object_id(customer_id), "$or": [{"lockedUntil": None}, {"lockedUntil": {"$lte": now}}]},
            {"$inc": {"failedLogins": 1}},
            projection={"failedLogins": 1},
            return_document=ReturnDocument.AFTER,
            session=current_session(),
        )
        return document["failedLogins"] if document else None

    def lock(self, customer_id: str, *, until: dt.datetime, failures: int) -> bool:
        result = self._customers.update_one(
            {"_id": object_id(customer_id), "failedLogins": failures},
            {"$set": {"failedLogins": 0, "lockedUntil": until}},
            session=current_session(),
        )
        return result.modified_count == 1

    def record_login(self, customer_id: str, *, now: dt.datetime) -> Customer | None:
        return self.update(customer_id, {"failed_logins": 0, "locked_until": None, "last_login": now})

    def list(self, *, email_prefix: str = "", after_id: str | None = None, limit: int = 50) -> list[Customer]:
        query: dict[str, Any] = {}
        if email_prefix:
            query["email"] = {"$regex": "^" + re.escape(email_prefix)}
        if after_id and object_id(after_id):
            query["_id"] = {"$gt": object_id(after_id)}
        cursor = self._customers.find(query, session=current_session()).sort("_id", 1).limit(limit)
        return [from_document(document, Customer) for document in cursor]

    def _one(self, query: dict[str, Any]) -> Customer | None:
        document = self._customers.find_one(query, session=current_session())
        return from_document(document, Customer) if document else None


@translating_errors
class MongoSessionRepository:
    def __init__(self, db: Database) -> None:
        self._sessions = db.sessions

    def add(self, session: Session) -> None:
        self._sessions.insert_one(to_document(session), session=current_session())

    def get(self, session_id: str) -> Session | None:
        key = object_id(session_id)
        document = self._sessions.find_one({"_id": key}, session=current_session()) if key else None
        return from_document(document, Session) if document else None

    def rotate(
        self, *, presented_digest: str, new_digest: str, now: dt.datetime, expires_at: dt.datetime
    ) -> Session | Replayed | None:
        # One conditional, atomic update: of two concurrent refreshes with
        # the same token, exactly one finds it current.
        document = self._sessions.find_one_and_update(
            {"currentTokenDigest": presented_digest, "expiresAt": {"$gt": now}},
            {
                "$set": {"currentTokenDigest": new_digest, "lastUsedAt": now, "expiresAt": expires_at},
                "$push": {"usedTokenDigests": {"$each": [presented_digest], "$slice": -USED_TOKENS_KEPT}},
            },
            return_document=ReturnDocument.AFTER,
            session=current_session(),
        )
        if document:
            return from_document(document, Session)
        replayed = self._sessions.find_one_and_delete(
            {"usedTokenDigests": presented_digest}, projection={"_id": 1}, session=current_session()
        )
        return Replayed(str(replayed["_id"])) if replayed else None

    def list_active(self, customer_id: str, *, now: dt.datetime) -> list[Session]:
        key = object_id(customer_id)
        cursor = (
            self._sessions.find({"customerId": key, "expiresAt": {"$gt": now}}, session=current_session())
            if key
            else []
        )
        return [from_document(document, Session) for document in cursor]

    def revoke(self, session_id: str, *, customer_id: str) -> bool:
        key, owner = object_id(session_id), object_id(customer_id)
        if key is None or owner is None:
            return False
        return (
            self._sessions.delete_one({"_id": key, "customerId": owner}, session=current_session()).deleted_count == 1
        )

    def revoke_all(self, customer_id: str, *, keep: str | None = None) -> int:
        query: dict[str, Any] = {"customerId": object_id(customer_id)}
        if keep:
            query["_id"] = {"$ne": object_id(keep)}
        return self._sessions.delete_many(query, session=current_session()).deleted_count
