"""Outgoing messages, kept in a durable outbox until delivered."""

from __future__ import annotations

import datetime as dt
import enum
import random
from collections.abc import Mapping
from typing import Any

import attrs

from customer_core.values import Id

_MICROSECOND = dt.timedelta(microseconds=1)
# Message data no one may read back once the message is given up on: the
# emailed token, the link that carries it, a verification code.
SECRET_FIELDS = frozenset({"token", "url", "code"})
# How long given-up (dead) and delivered messages are kept for operators.
DEAD_KEPT = dt.timedelta(days=14)
DELIVERED_KEPT = dt.timedelta(days=7)


def without_secrets(data: Mapping[str, Any]) -> dict[str, Any]:
    return {name: value for name, value in data.items() if name not in SECRET_FIELDS}


class Channel(enum.StrEnum):
    """How a message travels: through the Notifications Service by email or
    SMS, or as a signed customer event to ``CS_EVENTS_URL``."""

    EMAIL = "email"
    SMS = "sms"
    WEBHOOK = "webhook"


class Status(enum.StrEnum):
    PENDING = "pending"
    IN_FLIGHT = "in_flight"
    DELIVERED = "delivered"
    DEAD = "dead"


@attrs.frozen(kw_only=True)
class OutboxMessage:
    id: Id  # also the Idempotency-Key of every delivery attempt
    template: str
    to: str
    locale: str
    data: Mapping[str, Any]
    created_at: dt.datetime
    status: Status = Status.PENDING
    attempts: int = 0
    next_attempt_at: dt.datetime
    lease_owner: str | None = None
    lease_until: dt.datetime | None = None
    last_error: str | None = None
    delivered_at: dt.datetime | None = None
    # A dead message loses its secrets; requeued, it would mail a broken link.
    secrets_removed: bool = False
    customer_id: Id | None = None  # whom it is about, so an erasure finds it
    channel: Channel = Channel.EMAIL

    @classmethod
    def new(
        cls,
        *,
        id: Id,
        template: str,
        to: str,
        locale: str,
        data: Mapping[str, Any],
        now: dt.datetime,
        customer_id: Id | None = None,
        channel: Channel = Channel.EMAIL,
    ) -> OutboxMessage:
        """A message due at once."""
        return cls(
            id=id,
            template=template,
            to=to,
            locale=locale,
            data=dict(data),
            created_at=now,
            next_attempt_at=now,
            customer_id=customer_id,
            channel=channel,
        )


@attrs.frozen(kw_only=True)
class RetryPolicy:
    """Exponential backoff with jitter; a message is parked as dead after
    ``max_attempts`` failed deliveries."""

    max_attempts: int = 12
    base_delay: dt.timedelta = dt.timedelta(seconds=2)
    max_delay: dt.timedelta = dt.timedelta(minutes=15)
    lease: dt.timedelta = dt.timedelta(seconds=30)

    def delay(self, attempts: int, *, rng: random.Random | None = None) -> dt.timedelta:
        """Wait before the next try after ``attempts`` failures: half the
        exponential step fixed, half random, so retries spread out."""
        # In whole microseconds: the exponential alone would overflow a timedelta.
        exponential: int = self.base_delay // _MICROSECOND * 2 ** max(attempts - 1, 0)
        step = _MICROSECOND * min(self.max_delay // _MICROSECOND, exponential)
        fraction = rng.random() if rng else random.random()
        return step / 2 + step / 2 * fraction

    def gives_up_after(self, attempts: int) -> bool:
        return attempts >= self.max_attempts
