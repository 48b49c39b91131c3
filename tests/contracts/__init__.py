"""Contract tests shared by every implementation of a port: a test class
subclasses a suite and provides the port under test as a fixture."""

import datetime as dt

import pytest

from adapters.memory import ManualClock, RandomIds

pytest.register_assert_rewrite(
    "tests.contracts.repositories",
    "tests.contracts.messaging",
    "tests.contracts.addresses",
    "tests.contracts.lockouts",
    "tests.contracts.records",
    "tests.contracts.orders",
    "tests.contracts.customer_events",
    "tests.contracts.phone_codes",
)

# Far in the future, so a store's TTL monitor never removes what a test
# keeps; millisecond precision, as MongoDB stores it.
CLOCK_START = dt.datetime(2100, 1, 1, 12, 0, 0, 123000, tzinfo=dt.UTC)


class PortContract:
    """What every contract is written against besides its ports: a clock
    that moves only when told to, and ids."""

    @pytest.fixture
    def clock(self):
        return ManualClock(CLOCK_START)

    @pytest.fixture
    def ids(self):
        return RandomIds()
