"""The session-rotation state machine of the unit tests, run against the
MongoDB repositories: a fresh database per example."""

import uuid
from collections.abc import Iterator
from contextlib import contextmanager

from hypothesis import settings
from hypothesis.stateful import run_state_machine_as_test
from pymongo.database import Database

from adapters.mongo import MongoCustomerRepository, MongoSessionRepository, connect, ensure_indexes
from tests.unit.test_session_rotation_state_machine import SessionRotationMachine


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


def test_session_rotation_holds_against_mongo(mongo_uri, data_keys):
    class OnMongo(SessionRotationMachine):
        def repositories(self):
            db = self.resources.enter_context(fresh_database(mongo_uri))
            return MongoCustomerRepository(db, data_keys), MongoSessionRepository(db)

    run_state_machine_as_test(OnMongo, settings=settings(max_examples=10, stateful_step_count=15, deadline=None))
