"""The address book on the whole core wired to in-memory storage: the postal
rules of each country, changes checked against the stored address, and the
limit per customer.

Defaults (the first address becoming both, moving and clearing them),
the listing order, other customers' addresses being not found and the
50-address limit itself are driven by test_address_book_state_machine.py.
How a JSON body becomes ``AddressFields`` or ``AddressChanges`` is in
test_request_bodies.py; status codes and JSON answers are in
tests/integration/test_addresses_http.py."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest

from customer_core import FieldError, ValidationFailed
from customer_core.addresses import MAX_ADDRESSES, AddressChanges, AddressFields
from customer_core.values import CountryCode, Phone
from tests.support import acting

US = dict(street="1600 Amphitheatre Pkwy", city="Mountain View", state="CA", postal_code="94043", country="US")
IE = dict(street="1 Grand Canal Sq", city="Dublin", state="Co. Dublin", postal_code="D02 X285", country="IE")
GB = dict(street="10 Downing St", city="London", country="GB")
DE = dict(street="Unter den Linden 1", city="Berlin", country="DE")
CA = dict(street="301 Front St W", city="Toronto", country="CA")
JP = dict(street="1-1 Chiyoda", city="Chiyoda-ku", country="JP")
AE = dict(street="1 Sheikh Zayed Rd", city="Dubai", state="Dubai", country="AE")
REQUIRED = "is required in this country"
INVALID = "is not valid for this country"


def address(country: str, **fields: Any) -> AddressFields:
    return AddressFields(**{"first_name": "Ada", "last_name": "Lovelace", **fields}, country=CountryCode(country))


@pytest.fixture
def book(flows):
    return flows.service.address_book


@pytest.fixture
def ada(flows):
    return flows.register().customer


def refused(work: Callable[[], object]) -> tuple[FieldError, ...]:
    """The field problems ``work()`` is refused with."""
    with pytest.raises(ValidationFailed) as refusal:
        work()
    return refusal.value.errors


def test_an_address_keeps_its_text_trimmed_and_its_phone_in_e164(book, ada):
    sent = address(**{**US, "city": " Mountain View "}, first_name="  Grace ", phone=Phone("+1 (650) 253-0000"))

    added = book.add(acting(ada.id), sent)

    assert (added.first_name, added.city, added.phone) == ("Grace", "Mountain View", Phone("+16502530000"))


# --- postal rules -----------------------------------------------------------


@pytest.mark.parametrize(
    ("where", "state", "postal_code"),
    [
        ({**US, "state": "california"}, "CA", "94043"),
        ({**US, "postal_code": "94043-1351"}, "CA", "94043-1351"),
        ({**GB, "postal_code": "sw1a 2aa"}, None, "SW1A 2AA"),
        ({**GB, "postal_code": "SW1A2AA"}, None, "SW1A2AA"),
        ({**DE, "postal_code": "10117"}, None, "10117"),
        ({**CA, "state": "Ontario", "postal_code": "m5v 3l9"}, "ON", "M5V 3L9"),
        ({**JP, "state": "Tokyo", "postal_code": "100-0001"}, "Tokyo", "100-0001"),
        (AE, "Dubai", None),
    ],
    ids=["US-state-name", "US-zip+4", "GB-lower", "GB-compact", "DE", "CA", "JP", "AE-none"],
)
def test_a_valid_address_is_stored_with_its_state_and_postal_code_in_normal_form(book, ada, where, state, postal_code):
    added = book.add(acting(ada.id), address(**where))

    assert (added.country, added.state, added.postal_code) == (CountryCode(where["country"]), state, postal_code)
    assert book.get(ada.id, added.id) == added


@pytest.mark.parametrize(
    ("where", "field", "message"),
    [
        ({**US, "state": None}, "state", REQUIRED),
        ({**US, "state": "Atlantis"}, "state", INVALID),
        ({**US, "postal_code": "9404"}, "postal_code", INVALID),
        ({**US, "postal_code": "ABCDE"}, "postal_code", INVALID),
        ({**US, "postal_code": None}, "postal_code", REQUIRED),
        ({**US, "state": "NY"}, "postal_code", INVALID),
        ({**GB, "postal_code": "XXXX"}, "postal_code", INVALID),
        (GB, "postal_code", REQUIRED),
        ({**DE, "postal_code": "1011"}, "postal_code", INVALID),
        ({**DE, "postal_code": "101155"}, "postal_code", INVALID),
        ({**CA, "state": "ON", "postal_code": "12345"}, "postal_code", INVALID),
        ({**CA, "postal_code": "M5V 3L9"}, "state", REQUIRED),
        ({**JP, "state": "Tokyo", "postal_code": "100"}, "postal_code", INVALID),
        ({**AE, "postal_code": "12345"}, "postal_code", "is not used in this country"),
    ],
    ids=["US-no-state", "US-bad-state", "US-short-zip", "US-letters", "US-no-zip", "US-other-state", "GB-bad",
         "GB-none", "DE-short", "DE-long", "CA-zip", "CA-no-province", "JP-short", "AE-postal-code"],
)  # fmt: skip
def test_an_address_its_country_refuses_is_refused_on_the_field_and_not_stored(book, ada, where, field, message):
    assert refused(lambda: book.add(acting(ada.id), address(**where))) == (FieldError(field, message),)
    assert book.list(ada.id) == []


def test_changing_only_the_country_checks_the_stored_postal_code_against_the_new_one(book, ada):
    home = book.add(acting(ada.id), address(**US))

    assert refused(lambda: book.update(acting(ada.id), home.id, AddressChanges(country=CountryCode("gb")))) == (
        FieldError("postal_code", INVALID),
    )
    assert book.get(ada.id, home.id) == home

    moved = book.update(
        acting(ada.id), home.id, AddressChanges(country=CountryCode("gb"), postal_code="sw1a 2aa", state=None)
    )
    assert (moved.country, moved.state, moved.postal_code) == (CountryCode("GB"), None, "SW1A 2AA")


def test_moving_to_a_country_without_postal_codes_needs_the_postal_code_removed(book, ada):
    home = book.add(acting(ada.id), address(**US))
    to_dubai = dict(country=CountryCode("AE"), state="Dubai", city="Dubai")

    assert refused(lambda: book.update(acting(ada.id), home.id, AddressChanges(**to_dubai))) == (
        FieldError("postal_code", "is not used in this country"),
    )
    assert book.get(ada.id, home.id) == home

    moved = book.update(acting(ada.id), home.id, AddressChanges(**to_dubai, postal_code=None))
    assert (moved.country, moved.postal_code) == (CountryCode("AE"), None)


def test_a_new_postal_code_alone_is_checked_against_the_stored_country(book, ada):
    london = book.add(acting(ada.id), address(**GB, postal_code="SW1A 2AA"))

    assert refused(lambda: book.update(acting(ada.id), london.id, AddressChanges(postal_code="94043"))) == (
        FieldError("postal_code", INVALID),
    )

    assert book.update(acting(ada.id), london.id, AddressChanges(postal_code="ec1a 1bb")).postal_code == "EC1A 1BB"


@pytest.mark.parametrize("field", ["state", "postal_code"])
def test_clearing_a_field_the_country_requires_is_refused(book, ada, field):
    home = book.add(acting(ada.id), address(**US))

    assert refused(lambda: book.update(acting(ada.id), home.id, AddressChanges(**{field: None}))) == (
        FieldError(field, REQUIRED),
    )
    assert book.get(ada.id, home.id) == home


def test_none_clears_every_optional_field_the_country_does_not_require(book, ada):
    optional = ["label", "company", "street2", "state", "postal_code", "phone"]
    dublin = book.add(
        acting(ada.id), address(**IE, label="Home", company="ACME", street2="Flat 2", phone=Phone("+35312345678"))
    )
    assert all(getattr(dublin, name) is not None for name in optional)

    cleared = book.update(acting(ada.id), dublin.id, AddressChanges(**dict.fromkeys(optional)))

    assert all(getattr(cleared, name) is None for name in optional)
    assert cleared.street == IE["street"]


def test_an_address_change_that_gives_no_field_is_refused_and_changes_nothing(book, ada):
    home = book.add(acting(ada.id), address(**US))

    assert refused(lambda: book.update(acting(ada.id), home.id, AddressChanges())) == (
        FieldError("body", "give at least one field to change"),
    )
    assert book.get(ada.id, home.id) == home


# --- limit ------------------------------------------------------------------


def test_a_full_address_book_does_not_stop_another_customer_adding(flows, book, ada):
    for _ in range(MAX_ADDRESSES):
        book.add(acting(ada.id), address(**US))
    grace = flows.register().customer

    first = book.add(acting(grace.id), address(**US))

    assert first.is_default_shipping and first.is_default_billing
    assert len(book.list(ada.id)) == MAX_ADDRESSES
