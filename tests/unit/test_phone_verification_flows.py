"""Phone verification at service level: the core on in-memory storage, codes
read from the queued SMS, time moved by the clock. What only HTTP shows is in
tests/integration/test_phone_verification_http.py."""

from __future__ import annotations

import datetime as dt

import pytest

from customer_core import ProfileChanges
from customer_core.errors import NoPhone, PhoneCodeInvalid, RateLimited, Unauthenticated
from customer_core.outbox import Channel
from customer_core.phone_codes import LIFETIME, TRIES
from customer_core.records import Event
from customer_core.use_cases.phone_verification import PhoneCodeEntry
from customer_core.values import Phone
from tests.support import acting

MINUTE = dt.timedelta(minutes=1)
MS = dt.timedelta(milliseconds=1)
PHONE = "+441234567890"
OTHER_PHONE = "+442079460958"


@pytest.fixture
def ada(flows):
    return flows.register(phone=Phone(PHONE)).customer


def send(flows, customer) -> str:
    """Ask for a code and return the one that went out."""
    flows.service.send_phone_code(customer.id)
    return latest_code(flows)


def latest_code(flows) -> str:
    return str(flows.sent("phone_verification")[-1].data["code"])


def confirm(flows, customer, code: str):
    return flows.service.confirm_phone(acting(customer.id), PhoneCodeEntry(code=code))


def wrong(code: str) -> str:
    return f"{(int(code) + 1) % 10**6:06d}"


def test_a_six_digit_code_goes_by_sms_to_the_phone_and_nothing_else_with_it(flows, ada):
    flows.service.send_phone_code(ada.id)

    [sms] = flows.sent("phone_verification")
    assert (sms.channel, sms.to, sms.locale, sms.customer_id) == (Channel.SMS, PHONE, "en", ada.id)
    assert set(sms.data) == {"code"}
    assert len(sms.data["code"]) == 6 and sms.data["code"].isdigit()


def test_the_code_verifies_the_phone_and_is_recorded(flows, ada):
    code = send(flows, ada)

    verified = confirm(flows, ada, code)

    assert verified.phone_verified and verified.phone == Phone(PHONE)
    assert flows.service.get_profile(ada.id).phone_verified
    activity = flows.service.activity(ada.id).items
    assert activity[0].type == Event.PHONE_VERIFIED


def test_without_a_phone_no_code_can_be_sent(flows):
    customer = flows.register().customer

    with pytest.raises(NoPhone):
        flows.service.send_phone_code(customer.id)
    assert flows.sent("phone_verification") == []


def test_nothing_is_sent_to_a_phone_already_verified(flows, ada):
    confirm(flows, ada, send(flows, ada))
    flows.clock.advance(MINUTE)

    flows.service.send_phone_code(ada.id)

    assert len(flows.sent("phone_verification")) == 1


def test_an_erased_account_gets_no_code(flows, ada):
    flows.service.admin.erase(str(ada.id), operator="ops")

    with pytest.raises(Unauthenticated):
        flows.service.send_phone_code(ada.id)


def test_one_code_a_minute_with_the_seconds_to_wait(flows, ada):
    send(flows, ada)
    flows.clock.advance(dt.timedelta(seconds=20))

    with pytest.raises(RateLimited) as refused:
        flows.service.send_phone_code(ada.id)

    assert refused.value.retry_after_seconds == 40
    assert len(flows.sent("phone_verification")) == 1
    flows.clock.advance(dt.timedelta(seconds=40))
    flows.service.send_phone_code(ada.id)
    assert len(flows.sent("phone_verification")) == 2


def test_at_most_five_codes_an_hour(flows, ada):
    hour_start = flows.clock.now().replace(minute=0, second=0, microsecond=0)
    flows.clock.advance(hour_start + dt.timedelta(minutes=1) - flows.clock.now())
    for _ in range(5):
        send(flows, ada)
        flows.clock.advance(MINUTE)

    with pytest.raises(RateLimited) as refused:
        flows.service.send_phone_code(ada.id)

    assert refused.value.retry_after_seconds == (hour_start + dt.timedelta(hours=1) - flows.clock.now()).seconds
    assert len(flows.sent("phone_verification")) == 5
    flows.clock.advance(dt.timedelta(seconds=refused.value.retry_after_seconds))
    send(flows, ada)


def test_a_refused_request_keeps_the_code_already_sent(flows, ada):
    code = send(flows, ada)
    with pytest.raises(RateLimited):
        flows.service.send_phone_code(ada.id)

    assert confirm(flows, ada, code).phone_verified


def test_a_new_code_makes_the_older_one_useless(flows, ada):
    old = send(flows, ada)
    flows.clock.advance(MINUTE)
    new = send(flows, ada)

    if old != new:  # one time in a million they are the same
        with pytest.raises(PhoneCodeInvalid):
            confirm(flows, ada, old)
    assert confirm(flows, ada, new).phone_verified


def test_a_wrong_code_verifies_nothing(flows, ada):
    code = send(flows, ada)

    with pytest.raises(PhoneCodeInvalid):
        confirm(flows, ada, wrong(code))

    assert not flows.service.get_profile(ada.id).phone_verified


def test_the_right_code_after_four_wrong_ones_still_works(flows, ada):
    code = send(flows, ada)
    for _ in range(TRIES - 1):
        with pytest.raises(PhoneCodeInvalid):
            confirm(flows, ada, wrong(code))

    assert confirm(flows, ada, code).phone_verified


def test_after_five_wrong_tries_the_code_is_dead(flows, ada):
    code = send(flows, ada)
    for _ in range(TRIES):
        with pytest.raises(PhoneCodeInvalid):
            confirm(flows, ada, wrong(code))

    with pytest.raises(PhoneCodeInvalid):
        confirm(flows, ada, code)
    assert not flows.service.get_profile(ada.id).phone_verified


def test_a_new_code_after_a_dead_one_has_its_five_tries(flows, ada):
    code = send(flows, ada)
    for _ in range(TRIES):
        with pytest.raises(PhoneCodeInvalid):
            confirm(flows, ada, wrong(code))
    flows.clock.advance(MINUTE)

    assert confirm(flows, ada, send(flows, ada)).phone_verified


def test_a_code_lives_ten_minutes(flows, ada):
    code = send(flows, ada)
    flows.clock.advance(LIFETIME)

    with pytest.raises(PhoneCodeInvalid):
        confirm(flows, ada, code)


def test_a_code_is_good_until_just_before_ten_minutes(flows, ada):
    code = send(flows, ada)
    flows.clock.advance(LIFETIME - MS)

    assert confirm(flows, ada, code).phone_verified


def test_a_code_works_once(flows, ada):
    code = send(flows, ada)
    confirm(flows, ada, code)

    with pytest.raises(PhoneCodeInvalid):
        confirm(flows, ada, code)
    assert flows.service.get_profile(ada.id).phone_verified


def test_a_code_is_no_use_to_another_customer(flows, ada):
    grace = flows.register(phone=Phone(PHONE)).customer
    adas = send(flows, ada)
    graces = send(flows, grace)

    if adas != graces:
        with pytest.raises(PhoneCodeInvalid):
            confirm(flows, grace, adas)
    with pytest.raises(PhoneCodeInvalid):
        confirm(flows, flows.register(phone=Phone(PHONE)).customer, adas)  # no code of her own
    assert not flows.service.get_profile(grace.id).phone_verified


def test_a_code_sent_before_the_phone_changed_does_not_verify_the_new_one(flows, ada):
    code = send(flows, ada)
    flows.service.update_profile(acting(ada.id), ProfileChanges(phone=Phone(OTHER_PHONE)))

    with pytest.raises(PhoneCodeInvalid):
        confirm(flows, ada, code)
    assert not flows.service.get_profile(ada.id).phone_verified


def test_a_code_does_not_work_once_the_phone_is_removed(flows, ada):
    code = send(flows, ada)
    flows.service.update_profile(acting(ada.id), ProfileChanges(phone=None))

    with pytest.raises(PhoneCodeInvalid):
        confirm(flows, ada, code)


@pytest.mark.parametrize(
    "new_phone",
    [Phone(OTHER_PHONE), None],
    ids=["another number", "no number"],
)
def test_changing_the_phone_makes_it_unverified(flows, ada, new_phone):
    confirm(flows, ada, send(flows, ada))

    changed = flows.service.update_profile(acting(ada.id), ProfileChanges(phone=new_phone))

    assert changed.phone == new_phone and not changed.phone_verified


@pytest.mark.parametrize(
    "changes",
    [ProfileChanges(phone=Phone("+44 1234 567890")), ProfileChanges(first_name="Augusta")],
    ids=["the same number, spelled otherwise", "another field"],
)
def test_other_changes_keep_the_phone_verified(flows, ada, changes):
    confirm(flows, ada, send(flows, ada))

    assert flows.service.update_profile(acting(ada.id), changes).phone_verified


def test_an_erasure_removes_the_pending_code(flows, ada):
    send(flows, ada)
    flows.service.admin.erase(str(ada.id), operator="ops")

    assert flows.wiring.service.confirm_phone.phone_codes.take_try(ada.id, now=flows.clock.now()) is None
