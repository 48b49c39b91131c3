"""Writing the audit trail and the consent history."""

from __future__ import annotations

import logging

import attrs

from customer_core.customer import Preferences
from customer_core.customer_events import customer_event
from customer_core.errors import Unauthenticated
from customer_core.ports import (
    AuditLog,
    Clock,
    ConsentLog,
    CustomerEvents,
    CustomerRepository,
    IdGenerator,
    UnitOfWork,
)
from customer_core.records import AuditEntry, Consent, ConsentSource, Detail, Event, Origin, consent_flags
from customer_core.values import Id

# Each recorded event is logged too, with the customer's id and the names in
# its detail; like the record, never an email, password or token.
events_log = logging.getLogger("customer_service.events")


@attrs.frozen(kw_only=True)
class Recorder:
    """Call it inside the unit of work of the change it records, so the
    change and its record land together or not at all. An event about a
    customer holds their account (``CustomerRepository.hold``): a change
    racing the account's erasure fails instead of outliving it. A change
    other services hear of (``customer_event``) is published with its record."""

    audit_log: AuditLog
    consents: ConsentLog
    customers: CustomerRepository
    ids: IdGenerator
    clock: Clock
    uow: UnitOfWork
    consent_policy_version: str
    customer_events: CustomerEvents | None

    def event(
        self, event: Event, customer_id: Id | None, origin: Origin, **detail: str | int | bool | list[str]
    ) -> None:
        def record() -> None:
            if customer_id is not None and not self.customers.hold(customer_id):
                raise Unauthenticated()  # erased meanwhile
            self._record(event, customer_id, origin, detail)
            published = customer_event(event, customer_id, detail)
            if published is not None and self.customer_events is not None:
                self.customer_events.publish(published)

        self.uow.run(record)

    def pseudonymous(self, event: Event, pseudonym: Id, origin: Origin) -> None:
        """An event about an erased customer, under their pseudonym."""
        self._record(event, pseudonym, origin, {})

    def _record(self, event: Event, customer_id: Id | None, origin: Origin, detail: Detail) -> None:
        client = origin.client.trimmed()
        fields = {
            "event": str(event),
            "customerId": customer_id,
            "actor": str(origin.actor),
            "operator": origin.operator,
        }
        # Logged (and counted for /metrics) once the record is committed, not per attempt.
        self.uow.after_commit(lambda: events_log.info("%s", event, extra={"fields": {**fields, **detail}}))
        self.audit_log.record(
            AuditEntry(
                id=self.ids.new_id(),
                at=self.clock.now(),
                type=event,
                actor=origin.actor,
                customer_id=customer_id,
                operator=origin.operator,
                request_id=client.request_id,
                ip_address=client.ip_address,
                user_agent=client.user_agent,
                detail=detail,
            )
        )

    def consents_given(
        self,
        customer_id: Id,
        before: Preferences | None,
        after: Preferences,
        source: ConsentSource,
        origin: Origin,
    ) -> None:
        """A consent entry for each purpose whose flag changed (each one when
        there was none before), and a ``consent_changed`` event if any did."""
        previous = consent_flags(before) if before is not None else {}
        changed = {
            purpose: granted for purpose, granted in consent_flags(after).items() if previous.get(purpose) != granted
        }
        now = self.clock.now()
        for purpose, granted in changed.items():
            self.consents.add(
                Consent(
                    id=self.ids.new_id(),
                    customer_id=customer_id,
                    purpose=purpose,
                    granted=granted,
                    at=now,
                    source=source,
                    policy_version=self.consent_policy_version,
                )
            )
        if changed:
            self.event(Event.CONSENT_CHANGED, customer_id, origin, **{str(p): g for p, g in changed.items()})
