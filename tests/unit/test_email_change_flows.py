"""Changing the email address at service level: confirmed from the new
address, announced to the old; tokens read from the queued messages."""

from __future__ import annotations

import datetime as dt

import pytest

from customer_core import EmailTaken, InvalidCredentials, ValidationFailed
from customer_core.errors import EmailedTokenInvalid, RateLimited, WrongPassword
from customer_core.use_cases.email_change import EmailChange
from customer_core.use_cases.emailed_tokens import TokenRedemption
from customer_core.values import Email
from tests.support import PASSWORD, unique_email


@pytest.fixture
def customer(flows):
    """A registered customer: their email and principal."""
    email = unique_email("old")
    registered = flows.register(email)
    return email, flows.service.authenticate(registered.tokens.access_token)


def request_change(flows, principal, new_email, password=PASSWORD):
    flows.service.request_email_change(principal, EmailChange(new_email=Email(new_email), password=password))


def confirm(flows, token):
    return flows.service.confirm_email_change(TokenRedemption(token=token))


def change_messages(flows):
    return flows.sent("email_change_verification") + flows.sent("email_changed")


def test_a_change_mails_a_link_to_the_new_address_and_a_warning_to_the_old(flows, customer):
    old_email, principal = customer
    new_email = unique_email("new")

    request_change(flows, principal, f"  {new_email.upper()} ")

    [link] = flows.sent("email_change_verification")
    assert (link.to, link.locale, link.data["firstName"]) == (new_email, "en", "Ada")
    assert link.data["newEmail"] == new_email
    assert link.data["url"] == f"http://localhost:3001/confirm-email-change?token={link.data['token']}"
    [warning] = flows.sent("email_changed")
    assert (warning.to, warning.locale, warning.data["firstName"]) == (old_email, "en", "Ada")
    assert warning.data["newEmail"] == new_email
    assert "token" not in warning.data and "url" not in warning.data


def test_a_confirmed_change_switches_the_email_and_marks_it_verified(flows, customer):
    old_email, principal = customer
    new_email = unique_email("new")
    request_change(flows, principal, new_email)
    assert flows.service.get_profile(principal.customer_id).email.value == old_email

    confirmed = confirm(flows, flows.token("email_change_verification", new_email))

    assert confirmed.id == principal.customer_id
    assert confirmed.email.value == new_email
    assert confirmed.email_verified is True and confirmed.is_verified is True
    assert flows.service.get_profile(principal.customer_id).email.value == new_email


def test_after_the_change_only_the_new_email_logs_in_and_the_old_can_register_again(flows, customer):
    old_email, principal = customer
    new_email = unique_email("new")
    request_change(flows, principal, new_email)
    confirm(flows, flows.token("email_change_verification", new_email))

    assert flows.login(new_email).customer.id == principal.customer_id
    with pytest.raises(InvalidCredentials):
        flows.login(old_email)
    assert flows.register(old_email).customer.email.value == old_email


def test_a_change_with_a_wrong_password_is_refused_and_mails_nothing(flows, customer):
    _, principal = customer

    with pytest.raises(WrongPassword):
        request_change(flows, principal, unique_email("new"), "not my password")

    assert change_messages(flows) == []


def test_a_change_to_an_email_of_another_account_in_any_spelling_is_refused(flows, customer):
    _, principal = customer
    taken = unique_email("taken")
    flows.register(taken)

    with pytest.raises(EmailTaken):
        request_change(flows, principal, f" {taken.upper()}")

    assert change_messages(flows) == []


def test_a_change_to_the_current_email_in_any_spelling_is_refused(flows, customer):
    old_email, principal = customer

    with pytest.raises(ValidationFailed) as refused:
        request_change(flows, principal, f" {old_email.upper()} ")

    assert [error.field for error in refused.value.errors] == ["new_email"]
    assert change_messages(flows) == []


def test_confirm_fails_when_another_account_took_the_email_meanwhile(flows, customer):
    old_email, principal = customer
    new_email = unique_email("new")
    request_change(flows, principal, new_email)
    token = flows.token("email_change_verification", new_email)
    other = flows.register(new_email)

    with pytest.raises(EmailTaken):
        confirm(flows, token)

    assert flows.service.get_profile(principal.customer_id).email.value == old_email
    assert flows.service.get_profile(other.customer.id).email.value == new_email
    assert flows.login(old_email).customer.id == principal.customer_id
    assert flows.login(new_email).customer.id == other.customer.id


def test_a_confirmation_that_failed_leaves_its_link_usable_once_the_email_is_free_again(flows, customer):
    _, principal = customer
    new_email = unique_email("new")
    request_change(flows, principal, new_email)
    token = flows.token("email_change_verification", new_email)
    other = flows.register(new_email)
    with pytest.raises(EmailTaken):
        confirm(flows, token)
    other_principal = flows.service.authenticate(other.tokens.access_token)
    request_change(flows, other_principal, unique_email("elsewhere"))
    confirm(flows, flows.sent("email_change_verification")[-1].data["token"])

    assert confirm(flows, token).email.value == new_email


def test_a_verification_link_for_the_old_email_stops_working_after_the_change(flows, customer):
    old_email, principal = customer
    verification = flows.token("email_verification", old_email)
    new_email = unique_email("new")
    request_change(flows, principal, new_email)
    confirm(flows, flows.token("email_change_verification", new_email))

    with pytest.raises(EmailedTokenInvalid):
        flows.service.verify_email(TokenRedemption(token=verification))


def test_at_most_three_email_changes_an_hour_are_mailed_per_account(flows, customer):
    _, principal = customer
    for _ in range(3):
        request_change(flows, principal, unique_email("new"))

    with pytest.raises(RateLimited) as limited:
        request_change(flows, principal, unique_email("new"))

    assert len(flows.sent("email_change_verification")) == 3
    assert 0 < limited.value.retry_after_seconds <= 3600
    other = flows.service.authenticate(flows.register(unique_email("other")).tokens.access_token)
    request_change(flows, other, unique_email("new"))
    flows.clock.advance(dt.timedelta(hours=1))
    request_change(flows, principal, unique_email("new"))
