import json
import os
from collections import Counter

import pytest
from pymongo.errors import OperationFailure

from adapters.memory import ManualClock
from adapters.mongo import (
    MongoCustomerRepository,
    MongoEmailedTokens,
    MongoOutbox,
    MongoUnitOfWork,
    ObjectIds,
)
from adapters.mongo.transactions import current_session, supports_transactions
from adapters.notifications.webhooks import OutboxCustomerEvents
from adapters.security.data_keys import is_sealed
from customer_core.emailed_tokens import Purpose
from customer_core.outbox import DEAD_KEPT, OutboxMessage, Status
from customer_core.testing.contracts import CLOCK_START
from customer_core.testing.contracts.customer_events import CustomerEventsContract
from customer_core.testing.contracts.messaging import MessagingContract, a_token, claim, send
from customer_core.testing.contracts.repositories import a_customer
from customer_core.values import Email
from tests.support import run_together

THREADS = 20


class TestMongoMessaging(MessagingContract):
    @pytest.fixture
    def outbox(self, db, clock, data_keys):
        return MongoOutbox(db, clock, data_keys)

    @pytest.fixture
    def tokens(self, db):
        return MongoEmailedTokens(db)


class TestCustomerEventsInTheMongoOutbox(CustomerEventsContract):
    @pytest.fixture
    def outbox(self, db, clock, data_keys):
        return MongoOutbox(db, clock, data_keys)

    @pytest.fixture
    def events(self, outbox):
        return OutboxCustomerEvents(outbox)


@pytest.fixture
def clock():
    return ManualClock(CLOCK_START)


@pytest.fixture
def outbox(db, clock, data_keys):
    return MongoOutbox(db, clock, data_keys)


@pytest.fixture
def tokens(db):
    return MongoEmailedTokens(db)


@pytest.fixture
def ids():
    return ObjectIds()


@pytest.fixture
def customers(db, data_keys):
    return MongoCustomerRepository(db, data_keys)


@pytest.fixture
def uow(store):
    client, database = store
    if not supports_transactions(client):
        pytest.skip("this MongoDB is standalone: it has no transactions")
    return MongoUnitOfWork(client, database.write_concern)


def test_concurrent_claims_take_every_message_exactly_once(outbox, clock):
    for n in range(10):
        send(outbox, to=f"user{n}@example.com")

    results = run_together(lambda n: claim(outbox, clock, owner=f"worker-{n}"))

    claimed = [result for result in results if isinstance(result, OutboxMessage)]
    assert [result for result in results if not isinstance(result, OutboxMessage)] == [None] * 10
    assert Counter(message.id for message in claimed) == Counter({message.id: 1 for message in claimed})
    assert sorted(message.to for message in claimed) == sorted(f"user{n}@example.com" for n in range(10))
    assert all(message.attempts == 1 for message in claimed)
    assert outbox.counts()[Status.IN_FLIGHT] == 10


def test_concurrent_redemptions_of_one_token_succeed_exactly_once(tokens, clock, ids):
    token = a_token(clock, ids.new_id(), Purpose.RESET_PASSWORD)
    tokens.replace(token)

    results = run_together(lambda n: tokens.redeem(token.digest, Purpose.RESET_PASSWORD, now=clock.now()))

    assert results.count(token) == 1
    assert results.count(None) == THREADS - 1


# --- unit of work ------------------------------------------------------------


@pytest.mark.skipif(bool(os.environ.get("CS_TEST_MONGODB_URI")), reason="about the embedded store")
def test_the_embedded_store_supports_transactions(store):
    assert supports_transactions(store[0]) is True


def test_a_unit_of_work_that_completes_keeps_all_its_writes(uow, customers, outbox, ids, clock):
    customer = a_customer(ids, clock)

    def work():
        customers.add(customer)
        send(outbox, to=str(customer.email))
        return "done"

    assert uow.run(work) == "done"

    assert customers.get(customer.id) == customer
    assert outbox.counts()[Status.PENDING] == 1


def test_a_unit_of_work_that_fails_leaves_none_of_its_writes(uow, customers, outbox, ids, clock):
    customer = a_customer(ids, clock)

    def work():
        customers.add(customer)
        send(outbox, to=str(customer.email))
        raise RuntimeError("failed after writing")

    with pytest.raises(RuntimeError, match="failed after writing"):
        uow.run(work)

    assert customers.get(customer.id) is None
    assert customers.list() == []
    assert outbox.counts() == dict.fromkeys(Status, 0)
    assert current_session() is None


def test_a_nested_unit_of_work_joins_the_outer_transaction(uow, customers, outbox, tokens, ids, clock):
    customer = a_customer(ids, clock)
    token = a_token(clock, customer.id)
    sessions = []

    def inner():
        sessions.append(current_session())
        send(outbox, to=str(customer.email))
        tokens.replace(token)

    def outer():
        sessions.append(current_session())
        customers.add(customer)
        uow.run(inner)
        raise RuntimeError("failed after the inner work")

    with pytest.raises(RuntimeError):
        uow.run(outer)

    assert sessions[0] is not None and sessions[1] is sessions[0]
    assert customers.get(customer.id) is None
    assert outbox.counts() == dict.fromkeys(Status, 0)
    assert tokens.find(token.digest, Purpose.VERIFY_EMAIL, now=clock.now()) is None


def test_a_message_at_rest_holds_its_data_sealed_and_its_secrets_only_until_it_is_given_up(
    db, outbox, clock, data_keys
):
    secret = "a-token-from-an-email-1234567890"
    data = {"firstName": "Ada", "url": f"https://shop.example.com/reset-password?token={secret}", "token": secret}
    outbox.send(template="password_reset", to=Email("ada@example.com"), locale="en", data=data, customer_id=None)

    stored = db.outbox.find_one()
    assert is_sealed(stored["data"]) and secret not in str(stored) and "Ada" not in str(stored["data"])
    assert json.loads(data_keys.open(stored["data"], context=f"outbox.data:{stored['_id']}")) == data

    message = claim(outbox, clock)
    assert dict(message.data) == data
    outbox.mark_dead(message.id, owner="worker-a", error="HTTP 500", now=clock.now())
    dead = db.outbox.find_one()
    opened = json.loads(data_keys.open(dead["data"], context=f"outbox.data:{dead['_id']}"))
    assert opened == {"firstName": "Ada"} and dead["secretsRemoved"] is True
    assert dead["purgeAt"] == clock.now() + DEAD_KEPT


def test_what_waits_for_the_commit_runs_once_though_the_transaction_was_retried(uow):
    done, attempts = [], []

    def conflicting_once() -> None:
        uow.after_commit(lambda: done.append(len(attempts)))
        attempts.append(1)
        if len(attempts) == 1:
            conflict = OperationFailure("write conflict", 112)
            conflict._add_error_label("TransientTransactionError")
            raise conflict

    uow.run(conflicting_once)

    assert (len(attempts), done) == (2, [2])
