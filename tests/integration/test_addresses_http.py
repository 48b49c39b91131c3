"""/addresses over HTTP: what only HTTP shows (status codes, problem codes,
the JSON shape of an address, the 404 for any address id that is not the
customer's own). The rules of the address book are in
tests/unit/test_address_book_flows.py and test_address_book_state_machine.py,
the decoding of request bodies in tests/unit/test_request_bodies.py."""

import datetime as dt
import re
import secrets

from customer_core.addresses import MAX_ADDRESSES, AddressFields
from customer_core.values import CountryCode, Id
from tests.support import API, acting, assert_problem, bearer, register

ADDRESSES = f"{API}/addresses"
ADDRESS_FIELDS = {
    "id", "type", "label", "firstName", "lastName", "company", "street", "street2", "city", "state", "country",
    "postalCode", "phone", "isDefaultShipping", "isDefaultBilling", "createdAt", "updatedAt",
}  # fmt: skip
US = {"firstName": "Ada", "lastName": "Lovelace", "street": "1600 Amphitheatre Pkwy", "city": "Mountain View",
      "state": "CA", "postalCode": "94043", "country": "US"}  # fmt: skip
FULL = {**US, "type": "work", "label": "Office", "company": "Analytical Engines Ltd", "street2": "Building 40",
        "phone": "+16502530000"}  # fmt: skip
AE = {"firstName": "Ada", "lastName": "Lovelace", "street": "1 Sheikh Zayed Rd", "city": "Dubai", "state": "Dubai",
      "country": "AE"}  # fmt: skip


def add(client, auth, body=None, **changes):
    response = client.post(ADDRESSES, json={**(body or US), **changes}, headers=auth)
    assert response.status_code == 201, response.text
    return response.json()


def listed(client, auth):
    response = client.get(ADDRESSES, headers=auth)
    assert response.status_code == 200, response.text
    return response.json()["items"]


def moment(text):
    assert text.endswith("Z")
    return dt.datetime.fromisoformat(text.replace("Z", "+00:00"))


def without_request_id(response):
    return {key: value for key, value in response.json().items() if key != "requestId"}


def test_every_address_route_needs_a_valid_token(client):
    routes = [("GET", ""), ("POST", ""), ("GET", "/0123456789abcdef01234567"), ("PATCH", "/0123456789abcdef01234567"),
              ("DELETE", "/0123456789abcdef01234567")]  # fmt: skip

    for method, path in routes:
        for headers in ({}, {"Authorization": "Bearer not-a-token"}):
            body = US if method in ("POST", "PATCH") else None
            response = client.request(method, ADDRESSES + path, json=body, headers=headers)
            assert response.status_code == 401, f"{method} {path} with {headers}: {response.status_code}"
            assert_problem(response, 401, "UNAUTHENTICATED")


def test_created_address_has_every_field_of_the_contract_and_nothing_else(client):
    auth = bearer(register(client)["tokens"])
    assert client.get(ADDRESSES, headers=auth).json() == {"items": []}

    response = client.post(ADDRESSES, json=FULL, headers=auth)

    assert response.status_code == 201, response.text
    created = response.json()
    assert set(created) == ADDRESS_FIELDS
    assert {key: created[key] for key in FULL} == FULL
    assert re.fullmatch(r"[0-9a-f]{24}", created["id"])
    assert moment(created["createdAt"]) == moment(created["updatedAt"])
    assert abs(moment(created["createdAt"]) - dt.datetime.now(dt.UTC)) < dt.timedelta(minutes=1)
    assert client.get(f"{ADDRESSES}/{created['id']}", headers=auth).json() == created
    assert client.get(ADDRESSES, headers=auth).json() == {"items": [created]}


def test_omitted_optional_fields_are_null_and_type_is_home(client):
    created = add(client, bearer(register(client)["tokens"]), AE)

    assert set(created) == ADDRESS_FIELDS
    assert created["type"] == "home"
    assert all(created[name] is None for name in ("label", "company", "street2", "postalCode", "phone"))


def test_a_change_answers_with_the_changed_address(client):
    auth = bearer(register(client)["tokens"])
    before = add(client, auth, FULL)

    response = client.patch(
        f"{ADDRESSES}/{before['id']}", json={"label": "HQ", "phone": "+44 20 7946 0958"}, headers=auth
    )

    assert response.status_code == 200, response.text
    after = response.json()
    assert (after["label"], after["phone"]) == ("HQ", "+442079460958")
    unchanged = ADDRESS_FIELDS - {"label", "phone", "updatedAt"}
    assert {key: after[key] for key in unchanged} == {key: before[key] for key in unchanged}
    assert client.get(f"{ADDRESSES}/{before['id']}", headers=auth).json() == after


def test_deleted_address_is_gone(client):
    auth = bearer(register(client)["tokens"])
    created = add(client, auth)
    path = f"{ADDRESSES}/{created['id']}"

    response = client.delete(path, headers=auth)

    assert response.status_code == 204
    assert response.content == b""
    assert_problem(client.get(path, headers=auth), 404, "NOT_FOUND")
    assert_problem(client.patch(path, json={"label": "x"}, headers=auth), 404, "NOT_FOUND")
    assert_problem(client.delete(path, headers=auth), 404, "NOT_FOUND")
    assert listed(client, auth) == []


def test_every_invalid_field_is_listed_in_a_422_problem(client):
    auth = bearer(register(client)["tokens"])
    body = {**US, "type": "office", "country": "12", "phone": "call me", "firstName": "a" * 101, "street": "\x00"}

    response = client.post(ADDRESSES, json=body, headers=auth)

    problem = assert_problem(response, 422, "VALIDATION_ERROR")
    assert {error["field"] for error in problem["errors"]} == {"type", "country", "phone", "firstName", "street"}
    assert all(error["message"] for error in problem["errors"])
    assert listed(client, auth) == []


def test_a_postal_problem_is_named_by_the_field_the_client_sent(client):
    auth = bearer(register(client)["tokens"])

    response = client.post(ADDRESSES, json={**US, "postalCode": None}, headers=auth)

    problem = assert_problem(response, 422, "VALIDATION_ERROR")
    assert problem["errors"] == [{"field": "postalCode", "message": "is required in this country"}]
    assert listed(client, auth) == []


def test_another_customers_address_is_indistinguishable_from_a_missing_one(client):
    owner = bearer(register(client)["tokens"])
    intruder = bearer(register(client)["tokens"])
    victim = add(client, owner, FULL)
    own = add(client, intruder)
    other = f"{ADDRESSES}/{victim['id']}"
    probes = [other, f"{ADDRESSES}/{victim['id'].upper()}", f"{ADDRESSES}/nope", f"{ADDRESSES}/123",
              f"{ADDRESSES}/{secrets.token_hex(12)}", f"{ADDRESSES}/{victim['id']}0", f"{ADDRESSES}/%24ne"]  # fmt: skip

    answers = []
    for path in probes:
        answers += [
            client.get(path, headers=intruder),
            client.patch(path, json={"label": "mine now", "isDefaultShipping": True}, headers=intruder),
            client.delete(path, headers=intruder),
        ]

    for answer in answers:
        assert_problem(answer, 404, "NOT_FOUND")
    assert all(without_request_id(answer) == without_request_id(answers[0]) for answer in answers)
    assert client.get(other, headers=owner).json() == victim
    assert listed(client, owner) == [victim]
    assert listed(client, intruder) == [own]


def test_an_address_past_the_limit_is_a_409_problem(app):
    customer = register(app.client)
    auth = bearer(customer["tokens"])
    book = app.wiring.service.address_book
    fields = AddressFields(
        first_name="Ada",
        last_name="Lovelace",
        street="1600 Amphitheatre Pkwy",
        city="Mountain View",
        state="CA",
        postal_code="94043",
        country=CountryCode("US"),
    )
    for _ in range(MAX_ADDRESSES):
        book.add(acting(Id(customer["customer"]["id"])), fields)

    problem = assert_problem(app.client.post(ADDRESSES, json=US, headers=auth), 409, "ADDRESS_LIMIT")

    assert "errors" not in problem
    assert len(listed(app.client, auth)) == MAX_ADDRESSES
