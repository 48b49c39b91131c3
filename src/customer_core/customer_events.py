"""Customer events: what other services are told about customers (as signed
webhooks, through the outbox). They carry ids and the names of changed
fields, never values: a consumer that needs the values asks this service."""

from __future__ import annotations

import enum

import attrs

from customer_core.records import Detail, Event
from customer_core.values import Id


class CustomerEventType(enum.StrEnum):
    REGISTERED = "customer.registered"
    EMAIL_VERIFIED = "customer.email_verified"
    EMAIL_CHANGED = "customer.email_changed"
    UPDATED = "customer.updated"
    DELETED = "customer.deleted"


@attrs.frozen(kw_only=True)
class CustomerEvent:
    type: CustomerEventType
    customer_id: Id
    # customer.updated: attribute paths of the customer ("last_name", "preferences.language").
    changed_fields: tuple[str, ...] = ()

    @property
    def about(self) -> Id | None:
        """Whom the outbox files the event under, so that an erasure drops it.
        None for customer.deleted: it must outlive the erasure that causes it,
        and leave nothing filed under the erased id once delivered."""
        return None if self.type is CustomerEventType.DELETED else self.customer_id


_ANNOUNCED = {
    Event.REGISTERED: CustomerEventType.REGISTERED,
    Event.EMAIL_VERIFIED: CustomerEventType.EMAIL_VERIFIED,
    Event.EMAIL_CHANGED: CustomerEventType.EMAIL_CHANGED,
}
# The audited changes of what GET /me shows: the detail's ``fields`` names
# what changed; else the event itself implies it.
_UPDATES: dict[Event, tuple[str, ...]] = {
    Event.PROFILE_UPDATED: (),
    Event.PREFERENCES_UPDATED: (),
    Event.ACCOUNT_DISABLED: (),
    Event.ACCOUNT_ENABLED: (),
    Event.PHONE_VERIFIED: ("phone_verified",),
}


def customer_event(event: Event, customer_id: Id | None, detail: Detail) -> CustomerEvent | None:
    """The customer event an audited change makes, if any; an update that
    changed nothing makes none."""
    if customer_id is None:
        return None
    if event in _ANNOUNCED:
        return CustomerEvent(type=_ANNOUNCED[event], customer_id=customer_id)
    if event in _UPDATES:
        fields = detail.get("fields", _UPDATES[event])
        if isinstance(fields, list | tuple) and fields:
            return CustomerEvent(type=CustomerEventType.UPDATED, customer_id=customer_id, changed_fields=tuple(fields))
    return None
