"""Request bodies of the password and email-change routes, decoded as the
HTTP edge decodes them (entrypoints.shapes.decode), without a server: each
problem names the field as the client wrote it."""

from __future__ import annotations

import json

import pytest

from customer_core.use_cases.email_change import EmailChange
from customer_core.use_cases.passwords import PasswordChange, PasswordReset, ResetRequest
from customer_core.use_cases.phone_verification import PhoneCodeEntry
from customer_core.values import Email
from entrypoints.shapes import BodyInvalid, decode
from tests.support import PASSWORD

NEW_PASSWORD = "a brand new passphrase"
TOKEN = "t" * 43


def refused_fields(body, command):
    with pytest.raises(BodyInvalid) as refused:
        decode(json.dumps(body).encode(), command)
    return {error.field for error in refused.value.errors}


@pytest.mark.parametrize("body", [{}, {"email": 42}, {"email": None}, {"email": {"$ne": None}}])
def test_a_reset_request_needs_a_string_email(body):
    assert refused_fields(body, ResetRequest) == {"email"}


def test_a_reset_request_takes_any_string_as_its_email():
    assert decode(b'{"email": "not-an-email"}', ResetRequest) == ResetRequest(email="not-an-email")


@pytest.mark.parametrize(
    ("body", "field"),
    [
        ({"token": TOKEN}, "newPassword"),
        ({"newPassword": NEW_PASSWORD}, "token"),
        ({"token": TOKEN, "newPassword": 12345678}, "newPassword"),
        ({"token": TOKEN, "newPassword": NEW_PASSWORD, "email": "a@example.com"}, "email"),
    ],
)
def test_a_malformed_reset_names_the_field(body, field):
    assert field in refused_fields(body, PasswordReset)


@pytest.mark.parametrize(
    ("body", "field"),
    [
        ({"newPassword": NEW_PASSWORD}, "currentPassword"),
        ({"currentPassword": PASSWORD}, "newPassword"),
        ({"currentPassword": PASSWORD, "newPassword": None}, "newPassword"),
    ],
)
def test_a_malformed_password_change_names_the_field(body, field):
    assert field in refused_fields(body, PasswordChange)


@pytest.mark.parametrize("new_password", ["short", "x" * 257])
def test_a_new_password_of_the_wrong_length_names_new_password(new_password):
    assert refused_fields({"token": TOKEN, "newPassword": new_password}, PasswordReset) == {"newPassword"}
    assert refused_fields({"currentPassword": PASSWORD, "newPassword": new_password}, PasswordChange) == {"newPassword"}


@pytest.mark.parametrize(
    ("body", "field"),
    [
        ({"password": PASSWORD}, "newEmail"),
        ({"newEmail": "a@example.com"}, "password"),
        ({"newEmail": {"$ne": None}, "password": PASSWORD}, "newEmail"),
        ({"newEmail": "a@example.com", "password": PASSWORD, "email": "b@example.com"}, "email"),
    ],
)
def test_a_malformed_email_change_names_the_field(body, field):
    assert field in refused_fields(body, EmailChange)


@pytest.mark.parametrize(
    "new_email", ["not-an-email", "", "two@@example.com", "a" * 300 + "@example.com", "nul\x00@example.com"]
)
def test_an_invalid_new_email_names_new_email(new_email):
    assert refused_fields({"newEmail": new_email, "password": PASSWORD}, EmailChange) == {"newEmail"}


def test_a_new_email_is_trimmed_and_lower_cased():
    change = decode(b'{"newEmail": "  Ada@EXAMPLE.com ", "password": "x"}', EmailChange)

    assert change.new_email == Email("ada@example.com")


def test_a_phone_code_is_six_digits():
    assert decode(b'{"code": "042917"}', PhoneCodeEntry) == PhoneCodeEntry(code="042917")


@pytest.mark.parametrize(
    "code",
    [
        "",
        "12345",
        "1234567",
        " 123456",
        "123456 ",
        "123 456",
        "12345a",
        "\u0661\u0662\u0663\u0664\u0665\u0666",
        123456,
        None,
    ],
    ids=[
        "empty",
        "5 digits",
        "7 digits",
        "space before",
        "space after",
        "space within",
        "letter",
        "arabic digits",
        "a number",
        "null",
    ],
)
def test_anything_else_is_refused_as_the_code(code):
    assert refused_fields({"code": code}, PhoneCodeEntry) == {"code"}


@pytest.mark.parametrize("body", [{}, {"code": "123456", "phone": "+441234567890"}])
def test_a_phone_code_entry_is_the_code_alone(body):
    assert refused_fields(body, PhoneCodeEntry) == ({"code"} if not body else {"phone"})
