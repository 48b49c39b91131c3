from collections import Counter

import pytest

from adapters.memory import ManualClock
from adapters.mongo import MongoAddressRepository, ObjectIds
from customer_core.errors import ConcurrentUpdate
from customer_core.testing.contracts import CLOCK_START
from customer_core.testing.contracts.addresses import AddressRepositoryContract, an_address
from tests.support import run_together

THREADS = 20


class TestMongoAddresses(AddressRepositoryContract):
    @pytest.fixture
    def addresses(self, db, data_keys):
        return MongoAddressRepository(db, data_keys)


@pytest.fixture
def addresses(db, data_keys):
    return MongoAddressRepository(db, data_keys)


@pytest.fixture
def clock():
    return ManualClock(CLOCK_START)


@pytest.fixture
def ids():
    return ObjectIds()


def test_concurrent_reservations_stop_exactly_at_the_limit(addresses, ids):
    customer_id = ids.new_id()

    results = run_together(lambda n: addresses.reserve_slot(customer_id, limit=10))

    assert Counter(results) == Counter({None: 10, **{count: 1 for count in range(1, 11)}})
    assert addresses.reserve_slot(customer_id, limit=10) is None


def test_concurrent_default_addresses_leave_exactly_one(addresses, ids, clock):
    customer_id = ids.new_id()
    candidates = [an_address(ids, clock, customer_id, is_default_shipping=True) for _ in range(THREADS)]

    results = run_together(lambda n: addresses.add(candidates[n]))

    assert sum(result is None for result in results) == 1
    assert all(result is None or isinstance(result, ConcurrentUpdate) for result in results)
    stored = addresses.list(customer_id)
    assert len(stored) == 1 and stored[0].is_default_shipping


def test_concurrent_first_reservations_below_the_limit_all_succeed(addresses, ids):
    customer_id = ids.new_id()

    results = run_together(lambda n: addresses.reserve_slot(customer_id, limit=THREADS))

    assert sorted(results) == list(range(1, THREADS + 1))
