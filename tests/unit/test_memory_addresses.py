import pytest

from adapters.memory import InMemoryAddressRepository, ManualClock, RandomIds
from tests.contracts.addresses import *  # noqa: F403
from tests.contracts.addresses import CLOCK_START


@pytest.fixture
def addresses():
    return InMemoryAddressRepository()


@pytest.fixture
def clock():
    return ManualClock(CLOCK_START)


@pytest.fixture
def ids():
    return RandomIds()
