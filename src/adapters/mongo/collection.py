"""Collections whose every call joins the running transaction.

Repositories reach MongoDB only through ``Collection``, which passes the
session of the current unit of work (or none outside one) to each pymongo
call, so no call inside a transaction can forget it."""

from __future__ import annotations

from typing import Any

from pymongo.collection import Collection as PymongoCollection
from pymongo.database import Database

from adapters.mongo.transactions import current_session


class Collection:
    def __init__(self, db: Database, name: str) -> None:
        self._collection: PymongoCollection = db[name]

    def __getattr__(self, method: str) -> Any:
        call = getattr(self._collection, method)

        def in_current_session(*args: Any, **kwargs: Any) -> Any:
            return call(*args, session=current_session(), **kwargs)

        return in_current_session
