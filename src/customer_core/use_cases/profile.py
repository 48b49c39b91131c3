"""Reading and changing one's own profile."""

from __future__ import annotations

import datetime as dt
import uuid
from collections.abc import Callable, Mapping
from typing import Any

from customer_core.customer import Customer
from customer_core.errors import Unauthenticated, ValidationFailed
from customer_core.ports import Clock, CustomerRepository
from customer_core.validation import FieldErrors
from customer_core.values import DateOfBirth, Gender, Name, Phone


def parse_media_id(raw: object) -> str:
    if not isinstance(raw, str):
        raise ValueError("must be a media id (UUID)")
    try:
        return str(uuid.UUID(raw))
    except ValueError:
        raise ValueError("must be a media id (UUID)") from None


# attribute -> (client field name, parser, may be cleared with null)
def _profile_parsers(today: dt.date) -> dict[str, tuple[str, Callable[[Any], Any], bool]]:
    return {
        "first_name": ("firstName", Name.parse, False),
        "last_name": ("lastName", Name.parse, False),
        "phone": ("phone", Phone.parse, True),
        "date_of_birth": ("dateOfBirth", lambda raw: DateOfBirth.parse(raw, today=today), True),
        "gender": ("gender", Gender.parse, True),
        "profile_image": ("profileImage", parse_media_id, True),
    }


def parse_profile_fields(raw: Mapping[str, object], errors: FieldErrors, *, today: dt.date) -> dict[str, Any]:
    """Validate profile fields given by attribute name; ``None`` clears."""
    parsers = _profile_parsers(today)
    parsed: dict[str, Any] = {}
    for attribute, value in raw.items():
        field, parser, clearable = parsers[attribute]
        if value is None:
            if clearable:
                parsed[attribute] = None
            else:
                errors.add(field, "must not be null")
        else:
            parsed[attribute] = errors.parse(field, parser, value)
    return parsed


class GetProfile:
    def __init__(self, *, customers: CustomerRepository) -> None:
        self._customers = customers

    def __call__(self, customer_id: str) -> Customer:
        customer = self._customers.get(customer_id)
        if customer is None:
            raise Unauthenticated()
        return customer


class UpdateProfile:
    def __init__(self, *, customers: CustomerRepository, clock: Clock) -> None:
        self._customers = customers
        self._clock = clock

    def __call__(self, customer_id: str, changes: Mapping[str, object]) -> Customer:
        """``changes`` maps profile attribute names to raw values; absent
        attributes stay as they are."""
        now = self._clock.now()
        errors = FieldErrors()
        parsed = parse_profile_fields(changes, errors, today=now.date())
        errors.raise_if_any()
        if not parsed:
            raise ValidationFailed.single("body", "give at least one field to change")
        updated = self._customers.update(customer_id, {**parsed, "updated_at": now})
        if updated is None:
            raise Unauthenticated()
        return updated
