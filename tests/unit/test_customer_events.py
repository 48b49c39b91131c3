"""Which changes tell other services what, at service level: the customer
events queued in the (in-memory) outbox, with the change that caused them."""

from __future__ import annotations

import base64

import pytest

from customer_core import ClientInfo, InitialPreferences, PreferenceChanges, ProfileChanges
from customer_core.addresses import AddressChanges
from customer_core.customer_events import CustomerEventType, customer_event
from customer_core.errors import Unauthenticated
from customer_core.outbox import Channel, Status
from customer_core.records import Event, Origin
from customer_core.use_cases.email_change import EmailChange
from customer_core.use_cases.emailed_tokens import TokenRedemption
from customer_core.use_cases.passwords import PasswordChange
from customer_core.use_cases.phone_verification import PhoneCodeEntry
from customer_core.use_cases.privacy import AccountDeletion
from customer_core.values import Email, Id, Language, Phone
from tests.support import HOME, PASSWORD, unique_email

HERE = ClientInfo(user_agent="pytest", ip_address="192.0.2.5")
HERE_ORIGIN = Origin.customer(HERE)
SECRET = "whsec_" + base64.b64encode(bytes(range(32))).decode()


def events(flows) -> list[tuple[str, dict]]:
    """(type, data) of every customer event queued so far, oldest first."""
    return [
        (message.template, dict(message.data))
        for message in flows.wiring.outbox.list(Status.PENDING, limit=10_000)
        if message.channel == Channel.WEBHOOK
    ]


def events_since(flows, count: int) -> list[tuple[str, dict]]:
    return events(flows)[count:]


@pytest.fixture
def publishing(make_flows):
    return make_flows(events_url="http://receiver.test/hooks", events_secret=SECRET)


@pytest.fixture
def ada(publishing):
    """A registered customer, their principal and id."""
    registered = publishing.register(unique_email("ada"))
    principal = publishing.service.authenticate(registered.tokens.access_token, HERE)
    return registered, principal, registered.customer.id


def test_registering_publishes_customer_registered_with_the_id_only(publishing):
    registered = publishing.register(unique_email(), preferences=InitialPreferences(newsletter=True))

    assert events(publishing) == [("customer.registered", {"customerId": registered.customer.id})]


def test_verifying_the_email_publishes_customer_email_verified(publishing, ada):
    registered, _, customer_id = ada
    token = publishing.token("email_verification", str(registered.customer.email))
    before = len(events(publishing))

    publishing.service.verify_email(TokenRedemption(token=token), HERE)

    assert events_since(publishing, before) == [("customer.email_verified", {"customerId": customer_id})]


def test_an_email_change_is_published_when_confirmed_not_when_requested(publishing, ada):
    _, principal, customer_id = ada
    new_email = unique_email("new")
    before = len(events(publishing))

    publishing.service.request_email_change(principal, EmailChange(new_email=Email(new_email), password=PASSWORD))
    assert events_since(publishing, before) == []
    token = publishing.token("email_change_verification", new_email)
    publishing.service.confirm_email_change(TokenRedemption(token=token), HERE)

    assert events_since(publishing, before) == [("customer.email_changed", {"customerId": customer_id})]


def test_a_profile_update_names_the_fields_it_changed_in_camel_case_and_no_value(publishing, ada):
    _, principal, customer_id = ada
    before = len(events(publishing))

    changes = ProfileChanges(first_name="Ada", last_name="Byron", phone=Phone("+441234567890"))
    publishing.service.update_profile(principal, changes)
    publishing.service.update_profile(principal, ProfileChanges(last_name="Byron"))  # no change: no event

    assert events_since(publishing, before) == [
        ("customer.updated", {"customerId": customer_id, "changedFields": ["lastName", "phone"]})
    ]


def test_a_preferences_update_names_the_preferences_it_changed(publishing, ada):
    _, principal, customer_id = ada
    before = len(events(publishing))

    changes = PreferenceChanges(language=Language("de"), sms_notifications=True, newsletter=False)
    publishing.service.update_preferences(principal, changes)
    publishing.service.update_preferences(principal, PreferenceChanges(language=Language("de")))

    assert events_since(publishing, before) == [
        (
            "customer.updated",
            {"customerId": customer_id, "changedFields": ["preferences.language", "preferences.smsNotifications"]},
        )
    ]


def test_an_operator_disabling_or_enabling_an_account_publishes_is_active_when_it_changed(publishing, ada):
    registered, _, customer_id = ada
    email, admin = str(registered.customer.email), publishing.service.admin
    before = len(events(publishing))

    admin.set_active(email, False, operator="ops")
    admin.set_active(email, False, operator="ops")  # already disabled
    admin.set_active(email, True, operator="ops")
    admin.set_active(email, True, operator="ops")  # already enabled (lifts a lockout only)

    updated = ("customer.updated", {"customerId": customer_id, "changedFields": ["isActive"]})
    assert events_since(publishing, before) == [updated, updated]


def test_changes_other_services_need_not_hear_of_publish_nothing(publishing, ada):
    registered, principal, _ = ada
    service = publishing.service
    before = len(events(publishing))

    service.change_password(principal, PasswordChange(current_password=PASSWORD, new_password="a new passphrase!"))
    publishing.login(str(registered.customer.email), "a new passphrase!")
    address = service.address_book.add(principal, HOME)
    service.address_book.update(principal, address.id, AddressChanges(label="Home"))
    service.address_book.delete(principal, address.id)
    service.export(principal.customer_id, HERE_ORIGIN)

    assert events_since(publishing, before) == []


def test_an_erasure_drops_the_customers_undelivered_events_and_publishes_customer_deleted_with_the_id_only(
    publishing, ada
):
    _, principal, customer_id = ada
    other = publishing.register(unique_email("other")).customer.id
    publishing.service.update_profile(principal, ProfileChanges(last_name="Byron"))

    publishing.service.delete_account(principal, AccountDeletion(password=PASSWORD))

    assert events(publishing) == [
        ("customer.registered", {"customerId": other}),
        ("customer.deleted", {"customerId": customer_id}),
    ]
    [deleted] = [m for m in publishing.wiring.outbox.list(Status.PENDING) if m.template == "customer.deleted"]
    assert deleted.customer_id is None  # filed under no one: a later forget of anyone keeps it


def test_an_operators_erasure_publishes_customer_deleted_too(publishing, ada):
    registered, _, customer_id = ada

    publishing.service.admin.erase(str(registered.customer.email), operator="bob")

    assert events(publishing) == [("customer.deleted", {"customerId": customer_id})]


def test_without_an_events_url_no_event_is_written(flows):
    registered = flows.register(unique_email())
    principal = flows.service.authenticate(registered.tokens.access_token, HERE)
    flows.service.update_profile(principal, ProfileChanges(last_name="Byron"))
    flows.service.delete_account(principal, AccountDeletion(password=PASSWORD))

    assert events(flows) == []
    assert flows.sent()  # the emails were written as ever


def test_an_event_about_a_customer_erased_meanwhile_is_not_published(publishing, ada):
    _, principal, customer_id = ada
    publishing.service.delete_account(principal, AccountDeletion(password=PASSWORD))
    before = len(events(publishing))

    with pytest.raises(Unauthenticated):
        publishing.service.admin.recorder.event(Event.PROFILE_UPDATED, customer_id, HERE_ORIGIN, fields=["last_name"])

    assert events_since(publishing, before) == []


ANNOUNCED = {
    Event.REGISTERED: CustomerEventType.REGISTERED,
    Event.EMAIL_VERIFIED: CustomerEventType.EMAIL_VERIFIED,
    Event.EMAIL_CHANGED: CustomerEventType.EMAIL_CHANGED,
}
UPDATES = {Event.PROFILE_UPDATED, Event.PREFERENCES_UPDATED, Event.ACCOUNT_DISABLED, Event.ACCOUNT_ENABLED}


@pytest.mark.parametrize("event", list(Event))
def test_only_changes_to_what_get_me_shows_make_an_event(event):
    customer_id = Id("0" * 24)

    made = customer_event(event, customer_id, {"fields": ["last_name"]})

    if event in ANNOUNCED:
        assert made is not None and (made.type, made.changed_fields) == (ANNOUNCED[event], ())
    elif event in UPDATES or event is Event.PHONE_VERIFIED:
        assert made is not None and (made.type, made.changed_fields) == (CustomerEventType.UPDATED, ("last_name",))
    else:
        assert made is None  # an address change names fields too, but of an address
    assert customer_event(event, None, {"fields": ["last_name"]}) is None


def test_a_verified_phone_is_an_update_of_phone_verified():
    made = customer_event(Event.PHONE_VERIFIED, Id("0" * 24), {})

    assert made is not None and made.changed_fields == ("phone_verified",)


def test_a_new_number_for_a_verified_phone_names_phone_verified_too(publishing):
    registered = publishing.register(unique_email("phone"), phone=Phone("+441234567890"))
    principal = publishing.service.authenticate(registered.tokens.access_token, HERE)
    publishing.service.send_phone_code(registered.customer.id)
    code = str(publishing.sent("phone_verification")[-1].data["code"])
    publishing.service.confirm_phone(principal, PhoneCodeEntry(code=code))
    before = len(events(publishing))

    publishing.service.update_profile(principal, ProfileChanges(phone=Phone("+441234567899")))

    assert events_since(publishing, before) == [
        ("customer.updated", {"customerId": registered.customer.id, "changedFields": ["phone", "phoneVerified"]})
    ]
