"""Collections whose every call joins the running transaction.

Repositories reach MongoDB only through ``Collection``, which passes the
session of the current unit of work (or none outside one) to each pymongo
call, so no call inside a transaction can forget it; and times each call,
by collection and operation, for ``/metrics``."""

from __future__ import annotations

import time
from typing import Any

from prometheus_client import Histogram
from pymongo.collection import Collection as PymongoCollection
from pymongo.database import Database

from adapters.mongo.transactions import current_session

DB_OPERATIONS = Histogram(
    "customer_service_db_operation_seconds", "Time of a database call", ["collection", "operation"]
)


class Collection:
    def __init__(self, db: Database, name: str) -> None:
        self._collection: PymongoCollection = db[name]

    def __getattr__(self, method: str) -> Any:
        call = getattr(self._collection, method)
        timing = DB_OPERATIONS.labels(self._collection.name, method)

        def in_current_session(*args: Any, **kwargs: Any) -> Any:
            started = time.perf_counter()
            try:
                return call(*args, session=current_session(), **kwargs)
            finally:
                timing.observe(time.perf_counter() - started)

        setattr(self, method, in_current_session)  # made once per method: every database call passes here
        return in_current_session
