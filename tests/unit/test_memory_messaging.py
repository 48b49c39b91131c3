import pytest

from adapters.memory import InMemoryActionTokens, InMemoryOutbox, ManualClock, RandomIds
from tests.contracts.messaging import *  # noqa: F403
from tests.contracts.messaging import CLOCK_START


@pytest.fixture
def clock():
    return ManualClock(CLOCK_START)


@pytest.fixture
def outbox(clock):
    return InMemoryOutbox(clock)


@pytest.fixture
def tokens():
    return InMemoryActionTokens()


@pytest.fixture
def ids():
    return RandomIds()
