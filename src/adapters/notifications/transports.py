"""Where the outbox dispatcher hands messages over."""

from __future__ import annotations

import json
import logging
import os
from pathlib import Path

import httpx

from adapters.http_services import answers, service_client
from customer_core.errors import DeliveryFailed
from customer_core.outbox import Channel, OutboxMessage
from customer_core.ports import MessageTransport

logger = logging.getLogger("customer_service.notifications")


class HttpNotificationTransport:
    """``POST {base_url}/api/v1/notifications`` with the message id as the
    ``Idempotency-Key``, the same on every attempt. Any 2xx is a delivery."""

    def __init__(self, base_url: str, *, timeout_seconds: float = 5.0) -> None:
        self._client = service_client(base_url, timeout_seconds=timeout_seconds)

    def deliver(self, message: OutboxMessage) -> None:
        body = {
            "template": message.template,
            "channel": str(message.channel),
            "to": message.to,
            "locale": message.locale,
            "data": dict(message.data),
        }
        try:
            response = self._client.post("/api/v1/notifications", json=body, headers={"Idempotency-Key": message.id})
        except httpx.HTTPError as error:
            raise DeliveryFailed(f"{type(error).__name__}: {error}") from error
        if not response.is_success:
            raise DeliveryFailed(f"HTTP {response.status_code}")

    def check(self, *, timeout_seconds: float) -> None:
        answers(self._client, timeout_seconds=timeout_seconds)

    def close(self) -> None:
        self._client.close()


class MailLogTransport:
    """Without a Notifications Service: each message is appended to a mail
    log file (``CS_DATA_DIR/mail.log``, one JSON object a line, readable by
    its owner only), so a developer can follow the links in it. The service's
    own log says only that a message was written: it never carries tokens."""

    def __init__(self, path: Path) -> None:
        self.path = path

    def deliver(self, message: OutboxMessage) -> None:
        line = {
            "id": message.id,
            "template": message.template,
            "channel": str(message.channel),
            "to": message.to,
            "locale": message.locale,
            "data": dict(message.data),
        }
        try:
            self.path.parent.mkdir(parents=True, exist_ok=True)
            descriptor = os.open(self.path, os.O_WRONLY | os.O_APPEND | os.O_CREAT, 0o600)
            with os.fdopen(descriptor, "a", encoding="utf-8") as mail_log:
                mail_log.write(json.dumps(line, default=str) + "\n")
        except OSError as error:
            raise DeliveryFailed(f"cannot write {self.path}: {error.strerror}") from error
        logger.info("message %s (%s) written to %s", message.id, message.template, self.path)

    def close(self) -> None:
        pass


class ChannelRouter:
    """Customer events (the webhook channel) go to the events receiver,
    every other message to the notifications transport. A customer event
    queued while ``CS_EVENTS_URL`` was set, found after it was unset, fails
    (and ends dead after its retries, for an operator to requeue)."""

    def __init__(self, messages: MessageTransport, events: MessageTransport | None) -> None:
        self._messages = messages
        self._events = events

    def deliver(self, message: OutboxMessage) -> None:
        if message.channel != Channel.WEBHOOK:
            self._messages.deliver(message)
        elif self._events is None:
            raise DeliveryFailed("a customer event, but CS_EVENTS_URL is not set")
        else:
            self._events.deliver(message)
