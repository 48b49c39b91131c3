"""Export and erasure at service level."""

from __future__ import annotations

import datetime as dt
import tempfile
from pathlib import Path

import attrs
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from adapters.memory import ManualClock
from customer_core import ClientInfo, InvalidCredentials, PreferenceChanges, ProfileChanges, Registration
from customer_core.addresses import AddressChanges
from customer_core.errors import NotFound, Unauthenticated, WrongPassword
from customer_core.lockout import lockout_key
from customer_core.records import Actor, Event
from customer_core.use_cases.email_change import EmailChange
from customer_core.use_cases.passwords import PasswordReset, ResetRequest
from customer_core.use_cases.privacy import AccountDeletion
from customer_core.values import Email, Phone
from entrypoints.bootstrap import bootstrap
from entrypoints.settings import Settings
from tests.support import HOME, PASSWORD, unique_email
from tests.unit.conftest import START

HERE = ClientInfo(user_agent="pytest-here", ip_address="192.0.2.77", request_id="req-9")


@pytest.fixture
def ada(flows):
    registered = flows.register(unique_email("ada"))
    principal = flows.service.authenticate(registered.tokens.access_token, HERE)
    flows.service.update_profile(principal, ProfileChanges(phone=Phone("+441234567890")))
    flows.service.address_book.add(principal, HOME)
    return registered, principal


def test_an_export_holds_everything_kept_about_the_customer_and_records_itself(flows, ada):
    registered, principal = ada
    flows.login(str(registered.customer.email), client=HERE)

    export = flows.service.export(principal.customer_id, principal.origin)

    assert export.format == "customer-service/export" and export.version == 1
    assert export.profile == flows.service.get_profile(principal.customer_id)
    assert export.preferences == export.profile.preferences
    assert export.addresses == flows.service.address_book.list(principal.customer_id)
    assert export.consents == flows.service.consent_history(principal.customer_id)
    assert {s.id for s in export.sessions} == {s.id for s in flows.service.list_sessions(principal)}
    assert export.audit_events[0].type == Event.DATA_EXPORTED
    assert [e.type for e in export.activity] == [e.type for e in flows.service.activity(principal.customer_id).items]
    assert {e.customer_id for e in export.audit_events} == {principal.customer_id}


def test_an_export_holds_a_pending_email_change_and_a_lockout(make_flows):
    flows = make_flows(lockout_threshold=2)
    email, new_email = unique_email("ada"), unique_email("next")
    registered = flows.register(email)
    principal = flows.service.authenticate(registered.tokens.access_token, HERE)
    before = flows.service.export(principal.customer_id, principal.origin)
    flows.service.request_email_change(principal, EmailChange(new_email=Email(new_email), password=PASSWORD))
    for _ in range(2):
        with pytest.raises(InvalidCredentials):
            flows.login(email, "not the password")

    export = flows.service.export(principal.customer_id, principal.origin)

    assert (before.pending_email_change, before.locked_until) == (None, None)
    assert export.pending_email_change.new_email == Email(new_email)
    assert export.pending_email_change.expires_at > START
    assert export.locked_until is not None and export.locked_until > START


def test_an_operators_export_is_recorded_with_their_name(flows, ada):
    registered, _ = ada

    export = flows.service.admin.export_customer(str(registered.customer.email), operator="alice")

    assert (export.audit_events[0].type, export.audit_events[0].actor, export.audit_events[0].operator) == (
        Event.DATA_EXPORTED,
        Actor.ADMIN,
        "alice",
    )


def test_erasing_removes_the_account_and_everything_about_it(flows, ada):
    registered, principal = ada
    email = str(registered.customer.email)
    flows.service.request_password_reset(ResetRequest(email=email), HERE)
    reset_token = flows.token("password_reset", email)
    with pytest.raises(InvalidCredentials):
        flows.login(email, "a wrong password", HERE)
    service, admin = flows.service, flows.service.admin

    service.delete_account(principal, AccountDeletion(password=PASSWORD))

    with pytest.raises(Unauthenticated):
        service.authenticate(registered.tokens.access_token)
    with pytest.raises(NotFound):
        admin.find(email)
    assert admin.address_book.addresses.list(principal.customer_id) == []
    assert service.consent_history(principal.customer_id) == []
    assert admin.lockouts.locked_until(lockout_key(email), now=flows.clock.now()) is None
    [farewell] = flows.sent("account_deleted")
    assert (farewell.to, farewell.customer_id) == (email, None)
    assert [m for m in flows.sent() if m.customer_id == principal.customer_id] == []
    with pytest.raises(Exception):  # noqa: B017 - the emailed link died with the account
        service.reset_password(PasswordReset(token=reset_token, new_password="another passphrase"))
    assert flows.register(email).customer.id != principal.customer_id  # the email is free again


def test_the_audit_trail_keeps_a_pseudonymous_record_of_the_account_and_its_erasure(flows, ada):
    _, principal = ada

    flows.service.delete_account(principal, AccountDeletion(password=PASSWORD))

    audit = flows.service.admin.audit_log
    assert audit.list(customer_id=principal.customer_id) == []
    [erased] = audit.list(types=frozenset({Event.ACCOUNT_ERASED}))
    kept = audit.list(customer_id=erased.customer_id)
    assert [e.type for e in kept][0] == Event.ACCOUNT_ERASED
    assert Event.REGISTERED in {e.type for e in kept}
    assert {(e.ip_address, e.user_agent) for e in kept} == {(None, None)}


def test_erasure_needs_the_password_and_wrong_ones_count_toward_the_lockout(make_flows):
    flows = make_flows(lockout_threshold=2)
    registered = flows.register(unique_email())
    principal = flows.service.authenticate(registered.tokens.access_token, HERE)

    for _ in range(2):
        with pytest.raises(WrongPassword):
            flows.service.delete_account(principal, AccountDeletion(password="not my password"))
    with pytest.raises(WrongPassword):  # locked now: even the right one
        flows.service.delete_account(principal, AccountDeletion(password=PASSWORD))

    assert flows.service.get_profile(principal.customer_id).id == principal.customer_id


def test_an_operator_erases_with_their_name_on_the_record(flows, ada):
    registered, principal = ada

    pseudonym = flows.service.admin.erase(str(registered.customer.email), operator="bob")

    [erased] = flows.service.admin.audit_log.list(types=frozenset({Event.ACCOUNT_ERASED}))
    assert (erased.customer_id, erased.actor, erased.operator) == (pseudonym, Actor.ADMIN, "bob")
    with pytest.raises(NotFound):
        flows.service.admin.erase(str(registered.customer.email), operator="bob")
    with pytest.raises(Unauthenticated):
        flows.service.export(principal.customer_id, principal.origin)


# --- the export says exactly what the API says --------------------------------

OPERATIONS = st.lists(
    st.one_of(
        st.tuples(st.just("profile"), st.sampled_from(["Grace", "Ada", "Augusta"])),
        st.tuples(st.just("phone"), st.sampled_from([None, "+441234567890", "+12025550123"])),
        st.tuples(st.just("consent"), st.booleans(), st.booleans()),
        st.tuples(st.just("add_address"), st.booleans()),
        st.tuples(st.just("change_address"), st.integers(0, 5), st.sampled_from(["Home", "Work", None])),
        st.tuples(st.just("remove_address"), st.integers(0, 5)),
    ),
    max_size=12,
)


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(OPERATIONS)
def test_an_export_after_any_changes_holds_exactly_what_the_api_returns(operations):
    with tempfile.TemporaryDirectory() as directory:
        clock = ManualClock(START)
        config = Settings(data_dir=Path(directory), bcrypt_rounds=4, register_rate_limit=10_000)
        service = bootstrap(config, storage="memory", clock=clock).service
        registration = Registration(email=Email("ada@example.com"), password=PASSWORD, first_name="Ada", last_name="L")
        principal = service.authenticate(service.register(registration).tokens.access_token, HERE)
        me = principal.customer_id
        for operation in operations:
            clock.advance(dt.timedelta(seconds=1))
            kind, *args = operation
            addresses = service.address_book.list(me)
            if kind == "profile":
                service.update_profile(principal, ProfileChanges(first_name=args[0]))
            elif kind == "phone":
                service.update_profile(principal, ProfileChanges(phone=Phone(args[0]) if args[0] else None))
            elif kind == "consent":
                service.update_preferences(principal, PreferenceChanges(newsletter=args[0], sms_notifications=args[1]))
            elif kind == "add_address":
                service.address_book.add(principal, attrs.evolve(HOME, is_default_billing=args[0]))
            elif kind == "change_address" and addresses:
                chosen = addresses[args[0] % len(addresses)]
                service.address_book.update(principal, chosen.id, AddressChanges(label=args[1]))
            elif kind == "remove_address" and addresses:
                service.address_book.delete(principal, addresses[args[0] % len(addresses)].id)

        export = service.export(me, principal.origin)

        assert export.profile == service.get_profile(me)
        assert export.preferences == service.get_preferences(me)
        assert export.addresses == service.address_book.list(me)
        assert export.consents == service.consent_history(me)
        assert export.activity == service.activity(me, limit=100).items


def test_viewing_the_audit_of_an_erased_customers_former_id_writes_that_id_nowhere(flows, ada):
    registered, _ = ada
    former_id = registered.customer.id
    pseudonym = flows.service.admin.erase(former_id, operator="bob")

    flows.service.admin.audit(operator="carol", customer=former_id)
    flows.service.admin.audit(operator="dave", customer=pseudonym)

    viewed = flows.service.admin.audit(operator="erin", types=frozenset({Event.AUDIT_VIEWED}))
    assert [(entry.operator, entry.customer_id) for entry in viewed[1:3]] == [("dave", pseudonym), ("carol", None)]
    assert flows.service.admin.audit_log.list(customer_id=former_id) == []
