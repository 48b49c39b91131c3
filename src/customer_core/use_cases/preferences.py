"""Reading and changing one's preferences."""

from __future__ import annotations

import attrs

from customer_core.customer import CustomerChanges, PreferenceChanges, Preferences
from customer_core.errors import Unauthenticated, ValidationFailed
from customer_core.ports import Clock, CustomerRepository, UnitOfWork
from customer_core.records import ConsentSource, Event, Origin
from customer_core.tokens import Principal
from customer_core.use_cases.recording import Recorder
from customer_core.values import Id


@attrs.frozen(kw_only=True)
class GetPreferences:
    customers: CustomerRepository

    def __call__(self, customer_id: Id) -> Preferences:
        customer = self.customers.get(customer_id)
        if customer is None:
            raise Unauthenticated()
        return customer.preferences


@attrs.frozen(kw_only=True)
class UpdatePreferences:
    """A change of ``newsletter`` or ``smsNotifications`` is a consent given
    or withdrawn, and recorded as one; every change is recorded with the
    names of the preferences it changed."""

    customers: CustomerRepository
    clock: Clock
    recorder: Recorder
    uow: UnitOfWork

    def __call__(self, principal: Principal, changes: PreferenceChanges) -> Preferences:
        return self.apply(principal.customer_id, changes, ConsentSource.PREFERENCES, principal.origin)

    def apply(self, customer_id: Id, changes: PreferenceChanges, source: ConsentSource, origin: Origin) -> Preferences:
        if not changes.given():
            raise ValidationFailed.single("body", "give at least one field to change")

        def update() -> Preferences:
            before = self.customers.get(customer_id)
            stored = CustomerChanges(preferences=changes, updated_at=self.clock.now())
            updated = self.customers.update(customer_id, stored) if before else None
            if before is None or updated is None:
                raise Unauthenticated()
            self.recorder.consents_given(updated.id, before.preferences, updated.preferences, source, origin)
            changed = [
                f"preferences.{name}"
                for name in sorted(changes.given())
                if getattr(updated.preferences, name) != getattr(before.preferences, name)
            ]
            self.recorder.event(Event.PREFERENCES_UPDATED, updated.id, origin, fields=changed)
            return updated.preferences

        return self.uow.run(update)
