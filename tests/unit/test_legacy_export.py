"""Reading the previous implementation's mongoexport output, line by line."""

import datetime as dt
import json
from decimal import Decimal

import pytest

from adapters.legacy_export import lines_of, read_export
from customer_core.customer import Customer, Preferences
from customer_core.values import Currency, Email, Gender, Language, MediaId, Phone

NOW = dt.datetime(2026, 11, 26, 12, 0, tzinfo=dt.UTC)
HASH = "$2a$04$kVshcREVq7v2Y0iicZk/z.tmYzdDp/ohUlFNJmaoxp9JasAlDUx0W"
MINIMAL = {
    "_id": {"$oid": "5f1d7a3e2b4c1a0012345678"},
    "email": "ada@example.com",
    "password": HASH,
    "firstName": "Ada",
    "lastName": "Lovelace",
}


def read(*documents: object) -> list:
    lines = [d if isinstance(d, bytes) else json.dumps(d).encode() + b"\n" for d in documents]
    return list(read_export(lines, now=NOW))


def reason(document: object) -> str:
    [(_, outcome)] = read(document)
    assert isinstance(outcome, str), outcome
    return outcome


def test_a_full_document_keeps_every_field_its_id_dates_and_verification_state():
    document = {
        **MINIMAL,
        "email": "  Ada.Lovelace@EXAMPLE.com ",
        "phone": "+441234567890",
        "dateOfBirth": {"$date": "1990-12-10T00:00:00.000Z"},
        "gender": "female",
        "profileImage": "3f0c8a52-7d1e-4b1a-9c55-0a1b2c3d4e5f",
        "preferences": {"newsletter": True, "smsNotifications": True, "language": "pt-BR", "currency": "EUR"},
        "isActive": False,
        "isVerified": True,
        "emailVerified": True,
        "phoneVerified": True,
        "totalOrders": 3,
        "totalSpent": {"$numberDecimal": "129.95"},
        "loyaltyPoints": {"$numberInt": "40"},
        "createdAt": {"$date": "2020-07-26T10:00:00.000Z"},
        "updatedAt": {"$date": {"$numberLong": "1600000000000"}},
        "lastLogin": {"$date": "2024-01-02T03:04:05.678Z"},
        "__v": 0,
    }

    [(line, customer)] = read(document)

    assert line == 1
    assert customer == Customer(
        id="5f1d7a3e2b4c1a0012345678",
        email=Email("ada.lovelace@example.com"),
        password_hash=HASH,
        first_name="Ada",
        last_name="Lovelace",
        phone=Phone("+441234567890"),
        date_of_birth=dt.date(1990, 12, 10),
        gender=Gender.FEMALE,
        profile_image=MediaId("3f0c8a52-7d1e-4b1a-9c55-0a1b2c3d4e5f"),
        preferences=Preferences(
            newsletter=True, sms_notifications=True, language=Language("pt-BR"), currency=Currency("EUR")
        ),
        is_active=False,
        email_verified=True,
        phone_verified=True,
        total_orders=3,
        total_spent=Decimal("129.95"),
        loyalty_points=40,
        created_at=dt.datetime(2020, 7, 26, 10, tzinfo=dt.UTC),
        updated_at=dt.datetime(2020, 9, 13, 12, 26, 40, tzinfo=dt.UTC),
        last_login=dt.datetime(2024, 1, 2, 3, 4, 5, 678000, tzinfo=dt.UTC),
    )


def test_missing_optional_fields_take_the_defaults_of_a_new_account():
    [(_, customer)] = read(MINIMAL)

    assert customer.preferences == Preferences()
    assert customer.is_active and not customer.email_verified and not customer.phone_verified
    assert customer.phone is None and customer.date_of_birth is None and customer.last_login is None
    assert customer.created_at == customer.updated_at == NOW


def test_a_phone_verified_without_a_phone_is_imported_unverified():
    [(_, customer)] = read({**MINIMAL, "phoneVerified": True})

    assert customer.phone is None and not customer.phone_verified


@pytest.mark.parametrize(
    ("verified", "expected"), [({"isVerified": True}, True), ({"emailVerified": False, "isVerified": True}, False)]
)
def test_is_verified_stands_in_for_a_missing_email_verified(verified, expected):
    [(_, customer)] = read({**MINIMAL, **verified})
    assert customer.email_verified is expected


@pytest.mark.parametrize("empty", [None, ""])
def test_null_or_empty_optional_fields_are_absent(empty):
    [(_, customer)] = read({**MINIMAL, "phone": empty, "gender": empty, "dateOfBirth": empty})
    assert customer.phone is None and customer.gender is None and customer.date_of_birth is None


def test_lines_are_numbered_as_in_the_file_and_blank_lines_are_skipped():
    lines = read(
        MINIMAL, b"\n", b"   \r\n", {**MINIMAL, "email": "b@example.com", "_id": {"$oid": "5f1d7a3e2b4c1a0012345679"}}
    )
    assert [number for number, _ in lines] == [1, 4]


@pytest.mark.parametrize(
    ("line", "expected"),
    [
        (b"\xff\xfe{}\n", "not UTF-8"),
        (b"{not json\n", "not MongoDB extended JSON"),
        (b'{"_id": {"$oid": "xyz"}}\n', "not MongoDB extended JSON"),
        (b'{"createdAt": {"$date": "yesterday"}}\n', "not MongoDB extended JSON"),
        (b"[1, 2]\n", "a JSON array"),
        (b'"a string"\n', "not a JSON object"),
    ],
    ids=["not utf-8", "not json", "bad oid", "bad date", "array", "string"],
)
def test_lines_that_are_not_documents_are_rejected(line, expected):
    assert reason(line).startswith(expected)


@pytest.mark.parametrize(
    ("line", "expected"),
    [
        (b"[" * 100_000 + b"]" * 100_000, "nested too deeply"),
        (b'{"a": ' * 5000 + b"1" + b"}" * 5000, "nested too deeply"),
        (b'{"email": "a@example.com", "email": "b@example.com"}', "not MongoDB extended JSON (duplicate key 'email')"),
        (b'[{"email": "a@example.com"}]', "a JSON array: export one document per line (without --jsonArray)"),
        (b"{\n", "not MongoDB extended JSON"),
        (b"x" * (1024 * 1024 + 1), "longer than 1 MiB"),
    ],
    ids=["deep array", "deep object", "duplicate key", "json array", "pretty", "huge"],
)
def test_awkward_lines_are_rejected_with_a_reason_not_a_crash(line, expected):
    assert reason(line).startswith(expected)


def test_a_pretty_printed_export_gets_a_hint():
    assert reason(b"{\n").endswith("(one document spans several lines: export without --pretty)")


def test_a_byte_order_mark_before_a_document_is_ignored():
    [(_, customer)] = read(b"\xef\xbb\xbf" + json.dumps(MINIMAL).encode())
    assert customer.email == Email("ada@example.com")


def test_a_line_longer_than_the_limit_costs_only_its_start(tmp_path):
    path = tmp_path / "export.json"
    path.write_bytes(b"y" * (3 * 1024 * 1024) + b"\n" + json.dumps(MINIMAL).encode() + b"\n")

    with path.open("rb") as file:
        lines = list(lines_of(file))

    assert [len(line) for line in lines] == [1024 * 1024 + 1, len(json.dumps(MINIMAL)) + 1]


@pytest.mark.parametrize(
    ("changes", "expected"),
    [
        ({"_id": None}, "_id: is missing"),
        ({"_id": "not-an-object-id"}, "_id: must be an ObjectId"),
        ({"_id": 42}, "_id: must be an ObjectId"),
        ({"email": None}, "email: is missing"),
        ({"email": "not an email"}, "email: not a valid email address"),
        ({"email": 7}, "email: must be a string"),
        ({"password": None}, "password: is missing"),
        ({"password": "plain text"}, "password: must be a bcrypt hash"),
        ({"password": HASH.replace("$2a$", "$2x$")}, "password: must be a bcrypt hash"),
        ({"password": HASH.replace("$04$", "$03$")}, "password: must be a bcrypt hash"),
        ({"password": HASH[:-1]}, "password: must be a bcrypt hash"),
        ({"password": HASH.replace("$04$", "$15$")}, "password: must be a bcrypt hash"),
        ({"password": "$argon2id$v=19$m=65536,t=3,p=4$c29tZQ$abc"}, "password: must be a bcrypt hash"),
        ({"firstName": ""}, "firstName: is missing"),
        ({"firstName": "x" * 101}, "firstName: must be at most 100 characters"),
        ({"lastName": "a\x07b"}, "lastName: must not contain control characters"),
        ({"phone": "0123"}, "phone: must be an E.164 phone number"),
        ({"gender": "other"}, "gender: must be one of female, male, non_binary, prefer_not_to_say"),
        ({"dateOfBirth": "1990-12-10"}, "dateOfBirth: must be a date"),
        ({"profileImage": "me.png"}, "profileImage: "),
        ({"preferences": {"newsletter": "yes"}}, "preferences.newsletter: must be true or false"),
        ({"preferences": {"language": "english!"}}, "preferences.language: "),
        ({"preferences": {"currency": "XXX1"}}, "preferences.currency: "),
        ({"isActive": 1}, "isActive: must be true or false"),
        ({"totalOrders": -1}, "totalOrders: must be a whole number"),
        ({"totalOrders": 2**63}, "totalOrders: must be a whole number"),
        ({"loyaltyPoints": {"$numberLong": "99999999999999999999"}}, "loyaltyPoints: must be a whole number"),
        ({"dateOfBirth": {"$date": "2999-01-01T00:00:00Z"}}, "dateOfBirth: must be in the past"),
        ({"dateOfBirth": {"$date": "1850-01-01T00:00:00Z"}}, "dateOfBirth: must be within the last 130 years"),
        ({"preferences": "yes"}, "preferences: must be an object"),
        ({"loyaltyPoints": 1.5}, "loyaltyPoints: must be a whole number"),
        ({"totalSpent": -0.01}, "totalSpent: must be an amount"),
        ({"totalSpent": {"$numberDecimal": "NaN"}}, "totalSpent: must be an amount"),
        ({"totalSpent": True}, "totalSpent: must be an amount"),
        ({"createdAt": "2020-07-26"}, "createdAt: must be a date"),
    ],
    ids=lambda value: json.dumps(value) if isinstance(value, dict) else "",
)
def test_each_invalid_field_is_named_in_the_reason(changes, expected):
    assert expected in reason({**MINIMAL, **changes})


def test_every_problem_of_a_line_is_reported_at_once():
    problems = reason({"_id": {"$oid": "5f1d7a3e2b4c1a0012345678"}, "email": "bad", "gender": "x"}).split("; ")
    assert [problem.split(":")[0] for problem in problems] == ["email", "password", "firstName", "lastName", "gender"]
