"""Delivering queued messages: claim one, hand it over, record the outcome."""

from __future__ import annotations

import logging
import secrets

import attrs

from customer_core.errors import DeliveryFailed
from customer_core.outbox import RetryPolicy
from customer_core.ports import Clock, MessageQueue, MessageTransport

logger = logging.getLogger("customer_service.outbox")


@attrs.frozen(kw_only=True)
class DeliverNextMessage:
    """Several dispatchers may run at once (one per API instance): a claim is
    an atomic lease, so a message is never in two deliveries at the same time,
    and every attempt carries the message id as its idempotency key."""

    queue: MessageQueue
    transport: MessageTransport
    clock: Clock
    policy: RetryPolicy
    owner: str

    def __call__(self) -> bool:
        """Deliver one due message; False when none was due."""
        now = self.clock.now()
        owner = f"{self.owner}:{secrets.token_hex(6)}"  # this attempt's own lease
        message = self.queue.claim(owner=owner, now=now, lease_until=now + self.policy.lease)
        if message is None:
            return False
        try:
            self.transport.deliver(message)
        except DeliveryFailed as failure:
            error = str(failure)[:500] or type(failure).__name__
            if self.policy.gives_up_after(message.attempts):
                logger.error(
                    "message %s (%s) is dead after %d attempts: %s",
                    message.id,
                    message.template,
                    message.attempts,
                    error,
                )
                self.queue.mark_dead(message.id, owner=owner, error=error, now=self.clock.now())
            else:
                retry_at = self.clock.now() + self.policy.delay(message.attempts)
                logger.warning(
                    "message %s (%s) attempt %d failed: %s; next try at %s",
                    message.id,
                    message.template,
                    message.attempts,
                    error,
                    retry_at.isoformat(),
                )
                self.queue.retry_later(message.id, owner=owner, at=retry_at, error=error)
            return True
        self.queue.mark_delivered(message.id, owner=owner, now=self.clock.now())
        return True
