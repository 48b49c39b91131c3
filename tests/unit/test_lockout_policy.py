import datetime as dt
import shutil
import tempfile
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from hypothesis.stateful import RuleBasedStateMachine, initialize, invariant, precondition, rule

from adapters.memory import InMemoryLockouts, ManualClock, RecordingNotifier
from customer_core import Credentials, CustomerService, InvalidCredentials, LockoutPolicy, Registration
from customer_core.errors import WrongPassword
from customer_core.lockout import lockout_key
from customer_core.use_cases.passwords import PasswordChange
from customer_core.values import Email
from tests.support import memory_ports, policies
from tests.unit.test_values import spelling_variants

NOW = dt.datetime(2026, 1, 1, tzinfo=dt.UTC)
EMAIL = "ada@example.com"
PASSWORD = "correct horse battery staple"
NEW = "a new password nobody guesses"
MOMENTS = st.datetimes(min_value=dt.datetime(2000, 1, 1), max_value=dt.datetime(2100, 1, 1), timezones=st.just(dt.UTC))
DURATIONS = st.timedeltas(min_value=dt.timedelta(seconds=1), max_value=dt.timedelta(days=2))


@pytest.mark.parametrize("threshold", [0, -1, -100])
def test_threshold_below_one_is_refused(threshold):
    with pytest.raises(ValueError, match="at least 1"):
        LockoutPolicy(threshold=threshold)


def test_defaults_lock_after_5_failures_for_15_minutes():
    policy = LockoutPolicy()
    assert (policy.threshold, policy.duration) == (5, dt.timedelta(minutes=15))


@given(st.integers(min_value=1, max_value=1000), st.integers(min_value=0, max_value=1000))
def test_a_wrong_password_in_the_last_allowed_check_locks(threshold, extra):
    policy = LockoutPolicy(threshold=threshold)
    assert not policy.locks_after(threshold - 1)
    assert policy.locks_after(threshold)
    assert policy.locks_after(threshold + extra)


@given(MOMENTS, DURATIONS)
def test_lock_lasts_the_configured_duration(now, duration):
    assert LockoutPolicy(duration=duration).locked_until(now) == now + duration


@given(st.emails().flatmap(lambda email: st.tuples(st.just(email), spelling_variants(email))))
def test_every_spelling_of_an_email_has_one_lockout_key(case):
    email, spelling = case
    assert lockout_key(spelling) == lockout_key(email)
    assert len(lockout_key(email)) == 64 and email.lower() not in lockout_key(email)


def test_text_that_is_no_email_has_a_key_of_its_own():
    assert lockout_key(" Not An Email ") == lockout_key("not an email") != lockout_key("not an email2")


class LoginLockout(RuleBasedStateMachine):
    """Drives the real Login use case; the model is the count of password
    checks since the last success or lock, and the time the current lock ends."""

    @initialize(threshold=st.integers(min_value=1, max_value=4), minutes=st.integers(min_value=1, max_value=30))
    def start(self, threshold, minutes):
        self.keys_dir = Path(tempfile.mkdtemp(prefix="lockout-keys-"))
        self.clock = ManualClock(NOW)
        self.lockouts = InMemoryLockouts()
        self.notifier = RecordingNotifier()
        self.policy = LockoutPolicy(threshold=threshold, duration=dt.timedelta(minutes=minutes))
        ports = memory_ports(self.clock, self.keys_dir, lockouts=self.lockouts, notifier=self.notifier)
        self.service = CustomerService.assemble(ports, policies(lockout=self.policy))
        registered = self.service.register(
            Registration(email=Email(EMAIL), password=PASSWORD, first_name="Ada", last_name="Lovelace")
        )
        self.principal = self.service.authenticate(registered.tokens.access_token)
        self.failures = 0
        self.locked_until = None
        self.locks = []

    def teardown(self):
        if hasattr(self, "keys_dir"):
            shutil.rmtree(self.keys_dir, ignore_errors=True)

    def _locked(self) -> bool:
        return self.locked_until is not None and self.clock.now() < self.locked_until

    @rule()
    def wrong_password(self):
        with pytest.raises(InvalidCredentials):
            self.service.login(Credentials(email=EMAIL, password=PASSWORD + "!"))
        self._counted_a_wrong_password()

    @rule()
    def wrong_password_to_change_the_password(self):
        with pytest.raises(WrongPassword):
            self.service.change_password(self.principal, PasswordChange(current_password="wrong!", new_password=NEW))
        self._counted_a_wrong_password()

    def _counted_a_wrong_password(self):
        if self._locked():
            return
        self.failures += 1
        if self.failures == self.policy.threshold:
            self.locked_until = self.clock.now() + self.policy.duration
            self.locks.append(self.locked_until)
            self.failures = 0

    @rule()
    def right_password(self):
        if self._locked():
            with pytest.raises(InvalidCredentials):
                self.service.login(Credentials(email=EMAIL, password=PASSWORD))
            return
        logged_in = self.service.login(Credentials(email=EMAIL, password=PASSWORD))
        assert logged_in.customer.email.value == EMAIL
        assert logged_in.tokens.access_token
        self.failures = 0

    @rule()
    def unknown_email(self):
        with pytest.raises(InvalidCredentials):
            self.service.login(Credentials(email="nobody@example.com", password=PASSWORD))

    @rule(seconds=st.integers(min_value=1, max_value=3600))
    def advance_clock(self, seconds):
        self.clock.advance(dt.timedelta(seconds=seconds))

    @precondition(lambda self: self._locked())
    @rule(early=st.sampled_from([dt.timedelta(0), dt.timedelta(microseconds=1)]))
    def advance_to_the_end_of_the_lock(self, early):
        self.clock.advance(self.locked_until - early - self.clock.now())

    @invariant()
    def stored_count_and_lock_match_the_model(self):
        key = lockout_key(EMAIL)
        assert self.lockouts.locked_until(key, now=self.clock.now()) == (self.locked_until if self._locked() else None)
        stored = self.lockouts._by_key.get(key)  # the in-memory adapter's own record, read to check the count
        assert (stored.checks if stored else 0) == self.failures

    @invariant()
    def one_account_locked_message_per_lock(self):
        messages = [m for m in self.notifier.sent if m.template == "account_locked"]
        assert [m.data["lockedUntil"] for m in messages] == [until.isoformat() for until in self.locks]
        assert all(m.to == EMAIL for m in messages)


LoginLockout.TestCase.settings = settings(max_examples=30, stateful_step_count=20, deadline=None)
test_login_lockout = LoginLockout.TestCase
