"""Reading and changing one's own profile."""

from __future__ import annotations

import attrs

from customer_core.customer import Customer, CustomerChanges, ProfileChanges
from customer_core.errors import InvalidProfileImage, Unauthenticated, ValidationFailed
from customer_core.media import profile_image_problem
from customer_core.ports import Clock, CustomerRepository, MediaCatalog, UnitOfWork
from customer_core.records import Event
from customer_core.tokens import Principal
from customer_core.use_cases.recording import Recorder
from customer_core.values import UNSET, Id, MediaId


@attrs.frozen(kw_only=True)
class GetProfile:
    customers: CustomerRepository

    def __call__(self, customer_id: Id) -> Customer:
        customer = self.customers.get(customer_id)
        if customer is None:
            raise Unauthenticated()
        return customer


@attrs.frozen(kw_only=True)
class UpdateProfile:
    """A new profile image must be the customer's own image upload of at
    most 5 MB, as the Media Service knows it (when there is one)."""

    customers: CustomerRepository
    clock: Clock
    recorder: Recorder
    uow: UnitOfWork
    media: MediaCatalog | None

    def __call__(self, principal: Principal, changes: ProfileChanges) -> Customer:
        """Fields not given stay as they are; ``None`` clears an optional one.
        Changing the phone makes it unverified."""
        given = changes.given()
        if not given:
            raise ValidationFailed.single("body", "give at least one field to change")
        if isinstance(changes.profile_image, MediaId) and self.media is not None:
            problem = profile_image_problem(self.media.describe(changes.profile_image), principal.customer_id)
            if problem:
                raise InvalidProfileImage(problem)
        now = self.clock.now()

        def update() -> Customer:
            current = self.customers.get(principal.customer_id)
            if current is None:
                raise Unauthenticated()
            # A verification is of one number: a new one (or none) is unverified.
            phone_changed = "phone" in given and given["phone"] != current.phone
            applied = CustomerChanges(**given, phone_verified=False if phone_changed else UNSET, updated_at=now)
            updated = self.customers.update(principal.customer_id, applied)
            if updated is None:
                raise Unauthenticated()
            names = sorted({*given, "phone_verified"})
            changed = [name for name in names if getattr(updated, name) != getattr(current, name)]
            self.recorder.event(Event.PROFILE_UPDATED, principal.customer_id, principal.origin, fields=changed)
            return updated

        return self.uow.run(update)
