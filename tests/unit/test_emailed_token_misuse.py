"""Emailed tokens misused, at service level: replayed, used for another
purpose, superseded, outdated by a password change, for a disabled account,
expired, or not tokens at all. Each kind is read from the message that
carried it. That such a token is a 400 TOKEN_INVALID over HTTP is in
tests/integration/test_token_misuse_http.py."""

from __future__ import annotations

import datetime as dt
import secrets

import attrs
import pytest

from customer_core import AccountDisabled
from customer_core.errors import EmailedTokenInvalid
from customer_core.use_cases.email_change import EmailChange
from customer_core.use_cases.emailed_tokens import TokenRedemption
from customer_core.use_cases.passwords import PasswordChange, PasswordReset, ResetRequest
from customer_core.values import Email
from tests.support import PASSWORD, unique_email

NEW_PASSWORD = "a brand new passphrase"
KINDS = ["verify", "reset", "change"]
LIFETIMES = {"verify": dt.timedelta(hours=48), "reset": dt.timedelta(hours=1), "change": dt.timedelta(hours=24)}


@pytest.fixture
def flows(make_flows):
    """The shared fixture, without the 250 ms of real time that every
    forgot-password answer is padded to: not what these tests are about."""
    flows = make_flows()
    service = flows.service
    unpadded = attrs.evolve(service.request_password_reset, reset_request_duration=dt.timedelta(0))
    flows.wiring.service = attrs.evolve(service, request_password_reset=unpadded)
    return flows


def issue(flows, kind, registered, *, resend=False):
    """Have a token of ``kind`` emailed to the customer and read it from the
    message. Registration sent the first verification token; ``resend``
    asks for another."""
    customer = registered.customer
    email = str(customer.email)
    if kind == "verify":
        if resend:
            flows.service.resend_verification(customer.id)
        return flows.token("email_verification", email)
    if kind == "reset":
        flows.service.request_password_reset(ResetRequest(email=email))
        return flows.token("password_reset", email)
    new_email = unique_email("new")
    principal = flows.service.authenticate(registered.tokens.access_token)
    flows.service.request_email_change(principal, EmailChange(new_email=Email(new_email), password=PASSWORD))
    return flows.token("email_change_verification", new_email)


def use(flows, kind, token):
    if kind == "verify":
        return flows.service.verify_email(TokenRedemption(token=token))
    if kind == "reset":
        return flows.service.reset_password(PasswordReset(token=token, new_password=NEW_PASSWORD))
    return flows.service.confirm_email_change(TokenRedemption(token=token))


@pytest.mark.parametrize("kind", KINDS)
def test_an_emailed_token_works_only_once(flows, kind):
    token = issue(flows, kind, flows.register())
    use(flows, kind, token)

    with pytest.raises(EmailedTokenInvalid):
        use(flows, kind, token)


@pytest.mark.parametrize("kind", KINDS)
def test_an_emailed_token_is_refused_for_another_purpose_and_still_works_for_its_own(flows, kind):
    registered = flows.register()
    token = issue(flows, kind, registered)
    before = flows.service.get_profile(registered.customer.id)

    for other in KINDS:
        if other != kind:
            with pytest.raises(EmailedTokenInvalid):
                use(flows, other, token)

    assert flows.service.get_profile(registered.customer.id) == before
    use(flows, kind, token)


@pytest.mark.parametrize("kind", KINDS)
def test_an_emailed_token_is_refused_once_a_newer_one_of_its_purpose_is_sent(flows, kind):
    registered = flows.register()
    older = issue(flows, kind, registered)
    flows.clock.advance(dt.timedelta(seconds=61))
    newer = issue(flows, kind, registered, resend=True)

    with pytest.raises(EmailedTokenInvalid):
        use(flows, kind, older)
    use(flows, kind, newer)


def change_password(flows, registered):
    principal = flows.service.authenticate(registered.tokens.access_token)
    change = PasswordChange(current_password=PASSWORD, new_password="another fine passphrase")
    flows.service.change_password(principal, change)


@pytest.mark.parametrize("kind", ["reset", "change"])
def test_a_reset_or_email_change_token_is_refused_after_a_password_change(flows, kind):
    registered = flows.register()
    token = issue(flows, kind, registered)
    change_password(flows, registered)

    with pytest.raises(EmailedTokenInvalid):
        use(flows, kind, token)


def test_a_verification_token_is_bound_to_the_email_only_and_survives_a_password_change(flows):
    registered = flows.register()
    token = issue(flows, "verify", registered)
    change_password(flows, registered)

    assert use(flows, "verify", token).email_verified


def test_an_email_change_token_is_refused_after_a_password_reset(flows):
    registered = flows.register()
    reset_token = issue(flows, "reset", registered)
    change_token = issue(flows, "change", registered)
    use(flows, "reset", reset_token)

    with pytest.raises(EmailedTokenInvalid):
        use(flows, "change", change_token)


@pytest.mark.parametrize("kind", KINDS)
def test_an_emailed_token_is_refused_once_the_account_is_disabled(flows, kind):
    registered = flows.register()
    token = issue(flows, kind, registered)
    admin = flows.service.admin
    before = admin.set_active(str(registered.customer.email), False, operator="test")

    with pytest.raises(EmailedTokenInvalid):
        use(flows, kind, token)

    assert admin.find(before.id) == before
    with pytest.raises(AccountDisabled):
        flows.login(str(registered.customer.email))


@pytest.mark.parametrize("kind", KINDS)
def test_an_emailed_token_works_until_its_lifetime_ends(flows, kind):
    early = issue(flows, kind, flows.register())
    late = issue(flows, kind, flows.register())

    flows.clock.advance(LIFETIMES[kind] - dt.timedelta(seconds=1))
    use(flows, kind, early)
    flows.clock.advance(dt.timedelta(seconds=2))

    with pytest.raises(EmailedTokenInvalid):
        use(flows, kind, late)


NOT_TOKENS = {
    "empty": "",
    "short": "short",
    "unknown": secrets.token_urlsafe(32),
    "garbage": "garbage-" * 4,
    "too long": "a" * 257,
    "huge": "a" * 20_000,
    "nul bytes": "\x00" * 32,
    "bidi and emoji": "\u202e🙂" * 16,
}


@pytest.mark.parametrize("kind", KINDS)
@pytest.mark.parametrize("token", NOT_TOKENS.values(), ids=NOT_TOKENS.keys())
def test_a_string_that_is_no_emailed_token_is_refused(flows, kind, token):
    flows.register()

    with pytest.raises(EmailedTokenInvalid):
        use(flows, kind, token)
