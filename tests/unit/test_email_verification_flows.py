"""Email verification at service level: the core on in-memory storage, links
read from the queued messages, time moved by the clock."""

from __future__ import annotations

import datetime as dt
from urllib.parse import parse_qs, urlsplit

import pytest

from customer_core import InvalidCredentials, PreferenceChanges, Unauthenticated
from customer_core.errors import EmailedTokenInvalid, EmailNotVerified, RateLimited
from customer_core.use_cases.emailed_tokens import TokenRedemption
from customer_core.use_cases.passwords import PasswordChange
from customer_core.values import Id, Language
from tests.support import PASSWORD, unique_email

MINUTE = dt.timedelta(seconds=60)


def link_token(url: str) -> str:
    [token] = parse_qs(urlsplit(url).query)["token"]
    return token


def principal_of(flows, tokens):
    return flows.service.authenticate(tokens.access_token)


def test_registration_queues_a_welcome_and_a_verification_link(flows):
    email = unique_email()

    flows.register(email)

    [welcome] = flows.sent("welcome", email)
    [verification] = flows.sent("email_verification", email)
    assert (welcome.locale, welcome.data["firstName"]) == ("en", "Ada")
    assert (verification.locale, verification.data["firstName"]) == ("en", "Ada")
    url = verification.data["url"]
    assert url.startswith("http://localhost:3001/verify-email?")
    assert link_token(url) == verification.data["token"]
    assert "token" not in welcome.data and "url" not in welcome.data


def test_messages_use_the_customers_language_and_link_to_the_configured_public_url(make_flows):
    flows = make_flows(public_url="https://shop.example.com/account")
    email = unique_email()

    flows.register(email, preferences=PreferenceChanges(language=Language("de")))

    [welcome] = flows.sent("welcome", email)
    [verification] = flows.sent("email_verification", email)
    assert welcome.locale == verification.locale == "de"
    assert verification.data["url"].startswith("https://shop.example.com/account/verify-email?token=")
    assert link_token(verification.data["url"]) == verification.data["token"]


def test_the_emailed_token_verifies_the_email(flows):
    email = unique_email()
    registered = flows.register(email)
    assert registered.customer.email_verified is False

    verified = flows.service.verify_email(TokenRedemption(token=flows.token("email_verification", email)))

    assert verified.id == registered.customer.id
    assert verified.email_verified is True and verified.is_verified is True
    profile = flows.service.get_profile(registered.customer.id)
    assert profile.email_verified is True and profile.is_verified is True


def test_resend_queues_a_fresh_link_and_the_older_one_stops_working(flows):
    email = unique_email()
    registered = flows.register(email)
    first = flows.token("email_verification", email)
    flows.clock.advance(MINUTE + dt.timedelta(seconds=1))

    flows.service.resend_verification(registered.customer.id)

    _, second = flows.sent("email_verification", email)
    assert second.data["firstName"] == "Ada" and second.locale == "en"
    assert second.data["url"].startswith("http://localhost:3001/verify-email?")
    assert link_token(second.data["url"]) == second.data["token"] != first
    with pytest.raises(EmailedTokenInvalid):
        flows.service.verify_email(TokenRedemption(token=first))
    assert flows.service.verify_email(TokenRedemption(token=second.data["token"])).email_verified is True


def test_resend_right_after_registration_is_refused_for_a_minute(flows):
    email = unique_email()
    registered = flows.register(email)

    with pytest.raises(RateLimited) as refused:
        flows.service.resend_verification(registered.customer.id)

    assert refused.value.retry_after_seconds == 60
    assert len(flows.sent("email_verification", email)) == 1


def test_a_second_resend_within_a_minute_is_refused_until_the_minute_is_over(flows):
    email = unique_email()
    customer_id = flows.register(email).customer.id
    flows.clock.advance(MINUTE + dt.timedelta(seconds=1))
    flows.service.resend_verification(customer_id)
    flows.clock.advance(MINUTE - dt.timedelta(seconds=1))

    with pytest.raises(RateLimited) as refused:
        flows.service.resend_verification(customer_id)

    assert refused.value.retry_after_seconds == 1
    assert len(flows.sent("email_verification", email)) == 2
    flows.clock.advance(dt.timedelta(seconds=2))
    flows.service.resend_verification(customer_id)
    assert len(flows.sent("email_verification", email)) == 3


def test_resend_to_a_verified_customer_queues_nothing(flows):
    email = unique_email()
    customer_id = flows.register(email).customer.id
    flows.service.verify_email(TokenRedemption(token=flows.token("email_verification", email)))
    flows.clock.advance(MINUTE + dt.timedelta(seconds=1))

    flows.service.resend_verification(customer_id)

    assert len(flows.sent("email_verification", email)) == 1


def test_a_resend_needs_a_live_session_of_an_existing_customer(flows):
    registered = flows.register()
    flows.service.logout(principal_of(flows, registered.tokens))

    with pytest.raises(Unauthenticated):
        flows.service.authenticate(registered.tokens.access_token)
    with pytest.raises(Unauthenticated):
        flows.service.authenticate("not-a-token")
    with pytest.raises(Unauthenticated):
        flows.service.resend_verification(Id("f" * 24))


def test_with_verification_required_an_unverified_customer_is_told_so_only_after_the_right_password(make_flows):
    flows = make_flows(require_verified_email=True)
    email = unique_email()
    flows.register(email)

    with pytest.raises(EmailNotVerified):
        flows.login(email)
    with pytest.raises(InvalidCredentials):
        flows.login(email, "wrong password!")
    with pytest.raises(InvalidCredentials):
        flows.login(unique_email("nobody"))


def test_with_verification_required_a_verified_customer_logs_in(make_flows):
    flows = make_flows(require_verified_email=True)
    email = unique_email()
    flows.register(email)
    flows.service.verify_email(TokenRedemption(token=flows.token("email_verification", email)))

    assert flows.login(email).customer.email_verified is True


def test_without_verification_required_an_unverified_customer_logs_in(flows):
    email = unique_email()
    flows.register(email)

    assert flows.login(email).customer.email_verified is False


def test_a_verification_link_survives_a_password_change(flows):
    email = unique_email()
    registered = flows.register(email)
    token = flows.token("email_verification", email)
    change = PasswordChange(current_password=PASSWORD, new_password="a different passphrase 2026")
    flows.service.change_password(principal_of(flows, registered.tokens), change)

    assert flows.service.verify_email(TokenRedemption(token=token)).email_verified is True
