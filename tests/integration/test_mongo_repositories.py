import pytest

from adapters.memory import ManualClock
from adapters.mongo import MongoCustomerRepository, MongoSessionRepository, MongoSignedInCustomers, ObjectIds
from customer_core.errors import EmailTaken
from customer_core.sessions import RefreshToken, Replayed, Session, token_digest
from tests.contracts import CLOCK_START
from tests.contracts.repositories import (
    TTL,
    CustomerAndSessionContract,
    SignedInCustomersContract,
    a_customer,
    a_session,
)
from tests.support import run_together

THREADS = 20


class TestMongoSignedInCustomers(SignedInCustomersContract):
    @pytest.fixture
    def customers(self, db, data_keys):
        return MongoCustomerRepository(db, data_keys)

    @pytest.fixture
    def sessions(self, db):
        return MongoSessionRepository(db)

    @pytest.fixture
    def signed_in(self, db, data_keys):
        return MongoSignedInCustomers(db, data_keys)


class TestMongoCustomersAndSessions(CustomerAndSessionContract):
    @pytest.fixture
    def customers(self, db, data_keys):
        return MongoCustomerRepository(db, data_keys)

    @pytest.fixture
    def sessions(self, db):
        return MongoSessionRepository(db)


@pytest.fixture
def customers(db, data_keys):
    return MongoCustomerRepository(db, data_keys)


@pytest.fixture
def sessions(db):
    return MongoSessionRepository(db)


@pytest.fixture
def clock():
    return ManualClock(CLOCK_START)


@pytest.fixture
def ids():
    return ObjectIds()


def test_concurrent_sign_ups_with_one_email_create_exactly_one_account(customers, ids, clock):
    contenders = [a_customer(ids, clock, "race@example.com") for _ in range(THREADS)]

    results = run_together(lambda n: customers.add(contenders[n]))

    winners = [contenders[n] for n, result in enumerate(results) if result is None]
    assert len(winners) == 1
    assert all(isinstance(result, EmailTaken) for result in results if result is not None)
    assert customers.list() == winners


def test_concurrent_refreshes_with_one_token_rotate_exactly_once(sessions, ids, clock):
    session, token = a_session(ids, clock, ids.new_id())
    sessions.add(session)
    now = clock.now()

    results = run_together(
        lambda n: sessions.rotate(
            session_id=session.id,
            presented_digest=RefreshToken.parse(token).digest,
            new_digest=token_digest(f"next-token-{n}"),
            now=now,
            expires_at=now + TTL,
        )
    )

    assert sum(isinstance(result, Session) for result in results) == 1
    assert all(isinstance(result, Session | Replayed) or result is None for result in results)
