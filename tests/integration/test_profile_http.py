"""/me and /me/preferences over HTTP: what only HTTP shows. The rules of
profile and preference changes are in tests/unit/test_profile_flows.py,
the decoding of request bodies in tests/unit/test_request_bodies.py, and
concurrent changes against the store in test_profile_races.py."""

import uuid

from tests.support import API, assert_problem, bearer, register

ME = f"{API}/me"
PREFERENCES = f"{API}/me/preferences"
ROUTES = [
    ("GET", ME, None),
    ("PATCH", ME, {"firstName": "Eve"}),
    ("GET", PREFERENCES, None),
    ("PATCH", PREFERENCES, {"newsletter": True}),
]


def test_me_returns_the_authenticated_customer_without_secrets(client):
    customer = register(client)
    auth = bearer(customer["tokens"])

    response = client.get(ME, headers=auth)

    assert response.status_code == 200
    me = response.json()
    assert me == customer["customer"]
    assert me["firstName"] == "Ada"
    assert me["phone"] is None
    assert me["preferences"] == {"newsletter": False, "smsNotifications": False, "language": "en", "currency": "USD"}
    assert not {"password", "passwordHash", "failedLogins", "lockedUntil"} & me.keys()
    assert client.get(PREFERENCES, headers=auth).json() == me["preferences"]


def test_a_profile_change_answers_with_the_changed_customer(client):
    customer = register(client)
    auth = bearer(customer["tokens"])
    image = uuid.uuid4()
    sent = {
        "firstName": "  Grace ",
        "phone": "+44 (20) 7946-0958",
        "dateOfBirth": "1906-12-09",
        "gender": "non_binary",
        "profileImage": str(image).upper(),
    }

    response = client.patch(ME, json=sent, headers=auth)

    assert response.status_code == 200, response.text
    changed = response.json()
    assert {name: changed[name] for name in sent} == {
        "firstName": "Grace",
        "phone": "+442079460958",
        "dateOfBirth": "1906-12-09",
        "gender": "non_binary",
        "profileImage": str(image),
    }
    assert changed["email"] == customer["customer"]["email"]
    assert client.get(ME, headers=auth).json() == changed


def test_a_preference_change_answers_with_every_preference(client):
    auth = bearer(register(client)["tokens"])

    response = client.patch(PREFERENCES, json={"language": "pt_br", "currency": "eur"}, headers=auth)

    assert response.status_code == 200, response.text
    assert response.json() == {"newsletter": False, "smsNotifications": False, "language": "pt-BR", "currency": "EUR"}
    assert client.get(PREFERENCES, headers=auth).json() == response.json()
    assert client.get(ME, headers=auth).json()["preferences"] == response.json()


def test_every_invalid_field_is_listed_in_a_422_problem(client):
    customer = register(client)
    auth = bearer(customer["tokens"])

    response = client.patch(
        ME,
        json={
            "firstName": "   ",
            "lastName": "x" * 101,
            "phone": "call me",
            "dateOfBirth": "2999-01-01",
            "gender": "robot",
            "profileImage": "cat.png",
        },
        headers=auth,
    )

    body = assert_problem(response, 422, "VALIDATION_ERROR")
    assert {error["field"] for error in body["errors"]} == {
        "firstName", "lastName", "phone", "dateOfBirth", "gender", "profileImage"
    }  # fmt: skip
    assert all(error["message"] for error in body["errors"])
    assert client.get(ME, headers=auth).json() == customer["customer"]


def test_profile_routes_require_a_valid_token(client):
    headers = {
        "none": {},
        "garbage": {"Authorization": "Bearer not.a.token"},
        "basic": {"Authorization": "Basic YWRhOnB3"},
        "empty": {"Authorization": "Bearer"},
    }

    for method, path, body in ROUTES:
        for kind, sent in headers.items():
            response = client.request(method, path, json=body, headers=sent)
            assert response.status_code == 401, f"{method} {path} with {kind} token: {response.status_code}"
            assert_problem(response, 401, "UNAUTHENTICATED")


def test_profile_routes_refuse_a_logged_out_token(client):
    auth = bearer(register(client)["tokens"])
    assert client.post(f"{API}/auth/logout", headers=auth).status_code == 204

    for method, path, body in ROUTES:
        assert_problem(client.request(method, path, json=body, headers=auth), 401, "UNAUTHENTICATED")
