"""Each outgoing message goes where its channel says."""

from __future__ import annotations

import datetime as dt

import pytest

from adapters.notifications.transports import ChannelRouter
from customer_core.errors import DeliveryFailed
from customer_core.outbox import Channel, OutboxMessage
from customer_core.values import Id


class Recording:
    def __init__(self) -> None:
        self.delivered: list[Id] = []

    def deliver(self, message: OutboxMessage) -> None:
        self.delivered.append(message.id)


def message(channel: Channel) -> OutboxMessage:
    now = dt.datetime(2026, 1, 1, tzinfo=dt.UTC)
    return OutboxMessage.new(id=Id(f"{channel}-1"), template="t", to="", locale="en", data={}, now=now, channel=channel)


def test_customer_events_go_to_the_events_receiver_and_the_rest_to_notifications():
    notifications, events = Recording(), Recording()
    router = ChannelRouter(notifications, events)

    for channel in Channel:
        router.deliver(message(channel))

    assert notifications.delivered == ["email-1", "sms-1"]
    assert events.delivered == ["webhook-1"]


def test_a_customer_event_found_with_no_events_receiver_configured_fails_to_be_retried():
    router = ChannelRouter(Recording(), None)

    with pytest.raises(DeliveryFailed, match="CS_EVENTS_URL is not set"):
        router.deliver(message(Channel.WEBHOOK))
