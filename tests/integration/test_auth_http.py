"""The auth routes over real HTTP, for what only HTTP shows: status codes,
problem codes, headers, JSON shapes, and what the request itself carries
(bearer token, User-Agent, client address). What registration, login,
refresh, logout and sessions do is tested at service level in
tests/unit/test_auth_flows.py and test_session_flows.py; how bodies are
decoded in tests/unit/test_auth_request_bodies.py."""

from __future__ import annotations

import secrets
from typing import Any

import jwt

from tests.support import API, PASSWORD, assert_problem, bearer, register, unique_email

AUTH = f"{API}/auth"

CUSTOMER_FIELDS = {
    "id",
    "email",
    "firstName",
    "lastName",
    "phone",
    "dateOfBirth",
    "gender",
    "profileImage",
    "preferences",
    "isActive",
    "isVerified",
    "emailVerified",
    "phoneVerified",
    "totalOrders",
    "totalSpent",
    "loyaltyPoints",
    "createdAt",
    "updatedAt",
    "lastLogin",
}
TOKEN_FIELDS = {"accessToken", "refreshToken", "tokenType", "expiresIn", "refreshExpiresIn"}
SECRET_FIELDS = {"password", "passwordHash", "hash", "failedLogins", "lockedUntil"}


def without_request_id(body: dict[str, Any]) -> dict[str, Any]:
    return {key: value for key, value in body.items() if key != "requestId"}


def assert_tokens(tokens: dict[str, Any]) -> None:
    assert set(tokens) == TOKEN_FIELDS
    assert tokens["tokenType"] == "Bearer"
    assert tokens["expiresIn"] == 86400
    assert tokens["refreshExpiresIn"] == 604800
    assert tokens["accessToken"] and tokens["refreshToken"]


def session_id_of(tokens: dict[str, Any]) -> str:
    return jwt.decode(tokens["accessToken"], options={"verify_signature": False})["sid"]


def login(client, email: str, password: str = PASSWORD, *, headers: dict[str, str] | None = None):
    return client.post(f"{AUTH}/login", json={"email": email, "password": password}, headers=headers)


def refresh(client, refresh_token: Any):
    return client.post(f"{AUTH}/refresh", json={"refreshToken": refresh_token})


def me(client, tokens: dict[str, Any]):
    return client.get(f"{API}/me", headers=bearer(tokens))


def registration(**changes: Any) -> dict[str, Any]:
    return {"email": unique_email(), "password": PASSWORD, "firstName": "Ada", "lastName": "Lovelace", **changes}


# --- register ---------------------------------------------------------------


def test_register_answers_201_with_the_customer_and_tokens_in_camel_case(client):
    body = registration(
        phone="+44 1234 567890",
        dateOfBirth="1990-05-17",
        gender="female",
        preferences={"newsletter": True, "language": "pt_br", "currency": "eur"},
    )

    response = client.post(f"{AUTH}/register", json=body)

    assert response.status_code == 201, response.text
    assert response.headers["content-type"].startswith("application/json")
    body = response.json()
    assert set(body) == {"customer", "tokens"}
    customer = body["customer"]
    assert set(customer) == CUSTOMER_FIELDS
    assert not SECRET_FIELDS & set(customer)
    assert (customer["firstName"], customer["lastName"]) == ("Ada", "Lovelace")
    assert (customer["phone"], customer["dateOfBirth"], customer["gender"]) == ("+441234567890", "1990-05-17", "female")
    assert customer["preferences"] == {
        "newsletter": True,
        "smsNotifications": False,
        "language": "pt-BR",
        "currency": "EUR",
    }
    assert customer["isActive"] is True and customer["isVerified"] is False
    assert customer["createdAt"].endswith("Z")
    assert_tokens(body["tokens"])
    assert me(client, body["tokens"]).json()["id"] == customer["id"]


def test_a_taken_email_is_a_409_problem(client):
    email = unique_email("taken")
    register(client, email=email)

    assert_problem(client.post(f"{AUTH}/register", json=registration(email=email)), 409, "EMAIL_TAKEN")


def test_an_invalid_registration_is_a_422_listing_every_invalid_field_at_once(client):
    body = {
        "email": "nope",
        "password": "short",
        "firstName": "",
        "lastName": " ",
        "phone": "call me",
        "dateOfBirth": "2999-12-31",
        "gender": "robot",
        "preferences": {"language": "??", "currency": "XYZ"},
    }

    problem = assert_problem(client.post(f"{AUTH}/register", json=body), 422, "VALIDATION_ERROR")

    assert {error["field"] for error in problem["errors"]} == {
        "email",
        "password",
        "firstName",
        "lastName",
        "phone",
        "dateOfBirth",
        "gender",
        "preferences.language",
        "preferences.currency",
    }
    assert all(error["message"] for error in problem["errors"])


def test_a_password_the_policy_refuses_is_a_422_naming_the_password_and_creates_no_account(client):
    email = unique_email()

    response = client.post(f"{AUTH}/register", json=registration(email=email, password="password1"))

    problem = assert_problem(response, 422, "VALIDATION_ERROR")
    assert [error["field"] for error in problem["errors"]] == ["password"]
    assert_problem(login(client, email, "password1"), 401, "INVALID_CREDENTIALS")


# --- login ------------------------------------------------------------------


def test_login_answers_200_with_the_customer_and_tokens_in_camel_case(client):
    email = unique_email()
    registered = register(client, email=email)

    response = login(client, email)

    assert response.status_code == 200, response.text
    body = response.json()
    assert set(body) == {"customer", "tokens"}
    assert set(body["customer"]) == CUSTOMER_FIELDS
    assert body["customer"]["id"] == registered["customer"]["id"]
    assert body["customer"]["lastLogin"].endswith("Z")
    assert (body["customer"]["phone"], body["customer"]["dateOfBirth"], body["customer"]["gender"]) == (None,) * 3
    assert_tokens(body["tokens"])
    assert me(client, body["tokens"]).status_code == 200


def test_a_malformed_login_body_is_a_422_naming_the_field(client):
    problem = assert_problem(client.post(f"{AUTH}/login", json={"email": "a@example.com"}), 422, "VALIDATION_ERROR")

    assert problem["errors"] == [{"field": "password", "message": "is required"}]


def test_an_unknown_email_and_a_wrong_password_get_the_same_401(client):
    email = unique_email()
    register(client, email=email)

    unknown = login(client, unique_email("nobody"))
    wrong = login(client, email, "wrong password!")

    bodies = [assert_problem(response, 401, "INVALID_CREDENTIALS") for response in (unknown, wrong)]
    assert without_request_id(bodies[0]) == without_request_id(bodies[1])
    assert "errors" not in bodies[0]
    assert unknown.headers["www-authenticate"] == wrong.headers["www-authenticate"]
    assert unknown.headers["www-authenticate"].startswith("Bearer ")


def test_a_disabled_account_is_a_403_after_the_right_password(app):
    email = unique_email()
    register(app.client, email=email)
    app.wiring.service.admin.set_active(email, False, operator="test")

    assert_problem(login(app.client, email), 403, "ACCOUNT_DISABLED")


# --- refresh ----------------------------------------------------------------


def test_refresh_answers_200_with_a_new_token_pair(client):
    registered = register(client)["tokens"]

    response = refresh(client, registered["refreshToken"])

    assert response.status_code == 200, response.text
    body = response.json()
    assert set(body) == {"tokens"}
    assert_tokens(body["tokens"])
    assert me(client, body["tokens"]).status_code == 200


def test_an_unknown_refresh_token_is_a_401_token_invalid(client):
    response = refresh(client, secrets.token_urlsafe(32))

    assert_problem(response, 401, "TOKEN_INVALID")
    assert response.headers["www-authenticate"].startswith("Bearer ")


def test_a_refresh_token_that_is_not_a_string_is_a_422_naming_it(client):
    problem = assert_problem(refresh(client, {"$ne": None}), 422, "VALIDATION_ERROR")

    assert [error["field"] for error in problem["errors"]] == ["refreshToken"]


# --- logout and sessions ----------------------------------------------------


def test_ending_sessions_answers_204_with_no_body_and_their_tokens_get_401(client):
    email = unique_email()
    first = register(client, email=email)["tokens"]
    second, third = (login(client, email).json()["tokens"] for _ in range(2))

    ended_one = client.delete(f"{AUTH}/sessions/{session_id_of(second)}", headers=bearer(first))
    logged_out = client.post(f"{AUTH}/logout", headers=bearer(first))
    logged_out_everywhere = client.post(f"{AUTH}/logout-all", headers=bearer(third))

    for response in (ended_one, logged_out, logged_out_everywhere):
        assert response.status_code == 204
        assert response.content == b""
    for tokens in (first, second, third):
        assert_problem(me(client, tokens), 401, "UNAUTHENTICATED")


def test_sessions_lists_the_user_agent_and_address_of_each_request_in_camel_case(client):
    email = unique_email()
    phone = client.post(
        f"{AUTH}/register", json=registration(email=email), headers={"User-Agent": "phone-app/1.0"}
    ).json()["tokens"]
    laptop = login(client, email, headers={"User-Agent": "laptop-browser/2.0"}).json()["tokens"]

    response = client.get(f"{AUTH}/sessions", headers=bearer(phone))

    assert response.status_code == 200, response.text
    body = response.json()
    assert set(body) == {"items"}
    items = {item["id"]: item for item in body["items"]}
    assert set(items) == {session_id_of(phone), session_id_of(laptop)}
    for item in items.values():
        assert set(item) == {"id", "createdAt", "lastUsedAt", "userAgent", "ipAddress", "current"}
        assert item["ipAddress"] == "127.0.0.1"
        assert item["createdAt"].endswith("Z") and item["lastUsedAt"].endswith("Z")
    assert items[session_id_of(phone)]["userAgent"] == "phone-app/1.0"
    assert items[session_id_of(laptop)]["userAgent"] == "laptop-browser/2.0"
    assert items[session_id_of(phone)]["current"] is True
    assert items[session_id_of(laptop)]["current"] is False


def test_another_customers_a_missing_and_a_malformed_session_id_get_the_same_404(client):
    caller = register(client)["tokens"]
    victim = register(client)["tokens"]
    victims_session = session_id_of(victim)
    missing = secrets.token_hex(12)

    responses = [
        client.delete(f"{AUTH}/sessions/{session_id}", headers=bearer(caller))
        for session_id in [victims_session, victims_session.upper(), missing, "not-an-id", "0" * 25, "%24ne"]
    ]

    bodies = [assert_problem(response, 404, "NOT_FOUND") for response in responses]
    assert all(without_request_id(body) == without_request_id(bodies[0]) for body in bodies)
    assert me(client, victim).status_code == 200


# --- authentication ---------------------------------------------------------

AUTHENTICATED_ROUTES = [
    ("POST", f"{AUTH}/logout"),
    ("POST", f"{AUTH}/logout-all"),
    ("GET", f"{AUTH}/sessions"),
    ("DELETE", f"{AUTH}/sessions/{'a' * 24}"),
]


def test_every_authenticated_route_answers_401_without_a_bearer_token(client):
    for method, path in AUTHENTICATED_ROUTES:
        response = client.request(method, path)

        assert_problem(response, 401, "UNAUTHENTICATED")
        assert response.headers["www-authenticate"].startswith("Bearer "), path


def test_a_malformed_authorization_header_is_a_401_even_around_a_valid_token(client):
    token = register(client)["tokens"]["accessToken"]
    malformed = [
        "Basic x",
        "Bearer",
        "Bearer  x",
        "Bearer not.a.jwt",
        "eyJhbGciOiJFZERTQSJ9.e30.c2ln",
        token,  # the raw token, without the scheme
    ]

    for authorization in malformed:
        response = client.get(f"{AUTH}/sessions", headers={"Authorization": authorization})

        assert_problem(response, 401, "UNAUTHENTICATED")
        assert response.headers["www-authenticate"].startswith("Bearer "), authorization
