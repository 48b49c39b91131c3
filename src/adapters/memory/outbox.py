from __future__ import annotations

import datetime as dt
import secrets
import threading
from collections.abc import Mapping
from typing import Any

import attrs

from adapters.undo import on_failure
from customer_core.outbox import SECRET_FIELDS, Channel, OutboxMessage, Status, without_secrets
from customer_core.ports import Clock
from customer_core.values import Email, Id


class InMemoryOutbox:
    """Notifier and message queue in one, like the MongoDB outbox."""

    def __init__(self, clock: Clock) -> None:
        self._clock = clock
        self._messages: dict[Id, OutboxMessage] = {}
        self._lock = threading.Lock()

    def send(
        self,
        *,
        template: str,
        to: Email | str,
        locale: str,
        data: Mapping[str, Any],
        customer_id: Id | None,
        channel: Channel = Channel.EMAIL,
    ) -> None:
        message = OutboxMessage.new(
            id=Id(secrets.token_hex(12)),
            template=template,
            to=str(to),
            locale=locale,
            data=data,
            now=self._clock.now(),
            customer_id=customer_id,
            channel=channel,
        )
        with self._lock:
            self._messages[message.id] = message
        on_failure(lambda: self._drop(message.id))

    def _drop(self, message_id: Id) -> None:
        with self._lock:
            self._messages.pop(message_id, None)

    def forget(self, customer_id: Id) -> None:
        with self._lock:
            for message in list(self._messages.values()):
                if message.customer_id == customer_id:
                    del self._messages[message.id]

    def claim(self, *, owner: str, now: dt.datetime, lease_until: dt.datetime) -> OutboxMessage | None:
        with self._lock:
            due = [
                m
                for m in self._messages.values()
                if (m.status == Status.PENDING and m.next_attempt_at <= now)
                or (m.status == Status.IN_FLIGHT and m.lease_until is not None and m.lease_until <= now)
            ]
            if not due:
                return None
            message = min(due, key=lambda m: m.next_attempt_at)
            claimed = attrs.evolve(
                message,
                status=Status.IN_FLIGHT,
                lease_owner=owner,
                lease_until=lease_until,
                attempts=message.attempts + 1,
            )
            self._messages[message.id] = claimed
            return claimed

    def mark_delivered(self, message_id: Id, *, owner: str, now: dt.datetime) -> None:
        self._finish(message_id, owner, status=Status.DELIVERED, delivered_at=now, data={}, to="")

    def retry_later(self, message_id: Id, *, owner: str, at: dt.datetime, error: str) -> None:
        self._finish(message_id, owner, status=Status.PENDING, next_attempt_at=at, last_error=error)

    def mark_dead(self, message_id: Id, *, owner: str, error: str, now: dt.datetime) -> None:
        message = self._messages.get(message_id)
        if message is not None:
            removed = any(name in SECRET_FIELDS for name in message.data)
            data = without_secrets(message.data)
            self._finish(message_id, owner, status=Status.DEAD, last_error=error, data=data, secrets_removed=removed)

    def counts(self) -> dict[Status, int]:
        counts = dict.fromkeys(Status, 0)
        for message in self._messages.values():
            counts[message.status] += 1
        return counts

    def list(self, status: Status, *, limit: int = 50) -> list[OutboxMessage]:
        matching = sorted((m for m in self._messages.values() if m.status == status), key=lambda m: m.created_at)
        return matching[:limit]

    def requeue(self, message_id: Id | None, *, now: dt.datetime) -> int:
        with self._lock:
            dead = [
                m
                for m in self._messages.values()
                if m.status == Status.DEAD and message_id in (None, m.id) and not m.secrets_removed
            ]
            for message in dead:
                self._messages[message.id] = attrs.evolve(
                    message, status=Status.PENDING, attempts=0, next_attempt_at=now
                )
            return len(dead)

    def _finish(self, message_id: Id, owner: str, **changes: Any) -> None:
        with self._lock:
            message = self._messages.get(message_id)
            if message is not None and message.status == Status.IN_FLIGHT and message.lease_owner == owner:
                self._messages[message_id] = attrs.evolve(message, lease_owner=None, lease_until=None, **changes)
