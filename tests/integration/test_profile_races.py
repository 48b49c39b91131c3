"""Concurrent changes of one customer's profile and preferences, through the
use cases against the real store: each change writes only the fields it
gives, so changes of different fields made at the same moment all survive."""

from __future__ import annotations

import datetime as dt
import uuid
from collections.abc import Iterator

import pytest

from customer_core import Customer, CustomerService, PreferenceChanges, Preferences, ProfileChanges, Registration
from customer_core.values import Currency, Email, Gender, Language, MediaId, Phone
from entrypoints.bootstrap import bootstrap
from tests.support import PASSWORD, acting, run_together, unique_email

pytestmark = pytest.mark.slow

ROUNDS = [
    (
        dict(newsletter=True, sms_notifications=True, language=Language("fr"), currency=Currency("EUR")),
        dict(
            first_name="Grace",
            last_name="Hopper",
            phone=Phone("+12125550100"),
            date_of_birth=dt.date(1906, 12, 9),
            gender=Gender.FEMALE,
            profile_image=MediaId(str(uuid.uuid4())),
        ),
    ),
    (
        dict(newsletter=False, sms_notifications=False, language=Language("pt-BR"), currency=Currency("BRL")),
        dict(
            first_name="Alan",
            last_name="Turing",
            phone=Phone("+442079460958"),
            date_of_birth=dt.date(1912, 6, 23),
            gender=Gender.MALE,
            profile_image=MediaId(str(uuid.uuid4())),
        ),
    ),
]


@pytest.fixture
def service(settings) -> Iterator[CustomerService]:
    wiring = bootstrap(settings)
    yield wiring.service
    wiring.close()


def test_concurrent_changes_of_different_fields_all_survive(service):
    ada = service.register(
        Registration(email=Email(unique_email()), password=PASSWORD, first_name="Ada", last_name="Lovelace")
    ).customer

    def change(changes: PreferenceChanges | ProfileChanges) -> Preferences | Customer:
        if isinstance(changes, PreferenceChanges):
            return service.update_preferences(acting(ada.id), changes)
        return service.update_profile(acting(ada.id), changes)

    for preferences, profile in ROUNDS:
        changes = [PreferenceChanges(**{name: value}) for name, value in preferences.items()]
        changes += [ProfileChanges(**{name: value}) for name, value in profile.items()]

        results = run_together(lambda n, changes=changes: change(changes[n]), threads=len(changes))

        assert all(isinstance(result, Preferences | Customer) for result in results), results
        stored = service.get_profile(ada.id)
        assert stored.preferences == Preferences(**preferences)
        assert {name: getattr(stored, name) for name in profile} == profile
