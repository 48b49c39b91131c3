"""The internal API over HTTP: service clients' tokens, the lookups, and
recording and refunding orders (idempotent, exact, safe under concurrency)."""

from __future__ import annotations

import base64
from decimal import Decimal
from typing import Any

import httpx
import jwt
import pytest

from customer_core.clients import Scope
from tests.support import API, assert_problem, bearer, register, run_together

TOKEN = f"{API}/oauth/token"
INTERNAL = f"{API}/internal/customers"
ORDER = {"orderId": "A-1001", "total": "19.99", "currency": "USD", "completedAt": "2026-11-26T10:00:00Z"}


def new_client(app: Any, *scopes: Scope) -> tuple[str, str]:
    created = app.wiring.service.clients.create("orders", frozenset(scopes or Scope), operator="test")
    return created.client.id, created.secret


def token_for(client: httpx.Client, client_id: str, secret: str, **form: str) -> httpx.Response:
    return client.post(TOKEN, data={"grant_type": "client_credentials", **form}, auth=(client_id, secret))


def client_token(app: Any, *scopes: Scope) -> dict[str, str]:
    response = token_for(app.client, *new_client(app, *scopes))
    assert response.status_code == 200, response.text
    return {"Authorization": f"Bearer {response.json()['access_token']}"}


def totals(response: httpx.Response) -> tuple[int, Decimal, int]:
    assert response.status_code == 200, response.text
    body = response.json(parse_float=Decimal)
    return body["totalOrders"], body["totalSpent"], body["loyaltyPoints"]


def record(app: Any, headers: dict[str, str], customer_id: str, **changes: Any) -> httpx.Response:
    return app.client.post(f"{INTERNAL}/{customer_id}/orders", json={**ORDER, **changes}, headers=headers)


# --- the token endpoint -------------------------------------------------------


def test_a_client_gets_a_five_minute_token_with_its_id_and_scopes_and_no_session(app):
    client_id, secret = new_client(app, Scope.CUSTOMERS_READ, Scope.ORDERS_WRITE)

    response = token_for(app.client, client_id, secret)

    assert response.status_code == 200
    assert response.headers["cache-control"] == "no-store"
    body = response.json()
    assert body["token_type"] == "Bearer" and body["expires_in"] == 300
    assert body["scope"] == "customers:read orders:write"
    claims = jwt.decode(body["access_token"], options={"verify_signature": False})
    assert claims["client_id"] == client_id == claims["sub"] and claims["scope"] == body["scope"]
    assert "sid" not in claims and claims["exp"] - claims["iat"] == 300


def test_credentials_in_the_form_work_as_in_basic_and_a_narrower_scope_can_be_asked(app):
    client_id, secret = new_client(app, Scope.CUSTOMERS_READ, Scope.ORDERS_WRITE)
    form = {"grant_type": "client_credentials", "client_id": client_id, "client_secret": secret}

    response = app.client.post(TOKEN, data={**form, "scope": "customers:read"})

    assert response.status_code == 200 and response.json()["scope"] == "customers:read"


@pytest.mark.parametrize(
    "credentials",
    [("wrong-secret", None), (None, "000000000000000000000000"), (None, "not-an-id")],
    ids=["wrong secret", "unknown client", "malformed id"],
)
def test_wrong_credentials_are_invalid_client_401(app, credentials):
    client_id, secret = new_client(app, Scope.CUSTOMERS_READ)
    wrong_secret, wrong_id = credentials

    response = token_for(app.client, wrong_id or client_id, wrong_secret or secret)

    assert response.status_code == 401
    assert response.json()["error"] == "invalid_client"
    assert response.headers["www-authenticate"].startswith("Basic")
    assert response.headers["content-type"].startswith("application/json")


def test_a_revoked_client_gets_no_token_and_its_tokens_stop_at_once(app):
    client_id, secret = new_client(app, Scope.CUSTOMERS_READ)
    headers = {"Authorization": f"Bearer {token_for(app.client, client_id, secret).json()['access_token']}"}
    customer = register(app.client)["customer"]
    assert app.client.get(f"{INTERNAL}/{customer['id']}", headers=headers).status_code == 200

    app.wiring.service.clients.revoke(client_id, operator="test")

    assert_problem(app.client.get(f"{INTERNAL}/{customer['id']}", headers=headers), 401, "UNAUTHENTICATED")
    assert token_for(app.client, client_id, secret).json()["error"] == "invalid_client"


@pytest.mark.parametrize(
    ("form", "error"),
    [
        ({"scope": "orders:write"}, "invalid_scope"),
        ({"scope": "customers:write"}, "invalid_scope"),
        ({"grant_type": "password"}, "unsupported_grant_type"),
        ({"grant_type": ""}, "invalid_request"),
        ({"scope": "customers:read\torders:write"}, "invalid_scope"),  # RFC 6749 §3.3: separated by spaces only
    ],
)
def test_token_request_errors_follow_rfc_6749(app, form, error):
    client_id, secret = new_client(app, Scope.CUSTOMERS_READ)

    response = token_for(app.client, client_id, secret, **form)

    assert response.status_code == 400
    assert response.json()["error"] == error and response.json()["error_description"]


def test_a_token_request_that_is_not_a_form_or_repeats_a_parameter_is_invalid_request(app):
    client_id, secret = new_client(app, Scope.CUSTOMERS_READ)
    as_json = app.client.post(TOKEN, json={"grant_type": "client_credentials"}, auth=(client_id, secret))
    repeated = app.client.post(
        TOKEN,
        content="grant_type=client_credentials&grant_type=client_credentials",
        headers={"Content-Type": "application/x-www-form-urlencoded"},
        auth=(client_id, secret),
    )
    not_utf8 = app.client.post(
        TOKEN, content=b"grant_type=\xff", headers={"Content-Type": "application/x-www-form-urlencoded"}
    )
    escaped_not_utf8 = app.client.post(
        TOKEN,
        content=b"grant_type=client_credentials&scope=%ff",
        headers={"Content-Type": "application/x-www-form-urlencoded"},
        auth=(client_id, secret),
    )

    for response in (as_json, repeated, not_utf8, escaped_not_utf8):
        assert response.status_code == 400 and response.json()["error"] == "invalid_request"


def test_credentials_given_twice_or_not_at_all_are_refused(app):
    client_id, secret = new_client(app, Scope.CUSTOMERS_READ)
    form = {"grant_type": "client_credentials", "client_id": client_id, "client_secret": secret}
    garbled = {"Authorization": "Basic !!!"}

    twice = app.client.post(TOKEN, data=form, auth=(client_id, secret))
    missing = app.client.post(TOKEN, data={"grant_type": "client_credentials"})
    malformed = app.client.post(TOKEN, data={"grant_type": "client_credentials"}, headers=garbled)
    no_colon = app.client.post(
        TOKEN,
        data={"grant_type": "client_credentials"},
        headers={"Authorization": "Basic " + base64.b64encode(client_id.encode()).decode()},
    )

    assert (twice.status_code, twice.json()["error"]) == (400, "invalid_request")
    not_ascii = app.client.post(
        TOKEN, data={"grant_type": "client_credentials"}, headers={"Authorization": b"Basic \xff\xfe"}
    )
    for response in (missing, malformed, no_colon, not_ascii):
        assert (response.status_code, response.json()["error"]) == (401, "invalid_client")


# --- who may call what --------------------------------------------------------


def test_a_customer_token_on_an_internal_route_is_forbidden(app):
    registered = register(app.client)

    response = app.client.get(f"{INTERNAL}/{registered['customer']['id']}", headers=bearer(registered["tokens"]))

    assert_problem(response, 403, "FORBIDDEN")


def test_a_client_token_on_a_customer_route_is_401(app):
    headers = client_token(app, Scope.CUSTOMERS_READ)

    for response in (app.client.get(f"{API}/me", headers=headers), app.client.get(f"{API}/addresses", headers=headers)):
        assert_problem(response, 401, "UNAUTHENTICATED")


def test_a_token_without_the_scope_is_insufficient_scope(app):
    headers = client_token(app, Scope.CUSTOMERS_READ)
    customer = register(app.client)["customer"]

    response = record(app, headers, customer["id"])

    assert_problem(response, 403, "INSUFFICIENT_SCOPE")
    assert 'scope="orders:write"' in response.headers["www-authenticate"]


@pytest.mark.parametrize("token", [None, "garbage", "a.b.c"])
def test_no_token_or_a_bad_one_is_401(app, token):
    headers = {"Authorization": f"Bearer {token}"} if token else {}

    assert_problem(app.client.get(f"{INTERNAL}?email=a@example.com", headers=headers), 401, "UNAUTHENTICATED")


# --- lookups ------------------------------------------------------------------


def test_support_tools_find_a_customer_by_id_and_by_email_as_the_customer_sees_themself(app):
    registered = register(app.client, email="Grace@Example.com")
    own_view = app.client.get(f"{API}/me", headers=bearer(registered["tokens"])).json()
    headers = client_token(app, Scope.CUSTOMERS_READ)

    by_id = app.client.get(f"{INTERNAL}/{own_view['id']}", headers=headers)
    by_email = app.client.get(INTERNAL, params={"email": " GRACE@example.com "}, headers=headers)
    nobody = app.client.get(INTERNAL, params={"email": "nobody@example.com"}, headers=headers)

    assert by_id.status_code == 200 and by_id.json() == own_view
    assert by_id.headers["cache-control"] == "no-store"
    assert by_email.json() == {"items": [own_view]}
    assert nobody.json() == {"items": []}


def test_lookup_errors(app):
    headers = client_token(app, Scope.CUSTOMERS_READ)

    assert_problem(app.client.get(f"{INTERNAL}/000000000000000000000000", headers=headers), 404, "NOT_FOUND")
    assert_problem(app.client.get(f"{INTERNAL}/not-an-id", headers=headers), 404, "NOT_FOUND")
    assert_problem(app.client.get(INTERNAL, headers=headers), 422, "VALIDATION_ERROR")
    assert_problem(app.client.get(INTERNAL, params={"email": "not an email"}, headers=headers), 422, "VALIDATION_ERROR")


# --- orders -------------------------------------------------------------------


def test_orders_add_up_exactly_and_earn_points_per_whole_unit(app):
    headers = client_token(app, Scope.ORDERS_WRITE)
    customer = register(app.client)

    first = record(app, headers, customer["customer"]["id"], orderId="A-1", total="0.10")
    second = record(app, headers, customer["customer"]["id"], orderId="A-2", total=0.20)
    third = record(app, headers, customer["customer"]["id"], orderId="A-3", total=19.99)

    assert totals(first) == (1, Decimal("0.10"), 0)
    assert totals(second) == (2, Decimal("0.30"), 0)
    assert totals(third) == (3, Decimal("20.29"), 19)
    assert '"totalSpent":20.29' in third.text.replace(" ", "")
    me = app.client.get(f"{API}/me", headers=bearer(customer["tokens"])).json(parse_float=Decimal)
    assert (me["totalOrders"], me["totalSpent"], me["loyaltyPoints"]) == (3, Decimal("20.29"), 19)


def test_a_replayed_order_changes_nothing_and_gets_the_same_answer(app):
    headers = client_token(app, Scope.ORDERS_WRITE)
    customer_id = register(app.client)["customer"]["id"]
    first = record(app, headers, customer_id)
    record(app, headers, customer_id, orderId="A-2", total="5.00")

    replay = record(app, headers, customer_id)

    assert replay.json() == first.json() == {"totalOrders": 1, "totalSpent": 19.99, "loyaltyPoints": 19}
    assert totals(record(app, headers, customer_id, orderId="A-2", total="5.00")) == (2, Decimal("24.99"), 24)


@pytest.mark.parametrize("change", [{"total": "20.00"}, {"completedAt": "2026-11-27T10:00:00Z"}])
def test_the_same_order_id_with_another_body_is_a_conflict(app, change):
    headers = client_token(app, Scope.ORDERS_WRITE)
    customer_id = register(app.client)["customer"]["id"]
    record(app, headers, customer_id)

    assert_problem(record(app, headers, customer_id, **change), 409, "CONFLICT")


def test_twenty_concurrent_deliveries_of_one_order_count_once(app):
    headers = client_token(app, Scope.ORDERS_WRITE)
    customer_id = register(app.client)["customer"]["id"]

    answers = run_together(lambda _: record(app, headers, customer_id), 20)

    assert {response.status_code for response in answers} == {200}
    assert {totals(response) for response in answers} == {(1, Decimal("19.99"), 19)}
    assert app.wiring.service.directory.by_id(customer_id).total_orders == 1


def test_a_refund_reverses_its_order_once(app):
    headers = client_token(app, Scope.ORDERS_WRITE)
    customer_id = register(app.client)["customer"]["id"]
    record(app, headers, customer_id, orderId="A-1", total="10.50")
    record(app, headers, customer_id, orderId="A-2", total="0.25")
    refund = f"{INTERNAL}/{customer_id}/orders/A-1/refund"

    first = app.client.post(refund, headers=headers)
    again = app.client.post(refund, headers=headers)

    assert totals(first) == totals(again) == (1, Decimal("0.25"), 0)
    assert_problem(record(app, headers, customer_id, orderId="A-1", total="11.00"), 409, "CONFLICT")
    assert totals(record(app, headers, customer_id, orderId="A-1", total="10.50")) == (1, Decimal("10.50"), 10)


def test_concurrent_refunds_reverse_once(app):
    headers = client_token(app, Scope.ORDERS_WRITE)
    customer_id = register(app.client)["customer"]["id"]
    record(app, headers, customer_id)

    answers = run_together(
        lambda _: app.client.post(f"{INTERNAL}/{customer_id}/orders/A-1001/refund", headers=headers), 10
    )

    assert {totals(response) for response in answers} == {(0, Decimal("0.00"), 0)}


def test_order_errors(app):
    headers = client_token(app, Scope.ORDERS_WRITE)
    customer_id = register(app.client)["customer"]["id"]
    nobody = "000000000000000000000000"

    assert_problem(record(app, headers, nobody), 404, "NOT_FOUND")
    assert_problem(record(app, headers, "nope"), 404, "NOT_FOUND")
    assert_problem(app.client.post(f"{INTERNAL}/{customer_id}/orders/X/refund", headers=headers), 404, "NOT_FOUND")
    assert_problem(app.client.post(f"{INTERNAL}/{nobody}/orders/X/refund", headers=headers), 404, "NOT_FOUND")


@pytest.mark.parametrize(
    ("change", "field"),
    [
        ({"currency": "EUR"}, "currency"),
        ({"currency": "XYZ"}, "currency"),
        ({"total": "1.999"}, "total"),
        ({"total": 1.999}, "total"),
        ({"total": -1}, "total"),
        ({"total": "NaN"}, "total"),
        ({"total": "1e3"}, "total"),
        ({"total": True}, "total"),
        ({"total": None}, "total"),
        ({"total": "10000000000"}, "total"),
        ({"completedAt": "2026-11-26T10:00:00"}, "completedAt"),
        ({"completedAt": "yesterday"}, "completedAt"),
        ({"orderId": ""}, "orderId"),
        ({"orderId": "x" * 101}, "orderId"),
        ({"orderId": "a/b"}, "orderId"),
        ({"orderId": " A-1 "}, "orderId"),
        ({"loyaltyPoints": 5}, "loyaltyPoints"),
    ],
)
def test_an_invalid_order_is_422_naming_the_field(app, change, field):
    headers = client_token(app, Scope.ORDERS_WRITE)
    customer_id = register(app.client)["customer"]["id"]

    body = assert_problem(record(app, headers, customer_id, **change), 422, "VALIDATION_ERROR")

    assert field in {error["field"] for error in body["errors"]}


def test_the_base_currency_and_the_points_per_unit_are_settings(make_app):
    app = make_app(settings_changes={"base_currency": "EUR", "loyalty_points_per_unit": Decimal(10)})
    headers = client_token(app, Scope.ORDERS_WRITE)
    customer_id = register(app.client)["customer"]["id"]

    assert totals(record(app, headers, customer_id, currency="eur", total="19.99")) == (1, Decimal("19.99"), 190)
    assert_problem(record(app, headers, customer_id, orderId="B", currency="USD"), 422, "VALIDATION_ERROR")


def test_a_customer_export_holds_their_orders_and_refunds(app):
    headers = client_token(app, Scope.ORDERS_WRITE)
    registered = register(app.client)
    customer_id = registered["customer"]["id"]
    record(app, headers, customer_id, orderId="A-1", total="10.50")
    app.client.post(f"{INTERNAL}/{customer_id}/orders/A-1/refund", headers=headers)

    export = app.client.get(f"{API}/me/export", headers=bearer(registered["tokens"])).json()

    [order] = export["orders"]
    assert {key: order[key] for key in ("orderId", "total", "currency", "completedAt", "points")} == {
        "orderId": "A-1",
        "total": 10.5,
        "currency": "USD",
        "completedAt": "2026-11-26T10:00:00.000Z",
        "points": 10,
    }
    assert order["refundedAt"] is not None and "customerId" not in order


def test_a_replay_with_microseconds_is_the_same_order_as_stored(app):
    headers = client_token(app, Scope.ORDERS_WRITE)
    customer_id = register(app.client)["customer"]["id"]
    precise = {"completedAt": "2026-11-26T10:00:00.123456Z"}

    first = record(app, headers, customer_id, **precise)

    assert totals(record(app, headers, customer_id, **precise)) == totals(first) == (1, Decimal("19.99"), 19)


def test_an_order_id_belongs_to_one_customer(app):
    headers = client_token(app, Scope.ORDERS_WRITE)
    ada, grace = (register(app.client)["customer"]["id"] for _ in range(2))
    record(app, headers, ada)

    assert_problem(record(app, headers, grace), 409, "CONFLICT")
    assert_problem(app.client.post(f"{INTERNAL}/{grace}/orders/A-1001/refund", headers=headers), 404, "NOT_FOUND")
