"""After an erasure, no collection holds any of the customer's personal
values. Every collection of the database must be known here: a new one
fails this test until it is named below and erasure covers it."""

from pathlib import Path

import pytest
from bson import json_util

from customer_core.clients import Scope
from customer_core.lockout import lockout_key
from tests.support import API, PASSWORD, bearer, register, unique_email
from tests.webhook_receiver import SECRET

ME = f"{API}/me"
# Each collection and how erasure reaches it.
KNOWN_COLLECTIONS = {
    "customers": "the account is deleted",
    "addresses": "the customer's addresses are deleted",
    "address_books": "the customer's book (its address count) is deleted",
    "sessions": "every session is deleted",
    "emailed_tokens": "every pending link is deleted",
    "phone_codes": "the pending phone code is deleted",
    "consents": "the consent history is deleted",
    "outbox": "messages about the customer are deleted; recipients and data (customer.deleted's id) are sealed at rest",
    "lockouts": "the counter of the account's email is deleted",
    "rate_limits": "the customer's email-change and phone-code counters are deleted; the rest count client addresses",
    "audit": "entries are pseudonymised, without client address or agent",
    "data_key_rotations": "holds key ids and progress only",
    "orders": "the customer's recorded orders are deleted",
    "service_clients": "holds other services' credentials only",
}
HOLDING_NO_CUSTOMER = {"data_key_rotations", "service_clients"}


def populate(app, client, email, marker):
    """Put the customer into every collection there is."""
    profile = {"phone": "+441234567890", "dateOfBirth": "1990-12-10", "firstName": f"Zeb{marker}"}
    tokens = register(client, email=email, lastName=f"Quill{marker}", **profile)["tokens"]
    headers = {**bearer(tokens), "User-Agent": f"agent-{marker}"}
    address = {
        "firstName": f"Zeb{marker}",
        "lastName": f"Quill{marker}",
        "street": f"{marker} Erasure Lane",
        "city": "Springfield",
        "state": "IL",
        "country": "US",
        "postalCode": "62701",
    }
    assert client.post(f"{API}/addresses", json=address, headers=headers).status_code == 201
    client.patch(f"{ME}/preferences", json={"newsletter": True}, headers=headers)
    assert client.post(f"{ME}/phone/verify", headers=headers).status_code == 202
    client.post(f"{API}/auth/login", json={"email": email, "password": "wrong password!"}, headers=headers)
    client.post(f"{API}/auth/password/forgot", json={"email": email}, headers=headers)
    new_email = unique_email(f"next{marker}")
    change = {"newEmail": new_email, "password": PASSWORD}
    assert client.post(f"{API}/auth/email/change", json=change, headers=headers).status_code == 202
    client.get(f"{ME}/export", headers=headers)
    record_an_order(app, client, client.get(ME, headers=headers).json()["id"])
    return tokens, headers, new_email


def record_an_order(app, client, customer_id):
    created = app.wiring.service.clients.create("orders", frozenset({Scope.ORDERS_WRITE}), operator="test")
    form = {"grant_type": "client_credentials"}
    token = client.post(f"{API}/oauth/token", data=form, auth=(created.client.id, created.secret)).json()
    order = {"orderId": "A-1", "total": "9.99", "currency": "USD", "completedAt": "2026-11-26T10:00:00Z"}
    headers = {"Authorization": f"Bearer {token['access_token']}"}
    assert client.post(f"{API}/internal/customers/{customer_id}/orders", json=order, headers=headers).status_code == 200


def holding(db, personal: dict[str, str]) -> list[tuple[str, str]]:
    """(collection, what) for each personal value found in a document."""
    return [
        (name, what)
        for name in db.list_collection_names()
        for document in db[name].find()
        for what, value in personal.items()
        if value in json_util.dumps(document)
    ]


@pytest.fixture(params=["without events", "with customer events waiting"])
def erasing_app(request, make_app, webhooks):
    """The app, and a variant queueing customer events that wait (their
    receiver fails): customer.deleted holds the erased id, sealed."""
    if request.param == "without events":
        return make_app()
    webhooks.mode = "fail"
    return make_app(settings_changes={"events_url": webhooks.events_url, "events_secret": SECRET})


def test_an_erased_customer_leaves_no_personal_value_in_any_collection(erasing_app, db):
    client = erasing_app.client
    email, marker = unique_email("erase"), "7731"
    _, headers, new_email = populate(erasing_app, client, email, marker)
    other_id = register(client, email=unique_email("keep"))["customer"]["id"]
    customer_id = client.get(ME, headers=headers).json()["id"]
    personal = {
        "email": email,
        "new email": new_email,
        "first name": f"Zeb{marker}",
        "last name": f"Quill{marker}",
        "phone": "441234567890",
        "date of birth": "1990-12-10",
        "street": f"{marker} Erasure Lane",
        "user agent": f"agent-{marker}",
        "customer id": customer_id,
        "email digest": lockout_key(email),
    }
    holding_before = {name for name, _ in holding(db, personal)}

    answer = client.request("DELETE", ME, json={"password": PASSWORD}, headers=headers)

    assert answer.status_code == 204, answer.text
    names = set(db.list_collection_names())
    assert names <= set(KNOWN_COLLECTIONS), (
        f"unknown collections {names - set(KNOWN_COLLECTIONS)}: cover them in erasure"
    )
    assert holding_before == set(KNOWN_COLLECTIONS) - HOLDING_NO_CUSTOMER  # the scenario reached every collection
    assert holding(db, personal) == []
    deletions = db.outbox.count_documents({"template": "customer.deleted"})
    assert deletions == (1 if erasing_app.wiring.settings.events_url else 0)
    assert db.customers.count_documents({}) == 1
    assert any(other_id in json_util.dumps(entry) for entry in db.audit.find())


def test_every_collection_has_a_shard_key_in_the_deployment_notes():
    notes = (Path(__file__).resolve().parents[2] / "docs" / "deployment.md").read_text()
    sharding = notes.split("| collection | shard key |", 1)[1].split("\n\n", 1)[0]

    assert [name for name in KNOWN_COLLECTIONS if f"`{name}`" not in sharding] == []
