"""Customer events as Standard Webhooks (https://www.standardwebhooks.com):
queued in the outbox, then POSTed to ``CS_EVENTS_URL`` signed with
HMAC-SHA256 under ``CS_EVENTS_SECRET``."""

from __future__ import annotations

import base64
import binascii
import datetime as dt
import hashlib
import hmac
import json

import httpx

from adapters.camel_case import camel
from adapters.http_services import answers, service_client
from customer_core.customer_events import CustomerEvent, CustomerEventType
from customer_core.errors import DeliveryFailed
from customer_core.outbox import Channel, OutboxMessage
from customer_core.ports import Clock, Notifier

SECRET_PREFIX = "whsec_"
# The specification's range for symmetric secrets: at least 192 bits, at most 512.
SECRET_BYTES = range(24, 65)


def signing_key(secret: str) -> bytes:
    """The key a secret stands for, read as the specification's reference
    libraries read it: base64 (standard alphabet, padding optional) after an
    optional ``whsec_`` prefix. Raise ``ValueError`` (never showing the
    secret) unless it is base64 of 24 to 64 bytes."""
    encoded = secret.removeprefix(SECRET_PREFIX)
    try:
        key = base64.b64decode(encoded + "=" * (-len(encoded) % 4), validate=True)
    except binascii.Error:
        raise ValueError("must be base64 (after an optional whsec_ prefix), as Standard Webhooks secrets are") from None
    if len(key) not in SECRET_BYTES:
        raise ValueError("must be 24 to 64 random bytes, base64-encoded (as whsec_ followed by the base64)")
    return key


def signature(key: bytes, message_id: str, timestamp: int, body: bytes) -> str:
    """``v1,`` and the base64 HMAC-SHA256 of ``{id}.{timestamp}.{body}``."""
    signed = f"{message_id}.{timestamp}.".encode() + body
    return "v1," + base64.b64encode(hmac.digest(key, signed, hashlib.sha256)).decode()


def event_body(message: OutboxMessage) -> bytes:
    """``{type, timestamp, data}``: the same bytes on every attempt, as the
    message holds them; ``timestamp`` is when the event happened."""
    moment = message.created_at.astimezone(dt.UTC).isoformat(timespec="milliseconds").replace("+00:00", "Z")
    document = {"type": message.template, "timestamp": moment, "data": dict(message.data)}
    return json.dumps(document, separators=(",", ":")).encode()


class OutboxCustomerEvents:
    """``CustomerEvents`` on the outbox: each event a webhook-channel message
    (its id becomes the ``webhook-id``) holding the event's ``data`` as the
    receiver will see it."""

    def __init__(self, notifier: Notifier) -> None:
        self._notifier = notifier

    def publish(self, event: CustomerEvent) -> None:
        data: dict[str, object] = {"customerId": event.customer_id}
        if event.type is CustomerEventType.UPDATED:
            data["changedFields"] = [".".join(map(camel, path.split("."))) for path in event.changed_fields]
        self._notifier.send(
            template=str(event.type),
            to="",
            locale="",
            data=data,
            customer_id=event.about,
            channel=Channel.WEBHOOK,
        )


class StandardWebhookTransport:
    """POSTs a webhook-channel message to the events URL. ``webhook-id`` is
    the message id on every attempt; ``webhook-timestamp`` and the signature
    are the attempt's own, so a retry is never stale. Any 2xx is a delivery.
    Neither the secret nor a signature is ever logged or put in an error."""

    def __init__(self, url: str, secret: str, clock: Clock, *, timeout_seconds: float) -> None:
        self._url = url
        self._key = signing_key(secret)
        self._clock = clock
        self._client = service_client("", timeout_seconds=timeout_seconds)

    def deliver(self, message: OutboxMessage) -> None:
        body = event_body(message)
        timestamp = int(self._clock.now().timestamp())
        headers = {
            "content-type": "application/json",
            "webhook-id": message.id,
            "webhook-timestamp": str(timestamp),
            "webhook-signature": signature(self._key, message.id, timestamp, body),
        }
        try:
            response = self._client.post(self._url, content=body, headers=headers)
        except httpx.HTTPError as error:
            raise DeliveryFailed(f"{type(error).__name__}: {error}") from error
        if not response.is_success:
            raise DeliveryFailed(f"HTTP {response.status_code}")

    def check(self, *, timeout_seconds: float) -> None:
        """The receiver is up if ``GET`` of the events URL gets an answer
        that is not a server error (a receiver that takes only POST says 405)."""
        answers(self._client, self._url, timeout_seconds=timeout_seconds)

    def close(self) -> None:
        self._client.close()
