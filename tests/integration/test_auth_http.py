"""The auth routes over real HTTP: registration, login, refresh, logout and sessions."""

from __future__ import annotations

import datetime as dt
import secrets
from typing import Any

import jwt
import pytest

from adapters.memory import ManualClock
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


def test_register_returns_the_new_customer_and_working_tokens(client):
    response = client.post(f"{AUTH}/register", json=registration(email="  Grace.Hopper@Example.COM "))

    assert response.status_code == 201, response.text
    body = response.json()
    assert set(body) == {"customer", "tokens"}
    customer = body["customer"]
    assert set(customer) == CUSTOMER_FIELDS
    assert not SECRET_FIELDS & set(customer)
    assert customer["email"] == "grace.hopper@example.com"
    assert (customer["firstName"], customer["lastName"]) == ("Ada", "Lovelace")
    assert customer["phone"] is None and customer["dateOfBirth"] is None and customer["gender"] is None
    assert customer["preferences"] == {
        "newsletter": False,
        "smsNotifications": False,
        "language": "en",
        "currency": "USD",
    }
    assert customer["isActive"] is True and customer["isVerified"] is False
    assert customer["createdAt"].endswith("Z")
    assert_tokens(body["tokens"])
    assert me(client, body["tokens"]).json()["id"] == customer["id"]


def test_register_keeps_the_optional_fields_normalised(client):
    body = registration(
        phone="+44 1234 567890",
        dateOfBirth="1990-05-17",
        gender="female",
        preferences={"newsletter": True, "language": "pt_br", "currency": "eur"},
    )

    response = client.post(f"{AUTH}/register", json=body)

    assert response.status_code == 201, response.text
    customer = response.json()["customer"]

    assert customer["phone"] == "+441234567890"
    assert customer["dateOfBirth"] == "1990-05-17"
    assert customer["gender"] == "female"
    assert customer["preferences"] == {
        "newsletter": True,
        "smsNotifications": False,
        "language": "pt-BR",
        "currency": "EUR",
    }


SPELLINGS = {
    "same": lambda email: email,
    "upper case": str.upper,
    "mixed case": str.title,
    "padded": lambda email: f"  {email} ",
    "tabs and newlines": lambda email: f"\t{email.upper()}\n",
}


@pytest.mark.parametrize("spelling", SPELLINGS.values(), ids=SPELLINGS.keys())
def test_register_refuses_an_email_that_is_taken_in_any_spelling(client, spelling):
    email = unique_email("taken")
    register(client, email=email)

    response = client.post(f"{AUTH}/register", json=registration(email=spelling(email)))

    assert_problem(response, 409, "EMAIL_TAKEN")


@pytest.mark.parametrize(
    ("changes", "field"),
    [
        ({"email": "not-an-email"}, "email"),
        ({"email": "two@@example.com"}, "email"),
        ({"password": "short"}, "password"),
        ({"password": "password1"}, "password"),
        ({"email": "margaret@example.com", "password": "i am MARGARET and proud"}, "password"),
        ({"firstName": "   "}, "firstName"),
        ({"lastName": ""}, "lastName"),
        ({"phone": "12345"}, "phone"),
        ({"gender": "robot"}, "gender"),
        ({"dateOfBirth": "2999-01-01"}, "dateOfBirth"),
        ({"dateOfBirth": "1990-02-30"}, "dateOfBirth"),
        ({"preferences": {"language": "not a language"}}, "preferences.language"),
        ({"preferences": {"currency": "XXX"}}, "preferences.currency"),
        ({"preferences": {"newsletter": "yes"}}, "preferences.newsletter"),
        ({"isVerified": True}, "isVerified"),
        ({"email": {"$ne": None}}, "email"),
    ],
)
def test_register_names_the_invalid_field(client, changes, field):
    response = client.post(f"{AUTH}/register", json=registration(**changes))

    body = assert_problem(response, 422, "VALIDATION_ERROR")
    assert [error["field"] for error in body["errors"]] == [field]
    assert all(error["message"] for error in body["errors"])


@pytest.mark.parametrize("missing", ["email", "password", "firstName", "lastName"])
def test_register_names_a_missing_required_field(client, missing):
    body = registration()
    del body[missing]

    problem = assert_problem(client.post(f"{AUTH}/register", json=body), 422, "VALIDATION_ERROR")

    assert problem["errors"] == [{"field": missing, "message": "is required"}]


def test_register_lists_every_invalid_field_at_once(client):
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


def test_a_refused_registration_creates_no_account(client):
    email = unique_email()
    assert_problem(client.post(f"{AUTH}/register", json=registration(email=email, phone="x")), 422, "VALIDATION_ERROR")

    assert_problem(login(client, email), 401, "INVALID_CREDENTIALS")


# --- login ------------------------------------------------------------------


def test_login_returns_the_customer_and_tokens_for_a_new_session(client):
    email = unique_email()
    registered = register(client, email=email)

    response = login(client, f"  {email.upper()} ")

    assert response.status_code == 200, response.text
    body = response.json()
    assert set(body) == {"customer", "tokens"}
    assert set(body["customer"]) == CUSTOMER_FIELDS
    assert body["customer"]["id"] == registered["customer"]["id"]
    assert body["customer"]["lastLogin"] is not None
    assert_tokens(body["tokens"])
    assert session_id_of(body["tokens"]) != session_id_of(registered["tokens"])
    assert me(client, body["tokens"]).status_code == 200


@pytest.mark.parametrize(
    "body",
    [{"email": "a@example.com"}, {"email": 1, "password": PASSWORD}, {"email": "a@example.com", "password": None}],
)
def test_login_with_a_malformed_body_is_a_validation_error(client, body):
    assert_problem(client.post(f"{AUTH}/login", json=body), 422, "VALIDATION_ERROR")


def test_unknown_email_wrong_password_and_locked_account_get_the_same_answer(make_app):
    app = make_app(settings_changes={"lockout_threshold": 3})
    email = unique_email()
    register(app.client, email=email)

    unknown = login(app.client, unique_email("nobody"))
    failures = [login(app.client, email, "wrong password!") for _ in range(3)]
    locked = login(app.client, email, "wrong password!")

    bodies = [assert_problem(r, 401, "INVALID_CREDENTIALS") for r in [unknown, *failures, locked]]
    assert all(without_request_id(body) == without_request_id(bodies[0]) for body in bodies)
    assert "errors" not in bodies[0]
    assert len({r.headers["www-authenticate"] for r in [unknown, *failures, locked]}) == 1


def test_a_locked_account_refuses_even_the_right_password_until_the_lockout_ends(make_app):
    clock = ManualClock(dt.datetime.now(dt.UTC).replace(microsecond=0))
    app = make_app(settings_changes={"lockout_threshold": 3, "lockout_seconds": 600}, clock=clock)
    email = unique_email()
    register(app.client, email=email)
    assert login(app.client, email).status_code == 200
    for _ in range(3):
        assert_problem(login(app.client, email, "wrong password!"), 401, "INVALID_CREDENTIALS")

    assert_problem(login(app.client, email), 401, "INVALID_CREDENTIALS")
    clock.advance(dt.timedelta(seconds=599))
    assert_problem(login(app.client, email), 401, "INVALID_CREDENTIALS")
    clock.advance(dt.timedelta(seconds=2))
    assert login(app.client, email).status_code == 200


def test_failures_below_the_threshold_do_not_lock(make_app):
    app = make_app(settings_changes={"lockout_threshold": 3})
    email = unique_email()
    register(app.client, email=email)
    for _ in range(2):
        assert_problem(login(app.client, email, "wrong password!"), 401, "INVALID_CREDENTIALS")

    assert login(app.client, email).status_code == 200


def test_a_successful_login_resets_the_failure_count(make_app):
    app = make_app(settings_changes={"lockout_threshold": 3})
    email = unique_email()
    register(app.client, email=email)
    for _ in range(2):
        login(app.client, email, "wrong password!")
    assert login(app.client, email).status_code == 200
    for _ in range(2):
        login(app.client, email, "wrong password!")

    assert login(app.client, email).status_code == 200


def test_a_disabled_account_is_told_so_only_after_the_right_password(app):
    email = unique_email()
    registered = register(app.client, email=email)
    app.wiring.service.admin.set_active(email, False)

    assert_problem(login(app.client, email, "wrong password!"), 401, "INVALID_CREDENTIALS")
    assert_problem(login(app.client, email), 403, "ACCOUNT_DISABLED")
    assert_problem(me(app.client, registered["tokens"]), 401, "UNAUTHENTICATED")


def test_a_re_enabled_account_logs_in_again(app):
    email = unique_email()
    register(app.client, email=email)
    app.wiring.service.admin.set_active(email, False)
    app.wiring.service.admin.set_active(email, True)

    assert login(app.client, email).status_code == 200


# --- refresh ----------------------------------------------------------------


def test_refresh_trades_a_refresh_token_for_a_new_pair_of_the_same_session(client):
    registered = register(client)["tokens"]

    response = refresh(client, registered["refreshToken"])

    assert response.status_code == 200, response.text
    body = response.json()
    assert set(body) == {"tokens"}
    tokens = body["tokens"]
    assert_tokens(tokens)
    assert tokens["refreshToken"] != registered["refreshToken"]
    assert session_id_of(tokens) == session_id_of(registered)
    assert me(client, tokens).status_code == 200
    assert refresh(client, tokens["refreshToken"]).status_code == 200


@pytest.mark.parametrize(
    "token",
    [
        secrets.token_urlsafe(32),
        "",
        "short",
        "x" * 5000,
        "not a token at all, with spaces and ünïcödé",
        "\x00" * 40,
    ],
    ids=["unknown", "empty", "short", "huge", "garbage", "nul-bytes"],
)
def test_refresh_refuses_an_unknown_or_malformed_token(client, token):
    assert_problem(refresh(client, token), 401, "TOKEN_INVALID")


@pytest.mark.parametrize("token", [None, 12345, ["a"], {"$ne": None}, True])
def test_refresh_with_a_token_that_is_not_a_string_is_a_validation_error(client, token):
    problem = assert_problem(refresh(client, token), 422, "VALIDATION_ERROR")
    assert [error["field"] for error in problem["errors"]] == ["refreshToken"]


def test_a_used_refresh_token_is_refused(client):
    tokens = register(client)["tokens"]
    assert refresh(client, tokens["refreshToken"]).status_code == 200

    assert_problem(refresh(client, tokens["refreshToken"]), 401, "TOKEN_INVALID")


def test_replayed_refresh_token_ends_the_whole_session(client):
    email = unique_email()
    first = register(client, email=email)["tokens"]
    other_session = login(client, email).json()["tokens"]
    newer = refresh(client, first["refreshToken"]).json()["tokens"]

    assert_problem(refresh(client, first["refreshToken"]), 401, "TOKEN_INVALID")

    assert_problem(refresh(client, newer["refreshToken"]), 401, "TOKEN_INVALID")
    assert_problem(me(client, newer), 401, "UNAUTHENTICATED")
    assert_problem(me(client, first), 401, "UNAUTHENTICATED")
    assert me(client, other_session).status_code == 200
    assert refresh(client, other_session["refreshToken"]).status_code == 200


# --- logout -----------------------------------------------------------------


def test_logout_ends_this_session_at_once_and_no_other(client):
    email = unique_email()
    ending = register(client, email=email)["tokens"]
    staying = login(client, email).json()["tokens"]

    response = client.post(f"{AUTH}/logout", headers=bearer(ending))

    assert response.status_code == 204
    assert response.content == b""
    assert_problem(me(client, ending), 401, "UNAUTHENTICATED")
    assert_problem(refresh(client, ending["refreshToken"]), 401, "TOKEN_INVALID")
    assert me(client, staying).status_code == 200
    assert refresh(client, staying["refreshToken"]).status_code == 200


def test_logout_all_ends_every_session_of_the_customer(client):
    email = unique_email()
    sessions = [register(client, email=email)["tokens"], *(login(client, email).json()["tokens"] for _ in range(2))]
    bystander = register(client)["tokens"]

    response = client.post(f"{AUTH}/logout-all", headers=bearer(sessions[1]))

    assert response.status_code == 204
    assert response.content == b""
    for tokens in sessions:
        assert_problem(me(client, tokens), 401, "UNAUTHENTICATED")
        assert_problem(refresh(client, tokens["refreshToken"]), 401, "TOKEN_INVALID")
    assert me(client, bystander).status_code == 200


# --- sessions ---------------------------------------------------------------


def test_sessions_lists_each_session_and_marks_the_callers(client):
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

    from_laptop = client.get(f"{AUTH}/sessions", headers=bearer(laptop)).json()["items"]
    assert {item["id"]: item["current"] for item in from_laptop} == {
        session_id_of(phone): False,
        session_id_of(laptop): True,
    }


def test_sessions_lists_only_the_callers_own_sessions(client):
    mine = register(client)["tokens"]
    register(client)

    items = client.get(f"{AUTH}/sessions", headers=bearer(mine)).json()["items"]

    assert [item["id"] for item in items] == [session_id_of(mine)]


def test_deleting_a_session_ends_it_and_keeps_the_callers(client):
    email = unique_email()
    caller = register(client, email=email)["tokens"]
    other = login(client, email).json()["tokens"]

    response = client.delete(f"{AUTH}/sessions/{session_id_of(other)}", headers=bearer(caller))

    assert response.status_code == 204
    assert response.content == b""
    assert_problem(me(client, other), 401, "UNAUTHENTICATED")
    assert_problem(refresh(client, other["refreshToken"]), 401, "TOKEN_INVALID")
    assert me(client, caller).status_code == 200
    remaining = client.get(f"{AUTH}/sessions", headers=bearer(caller)).json()["items"]
    assert [item["id"] for item in remaining] == [session_id_of(caller)]


def test_deleting_ones_own_current_session_ends_it(client):
    tokens = register(client)["tokens"]

    assert client.delete(f"{AUTH}/sessions/{session_id_of(tokens)}", headers=bearer(tokens)).status_code == 204

    assert_problem(me(client, tokens), 401, "UNAUTHENTICATED")


def test_deleting_another_customers_or_a_missing_or_malformed_session_is_not_found(client):
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
BAD_AUTHORIZATION = {
    "no header": {},
    "basic scheme": {"Authorization": "Basic x"},
    "bearer without token": {"Authorization": "Bearer"},
    "bearer with two spaces": {"Authorization": "Bearer  x"},
    "garbage token": {"Authorization": "Bearer not.a.jwt"},
    "token without scheme": {"Authorization": "eyJhbGciOiJFZERTQSJ9.e30.c2ln"},
}


@pytest.mark.parametrize(("method", "path"), AUTHENTICATED_ROUTES)
@pytest.mark.parametrize("headers", BAD_AUTHORIZATION.values(), ids=BAD_AUTHORIZATION.keys())
def test_authenticated_routes_refuse_a_missing_or_malformed_bearer_token(client, method, path, headers):
    response = client.request(method, path, headers=headers)

    assert_problem(response, 401, "UNAUTHENTICATED")
    assert response.headers["www-authenticate"].startswith("Bearer ")


def test_the_raw_access_token_without_scheme_is_refused_even_when_valid(client):
    tokens = register(client)["tokens"]

    response = client.get(f"{AUTH}/sessions", headers={"Authorization": tokens["accessToken"]})

    assert_problem(response, 401, "UNAUTHENTICATED")
