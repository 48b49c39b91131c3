"""Customer events are signed as Standard Webhooks says: each signature is
checked with the specification's own Python library (``standardwebhooks``),
not with our code, and secrets are read as that library reads them."""

from __future__ import annotations

import base64
import datetime as dt
import json
import time

import pytest
from hypothesis import given
from hypothesis import strategies as st
from standardwebhooks import Webhook
from standardwebhooks.webhooks import WebhookVerificationError

from adapters.notifications.webhooks import event_body, signature, signing_key
from customer_core.outbox import Channel, OutboxMessage
from customer_core.values import Id

keys = st.binary(min_size=24, max_size=64)
message_ids = st.text("0123456789abcdef", min_size=24, max_size=24)
# Within the verifier's five minutes of tolerance either side of now.
offsets = st.integers(min_value=-290, max_value=290)
bodies = st.dictionaries(st.text(), st.text() | st.integers() | st.booleans()).map(
    lambda data: json.dumps({"type": "customer.updated", "data": data}, separators=(",", ":")).encode()
)


def headers(message_id: str, timestamp: int, signed: str) -> dict[str, str]:
    return {"webhook-id": message_id, "webhook-timestamp": str(timestamp), "webhook-signature": signed}


def encoded(key: bytes, *, prefixed: bool = True, padded: bool = True) -> str:
    text = base64.b64encode(key).decode()
    return ("whsec_" if prefixed else "") + (text if padded else text.rstrip("="))


@given(key=keys, message_id=message_ids, offset=offsets, body=bodies)
def test_the_reference_verifier_accepts_every_signature(key, message_id, offset, body):
    timestamp = int(time.time()) + offset

    signed = signature(key, message_id, timestamp, body)

    assert signed.startswith("v1,")
    assert Webhook(encoded(key)).verify(body, headers(message_id, timestamp, signed)) == json.loads(body)


@given(key=keys, prefixed=st.booleans(), padded=st.booleans())
def test_a_secret_means_the_key_the_reference_library_reads_from_it(key, prefixed, padded):
    secret = encoded(key, prefixed=prefixed, padded=padded)
    body, timestamp = b'{"type":"customer.registered"}', int(time.time())

    assert signing_key(secret) == key
    Webhook(secret).verify(
        body, headers("a" * 24, timestamp, signature(signing_key(secret), "a" * 24, timestamp, body))
    )


KEY, MESSAGE_ID, BODY = bytes(range(32)), "a" * 24, b'{"type":"customer.updated"}'
OTHER = {"body": b'{"type":"customer.deleted"}', "id": "b" * 24, "timestamp": -1, "key": bytes(32)}


@pytest.mark.parametrize("changed", OTHER)
def test_a_signature_holds_for_its_own_body_id_timestamp_and_key_only(changed):
    now = int(time.time())
    signed = signature(KEY, MESSAGE_ID, now, BODY)
    received = {"body": BODY, "id": MESSAGE_ID, "timestamp": now, "key": KEY}
    received[changed] = now + OTHER[changed] if changed == "timestamp" else OTHER[changed]

    with pytest.raises(WebhookVerificationError):
        Webhook(encoded(received["key"])).verify(
            received["body"], headers(received["id"], received["timestamp"], signed)
        )


@pytest.mark.parametrize(
    ("secret", "problem"),
    [
        ("correct horse battery staple", "must be base64"),
        ("whsec_not*base64*at*all", "must be base64"),
        ("whsec_" + base64.b64encode(bytes(16)).decode(), "24 to 64"),
        ("whsec_" + base64.b64encode(bytes(65)).decode(), "24 to 64"),
        ("whsec_", "24 to 64"),
        ("", "24 to 64"),
    ],
)
def test_a_secret_that_is_not_base64_of_24_to_64_bytes_is_refused_without_showing_it(secret, problem):
    with pytest.raises(ValueError) as refused:
        signing_key(secret)

    assert problem in str(refused.value)
    assert secret.removeprefix("whsec_") not in str(refused.value) or len(secret) <= len("whsec_")


def test_the_body_is_type_timestamp_and_data_the_same_bytes_on_every_attempt():
    message = OutboxMessage.new(
        id=Id("65a1b2c3d4e5f60718293a4b"),
        template="customer.updated",
        to="",
        locale="",
        data={"customerId": "65a1b2c3d4e5f60718293a4c", "changedFields": ["lastName"]},
        now=dt.datetime(2026, 1, 2, 3, 4, 5, 678901, tzinfo=dt.UTC),
        channel=Channel.WEBHOOK,
    )

    body = event_body(message)

    assert body == event_body(message)
    assert body == (
        b'{"type":"customer.updated","timestamp":"2026-01-02T03:04:05.678Z",'
        b'"data":{"customerId":"65a1b2c3d4e5f60718293a4c","changedFields":["lastName"]}}'
    )
