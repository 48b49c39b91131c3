"""The address-book state machine of the unit tests, run against the MongoDB
address repository and unit of work: a fresh database per example."""

import uuid
from collections.abc import Iterator
from contextlib import contextmanager

from hypothesis import settings
from hypothesis.stateful import run_state_machine_as_test
from pymongo.database import Database

from adapters.mongo import MongoAddressRepository, MongoUnitOfWork, connect, ensure_indexes
from tests.unit.test_address_book_state_machine import AddressBookMachine


@contextmanager
def fresh_database(uri: str) -> Iterator[Database]:
    name = f"cs_machine_{uuid.uuid4().hex[:12]}"
    client, db = connect(uri, name)
    try:
        ensure_indexes(db)
        yield db
    finally:
        client.drop_database(name)
        client.close()


def test_address_book_holds_against_mongo(mongo_uri, data_keys):
    class OnMongo(AddressBookMachine):
        def stores(self):
            db = self.resources.enter_context(fresh_database(mongo_uri))
            return MongoAddressRepository(db, data_keys), MongoUnitOfWork(db.client, db.write_concern)

    run_state_machine_as_test(OnMongo, settings=settings(max_examples=8, stateful_step_count=15, deadline=None))
