"""Request bodies of the auth and emailed-token routes, decoded as the HTTP
edge decodes them (entrypoints.shapes.decode), without a server: each
problem names the field as the client wrote it (camelCase). That these
problems reach a client as a 422 is shown over HTTP in
tests/integration/test_auth_http.py and test_token_misuse_http.py."""

from __future__ import annotations

import datetime as dt
import json

import pytest

from customer_core import Credentials, InitialPreferences, Registration
from customer_core.use_cases.emailed_tokens import TokenRedemption
from customer_core.use_cases.passwords import PasswordReset
from customer_core.use_cases.sessions import RefreshRequest
from customer_core.values import Currency, Gender, Language, Phone
from entrypoints.shapes import BodyInvalid, decode
from tests.support import PASSWORD

REGISTRATION = {"email": "ada@example.com", "password": PASSWORD, "firstName": "Ada", "lastName": "Lovelace"}
NEW_PASSWORD = "a brand new passphrase"


def problems(body, command):
    """What ``decode`` finds wrong with ``body``: the fields it names, in order."""
    with pytest.raises(BodyInvalid) as refused:
        decode(json.dumps(body).encode(), command)
    assert all(error.message for error in refused.value.errors)
    return refused.value.errors


def test_a_registration_is_read_with_its_optional_fields_normalised():
    body = {
        **REGISTRATION,
        "phone": "+44 1234 567890",
        "dateOfBirth": "1990-05-17",
        "gender": "female",
        "preferences": {"newsletter": True, "language": "pt_br", "currency": "eur"},
    }

    registration = decode(json.dumps(body).encode(), Registration)

    assert registration.phone == Phone("+441234567890")
    assert registration.date_of_birth == dt.date(1990, 5, 17)
    assert registration.gender is Gender.FEMALE
    assert registration.preferences == InitialPreferences(
        newsletter=True, language=Language("pt-BR"), currency=Currency("EUR")
    )


@pytest.mark.parametrize(
    ("changes", "field"),
    [
        ({"email": "not-an-email"}, "email"),
        ({"email": "two@@example.com"}, "email"),
        ({"password": "short"}, "password"),
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
def test_a_registration_names_the_invalid_field(changes, field):
    assert [error.field for error in problems({**REGISTRATION, **changes}, Registration)] == [field]


@pytest.mark.parametrize("missing", ["email", "password", "firstName", "lastName"])
def test_a_registration_names_a_missing_required_field(missing):
    body = {name: value for name, value in REGISTRATION.items() if name != missing}

    assert [(error.field, error.message) for error in problems(body, Registration)] == [(missing, "is required")]


@pytest.mark.parametrize(
    ("body", "field"),
    [
        ({"email": "a@example.com"}, "password"),
        ({"email": 1, "password": PASSWORD}, "email"),
        ({"email": "a@example.com", "password": None}, "password"),
    ],
)
def test_a_malformed_login_names_the_field(body, field):
    assert [error.field for error in problems(body, Credentials)] == [field]


@pytest.mark.parametrize("token", [None, 12345, ["a"], {"$ne": None}, True])
def test_a_refresh_token_that_is_not_a_string_is_named(token):
    assert [error.field for error in problems({"refreshToken": token}, RefreshRequest)] == ["refreshToken"]


# Verifying an email and confirming an email change take a TokenRedemption;
# resetting a password a PasswordReset.
EMAILED_TOKEN_BODIES = {TokenRedemption: {}, PasswordReset: {"newPassword": NEW_PASSWORD}}


@pytest.mark.parametrize("command", EMAILED_TOKEN_BODIES)
@pytest.mark.parametrize("token", [None, 42, True, ["x" * 43], {"$ne": None}])
def test_an_emailed_token_that_is_not_a_string_is_named(command, token):
    body = {**EMAILED_TOKEN_BODIES[command], "token": token}

    assert [error.field for error in problems(body, command)] == ["token"]


@pytest.mark.parametrize("command", EMAILED_TOKEN_BODIES)
def test_a_missing_emailed_token_is_named(command):
    assert [error.field for error in problems(EMAILED_TOKEN_BODIES[command], command)] == ["token"]
