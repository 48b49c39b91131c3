"""The audit trail, the activity and the consent history at service level:
each event recorded once, by whom and from where, never with a secret."""

from __future__ import annotations

import datetime as dt

import pytest

from customer_core import ClientInfo, InitialPreferences, InvalidCredentials, PreferenceChanges, ProfileChanges
from customer_core.addresses import AddressChanges
from customer_core.errors import AccountDisabled, EmailTaken, WrongPassword
from customer_core.records import ACTIVITY, Actor, ConsentSource, Event, Purpose
from customer_core.use_cases.email_change import EmailChange
from customer_core.use_cases.emailed_tokens import TokenRedemption
from customer_core.use_cases.passwords import PasswordChange, PasswordReset, ResetRequest
from customer_core.use_cases.sessions import RefreshRequest
from customer_core.values import Email, Language, Phone
from entrypoints.shapes import to_json
from tests.support import HOME, PASSWORD, unique_email
from tests.unit.conftest import CLIENT

HERE = ClientInfo(user_agent="pytest-here", ip_address="192.0.2.77", request_id="req-7")
NEW_PASSWORD = "a brand new passphrase"


def entries(flows, customer_id=None, event=None):
    types = frozenset({event}) if event else None
    return flows.service.admin.audit_log.list(customer_id=customer_id, types=types, limit=1000)


def oldest_first(flows, customer_id) -> list[Event]:
    return [entry.type for entry in reversed(entries(flows, customer_id))]


@pytest.fixture
def ada(flows):
    """A registered customer and their principal, calling from HERE."""
    registered = flows.register(unique_email("ada"))
    return registered, flows.service.authenticate(registered.tokens.access_token, HERE)


def test_registration_records_the_event_and_both_consents(flows):
    registered = flows.register(unique_email(), preferences=InitialPreferences(newsletter=True))
    customer_id = registered.customer.id

    [entry] = entries(flows, customer_id, Event.REGISTERED)
    consents = flows.service.consent_history(customer_id)

    assert (entry.actor, entry.ip_address, entry.user_agent) == (Actor.CUSTOMER, CLIENT.ip_address, CLIENT.user_agent)
    assert {(c.purpose, c.granted, c.source, c.policy_version) for c in consents} == {
        (Purpose.NEWSLETTER, True, ConsentSource.REGISTRATION, "1"),
        (Purpose.SMS, False, ConsentSource.REGISTRATION, "1"),
    }


def test_each_change_of_a_consent_flag_is_one_entry_newest_first(make_flows):
    flows = make_flows(consent_policy_version="2026-11")
    registered = flows.register(unique_email())
    principal = flows.service.authenticate(registered.tokens.access_token, HERE)

    for changes in [
        PreferenceChanges(newsletter=True),
        PreferenceChanges(newsletter=True),  # the same again: no change
        PreferenceChanges(language=Language("de")),  # not a consent
        PreferenceChanges(newsletter=False, sms_notifications=True),
    ]:
        flows.clock.advance(dt.timedelta(seconds=1))
        flows.service.update_preferences(principal, changes)

    history = flows.service.consent_history(principal.customer_id)
    flags = [(c.purpose, c.granted) for c in history]

    assert len(history) == 5
    assert set(flags[:2]) == {(Purpose.NEWSLETTER, False), (Purpose.SMS, True)}
    assert flags[2] == (Purpose.NEWSLETTER, True)
    assert set(flags[3:]) == {(Purpose.NEWSLETTER, False), (Purpose.SMS, False)}
    assert [c.at for c in history] == sorted((c.at for c in history), reverse=True)
    assert {c.source for c in history[:3]} == {ConsentSource.PREFERENCES}
    assert {c.policy_version for c in history} == {"2026-11"}
    assert len(entries(flows, principal.customer_id, Event.CONSENT_CHANGED)) == 3


def test_every_account_event_is_recorded_once_in_order_with_its_client(flows, ada):
    registered, principal = ada
    email = str(registered.customer.email)
    service = flows.service

    service.verify_email(TokenRedemption(token=flows.token("email_verification", email)), HERE)
    with pytest.raises(InvalidCredentials):
        flows.login(email, "not the password", HERE)
    second = flows.login(email, client=HERE).tokens
    service.refresh(RefreshRequest(refresh_token=second.refresh_token), HERE)
    with pytest.raises(Exception):  # noqa: B017 - the replay itself is refused
        service.refresh(RefreshRequest(refresh_token=second.refresh_token), HERE)
    service.update_profile(principal, ProfileChanges(first_name="Augusta", phone=Phone("+441234567890")))
    service.update_preferences(principal, PreferenceChanges(newsletter=True))
    address = service.address_book.add(principal, HOME)
    service.address_book.update(principal, address.id, AddressChanges(label="Home"))
    service.address_book.delete(principal, address.id)
    new_email = unique_email("new")
    service.request_email_change(principal, EmailChange(new_email=Email(new_email), password=PASSWORD))
    service.confirm_email_change(TokenRedemption(token=flows.token("email_change_verification", new_email)), HERE)
    service.change_password(principal, PasswordChange(current_password=PASSWORD, new_password=NEW_PASSWORD))
    service.request_password_reset(ResetRequest(email=new_email), HERE)
    service.reset_password(PasswordReset(token=flows.token("password_reset", new_email), new_password=PASSWORD), HERE)
    third = service.authenticate(flows.login(new_email, client=HERE).tokens.access_token, HERE)
    fourth = service.authenticate(flows.login(new_email, client=HERE).tokens.access_token, HERE)
    service.revoke_session(third, fourth.session_id)
    service.logout(third)
    service.logout_all(service.authenticate(flows.login(new_email, client=HERE).tokens.access_token, HERE))

    recorded = oldest_first(flows, principal.customer_id)

    assert recorded == [
        Event.REGISTERED,
        Event.CONSENT_CHANGED,
        Event.EMAIL_VERIFIED,
        Event.LOGIN_FAILED,
        Event.LOGIN_SUCCEEDED,
        Event.REFRESH_TOKEN_REUSED,
        Event.PROFILE_UPDATED,
        Event.CONSENT_CHANGED,
        Event.PREFERENCES_UPDATED,
        Event.ADDRESS_ADDED,
        Event.ADDRESS_CHANGED,
        Event.ADDRESS_REMOVED,
        Event.EMAIL_CHANGE_REQUESTED,
        Event.EMAIL_CHANGED,
        Event.PASSWORD_CHANGED,
        Event.PASSWORD_RESET,
        Event.LOGIN_SUCCEEDED,
        Event.LOGIN_SUCCEEDED,
        Event.SESSION_REVOKED,
        Event.LOGGED_OUT,
        Event.LOGIN_SUCCEEDED,
        Event.LOGGED_OUT,
    ]
    after_registration = entries(flows, principal.customer_id)[:-2]
    assert {(e.actor, e.ip_address, e.user_agent, e.request_id) for e in after_registration} == {
        (Actor.CUSTOMER, HERE.ip_address, HERE.user_agent, HERE.request_id)
    }


def test_a_profile_update_names_the_fields_and_never_their_values(flows, ada):
    _, principal = ada

    flows.service.update_profile(
        principal, ProfileChanges(first_name="Ada", last_name="Byron", phone=Phone("+441234567890"))
    )

    [entry] = entries(flows, principal.customer_id, Event.PROFILE_UPDATED)
    assert entry.detail == {"fields": ["last_name", "phone"]}  # first_name was Ada already
    assert "Byron" not in str(to_json(entry)) and "441234567890" not in str(to_json(entry))


def test_a_preferences_update_names_the_preferences_it_changed(flows, ada):
    _, principal = ada

    flows.service.update_preferences(principal, PreferenceChanges(language=Language("de"), newsletter=False))

    [entry] = entries(flows, principal.customer_id, Event.PREFERENCES_UPDATED)
    assert entry.detail == {"fields": ["preferences.language"]}  # newsletter was off already


def test_failed_logins_name_the_account_only_when_there_is_one(flows, ada):
    registered, _ = ada
    email = str(registered.customer.email)
    flows.service.admin.set_active(email, False, operator="ops")

    with pytest.raises(InvalidCredentials):
        flows.login(unique_email("nobody"), client=HERE)
    with pytest.raises(AccountDisabled):
        flows.login(email, client=HERE)

    failures = entries(flows, event=Event.LOGIN_FAILED)
    assert [(e.customer_id, e.detail) for e in failures] == [
        (registered.customer.id, {"reason": "account_disabled"}),
        (None, {"reason": "invalid_credentials"}),
    ]


def test_a_lockout_is_recorded_and_an_operator_lifting_it_too(make_flows):
    flows = make_flows(lockout_threshold=2)
    email = unique_email()
    customer_id = flows.register(email).customer.id
    for _ in range(2):
        with pytest.raises(InvalidCredentials):
            flows.login(email, "a wrong password", HERE)

    flows.service.admin.set_active(email, True, operator="ops")

    assert oldest_first(flows, customer_id)[-5:] == [
        Event.LOGIN_FAILED,
        Event.ACCOUNT_LOCKED,
        Event.LOGIN_FAILED,
        Event.ACCOUNT_UNLOCKED,
        Event.ACCOUNT_ENABLED,
    ]


def test_operators_actions_are_recorded_with_their_name(flows, ada):
    registered, _ = ada
    admin = flows.service.admin
    email = str(registered.customer.email)

    admin.list_customers(operator="alice")
    admin.view(email, operator="alice")
    admin.set_active(email, False, operator="bob")
    admin.set_active(email, True, operator="bob")
    admin.revoke_sessions(email, operator="carol")
    admin.addresses(email, operator="carol")
    admin.audit(operator="dave", customer=email)

    recorded = [(e.type, e.actor, e.operator) for e in reversed(entries(flows)) if e.actor == Actor.ADMIN]
    assert recorded == [
        (Event.CUSTOMERS_LISTED, Actor.ADMIN, "alice"),
        (Event.CUSTOMER_VIEWED, Actor.ADMIN, "alice"),
        (Event.ACCOUNT_DISABLED, Actor.ADMIN, "bob"),
        (Event.ACCOUNT_ENABLED, Actor.ADMIN, "bob"),
        (Event.SESSION_REVOKED, Actor.ADMIN, "carol"),
        (Event.CUSTOMER_VIEWED, Actor.ADMIN, "carol"),
        (Event.AUDIT_VIEWED, Actor.ADMIN, "dave"),
    ]


def test_activity_shows_only_the_customers_security_events_newest_first_a_page_at_a_time(flows, ada):
    registered, principal = ada
    email = str(registered.customer.email)
    for _ in range(3):
        flows.clock.advance(dt.timedelta(seconds=1))
        flows.login(email, client=HERE)
    flows.service.update_profile(principal, ProfileChanges(first_name="Augusta"))  # not a security event
    flows.register(unique_email("other"))

    first = flows.service.activity(principal.customer_id, limit=2)
    second = flows.service.activity(principal.customer_id, limit=2, before=first.next_before)
    everything = flows.service.activity(principal.customer_id, limit=100)

    assert [e.type for e in everything.items] == [Event.LOGIN_SUCCEEDED] * 3 + [Event.CONSENT_CHANGED]
    assert first.items + second.items == everything.items
    assert second.next_before is None and everything.next_before is None
    assert {e.type for e in everything.items} <= ACTIVITY
    assert everything.items[0].ip_address == HERE.ip_address


def test_a_change_that_fails_leaves_no_record(flows, ada):
    _, principal = ada
    new_email = unique_email("new")
    flows.service.request_email_change(principal, EmailChange(new_email=Email(new_email), password=PASSWORD))
    token = flows.token("email_change_verification", new_email)
    flows.register(new_email)  # takes the address meanwhile

    with pytest.raises(EmailTaken):
        flows.service.confirm_email_change(TokenRedemption(token=token), HERE)

    assert entries(flows, principal.customer_id, Event.EMAIL_CHANGED) == []


def test_no_entry_holds_a_password_token_or_hash(flows, ada):
    registered, principal = ada
    email = str(registered.customer.email)
    second = flows.login(email, client=HERE).tokens
    flows.service.refresh(RefreshRequest(refresh_token=second.refresh_token), HERE)
    flows.service.change_password(principal, PasswordChange(current_password=PASSWORD, new_password=NEW_PASSWORD))
    flows.service.request_password_reset(ResetRequest(email=email), HERE)
    reset_token = flows.token("password_reset", email)
    flows.service.reset_password(PasswordReset(token=reset_token, new_password=PASSWORD), HERE)

    stored = str([to_json(entry) for entry in entries(flows)])
    customer = flows.service.admin.find(email)
    secrets = [PASSWORD, NEW_PASSWORD, second.access_token, second.refresh_token, reset_token, customer.password_hash]
    secrets += [registered.tokens.refresh_token, flows.token("email_verification", email)]
    assert [secret for secret in secrets if secret in stored] == []


def test_a_password_reset_that_lifts_a_lockout_records_it(make_flows):
    flows = make_flows(lockout_threshold=1)
    email = unique_email()
    customer_id = flows.register(email).customer.id
    with pytest.raises(InvalidCredentials):
        flows.login(email, "a wrong password", HERE)
    flows.service.request_password_reset(ResetRequest(email=email), HERE)

    flows.service.reset_password(
        PasswordReset(token=flows.token("password_reset", email), new_password=NEW_PASSWORD), HERE
    )

    assert oldest_first(flows, customer_id)[-2:] == [Event.PASSWORD_RESET, Event.ACCOUNT_UNLOCKED]
    flows.login(email, NEW_PASSWORD, HERE)


def test_a_wrong_password_typed_again_to_confirm_a_change_is_recorded_and_shown(flows, ada):
    registered, principal = ada

    with pytest.raises(WrongPassword):
        flows.service.change_password(
            principal, PasswordChange(current_password="not it at all", new_password=NEW_PASSWORD)
        )

    [entry] = entries(flows, registered.customer.id, Event.PASSWORD_CONFIRMATION_FAILED)
    assert (entry.ip_address, entry.request_id) == (HERE.ip_address, HERE.request_id)
    assert Event.PASSWORD_CONFIRMATION_FAILED in ACTIVITY


def test_an_address_change_names_only_the_fields_it_changed(flows, ada):
    _, principal = ada
    address = flows.service.address_book.add(principal, HOME)

    flows.service.address_book.update(principal, address.id, AddressChanges(city=HOME.city, label="Home sweet home"))

    [entry] = entries(flows, principal.customer_id, Event.ADDRESS_CHANGED)
    assert entry.detail == {"address_id": address.id, "fields": ["label"]}
