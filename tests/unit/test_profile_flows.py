"""Reading and changing one's own profile and preferences, on the whole core
wired to in-memory storage. How a JSON body becomes ``ProfileChanges`` or
``PreferenceChanges`` is in test_request_bodies.py; the JSON answers and the
401s are in tests/integration/test_profile_http.py."""

from __future__ import annotations

import datetime as dt
import uuid

import attrs
import pytest

from customer_core import FieldError, PreferenceChanges, Preferences, ProfileChanges, ValidationFailed
from customer_core.values import Currency, Gender, Language, MediaId, Phone
from tests.support import acting

MEDIA_ID = uuid.UUID("d2498f2b-2036-480e-9239-2d6a76096f8f")
OPTIONAL = ["phone", "date_of_birth", "gender", "profile_image"]
NOTHING_GIVEN = FieldError("body", "give at least one field to change")


@pytest.fixture
def ada(flows):
    return flows.register().customer


@pytest.fixture
def grace(flows):
    """A customer with every optional profile field set."""
    registered = flows.register(
        first_name="Grace",
        last_name="Hopper",
        phone=Phone("+441234567890"),
        date_of_birth=dt.date(1990, 5, 1),
        gender=Gender.FEMALE,
    ).customer
    return flows.service.update_profile(acting(registered.id), ProfileChanges(profile_image=MediaId(str(uuid.uuid4()))))


# --- profile ----------------------------------------------------------------


@pytest.mark.parametrize(
    ("field", "sent", "stored"),
    [
        ("first_name", "  Grace ", "Grace"),
        ("last_name", "Hopper", "Hopper"),
        ("phone", Phone("+44 (20) 7946-0958"), Phone("+442079460958")),
        ("phone", Phone("+1.212.555.0100"), Phone("+12125550100")),
        ("date_of_birth", dt.date(1906, 12, 9), dt.date(1906, 12, 9)),
        ("gender", Gender.NON_BINARY, Gender.NON_BINARY),
        ("profile_image", MediaId(str(MEDIA_ID).upper()), MediaId(str(MEDIA_ID))),
    ],
)
def test_changing_one_profile_field_changes_only_that_field(flows, ada, field, sent, stored):
    flows.clock.advance(dt.timedelta(minutes=1))

    updated = flows.service.update_profile(acting(ada.id), ProfileChanges(**{field: sent}))

    assert updated == attrs.evolve(ada, **{field: stored}, updated_at=flows.clock.now())
    assert flows.service.get_profile(ada.id) == updated


def test_a_change_moves_updated_at_and_keeps_created_at(flows, ada):
    flows.clock.advance(dt.timedelta(minutes=5))

    updated = flows.service.update_profile(acting(ada.id), ProfileChanges(last_name="Byron"))

    assert updated.updated_at == ada.updated_at + dt.timedelta(minutes=5)
    assert updated.created_at == ada.created_at


@pytest.mark.parametrize("field", OPTIONAL)
def test_none_clears_an_optional_field_and_only_that_one(flows, grace, field):
    assert all(getattr(grace, name) is not None for name in OPTIONAL)

    cleared = flows.service.update_profile(acting(grace.id), ProfileChanges(**{field: None}))

    assert cleared == attrs.evolve(grace, **{field: None})
    assert flows.service.get_profile(grace.id) == cleared


def test_a_profile_change_that_gives_no_field_is_refused_and_changes_nothing(flows, ada):
    with pytest.raises(ValidationFailed) as refused:
        flows.service.update_profile(acting(ada.id), ProfileChanges())

    assert refused.value.errors == (NOTHING_GIVEN,)
    assert flows.service.get_profile(ada.id) == ada


def test_one_customers_changes_leave_another_customer_as_they_were(flows, ada):
    other = flows.register().customer

    flows.service.update_profile(acting(ada.id), ProfileChanges(first_name="Changed"))
    flows.service.update_preferences(acting(ada.id), PreferenceChanges(currency=Currency("GBP")))

    assert flows.service.get_profile(other.id) == other


# --- preferences ------------------------------------------------------------


def test_preferences_start_in_english_in_dollars_with_no_messages(flows, ada):
    assert flows.service.get_preferences(ada.id) == Preferences(
        newsletter=False, sms_notifications=False, language=Language("en"), currency=Currency("USD")
    )


@pytest.mark.parametrize(
    ("field", "sent", "stored"),
    [
        ("newsletter", True, True),
        ("sms_notifications", True, True),
        ("language", Language("pt_br"), Language("pt-BR")),
        ("language", Language("ZH-hant-tw"), Language("zh-Hant-TW")),
        ("language", Language("de"), Language("de")),
        ("currency", Currency("eur"), Currency("EUR")),
        ("currency", Currency(" jpy "), Currency("JPY")),
    ],
)
def test_changing_one_preference_changes_only_that_one(flows, ada, field, sent, stored):
    before = flows.service.get_preferences(ada.id)

    updated = flows.service.update_preferences(acting(ada.id), PreferenceChanges(**{field: sent}))

    assert updated == attrs.evolve(before, **{field: stored})
    assert flows.service.get_preferences(ada.id) == updated
    assert flows.service.get_profile(ada.id).preferences == updated


def test_a_preference_change_that_gives_no_field_is_refused_and_changes_nothing(flows, ada):
    with pytest.raises(ValidationFailed) as refused:
        flows.service.update_preferences(acting(ada.id), PreferenceChanges())

    assert refused.value.errors == (NOTHING_GIVEN,)
    assert flows.service.get_profile(ada.id) == ada
