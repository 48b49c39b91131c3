"""Reading and changing one's preferences."""

from __future__ import annotations

import attrs

from customer_core.customer import CustomerChanges, PreferenceChanges, Preferences
from customer_core.errors import Unauthenticated, ValidationFailed
from customer_core.ports import Clock, CustomerRepository
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
    customers: CustomerRepository
    clock: Clock

    def __call__(self, customer_id: Id, changes: PreferenceChanges) -> Preferences:
        if not changes.given():
            raise ValidationFailed.single("body", "give at least one field to change")
        updated = self.customers.update(customer_id, CustomerChanges(preferences=changes, updated_at=self.clock.now()))
        if updated is None:
            raise Unauthenticated()
        return updated.preferences
