"""Customer events over real HTTP, to a stand-in receiver: each type arrives
signed as Standard Webhooks says (checked with the specification's own
library, ``standardwebhooks``), carries ids and field names only, and
survives a receiver outage under the same ``webhook-id``."""

from __future__ import annotations

import time

import pytest
from standardwebhooks import Webhook

from tests.support import API, PASSWORD, bearer, register, unique_email
from tests.webhook_receiver import SECRET, Delivery, WebhookReceiver

ME = f"{API}/me"
AUTH = f"{API}/auth"

pytestmark = pytest.mark.slow


def verified(delivery: Delivery) -> dict:
    """The event, once the reference verifier has accepted its signature."""
    return Webhook(SECRET).verify(delivery.body, delivery.headers)


def wait_until(check, *, timeout: float = 15.0, what: str = "the condition"):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if result := check():
            return result
        time.sleep(0.05)
    raise AssertionError(f"{what} did not happen within {timeout} s")


def test_each_event_type_arrives_signed_with_ids_and_field_names_only(events_app, webhooks, notifications):
    client = events_app.client
    email, new_email = unique_email("events"), unique_email("moved")
    registered = register(client, email=email)
    customer_id, headers = registered["customer"]["id"], bearer(registered["tokens"])

    token = notifications.token("email_verification", email)
    assert client.post(f"{AUTH}/verify-email", json={"token": token}).status_code == 200
    profile = {"lastName": "Byron", "phone": "+44 1234 567890"}
    assert client.patch(ME, json=profile, headers=headers).status_code == 200
    assert client.patch(f"{ME}/preferences", json={"currency": "GBP"}, headers=headers).status_code == 200
    change = {"newEmail": new_email, "password": PASSWORD}
    assert client.post(f"{AUTH}/email/change", json=change, headers=headers).status_code == 202
    token = notifications.token("email_change_verification", new_email)
    assert client.post(f"{AUTH}/email/confirm", json={"token": token}).status_code == 200
    for before_erasure in ("customer.registered", "customer.email_verified", "customer.email_changed"):
        webhooks.wait_for(before_erasure)  # an erasure drops the customer's undelivered events
    webhooks.wait_for("customer.updated", count=2)
    assert client.request("DELETE", ME, json={"password": PASSWORD}, headers=headers).status_code == 204
    webhooks.wait_for("customer.deleted")

    deliveries = webhooks.accepted()
    events = [verified(delivery) for delivery in deliveries]
    assert sorted(event["type"] for event in events) == [
        "customer.deleted",
        "customer.email_changed",
        "customer.email_verified",
        "customer.registered",
        "customer.updated",
        "customer.updated",
    ]
    assert all(event["data"]["customerId"] == customer_id for event in events)
    assert all(set(event["data"]) == {"customerId"} for event in events if event["type"] != "customer.updated")
    assert len({d.headers["webhook-id"] for d in deliveries}) == 6
    assert sorted(event["data"]["changedFields"] for event in events if event["type"] == "customer.updated") == [
        ["lastName", "phone"],
        ["preferences.currency"],
    ]
    for delivery in deliveries:
        event = verified(delivery)
        assert set(event) == {"type", "timestamp", "data"} and event["timestamp"].endswith("Z")
        assert delivery.headers["content-type"] == "application/json"
        assert abs(int(delivery.headers["webhook-timestamp"]) - delivery.at) <= 2
        assert delivery.headers["webhook-signature"].startswith("v1,")
        for personal in (email, new_email, "Byron", "1234567890", "GBP", "Ada"):
            assert personal.encode() not in delivery.body


def test_a_receiver_outage_is_retried_under_the_same_webhook_id_with_a_fresh_valid_signature(events_app, webhooks):
    webhooks.mode = "fail"
    customer_id = register(events_app.client)["customer"]["id"]
    wait_until(lambda: len(webhooks.received) >= 2, what="two failed attempts")
    time.sleep(2.2)  # so that later attempts are signed in a later second
    webhooks.mode = "ok"

    [accepted] = webhooks.wait_for("customer.registered")
    attempts = webhooks.received

    assert [a.status for a in attempts][-1] == 204 and {a.status for a in attempts[:-1]} == {500}
    assert {a.headers["webhook-id"] for a in attempts} == {accepted.headers["webhook-id"]}
    assert {a.body for a in attempts} == {accepted.body}
    assert all(verified(a)["data"] == {"customerId": customer_id} for a in attempts)
    first, last = attempts[0], attempts[-1]
    assert int(last.headers["webhook-timestamp"]) > int(first.headers["webhook-timestamp"])
    assert last.headers["webhook-signature"] != first.headers["webhook-signature"]
    assert all(abs(int(a.headers["webhook-timestamp"]) - a.at) <= 2 for a in attempts)


def test_readiness_lists_the_events_receiver_and_is_degraded_not_down_without_it(events_app, webhooks):
    client = events_app.client

    up = client.get("/health/ready")
    webhooks.mode = "fail"
    failing = client.get("/health/ready")

    assert up.status_code == 200 and up.json()["status"] == "ok"
    assert up.json()["dependencies"]["events"]["status"] == "up"
    assert failing.status_code == 200 and failing.json()["status"] == "degraded"
    assert failing.json()["dependencies"]["events"]["status"] == "degraded"
    assert failing.json()["dependencies"]["database"]["status"] == "up"


def test_readiness_is_degraded_when_nothing_listens_at_the_events_url(make_app):
    gone = WebhookReceiver()
    with gone.running():
        url = gone.events_url
    app = make_app(settings_changes={"events_url": url, "events_secret": SECRET})

    ready = app.client.get("/health/ready")

    assert ready.status_code == 200 and ready.json()["dependencies"]["events"]["status"] == "degraded"
