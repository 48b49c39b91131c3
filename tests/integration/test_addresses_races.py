"""Concurrent address requests over real HTTP: one default per usage and at
most 50 addresses hold because the database enforces them."""

from __future__ import annotations

import threading
from collections import Counter
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor

import httpx
import pytest
from pymongo import MongoClient

from tests.support import API, assert_problem, bearer, register

ADDRESSES = f"{API}/addresses"
US = {"firstName": "Ada", "lastName": "Lovelace", "street": "1600 Amphitheatre Pkwy", "city": "Mountain View",
      "state": "CA", "postalCode": "94043", "country": "US"}  # fmt: skip
RACERS = 20

pytestmark = pytest.mark.slow


def all_at_once(url: str, requests: list[Callable[[httpx.Client], httpx.Response]]) -> list[httpx.Response]:
    """Send each request from its own thread and connection, released together."""
    barrier = threading.Barrier(len(requests))

    def worker(request: Callable[[httpx.Client], httpx.Response]) -> httpx.Response:
        with httpx.Client(base_url=url, timeout=60) as client:
            client.get("/health/live")
            barrier.wait()
            return request(client)

    with ThreadPoolExecutor(max_workers=len(requests)) as pool:
        return list(pool.map(worker, requests))


def codes(responses: list[httpx.Response]) -> Counter[tuple[int, str | None]]:
    return Counter((r.status_code, r.json().get("code") if r.status_code >= 400 else None) for r in responses)


def add(client: httpx.Client, auth: dict[str, str], **changes: object) -> dict:
    response = client.post(ADDRESSES, json={**US, **changes}, headers=auth)
    assert response.status_code == 201, response.text
    return response.json()


def listed(client: httpx.Client, auth: dict[str, str]) -> list[dict]:
    response = client.get(ADDRESSES, headers=auth)
    assert response.status_code == 200, response.text
    return response.json()["items"]


def defaults(items: list[dict], flag: str) -> list[str]:
    return [a["id"] for a in items if a[flag]]


def stored_defaults(app, flag: str) -> int:
    settings = app.wiring.settings
    with MongoClient(settings.mongodb_uri) as mongo:
        return mongo[settings.db_name].addresses.count_documents({flag: True})


def test_simultaneous_default_shipping_changes_leave_exactly_one(app):
    auth = bearer(register(app.client)["tokens"])
    first = add(app.client, auth)
    ids = [first["id"]] + [add(app.client, auth, label=f"#{n}")["id"] for n in range(RACERS - 1)]

    responses = all_at_once(
        app.url,
        [
            lambda client, address_id=address_id: client.patch(
                f"{ADDRESSES}/{address_id}", json={"isDefaultShipping": True}, headers=auth
            )
            for address_id in ids
        ],
    )

    assert codes(responses) == {(200, None): RACERS}
    assert all(r.json()["isDefaultShipping"] for r in responses)
    items = listed(app.client, auth)
    assert len(defaults(items, "isDefaultShipping")) == 1
    assert defaults(items, "isDefaultBilling") == [first["id"]]
    assert items[0]["isDefaultShipping"]
    assert stored_defaults(app, "isDefaultShipping") == 1


def test_simultaneous_default_billing_creates_leave_exactly_one(app):
    auth = bearer(register(app.client)["tokens"])
    first = add(app.client, auth)

    responses = all_at_once(
        app.url,
        [
            lambda client, n=n: client.post(
                ADDRESSES, json={**US, "label": f"#{n}", "isDefaultBilling": True}, headers=auth
            )
            for n in range(RACERS)
        ],
    )

    assert codes(responses) == {(201, None): RACERS}
    items = listed(app.client, auth)
    assert len(items) == RACERS + 1
    billing = defaults(items, "isDefaultBilling")
    assert len(billing) == 1
    assert billing[0] in {r.json()["id"] for r in responses}
    assert defaults(items, "isDefaultShipping") == [first["id"]]
    assert stored_defaults(app, "isDefaultBilling") == 1


def test_simultaneous_creates_never_pass_the_limit(app):
    auth = bearer(register(app.client)["tokens"])
    for n in range(45):
        add(app.client, auth, label=f"#{n}")

    responses = all_at_once(
        app.url, [lambda client: client.post(ADDRESSES, json=US, headers=auth) for _ in range(RACERS)]
    )

    assert codes(responses) == {(201, None): 5, (409, "ADDRESS_LIMIT"): RACERS - 5}
    for response in responses:
        if response.status_code == 409:
            assert_problem(response, 409, "ADDRESS_LIMIT")
    assert len(listed(app.client, auth)) == 50
    assert_problem(app.client.post(ADDRESSES, json=US, headers=auth), 409, "ADDRESS_LIMIT")


def test_simultaneous_first_addresses_make_exactly_one_default_per_usage(app):
    auth = bearer(register(app.client)["tokens"])

    responses = all_at_once(
        app.url,
        [
            lambda client, n=n: client.post(ADDRESSES, json={**US, "label": f"#{n}"}, headers=auth)
            for n in range(RACERS)
        ],
    )

    assert codes(responses) == {(201, None): RACERS}
    items = listed(app.client, auth)
    assert len(items) == RACERS
    shipping, billing = defaults(items, "isDefaultShipping"), defaults(items, "isDefaultBilling")
    assert len(shipping) == 1
    assert billing == shipping
    assert [r.json()["id"] for r in responses if r.json()["isDefaultShipping"]] == shipping
