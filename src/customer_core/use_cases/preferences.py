"""Reading and changing one's preferences."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from customer_core.errors import Unauthenticated, ValidationFailed
from customer_core.ports import Clock, CustomerRepository
from customer_core.validation import FieldErrors
from customer_core.values import Currency, Language, Preferences


def _boolean(raw: object) -> bool:
    if not isinstance(raw, bool):
        raise ValueError("must be true or false")
    return raw


# attribute -> (client field name, parser)
_PARSERS = {
    "newsletter": ("newsletter", _boolean),
    "sms_notifications": ("smsNotifications", _boolean),
    "language": ("language", Language.parse),
    "currency": ("currency", Currency.parse),
}


def parse_preference_changes(raw: Mapping[str, object], errors: FieldErrors, *, prefix: str = "") -> dict[str, Any]:
    """Validate preferences given by attribute name."""
    return {
        attribute: errors.parse(prefix + _PARSERS[attribute][0], _PARSERS[attribute][1], value)
        for attribute, value in raw.items()
    }


class GetPreferences:
    def __init__(self, *, customers: CustomerRepository) -> None:
        self._customers = customers

    def __call__(self, customer_id: str) -> Preferences:
        customer = self._customers.get(customer_id)
        if customer is None:
            raise Unauthenticated()
        return customer.preferences


class UpdatePreferences:
    def __init__(self, *, customers: CustomerRepository, clock: Clock) -> None:
        self._customers = customers
        self._clock = clock

    def __call__(self, customer_id: str, changes: Mapping[str, object]) -> Preferences:
        errors = FieldErrors()
        parsed = parse_preference_changes(changes, errors)
        errors.raise_if_any()
        if not parsed:
            raise ValidationFailed.single("body", "give at least one field to change")
        # Each preference is set on its own path, so concurrent changes of
        # different preferences never overwrite each other.
        updates = {f"preferences.{name}": value for name, value in parsed.items()}
        updated = self._customers.update(customer_id, {**updates, "updated_at": self._clock.now()})
        if updated is None:
            raise Unauthenticated()
        return updated.preferences
