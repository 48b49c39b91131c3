"""Phone verification over real HTTP and MongoDB: the SMS as the Notifications
Service receives it, every answer as a client sees it, and the tries held
by the database under concurrent requests. The rules themselves are tested
at service level in tests/unit/test_phone_verification_flows.py."""

from __future__ import annotations

import datetime as dt
import itertools
import json

import httpx
import pytest

from adapters.memory import ManualClock
from tests.support import API, assert_problem, bearer, register, run_together

ME = f"{API}/me"
VERIFY = f"{ME}/phone/verify"
CONFIRM = f"{ME}/phone/confirm"
FAST_DELIVERY = {
    "outbox_retry_base_seconds": 0.1,
    "outbox_retry_max_seconds": 1.0,
    "notifications_timeout_seconds": 1.0,
    "outbox_lease_seconds": 5.0,
}
_numbers = itertools.count(1)


def a_phone() -> str:
    """A number of its own for each customer, so its SMS are told apart."""
    return f"+4477009{next(_numbers):05d}"


@pytest.fixture
def clock():
    return ManualClock(dt.datetime(2100, 1, 1, tzinfo=dt.UTC))


@pytest.fixture
def sms_app(make_app, notifications, clock):
    """The app on a clock the test moves, delivering to the stand-in Notifications Service."""
    return make_app(settings_changes={"notifications_url": notifications.url, **FAST_DELIVERY}, clock=clock)


@pytest.fixture
def client(sms_app):
    return sms_app.client


def with_phone(client) -> tuple[dict, str]:
    phone = a_phone()
    return register(client, phone=phone)["tokens"], phone


def code_sent(client, notifications, tokens, phone) -> str:
    """Ask for the first code to ``phone``; the one the Notifications Service got."""
    answer = client.post(VERIFY, headers=bearer(tokens))
    assert answer.status_code == 202, answer.text
    return notifications.wait_for("phone_verification", phone).body["data"]["code"]


def confirm(client, tokens, code) -> httpx.Response:
    return client.post(CONFIRM, json={"code": code}, headers=bearer(tokens))


def wrong(code: str) -> str:
    return f"{(int(code) + 1) % 10**6:06d}"


def phone_verified(client, tokens) -> bool:
    return client.get(ME, headers=bearer(tokens)).json()["phoneVerified"]


def test_a_code_goes_by_sms_through_the_notifications_service_and_verifies_the_phone(client, notifications):
    registered = register(client, phone="+44 7700 900 123", preferences={"language": "de"})
    tokens = registered["tokens"]

    asked = client.post(VERIFY, headers=bearer(tokens))

    assert asked.status_code == 202 and asked.json()["message"]
    sms = notifications.wait_for("phone_verification", "+447700900123")
    assert sms.idempotency_key
    assert {key: sms.body[key] for key in ("template", "channel", "to", "locale")} == {
        "template": "phone_verification",
        "channel": "sms",
        "to": "+447700900123",
        "locale": "de",
    }
    code = sms.body["data"]["code"]
    assert set(sms.body["data"]) == {"code"} and len(code) == 6 and code.isdigit()

    confirmed = confirm(client, tokens, code)

    assert confirmed.status_code == 200, confirmed.text
    customer = confirmed.json()
    assert customer["id"] == registered["customer"]["id"]
    assert customer["phoneVerified"] is True and customer["phone"] == "+447700900123"
    assert phone_verified(client, tokens)
    activity = client.get(f"{ME}/activity", headers=bearer(tokens)).json()["items"]
    assert activity[0]["type"] == "phone_verified"


def test_confirming_twice_is_400_the_second_time(client, notifications):
    tokens, phone = with_phone(client)
    code = code_sent(client, notifications, tokens, phone)
    assert confirm(client, tokens, code).status_code == 200

    assert_problem(confirm(client, tokens, code), 400, "TOKEN_INVALID")
    assert phone_verified(client, tokens)


def test_a_wrong_code_is_400_and_verifies_nothing(client, notifications):
    tokens, phone = with_phone(client)
    code = code_sent(client, notifications, tokens, phone)

    assert_problem(confirm(client, tokens, wrong(code)), 400, "TOKEN_INVALID")
    assert not phone_verified(client, tokens)


def test_an_expired_code_is_400(client, notifications, clock):
    tokens, phone = with_phone(client)
    code = code_sent(client, notifications, tokens, phone)
    clock.advance(dt.timedelta(minutes=10))

    assert_problem(confirm(client, tokens, code), 400, "TOKEN_INVALID")
    assert not phone_verified(client, tokens)


def test_after_five_wrong_codes_the_right_one_is_400(client, notifications):
    tokens, phone = with_phone(client)
    code = code_sent(client, notifications, tokens, phone)
    for _ in range(5):
        assert_problem(confirm(client, tokens, wrong(code)), 400, "TOKEN_INVALID")

    assert_problem(confirm(client, tokens, code), 400, "TOKEN_INVALID")
    assert not phone_verified(client, tokens)


def test_ten_wrong_codes_at_once_use_up_the_code(sms_app, notifications):
    tokens, phone = with_phone(sms_app.client)
    code = code_sent(sms_app.client, notifications, tokens, phone)

    def guess(_: int) -> int:
        with httpx.Client(base_url=sms_app.url, timeout=30) as own:
            return confirm(own, tokens, wrong(code)).status_code

    assert run_together(guess, threads=10) == [400] * 10
    assert_problem(confirm(sms_app.client, tokens, code), 400, "TOKEN_INVALID")
    assert not phone_verified(sms_app.client, tokens)


def test_requests_at_once_send_one_code(sms_app, notifications):
    tokens, phone = with_phone(sms_app.client)

    def ask(_: int) -> int:
        with httpx.Client(base_url=sms_app.url, timeout=30) as own:
            return own.post(VERIFY, headers=bearer(tokens)).status_code

    statuses = run_together(ask, threads=10)

    assert sorted(statuses) == [202] + [429] * 9
    sms = notifications.wait_for("phone_verification", phone)
    assert confirm(sms_app.client, tokens, sms.body["data"]["code"]).status_code == 200
    assert len(notifications.delivered("phone_verification", phone)) == 1


def test_another_customers_code_is_400(client, notifications):
    ada, adas_phone = with_phone(client)
    grace, _ = with_phone(client)
    adas_code = code_sent(client, notifications, ada, adas_phone)

    assert_problem(confirm(client, grace, adas_code), 400, "TOKEN_INVALID")
    assert not phone_verified(client, grace)
    assert confirm(client, ada, adas_code).status_code == 200


def test_a_code_sent_before_the_phone_changed_does_not_verify_the_new_one(client, notifications):
    tokens, phone = with_phone(client)
    code = code_sent(client, notifications, tokens, phone)
    assert client.patch(ME, json={"phone": a_phone()}, headers=bearer(tokens)).status_code == 200

    assert_problem(confirm(client, tokens, code), 400, "TOKEN_INVALID")
    assert not phone_verified(client, tokens)


def test_changing_the_phone_sets_phone_verified_back_to_false(client, notifications):
    tokens, phone = with_phone(client)
    confirm(client, tokens, code_sent(client, notifications, tokens, phone))

    same = client.patch(ME, json={"phone": phone, "firstName": "Augusta"}, headers=bearer(tokens))
    changed = client.patch(ME, json={"phone": a_phone()}, headers=bearer(tokens))

    assert same.json()["phoneVerified"] is True
    assert changed.json()["phoneVerified"] is False


def test_without_a_phone_it_is_409_no_phone(client):
    tokens = register(client)["tokens"]

    assert_problem(client.post(VERIFY, headers=bearer(tokens)), 409, "NO_PHONE")


def test_a_second_code_within_the_minute_is_429_with_retry_after(client, notifications, clock):
    tokens, phone = with_phone(client)
    code_sent(client, notifications, tokens, phone)
    clock.advance(dt.timedelta(seconds=20))

    limited = client.post(VERIFY, headers=bearer(tokens))

    assert_problem(limited, 429, "RATE_LIMITED")
    assert limited.headers["retry-after"] == "40"
    clock.advance(dt.timedelta(seconds=40))
    assert client.post(VERIFY, headers=bearer(tokens)).status_code == 202


def test_without_a_valid_access_token_it_is_401(client):
    for path in (VERIFY, CONFIRM):
        for headers in ({}, {"Authorization": "Bearer not-a-token"}):
            refused = client.post(path, json={"code": "123456"}, headers=headers)
            assert_problem(refused, 401, "UNAUTHENTICATED")


MALFORMED = [
    {},
    {"code": "12345"},
    {"code": "1234567"},
    {"code": " 123456"},
    {"code": "12345x"},
    {"code": "\uff11\uff12\uff13\uff14\uff15\uff16"},  # full-width digits
    {"code": 123456},
    {"code": None},
    {"code": ["123456"]},
    {"code": {"$ne": None}},
    {"code": "123456", "phone": "+441234567890"},
    ["123456"],
]


def test_a_malformed_body_is_422_and_costs_no_try(client, notifications):
    tokens, phone = with_phone(client)
    code = code_sent(client, notifications, tokens, phone)

    for body in MALFORMED:
        refused = client.post(CONFIRM, json=body, headers=bearer(tokens))
        problem = assert_problem(refused, 422, "VALIDATION_ERROR")
        assert problem["errors"], body

    assert confirm(client, tokens, code).status_code == 200


@pytest.mark.parametrize(
    ("content", "content_type", "status"),
    [(b"{", "application/json", 400), (b"code=123456", "application/x-www-form-urlencoded", 415)],
)
def test_a_body_that_is_not_json_is_refused_as_problem_details(client, content, content_type, status):
    tokens, _ = with_phone(client)

    refused = client.post(CONFIRM, content=content, headers={**bearer(tokens), "Content-Type": content_type})

    assert_problem(refused, status, {400: "BAD_REQUEST", 415: "UNSUPPORTED_MEDIA_TYPE"}[status])


def test_the_store_holds_no_code_only_its_keyed_digest(client, notifications, db):
    tokens, phone = with_phone(client)
    code = code_sent(client, notifications, tokens, phone)

    [stored] = db.phone_codes.find()

    assert code not in json.dumps(stored, default=str)
    assert phone.removeprefix("+") not in json.dumps(stored, default=str)
    assert set(stored) == {"_id", "customerId", "digest", "sentAt", "expiresAt", "triesLeft"}
