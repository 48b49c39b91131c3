"""What every contract suite is written against besides its ports: a clock
that moves only when told to, and ids."""

from __future__ import annotations

import datetime as dt
import secrets

import pytest

from customer_core.values import Id

__all__ = ["CLOCK_START", "ManualClock", "PortContract", "RandomIds"]

# Far in the future, so a store's TTL monitor never removes what a test
# keeps; millisecond precision, as MongoDB stores it.
CLOCK_START = dt.datetime(2100, 1, 1, 12, 0, 0, 123000, tzinfo=dt.UTC)


class ManualClock:
    """A ``Clock`` that moves only when told to."""

    def __init__(self, start: dt.datetime = CLOCK_START) -> None:
        self._now = start

    def now(self) -> dt.datetime:
        return self._now

    def advance(self, delta: dt.timedelta) -> None:
        self._now += delta


class RandomIds:
    """An ``IdGenerator`` of random ids in the form every adapter stores:
    24 lower-case hex digits."""

    def new_id(self) -> Id:
        return Id(secrets.token_hex(12))


class PortContract:
    """The base of every suite: the ``clock`` and ``ids`` fixtures. A
    binding may use them to build its adapter (an outbox takes the clock)."""

    @pytest.fixture
    def clock(self) -> ManualClock:
        return ManualClock(CLOCK_START)

    @pytest.fixture
    def ids(self) -> RandomIds:
        return RandomIds()
