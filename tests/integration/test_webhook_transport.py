"""The Standard Webhooks transport against a stand-in receiver: what counts
as delivered, and each way a delivery or a readiness probe fails."""

from __future__ import annotations

import httpx
import pytest

from adapters.clock import SystemClock
from adapters.notifications.webhooks import StandardWebhookTransport
from customer_core.errors import DeliveryFailed
from customer_core.outbox import Channel, OutboxMessage
from customer_core.values import Id
from tests.webhook_receiver import SECRET, WebhookReceiver

EVENT = OutboxMessage.new(
    id=Id("65a1b2c3d4e5f60718293a4b"),
    template="customer.registered",
    to="",
    locale="",
    data={"customerId": "65a1b2c3d4e5f60718293a4c"},
    now=SystemClock().now(),
    channel=Channel.WEBHOOK,
)


@pytest.fixture
def transport(webhooks):
    made = StandardWebhookTransport(webhooks.events_url, SECRET, SystemClock(), timeout_seconds=0.5)
    yield made
    made.close()


def test_a_2xx_is_a_delivery(transport, webhooks):
    transport.deliver(EVENT)

    [delivery] = webhooks.accepted()
    assert delivery.headers["webhook-id"] == EVENT.id


@pytest.mark.parametrize(("mode", "error"), [("fail", "HTTP 500"), ("hang", "ReadTimeout")])
def test_an_error_or_no_answer_in_time_fails_the_attempt_naming_no_secret(transport, webhooks, mode, error):
    webhooks.mode, webhooks.hang_seconds = mode, 1.0

    with pytest.raises(DeliveryFailed) as failed:
        transport.deliver(EVENT)

    assert str(failed.value).startswith(error)
    assert SECRET.removeprefix("whsec_") not in str(failed.value) and "v1," not in str(failed.value)


def test_another_path_than_the_events_url_is_not_taken_for_it(webhooks):
    elsewhere = StandardWebhookTransport(webhooks.url + "/elsewhere", SECRET, SystemClock(), timeout_seconds=0.5)

    with pytest.raises(DeliveryFailed, match="HTTP 500"):
        elsewhere.deliver(EVENT)


def test_nothing_listening_fails_the_attempt():
    gone = WebhookReceiver()
    with gone.running():
        url = gone.events_url
    transport = StandardWebhookTransport(url, SECRET, SystemClock(), timeout_seconds=0.5)

    with pytest.raises(DeliveryFailed, match="ConnectError"):
        transport.deliver(EVENT)
    with pytest.raises(httpx.ConnectError):
        transport.check(timeout_seconds=0.5)


def test_the_probe_takes_any_answer_but_a_server_error(transport, webhooks):
    transport.check(timeout_seconds=0.5)  # 405: the receiver takes POST only

    webhooks.mode = "fail"
    with pytest.raises(RuntimeError, match="HTTP 500"):
        transport.check(timeout_seconds=0.5)
    assert webhooks.received == []  # probing posts nothing
