"""An erasure racing the customer's own requests, over HTTP against the real
store: whatever lands first, nothing is left under the customer's id once
the erasure has answered 204."""

from __future__ import annotations

import pytest
from bson import ObjectId

from tests.support import API, PASSWORD, bearer, register, run_together, unique_email

pytestmark = pytest.mark.slow

OWNED = ("addresses", "address_books", "sessions", "emailed_tokens", "consents", "outbox", "audit")
ADDRESS = {
    "firstName": "Ada",
    "lastName": "Lovelace",
    "street": "1 Race Street",
    "city": "Springfield",
    "state": "IL",
    "country": "US",
    "postalCode": "62701",
}


def left_behind(db, customer_id: str) -> dict[str, int]:
    owner = ObjectId(customer_id)
    found = {name: db[name].count_documents({"customerId": owner}) for name in OWNED}
    found["address_books"] = db.address_books.count_documents({"_id": owner})
    found["customers"] = db.customers.count_documents({"_id": owner})
    return {name: count for name, count in found.items() if count}


@pytest.mark.parametrize("round_", range(3))
def test_requests_racing_an_erasure_leave_nothing_under_the_customers_id(client, db, round_):
    email = unique_email("race")
    registered = register(client, email=email)
    customer_id, headers = registered["customer"]["id"], bearer(registered["tokens"])
    # The erasure has a session of its own: the racing logout ends the other one.
    erasing = bearer(client.post(f"{API}/auth/login", json={"email": email, "password": PASSWORD}).json()["tokens"])
    requests = [
        lambda: client.request("DELETE", f"{API}/me", json={"password": PASSWORD}, headers=erasing),
        lambda: client.post(f"{API}/addresses", json=ADDRESS, headers=headers),
        lambda: client.post(f"{API}/addresses", json={**ADDRESS, "isDefaultShipping": True}, headers=headers),
        lambda: client.patch(f"{API}/me/preferences", json={"newsletter": round_ % 2 == 0}, headers=headers),
        lambda: client.patch(f"{API}/me", json={"firstName": "Grace"}, headers=headers),
        lambda: client.post(f"{API}/auth/login", json={"email": email, "password": PASSWORD}),
        lambda: client.post(f"{API}/auth/login", json={"email": email, "password": "not the password"}),
        lambda: client.post(f"{API}/auth/password/forgot", json={"email": email}),
        lambda: client.post(f"{API}/auth/logout", headers=headers),
        lambda: client.get(f"{API}/me/export", headers=headers),
    ]

    answers = run_together(lambda n: requests[n](), threads=len(requests))

    assert answers[0].status_code == 204, answers[0].text
    assert all(answer.status_code < 500 for answer in answers), [a.text for a in answers if a.status_code >= 500]
    assert left_behind(db, customer_id) == {}
