"""Multi-document transactions, when the server has them.

The session of the running transaction is kept in a context variable; every
repository call passes it to pymongo (see ``collection.Collection``), so use
cases stay unaware of it. Without transactions (a standalone mongod), writes
that must not outlive a failed unit of work are undone instead."""

from __future__ import annotations

import contextvars
import logging
from collections.abc import Callable
from typing import Any, TypeVar

import pymongo
from pymongo import MongoClient
from pymongo.client_session import ClientSession
from pymongo.errors import PyMongoError
from pymongo.read_concern import ReadConcern
from pymongo.write_concern import WriteConcern

from adapters.undo import after_commit, attempt, in_unit_of_work, run_committed, run_undoing_on_failure
from customer_core.errors import DependencyUnavailable

T = TypeVar("T")
logger = logging.getLogger("customer_service.mongo")

UNIT_OF_WORK_SECONDS = 10.0
_current: contextvars.ContextVar[ClientSession | None] = contextvars.ContextVar("mongo_session", default=None)
# The documents the running transaction has written so far, as (collection, id).
_written: contextvars.ContextVar[set[tuple[str, Any]] | None] = contextvars.ContextVar("written", default=None)


def current_session() -> ClientSession | None:
    return _current.get()


def note_written(collection: str, key: Any) -> None:
    written = _written.get()
    if written is not None:
        written.add((collection, key))


def written_in_transaction(collection: str, key: Any) -> bool:
    written = _written.get()
    return written is not None and (collection, key) in written


def supports_transactions(client: MongoClient) -> bool:
    """Replica sets and sharded clusters do; a standalone mongod does not."""
    hello = client.admin.command("hello")
    return bool(hello.get("setName")) or hello.get("msg") == "isdbgrid"


class MongoUnitOfWork:
    def __init__(self, client: MongoClient, write_concern: WriteConcern) -> None:
        self._client = client
        self._write_concern = write_concern
        self._supported: bool | None = None

    def run(self, work: Callable[[], T]) -> T:
        if _current.get() is not None or in_unit_of_work():  # inside one already
            return work()
        if not self._transactions_supported():
            return run_undoing_on_failure(work)
        latest: list[Callable[[], None]] = []  # what the last attempt deferred to its commit

        def in_transaction(session: ClientSession) -> T:
            token, written = _current.set(session), _written.set(set())  # afresh on each retry
            try:
                with attempt() as committed:
                    latest[:] = []
                    result = work()
                    latest[:] = committed
                    return result
            finally:
                _current.reset(token)
                _written.reset(written)

        try:
            # with_transaction retries the whole work on transient errors (write
            # conflicts), so concurrent requests serialise cleanly; but a lost
            # database is transient to it too, for two minutes: a unit of work
            # gets UNIT_OF_WORK_SECONDS, then the request a 503.
            with pymongo.timeout(UNIT_OF_WORK_SECONDS), self._client.start_session() as session:
                result = session.with_transaction(
                    in_transaction, read_concern=ReadConcern("majority"), write_concern=self._write_concern
                )
        except PyMongoError as error:
            if getattr(error, "code", None) == 11000:  # a duplicate key, for the caller to translate
                raise
            raise DependencyUnavailable("The database is unavailable; try again shortly") from error
        run_committed(latest)
        return result

    def after_commit(self, action: Callable[[], None]) -> None:
        after_commit(action)

    def _transactions_supported(self) -> bool:
        if self._supported is None:
            self._supported = supports_transactions(self._client)
            if not self._supported:
                logger.warning("this MongoDB is standalone: writes of one request are not grouped in a transaction")
        return self._supported
