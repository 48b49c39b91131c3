"""The CustomerEvents contract, on each outbox: subclass
``CustomerEventsContract`` and provide the ``outbox`` fixture (the Notifier
and MessageQueue the events are queued in) and the ``events`` fixture (the
CustomerEvents publishing into it, e.g.
``adapters.notifications.webhooks.OutboxCustomerEvents(outbox)``)."""

from __future__ import annotations

import datetime as dt

from customer_core.customer_events import CustomerEvent, CustomerEventType
from customer_core.outbox import Channel, Status
from customer_core.testing.contracts.port_contract import PortContract

__all__ = ["CustomerEventsContract"]

LEASE = dt.timedelta(seconds=30)


def claim_all(outbox, clock):
    now = clock.now()
    claimed = []
    while message := outbox.claim(owner="worker-a", now=now, lease_until=now + LEASE):
        claimed.append(message)
    return claimed


class CustomerEventsContract(PortContract):
    """The CustomerEvents contract: a subclass provides ``outbox`` and ``events``."""

    def test_an_event_is_a_webhook_message_of_its_type_holding_only_the_customer_id(self, events, outbox, clock, ids):
        ada = ids.new_id()

        events.publish(CustomerEvent(type=CustomerEventType.REGISTERED, customer_id=ada))

        [message] = claim_all(outbox, clock)
        assert (message.channel, message.template, message.to, message.customer_id) == (
            Channel.WEBHOOK,
            "customer.registered",
            "",
            ada,
        )
        assert dict(message.data) == {"customerId": ada} and message.created_at == clock.now()

    def test_an_update_names_the_changed_fields_as_the_api_spells_them(self, events, outbox, clock, ids):
        ada = ids.new_id()
        changed = ("last_name", "date_of_birth", "preferences.sms_notifications")

        events.publish(CustomerEvent(type=CustomerEventType.UPDATED, customer_id=ada, changed_fields=changed))

        [message] = claim_all(outbox, clock)
        assert dict(message.data) == {
            "customerId": ada,
            "changedFields": ["lastName", "dateOfBirth", "preferences.smsNotifications"],
        }

    def test_forgetting_a_customer_drops_their_events_but_not_their_deletion(self, events, outbox, clock, ids):
        ada, grace = ids.new_id(), ids.new_id()
        for customer_id in (ada, grace):
            events.publish(CustomerEvent(type=CustomerEventType.REGISTERED, customer_id=customer_id))
        events.publish(CustomerEvent(type=CustomerEventType.DELETED, customer_id=ada))

        outbox.forget(ada)

        remaining = claim_all(outbox, clock)
        assert sorted((m.template, m.data["customerId"]) for m in remaining) == sorted(
            [("customer.registered", grace), ("customer.deleted", ada)]
        )

    def test_a_delivered_deletion_leaves_nothing_under_the_erased_id(self, events, outbox, clock, ids):
        ada = ids.new_id()
        events.publish(CustomerEvent(type=CustomerEventType.DELETED, customer_id=ada))
        [message] = claim_all(outbox, clock)

        outbox.mark_delivered(message.id, owner="worker-a", now=clock.now())

        [delivered] = outbox.list(Status.DELIVERED)
        assert delivered.customer_id is None and dict(delivered.data) == {}
