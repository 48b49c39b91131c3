"""Delivering queued messages: retries after a backoff, the message id as the
idempotency key of every attempt, dead after too many failures."""

from __future__ import annotations

import datetime as dt

import pytest
from hypothesis import given
from hypothesis import strategies as st

from adapters.memory import InMemoryOutbox, ManualClock
from customer_core.errors import DeliveryFailed
from customer_core.outbox import OutboxMessage, RetryPolicy, Status
from customer_core.use_cases.delivery import DeliverNextMessage
from customer_core.values import Email

START = dt.datetime(2100, 1, 1, tzinfo=dt.UTC)
POLICY = RetryPolicy(
    max_attempts=4,
    base_delay=dt.timedelta(seconds=2),
    max_delay=dt.timedelta(seconds=5),
    lease=dt.timedelta(seconds=30),
)
MS = dt.timedelta(milliseconds=1)


class FlakyTransport:
    """Fails the first ``failures`` deliveries, then accepts every one."""

    def __init__(self, failures: int = 0, error: Exception | None = None) -> None:
        self.failures = failures
        self.error = error or DeliveryFailed("HTTP 500")
        self.attempts: list[OutboxMessage] = []
        self.accepted: list[OutboxMessage] = []

    def deliver(self, message: OutboxMessage) -> None:
        self.attempts.append(message)
        if len(self.attempts) <= self.failures:
            raise self.error
        self.accepted.append(message)


@pytest.fixture
def clock():
    return ManualClock(START)


@pytest.fixture
def outbox(clock):
    outbox = InMemoryOutbox(clock)
    outbox.send(
        template="welcome", to=Email("ada@example.com"), locale="en", data={"firstName": "Ada"}, customer_id=None
    )
    return outbox


def dispatcher(outbox, clock, transport, policy=POLICY, owner="api-1"):
    return DeliverNextMessage(queue=outbox, transport=transport, clock=clock, policy=policy, owner=owner)


def next_attempt_at(outbox) -> dt.datetime:
    [pending] = outbox.list(Status.PENDING)
    return pending.next_attempt_at


def step(attempts: int, policy: RetryPolicy = POLICY) -> dt.timedelta:
    """min(max_delay, base_delay * 2**(attempts - 1)), in integer milliseconds
    so that no timedelta overflows on the way."""
    exponential = policy.base_delay // MS * 2 ** (attempts - 1)
    return MS * min(policy.max_delay // MS, exponential)


def test_a_message_accepted_at_once_is_delivered_and_not_sent_again(outbox, clock):
    transport = FlakyTransport()
    deliver = dispatcher(outbox, clock, transport)

    assert deliver() is True
    clock.advance(dt.timedelta(days=1))
    assert deliver() is False

    assert [m.to for m in transport.accepted] == ["ada@example.com"]
    assert [m.template for m in outbox.list(Status.DELIVERED)] == ["welcome"]


def test_nothing_due_means_nothing_is_handed_over(clock):
    transport = FlakyTransport()

    assert dispatcher(InMemoryOutbox(clock), clock, transport)() is False
    assert transport.attempts == []


def test_a_failed_delivery_is_retried_only_after_its_backoff(outbox, clock):
    transport = FlakyTransport(failures=3)
    deliver = dispatcher(outbox, clock, transport)

    for attempts in (1, 2, 3):
        failed_at = clock.now()
        assert deliver() is True
        retry_at = next_attempt_at(outbox)
        assert failed_at + step(attempts) / 2 <= retry_at <= failed_at + step(attempts)
        assert deliver() is False
        clock.advance(retry_at - clock.now() - MS)
        assert deliver() is False
        assert len(transport.attempts) == attempts
        clock.advance(MS)

    assert deliver() is True
    assert len(transport.attempts) == 4 and len(transport.accepted) == 1
    assert outbox.counts() == {Status.PENDING: 0, Status.IN_FLIGHT: 0, Status.DELIVERED: 1, Status.DEAD: 0}


def test_every_attempt_carries_the_same_message_id(outbox, clock):
    transport = FlakyTransport(failures=2)
    deliver = dispatcher(outbox, clock, transport)

    while deliver() or outbox.counts()[Status.PENDING]:
        clock.advance(POLICY.max_delay)

    assert len(transport.attempts) == 3
    assert len({m.id for m in transport.attempts}) == 1
    assert [m.attempts for m in transport.attempts] == [1, 2, 3]
    assert [m.id for m in transport.accepted] == [transport.attempts[0].id]


def test_a_message_is_dead_after_max_attempts_failures_and_not_tried_again(outbox, clock):
    transport = FlakyTransport(failures=100)
    deliver = dispatcher(outbox, clock, transport)

    for _ in range(POLICY.max_attempts):
        assert deliver() is True
        clock.advance(POLICY.max_delay)
    clock.advance(dt.timedelta(days=1))

    assert deliver() is False
    assert len(transport.attempts) == POLICY.max_attempts
    [dead] = outbox.list(Status.DEAD)
    assert dead.attempts == POLICY.max_attempts and dead.last_error == "HTTP 500"
    assert dict(dead.data) == {"firstName": "Ada"}


def test_a_dead_message_requeued_is_delivered(outbox, clock):
    transport = FlakyTransport(failures=POLICY.max_attempts)
    deliver = dispatcher(outbox, clock, transport)
    for _ in range(POLICY.max_attempts):
        deliver()
        clock.advance(POLICY.max_delay)

    assert outbox.requeue(None, now=clock.now()) == 1
    assert deliver() is True

    assert len(transport.accepted) == 1
    assert outbox.counts()[Status.DELIVERED] == 1


@pytest.mark.parametrize(
    ("error", "recorded"),
    [
        (DeliveryFailed("ReadTimeout: timed out"), "ReadTimeout: timed out"),
        (DeliveryFailed(""), "DeliveryFailed"),
        (DeliveryFailed("x" * 2000), "x" * 500),
    ],
)
def test_the_failure_is_recorded_as_the_last_error(outbox, clock, error, recorded):
    deliver = dispatcher(outbox, clock, FlakyTransport(failures=1, error=error))

    deliver()

    [pending] = outbox.list(Status.PENDING)
    assert pending.last_error == recorded


def test_a_transport_crash_leaves_the_message_to_be_retried_after_its_lease(outbox, clock):
    transport = FlakyTransport(failures=1, error=RuntimeError("bug in the transport"))
    deliver = dispatcher(outbox, clock, transport)

    with pytest.raises(RuntimeError):
        deliver()
    assert outbox.counts()[Status.IN_FLIGHT] == 1
    clock.advance(POLICY.lease - MS)
    assert deliver() is False
    clock.advance(MS)
    assert deliver() is True

    assert len(transport.accepted) == 1 and transport.accepted[0].id == transport.attempts[0].id


def test_two_dispatchers_deliver_each_message_once(clock):
    outbox = InMemoryOutbox(clock)
    for n in range(6):
        outbox.send(template="welcome", to=Email(f"user{n}@example.com"), locale="en", data={}, customer_id=None)
    transport = FlakyTransport()
    first, second = (dispatcher(outbox, clock, transport, owner=owner) for owner in ("api-1", "api-2"))

    while any([first(), second()]):
        pass

    assert sorted(m.to for m in transport.accepted) == sorted(f"user{n}@example.com" for n in range(6))
    assert len({m.id for m in transport.attempts}) == len(transport.attempts) == 6


# --- the backoff -------------------------------------------------------------


class FixedRandom:
    def __init__(self, value: float) -> None:
        self.value = value

    def random(self) -> float:
        return self.value


policies = st.builds(
    lambda base_ms, extra_ms: RetryPolicy(
        base_delay=dt.timedelta(milliseconds=base_ms), max_delay=dt.timedelta(milliseconds=base_ms + extra_ms)
    ),
    st.integers(min_value=1, max_value=60_000),
    st.integers(min_value=0, max_value=3_600_000),
)


@given(
    policy=policies,
    attempts=st.integers(min_value=1, max_value=200),
    fraction=st.floats(min_value=0, max_value=1, exclude_max=True),
)
def test_the_delay_lies_between_half_a_step_and_a_step_never_above_the_maximum(policy, attempts, fraction):
    delay = policy.delay(attempts, rng=FixedRandom(fraction))

    assert step(attempts, policy) / 2 <= delay <= step(attempts, policy)
    assert delay <= policy.max_delay


@given(policy=policies, attempts=st.integers(min_value=1, max_value=200))
def test_the_longest_possible_delay_never_shrinks_as_attempts_grow(policy, attempts):
    longest = FixedRandom(1 - 2**-53)

    assert policy.delay(attempts, rng=longest) <= policy.delay(attempts + 1, rng=longest)
