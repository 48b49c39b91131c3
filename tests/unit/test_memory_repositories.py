import pytest

from adapters.memory import InMemoryCustomerRepository, InMemorySessionRepository, ManualClock, RandomIds
from tests.contracts.repositories import *  # noqa: F403
from tests.contracts.repositories import CLOCK_START


@pytest.fixture
def customers():
    return InMemoryCustomerRepository()


@pytest.fixture
def sessions():
    return InMemorySessionRepository()


@pytest.fixture
def clock():
    return ManualClock(CLOCK_START)


@pytest.fixture
def ids():
    return RandomIds()
