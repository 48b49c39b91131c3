import pytest
from bson import ObjectId

from adapters.memory import ManualClock
from adapters.mongo import (
    MongoCustomerRepository,
    MongoSessionRepository,
    MongoSignedInCustomers,
    MongoUnitOfWork,
    ObjectIds,
    connect,
)
from adapters.mongo.orders import MongoOrders, MongoServiceClients
from customer_core.customer import CustomerChanges
from customer_core.errors import EmailTaken
from customer_core.sessions import RefreshToken, Replayed, Session, token_digest
from customer_core.testing.contracts import CLOCK_START
from customer_core.testing.contracts.orders import OrdersContract
from customer_core.testing.contracts.repositories import (
    TTL,
    CustomerAndSessionContract,
    SignedInCustomersContract,
    a_customer,
    a_session,
)
from tests.support import run_together

THREADS = 20


# The contracts use the module's ``customers`` and ``sessions`` fixtures below.
class TestMongoSignedInCustomers(SignedInCustomersContract):
    @pytest.fixture
    def signed_in(self, db, data_keys):
        return MongoSignedInCustomers(db, data_keys)


class TestMongoCustomersAndSessions(CustomerAndSessionContract):
    pass


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


def test_a_hold_writes_the_account_unless_its_transaction_wrote_it_already(customers, db, ids, clock):
    ada, grace = a_customer(ids, clock), a_customer(ids, clock, "grace@example.com")
    for customer in (ada, grace):
        customers.add(customer)
    uow = MongoUnitOfWork(db.client, db.write_concern)

    uow.run(lambda: customers.hold(ada.id))
    # Her first name is Ada already (a_customer): the update changes no value, yet still writes.
    uow.run(lambda: (customers.update(grace.id, CustomerChanges(first_name="Ada")), customers.hold(grace.id)))

    assert db.customers.find_one({"_id": ObjectId(ada.id)})["holds"] == 1
    assert db.customers.find_one({"_id": ObjectId(grace.id)})["holds"] == 1  # the update's write, no second one
    assert customers.hold(ids.new_id()) is False


def test_a_connection_never_waits_for_ever_and_the_uri_can_change_its_timeouts():
    client, _ = connect("mongodb://127.0.0.1:1/?connectTimeoutMS=300", "db")
    options = client.options

    assert options.server_selection_timeout == 5
    assert (options.pool_options.connect_timeout, options.pool_options.socket_timeout) == (0.3, 10)
    client.close()


class TestMongoOrders(OrdersContract):
    @pytest.fixture
    def orders(self, db):
        return MongoOrders(db)

    @pytest.fixture
    def service_clients(self, db):
        return MongoServiceClients(db)

    @pytest.fixture
    def uow(self, db):
        return MongoUnitOfWork(db.client, db.write_concern)
