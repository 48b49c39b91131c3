"""How a JSON request body becomes one of the core's commands.

``entrypoints.shapes.decode`` is what the HTTP edge runs on every body: it
refuses wrong types, null where a value is needed, fields a client may not
set and invalid values, and names every problem at once, by the field as the
client wrote it (camelCase). What the core then does with a command is in
test_profile_flows.py and test_address_book_flows.py; that these problems
reach a client as a 422 is shown over HTTP in tests/integration."""

from __future__ import annotations

import json
from typing import Any

import pytest

from customer_core import PreferenceChanges, ProfileChanges
from customer_core.addresses import AddressChanges, AddressFields, AddressType
from customer_core.values import UNSET, CountryCode
from entrypoints.shapes import BodyInvalid, BodyNotJson, decode

US = {"firstName": "Ada", "lastName": "Lovelace", "street": "1600 Amphitheatre Pkwy", "city": "Mountain View",
      "state": "CA", "postalCode": "94043", "country": "US"}  # fmt: skip
AE = {"firstName": "Ada", "lastName": "Lovelace", "street": "1 Sheikh Zayed Rd", "city": "Dubai", "state": "Dubai",
      "country": "AE"}  # fmt: skip
COMMANDS = [ProfileChanges, PreferenceChanges, AddressFields, AddressChanges]
NOT_SETTABLE = "is not a field that can be set here"
NOT_NULL = "must not be null"
NOT_A_STRING = "must be a string"
NOT_A_BOOLEAN = "must be true or false"
NOT_A_PHONE = "must be an E.164 phone number, e.g. +441234567890"
NOT_A_TYPE = "must be one of home, work, other"
HIDDEN_CHARACTERS = "must not contain control characters"


def decoded(body: dict[str, Any], command: type) -> Any:
    return decode(json.dumps(body).encode(), command)


def problems(body: dict[str, Any] | bytes, command: type) -> dict[str, str]:
    """What ``decode`` finds wrong with ``body`` (sent as JSON unless
    already bytes): message by field."""
    raw = body if isinstance(body, bytes) else json.dumps(body).encode()
    with pytest.raises(BodyInvalid) as invalid:
        decode(raw, command)
    found = {error.field: error.message for error in invalid.value.errors}
    assert len(found) == len(invalid.value.errors), f"a field is named twice: {invalid.value.errors}"
    return found


# --- any body ---------------------------------------------------------------


@pytest.mark.parametrize("command", COMMANDS)
@pytest.mark.parametrize("body", [b"[]", b'"US"', b"1", b"null"])
def test_a_body_that_is_not_an_object_is_refused_as_a_whole(body, command):
    assert problems(body, command) == {"body": "must be a JSON object"}


@pytest.mark.parametrize("command", COMMANDS)
@pytest.mark.parametrize(
    "body",
    [
        b'{"firstName": ',
        b"",
        b"{'a'}",
        b'{"firstName": "Ad\xffa"}',
        b'{"firstName": "Ada", "firstName": "Grace"}',
        b'{"firstName": NaN}',
    ],
    ids=["truncated", "empty", "single-quotes", "invalid-utf8-in-a-string", "duplicate-key", "nan"],
)
def test_a_body_that_is_not_json_is_not_read_at_all(body, command):
    with pytest.raises(BodyNotJson):
        decode(body, command)


# --- profile ----------------------------------------------------------------


@pytest.mark.parametrize(
    ("field", "attribute"),
    [("phone", "phone"), ("dateOfBirth", "date_of_birth"), ("gender", "gender"), ("profileImage", "profile_image")],
)
def test_null_asks_to_clear_an_optional_profile_field_and_absent_fields_stay_unset(field, attribute):
    changes = decoded({field: None}, ProfileChanges)

    assert changes.given() == {attribute: None}
    assert changes.first_name is UNSET


@pytest.mark.parametrize("field", ["firstName", "lastName"])
def test_null_for_a_name_is_refused(field):
    assert problems({field: None}, ProfileChanges) == {field: NOT_NULL}


@pytest.mark.parametrize(
    ("field", "value"),
    [
        ("email", "mallory@example.com"),
        ("isVerified", True),
        ("emailVerified", True),
        ("loyaltyPoints", 1_000_000),
        ("totalSpent", 99.5),
        ("password", "a brand new password"),
        ("id", "0123456789abcdef01234567"),
        ("isActive", False),
        ("favouriteColour", "green"),
    ],
)
def test_a_profile_field_the_customer_may_not_set_is_refused_by_name(field, value):
    assert problems({"firstName": "Eve", field: value}, ProfileChanges) == {field: NOT_SETTABLE}


def test_every_invalid_profile_field_is_listed_at_once():
    body = {
        "firstName": "   ",
        "lastName": "x" * 101,
        "phone": "call me",
        "dateOfBirth": "2999-01-01",
        "gender": "robot",
        "profileImage": "cat.png",
    }

    assert problems(body, ProfileChanges) == {
        "firstName": "must not be empty",
        "lastName": "must be at most 100 characters",
        "phone": NOT_A_PHONE,
        "dateOfBirth": "must be in the past",
        "gender": "must be one of female, male, non_binary, prefer_not_to_say",
        "profileImage": "must be a media id (UUID)",
    }


@pytest.mark.parametrize(
    ("image", "message"),
    [
        ("not-a-uuid", "must be a media id (UUID)"),
        ("", "must be a media id (UUID)"),
        ("1234", "must be a media id (UUID)"),
        (42, NOT_A_STRING),
        (["3f0c"], NOT_A_STRING),
        ({"id": "3f0c8a52-7d1e-4b1a-9c55-0a1b2c3d4e5f"}, NOT_A_STRING),
    ],
)
def test_a_profile_image_must_be_a_uuid(image, message):
    assert problems({"profileImage": image}, ProfileChanges) == {"profileImage": message}


@pytest.mark.parametrize(
    ("field", "value", "message"),
    [
        ("dateOfBirth", "2000-02-30", "must be a real calendar date"),
        ("dateOfBirth", "10/12/1815", "must be a date as YYYY-MM-DD"),
        ("dateOfBirth", "1800-01-01", "must be within the last 130 years"),
        ("phone", "12345", NOT_A_PHONE),
    ],
)
def test_an_impossible_date_of_birth_or_phone_number_is_refused(field, value, message):
    assert problems({field: value}, ProfileChanges) == {field: message}


# --- preferences ------------------------------------------------------------


@pytest.mark.parametrize(
    ("field", "value", "message"),
    [
        ("newsletter", "true", NOT_A_BOOLEAN),
        ("newsletter", None, NOT_NULL),
        ("newsletter", 1, NOT_A_BOOLEAN),
        ("smsNotifications", "yes", NOT_A_BOOLEAN),
        ("smsNotifications", None, NOT_NULL),
        ("language", 5, NOT_A_STRING),
        ("language", None, NOT_NULL),
        ("language", "not a language", "must be a BCP 47 language tag, e.g. en or pt-BR"),
        ("language", "e", "must be a BCP 47 language tag, e.g. en or pt-BR"),
        ("currency", "XYZ", "must be an ISO 4217 currency code, e.g. USD"),
        ("currency", "dollars", "must be an ISO 4217 currency code, e.g. USD"),
        ("currency", None, NOT_NULL),
        ("timezone", "Europe/London", NOT_SETTABLE),
    ],
)
def test_an_invalid_preference_is_refused_by_name(field, value, message):
    assert problems({"newsletter": True, field: value}, PreferenceChanges) == {field: message}


def test_every_invalid_preference_is_listed_at_once():
    assert problems({"language": "??", "currency": "XYZ"}, PreferenceChanges) == {
        "language": "must be a BCP 47 language tag, e.g. en or pt-BR",
        "currency": "must be an ISO 4217 currency code, e.g. USD",
    }


# --- addresses --------------------------------------------------------------


@pytest.mark.parametrize("field", ["id", "createdAt", "updatedAt", "customerId", "nickname", "first_name", "$set"])
def test_unknown_and_read_only_address_fields_are_refused_by_name(field):
    assert problems({**US, field: "x"}, AddressFields) == {field: NOT_SETTABLE}
    assert problems({field: "x"}, AddressChanges) == {field: NOT_SETTABLE}


def test_omitted_optional_address_fields_are_none_and_the_type_is_home():
    address = decoded(AE, AddressFields)

    assert address.type is AddressType.HOME
    assert (address.label, address.company, address.street2, address.postal_code, address.phone) == (None,) * 5
    assert (address.is_default_shipping, address.is_default_billing) == (False, False)


def test_null_for_an_optional_address_field_is_the_same_as_leaving_it_out():
    assert decoded({**AE, "postalCode": None}, AddressFields) == decoded(AE, AddressFields)


@pytest.mark.parametrize("value", ["home", "work", "other"])
def test_each_address_type_is_read(value):
    assert decoded({**US, "type": value}, AddressFields).type is AddressType(value)
    assert decoded({"type": value}, AddressChanges).type is AddressType(value)


@pytest.mark.parametrize("value", ["office", "HOME", "", "billing"])
def test_the_address_type_must_be_home_work_or_other(value):
    assert problems({**US, "type": value}, AddressFields) == {"type": NOT_A_TYPE}


@pytest.mark.parametrize("sent", ["de", " De "])
def test_a_country_code_is_read_in_upper_case(sent):
    assert decoded({**US, "country": sent}, AddressFields).country == CountryCode("DE")


@pytest.mark.parametrize("value", ["USA", "12", "XX", "U", "", "U5"])
def test_a_country_must_be_a_known_alpha_2_code(value):
    assert problems({**US, "country": value}, AddressFields) == {
        "country": "must be an ISO 3166-1 alpha-2 country code, e.g. US"
    }


@pytest.mark.parametrize("value", ["6502530000", "+0123456789", "+1 650 CALL ME", "+12345", "+1234567890123456", ""])
def test_an_address_phone_must_be_e164(value):
    assert problems({**US, "phone": value}, AddressFields) == {"phone": NOT_A_PHONE}


@pytest.mark.parametrize(
    ("field", "attribute", "limit"),
    [("firstName", "first_name", 100), ("lastName", "last_name", 100), ("street", "street", 200),
     ("street2", "street2", 200), ("label", "label", 50), ("company", "company", 100), ("city", "city", 100)],
)  # fmt: skip
def test_address_text_may_be_as_long_as_its_limit_and_no_longer(field, attribute, limit):
    assert getattr(decoded({**US, field: "a" * limit}, AddressFields), attribute) == "a" * limit

    assert problems({**US, field: "a" * (limit + 1)}, AddressFields) == {field: f"must be at most {limit} characters"}
    assert problems({field: "a" * (limit + 1)}, AddressChanges) == {field: f"must be at most {limit} characters"}


@pytest.mark.parametrize("field", ["firstName", "street", "label"])
@pytest.mark.parametrize("bad", ["\x00", "\u202e", "\x1b[31m", "\u200b"])
def test_control_and_format_characters_in_address_text_are_refused(field, bad):
    assert problems({**US, field: f"Ada{bad}x"}, AddressFields) == {field: HIDDEN_CHARACTERS}


@pytest.mark.parametrize("field", ["firstName", "lastName", "street", "city"])
def test_blank_required_address_text_is_refused(field):
    assert problems({**US, field: "   "}, AddressFields) == {field: "must not be empty"}


def test_every_invalid_field_of_a_new_address_is_listed_at_once():
    body = {**US, "type": "office", "country": "12", "phone": "call me", "firstName": "a" * 101, "street": "\x00"}

    assert problems(body, AddressFields) == {
        "type": NOT_A_TYPE,
        "country": "must be an ISO 3166-1 alpha-2 country code, e.g. US",
        "phone": NOT_A_PHONE,
        "firstName": "must be at most 100 characters",
        "street": HIDDEN_CHARACTERS,
    }


def test_every_invalid_field_of_an_address_change_is_listed_at_once():
    assert problems({"type": "x", "label": "\u202e", "phone": "1"}, AddressChanges) == {
        "type": NOT_A_TYPE,
        "label": HIDDEN_CHARACTERS,
        "phone": NOT_A_PHONE,
    }


@pytest.mark.parametrize("field", ["firstName", "lastName", "street", "city", "country"])
def test_a_new_address_names_a_missing_required_field(field):
    body = {key: value for key, value in US.items() if key != field}

    assert problems(body, AddressFields) == {field: "is required"}


def test_a_new_address_without_any_field_names_every_required_one():
    assert problems({}, AddressFields) == dict.fromkeys(
        ["firstName", "lastName", "street", "city", "country"], "is required"
    )


@pytest.mark.parametrize(
    ("field", "message"),
    [
        ("firstName", NOT_NULL),
        ("lastName", NOT_NULL),
        ("street", NOT_NULL),
        ("city", NOT_NULL),
        ("country", NOT_NULL),
        ("type", NOT_NULL),
        ("isDefaultShipping", NOT_NULL),
        ("isDefaultBilling", NOT_NULL),
    ],
)
def test_null_for_a_required_address_field_is_refused(field, message):
    assert problems({field: None}, AddressChanges) == {field: message}


@pytest.mark.parametrize(
    ("field", "value", "message"),
    [
        ("firstName", 5, NOT_A_STRING),
        ("street", {"$ne": None}, NOT_A_STRING),
        ("country", ["US"], NOT_A_STRING),
        ("isDefaultShipping", "yes", NOT_A_BOOLEAN),
        ("isDefaultBilling", 1, NOT_A_BOOLEAN),
        ("type", True, NOT_A_TYPE),
        ("phone", 16502530000, NOT_A_STRING),
        ("postalCode", 94043, NOT_A_STRING),
    ],
)
def test_a_wrong_json_type_in_an_address_is_refused(field, value, message):
    assert problems({**US, field: value}, AddressFields) == {field: message}
    assert problems({field: value}, AddressChanges) == {field: message}
