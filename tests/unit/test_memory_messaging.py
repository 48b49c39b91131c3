import pytest

from adapters.memory import InMemoryEmailedTokens, InMemoryOutbox
from adapters.notifications.webhooks import OutboxCustomerEvents
from customer_core.testing.contracts.customer_events import CustomerEventsContract
from customer_core.testing.contracts.messaging import MessagingContract


class TestInMemoryMessaging(MessagingContract):
    @pytest.fixture
    def outbox(self, clock):
        return InMemoryOutbox(clock)

    @pytest.fixture
    def tokens(self):
        return InMemoryEmailedTokens()


class TestCustomerEventsInTheMemoryOutbox(CustomerEventsContract):
    @pytest.fixture
    def outbox(self, clock):
        return InMemoryOutbox(clock)

    @pytest.fixture
    def events(self, outbox):
        return OutboxCustomerEvents(outbox)
