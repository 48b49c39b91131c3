"""Forgotten, reset and changed passwords at service level: the core on
in-memory storage, tokens read from the queued messages, time moved by the
clock. Asking for a reset really waits its padded 250 ms."""

from __future__ import annotations

import datetime as dt
import time

import pytest

from customer_core import AccountDisabled, InvalidCredentials, TokenInvalid, Unauthenticated, ValidationFailed
from customer_core.errors import EmailedTokenInvalid, WrongPassword
from customer_core.use_cases.passwords import PasswordChange, PasswordReset, ResetRequest
from customer_core.use_cases.sessions import RefreshRequest
from tests.support import PASSWORD, unique_email

NEW_PASSWORD = "a brand new passphrase"
PADDING = 0.25


def forgot(flows, email):
    flows.service.request_password_reset(ResetRequest(email=email))


def reset(flows, token, new_password=NEW_PASSWORD):
    flows.service.reset_password(PasswordReset(token=token, new_password=new_password))


def principal_of(flows, tokens):
    return flows.service.authenticate(tokens.access_token)


def assert_session_ended(flows, tokens):
    with pytest.raises(Unauthenticated):
        flows.service.authenticate(tokens.access_token)
    with pytest.raises(TokenInvalid):
        flows.service.refresh(RefreshRequest(refresh_token=tokens.refresh_token))


def refused_fields(call, *args):
    """The fields named by the ValidationFailed that ``call(*args)`` raises."""
    with pytest.raises(ValidationFailed) as refused:
        call(*args)
    return {error.field for error in refused.value.errors}


# --- forgot -----------------------------------------------------------------


def test_forgot_queues_a_reset_link_for_the_account(flows):
    email = unique_email()
    flows.register(email)

    forgot(flows, email)

    [message] = flows.sent("password_reset", email)
    assert (message.locale, message.data["firstName"]) == ("en", "Ada")
    assert message.data["url"] == f"http://localhost:3001/reset-password?token={message.data['token']}"


def test_forgot_takes_as_long_for_unknown_emails_and_mails_only_an_existing_account(flows):
    email, unknown = unique_email(), unique_email("nobody")
    flows.register(email)

    started = time.monotonic()
    forgot(flows, email)
    known_seconds = time.monotonic() - started
    started = time.monotonic()
    forgot(flows, unknown)
    unknown_seconds = time.monotonic() - started

    assert known_seconds >= PADDING and unknown_seconds >= PADDING
    assert abs(known_seconds - unknown_seconds) < 0.2
    assert len(flows.sent("password_reset", email)) == 1
    assert flows.sent(to=unknown) == []


def test_forgot_finds_the_account_in_any_spelling_of_its_email(flows):
    email = unique_email("mixed")
    flows.register(email)

    forgot(flows, f"  {email.upper()} ")

    assert len(flows.sent("password_reset", email)) == 1


@pytest.mark.parametrize("email", ["not-an-email", "", "a@b", "x" * 300 + "@example.com", "nul\x00@example.com"])
def test_forgot_with_a_malformed_email_is_answered_like_an_unknown_one(flows, email):
    assert flows.service.request_password_reset(ResetRequest(email=email)) is None

    assert flows.sent("password_reset") == []


def test_forgot_mails_at_most_once_a_minute_and_the_first_link_keeps_working(flows):
    email = unique_email()
    flows.register(email)
    forgot(flows, email)
    first = flows.token("password_reset", email)
    flows.clock.advance(dt.timedelta(seconds=59))

    forgot(flows, email)

    assert len(flows.sent("password_reset", email)) == 1
    reset(flows, first)
    flows.login(email, NEW_PASSWORD)


def test_forgot_mails_again_once_the_minute_is_over(flows):
    email = unique_email()
    flows.register(email)
    forgot(flows, email)
    flows.clock.advance(dt.timedelta(seconds=60))

    forgot(flows, email)

    assert len(flows.sent("password_reset", email)) == 2


def test_forgot_mails_nothing_to_a_disabled_account(flows):
    email = unique_email()
    flows.register(email)
    flows.service.admin.set_active(email, False, operator="test")

    forgot(flows, email)

    assert flows.sent("password_reset", email) == []


# --- reset ------------------------------------------------------------------


def test_reset_sets_the_new_password_and_ends_every_session(flows):
    email = unique_email()
    sessions = [flows.register(email).tokens, flows.login(email).tokens]
    forgot(flows, email)

    reset(flows, flows.token("password_reset", email))

    for tokens in sessions:
        assert_session_ended(flows, tokens)
    with pytest.raises(InvalidCredentials):
        flows.login(email)
    flows.login(email, NEW_PASSWORD)
    [changed] = flows.sent("password_changed", email)
    assert (changed.locale, changed.data["firstName"]) == ("en", "Ada")


def test_reset_lifts_a_lockout(make_flows):
    flows = make_flows(lockout_threshold=2)
    email = unique_email()
    flows.register(email)
    for _ in range(2):
        with pytest.raises(InvalidCredentials):
            flows.login(email, "wrong password!")
    with pytest.raises(InvalidCredentials):
        flows.login(email)
    [locked] = flows.sent("account_locked", email)
    assert (locked.locale, locked.data["firstName"]) == ("en", "Ada")
    forgot(flows, email)

    reset(flows, flows.token("password_reset", email))

    flows.login(email, NEW_PASSWORD)


def test_reset_refuses_a_password_the_policy_refuses_and_the_token_still_works(flows):
    email = unique_email()
    flows.register(email)
    forgot(flows, email)
    token = flows.token("password_reset", email)

    for weak in ["password123", "Qwertyuiop", f"my name is {email.split('@')[0]}!"]:
        assert refused_fields(reset, flows, token, weak) == {"new_password"}, weak

    flows.login(email)
    assert flows.sent("password_changed", email) == []
    reset(flows, token)
    flows.login(email, NEW_PASSWORD)


def test_reset_is_refused_once_the_account_is_disabled(flows):
    email = unique_email()
    flows.register(email)
    forgot(flows, email)
    token = flows.token("password_reset", email)
    flows.service.admin.set_active(email, False, operator="test")

    with pytest.raises(EmailedTokenInvalid):
        reset(flows, token)

    with pytest.raises(AccountDisabled):
        flows.login(email)
    with pytest.raises(InvalidCredentials):
        flows.login(email, NEW_PASSWORD)
    assert flows.sent("password_changed", email) == []


# --- change -----------------------------------------------------------------


def test_change_keeps_the_callers_session_and_ends_the_others(flows):
    email = unique_email()
    caller = flows.register(email).tokens
    other = flows.login(email).tokens

    flows.service.change_password(
        principal_of(flows, caller), PasswordChange(current_password=PASSWORD, new_password=NEW_PASSWORD)
    )

    principal_of(flows, caller)
    flows.service.refresh(RefreshRequest(refresh_token=caller.refresh_token))
    assert_session_ended(flows, other)
    with pytest.raises(InvalidCredentials):
        flows.login(email)
    flows.login(email, NEW_PASSWORD)
    [changed] = flows.sent("password_changed", email)
    assert (changed.locale, changed.data["firstName"]) == ("en", "Ada")


def test_change_with_a_wrong_current_password_changes_nothing(flows):
    email = unique_email()
    tokens = flows.register(email).tokens
    principal = principal_of(flows, tokens)

    with pytest.raises(WrongPassword):
        flows.service.change_password(
            principal, PasswordChange(current_password="not my password", new_password=NEW_PASSWORD)
        )

    flows.login(email)
    assert principal_of(flows, tokens) == principal
    assert flows.sent("password_changed", email) == []


def test_change_refuses_a_password_the_policy_refuses(flows):
    email = unique_email()
    principal = principal_of(flows, flows.register(email).tokens)

    for weak in ["iloveyou", f"{email.split('@')[0].upper()}-is-my-passphrase"]:
        change = PasswordChange(current_password=PASSWORD, new_password=weak)
        assert refused_fields(flows.service.change_password, principal, change) == {"new_password"}, weak

    flows.login(email)
    assert flows.sent("password_changed", email) == []
