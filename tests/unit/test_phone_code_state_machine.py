"""Phone codes (sending, tries, expiry, phone changes), driven through the
real core by a hypothesis state machine and checked against a small model."""

from __future__ import annotations

import datetime as dt
import tempfile
from contextlib import ExitStack
from pathlib import Path

import attrs
import pytest
from hypothesis import settings
from hypothesis import strategies as st
from hypothesis.stateful import RuleBasedStateMachine, invariant, rule

from adapters.memory import ManualClock
from customer_core import CustomerService, ProfileChanges, Registration
from customer_core.errors import NoPhone, PhoneCodeInvalid, RateLimited
from customer_core.lockout import RateLimit
from customer_core.phone_codes import LIFETIME, TRIES
from customer_core.use_cases.phone_verification import PhoneCodeEntry, SendPhoneCode
from customer_core.values import Email, Phone
from tests.support import PASSWORD, acting, memory_ports, policies

START = dt.datetime(2100, 1, 1, tzinfo=dt.UTC)
PHONES = [Phone("+441234567890"), Phone("+442079460958"), None]
CLOCK_STEPS = [
    dt.timedelta(seconds=1),
    dt.timedelta(seconds=30),
    SendPhoneCode.INTERVAL,
    dt.timedelta(minutes=4),
    LIFETIME - dt.timedelta(seconds=1),
    LIFETIME,
]


@attrs.define
class ModelCode:
    code: str
    phone: Phone
    sent_at: dt.datetime
    tries_left: int = TRIES

    def expires_at(self) -> dt.datetime:
        return self.sent_at + LIFETIME


class PhoneCodeMachine(RuleBasedStateMachine):
    def __init__(self) -> None:
        super().__init__()
        self.resources = ExitStack()
        self.clock = ManualClock(START)
        keys_dir = Path(self.resources.enter_context(tempfile.TemporaryDirectory()))
        ports = memory_ports(self.clock, keys_dir)
        self.sent = ports.notifier.sent
        # The hourly limit is a fixed window, tested on its own; here only the minute between codes.
        self.service = CustomerService.assemble(ports, policies(phone_code_rate=RateLimit(limit=10**6)))
        registration = Registration(
            email=Email("ada@example.com"), password=PASSWORD, first_name="Ada", last_name="Lovelace", phone=PHONES[0]
        )
        self.customer_id = self.service.register(registration).customer.id
        self.phone: Phone | None = PHONES[0]
        self.verified = False
        self.code: ModelCode | None = None
        self.last_sent: dt.datetime | None = None

    def teardown(self) -> None:
        self.resources.close()

    def live(self) -> bool:
        now = self.clock.now()
        return self.code is not None and now < self.code.expires_at() and self.code.tries_left > 0

    @rule(step=st.sampled_from(CLOCK_STEPS))
    def wait(self, step: dt.timedelta) -> None:
        self.clock.advance(step)

    @rule()
    def ask_for_a_code(self) -> None:
        now = self.clock.now()
        if self.phone is None:
            with pytest.raises(NoPhone):
                self.service.send_phone_code(self.customer_id)
        elif self.verified:
            before = len(self.sent)
            self.service.send_phone_code(self.customer_id)
            assert len(self.sent) == before
        elif self.last_sent is not None and now - self.last_sent < SendPhoneCode.INTERVAL:
            with pytest.raises(RateLimited):
                self.service.send_phone_code(self.customer_id)
        else:
            self.service.send_phone_code(self.customer_id)
            self.code = ModelCode(code=self.sent[-1].data["code"], phone=self.phone, sent_at=now)
            self.last_sent = now

    @rule(right=st.booleans(), digits=st.integers(0, 10**6 - 1))
    def enter_a_code(self, right: bool, digits: int) -> None:
        entered = self.code.code if right and self.code else f"{digits:06d}"
        succeeds = self.live() and self.code is not None and entered == self.code.code and self.code.phone == self.phone
        if self.live() and self.code is not None:
            self.code.tries_left -= 1
        entry = PhoneCodeEntry(code=entered)
        if succeeds:
            assert self.service.confirm_phone(acting(self.customer_id), entry).phone_verified
            # A used code is gone, and with it the minute to wait before the next.
            self.verified, self.code, self.last_sent = True, None, None
        else:
            with pytest.raises(PhoneCodeInvalid):
                self.service.confirm_phone(acting(self.customer_id), entry)

    @rule(phone=st.sampled_from(PHONES))
    def change_the_phone(self, phone: Phone | None) -> None:
        self.service.update_profile(acting(self.customer_id), ProfileChanges(phone=phone))
        if phone != self.phone:
            self.phone, self.verified = phone, False

    @invariant()
    def the_profile_says_whether_its_phone_is_verified(self) -> None:
        customer = self.service.get_profile(self.customer_id)
        assert (customer.phone, customer.phone_verified) == (self.phone, self.verified)


PhoneCodeMachine.TestCase.settings = settings(stateful_step_count=30)
TestPhoneCodes = PhoneCodeMachine.TestCase
