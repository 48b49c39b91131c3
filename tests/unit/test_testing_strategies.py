"""The test kit's strategies make only what the domain accepts (and, for
bad_passwords, only what it refuses): checked against the real rules, the
shipped common-password list and the postal rules, through the service
where a use case decides."""

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from adapters.security.passwords import common_passwords
from customer_core.passwords import PasswordPolicy
from customer_core.testing.strategies import (
    ADDRESS_COUNTRIES,
    addresses,
    bad_passwords,
    emails,
    good_passwords,
    phones,
    profile_changes,
    registrations,
)
from customer_core.values import Email, Phone
from tests.support import acting

POLICY = PasswordPolicy(common=common_passwords())
# make_flows builds a new in-memory service for each example.
FRESH_SERVICE_EACH_EXAMPLE = settings(max_examples=30, suppress_health_check=[HealthCheck.function_scoped_fixture])


@given(emails())
def test_every_email_is_accepted_and_normalised_once(raw):
    email = Email(raw)
    assert Email(email.value) == email and email.value == email.value.strip().lower()


@given(emails().map(Email).flatmap(lambda email: st.tuples(st.just(email), good_passwords(email))))
def test_good_passwords_are_accepted_for_their_email(email_and_password):
    email, password = email_and_password
    assert POLICY.problems(password, email=email) == []


@given(good_passwords())
def test_good_passwords_are_accepted_without_an_email(password):
    assert POLICY.problems(password) == []


@given(emails().map(Email).flatmap(lambda email: st.tuples(st.just(email), bad_passwords(email))))
def test_bad_passwords_are_refused_for_their_email(email_and_password):
    email, password = email_and_password
    assert POLICY.problems(password, email=email)


@given(bad_passwords())
def test_bad_passwords_are_refused_without_an_email(password):
    assert POLICY.problems(password)


def test_bad_passwords_include_ones_containing_the_local_part():
    email = Email("ada.lovelace@example.com")
    found = set()

    @given(bad_passwords(email))
    @settings(max_examples=200)
    def collect(password):
        found.update(POLICY.problems(password, email=email))

    collect()
    assert "must not contain the part of your email address before the @" in found


@given(phones())
def test_every_phone_is_accepted(raw):
    Phone(raw)


@pytest.mark.parametrize("country", ADDRESS_COUNTRIES)
@given(data=st.data())
@settings(max_examples=10, suppress_health_check=[HealthCheck.function_scoped_fixture])
def test_addresses_pass_the_address_book_and_its_postal_rules(flows, country, data):
    customer = acting(flows.register().customer.id)
    fields = data.draw(addresses(country))

    added = flows.service.address_book.add(customer, fields)

    assert (added.country, added.street, added.city) == (fields.country, fields.street, fields.city)


@given(registrations())
@FRESH_SERVICE_EACH_EXAMPLE
def test_registrations_register(make_flows, registration):
    registered = make_flows().service.register(registration)

    assert registered.customer.email == registration.email


@given(st.lists(profile_changes(), min_size=1, max_size=5))
@FRESH_SERVICE_EACH_EXAMPLE
def test_profile_changes_are_accepted(make_flows, changes):
    flows = make_flows()
    customer = flows.register().customer

    for change in changes:
        updated = flows.service.update_profile(acting(customer.id), change)
        assert {name: getattr(updated, name) for name in change.given()} == change.given()
