import pytest

from adapters.memory import InMemoryEmailedTokens, InMemoryOutbox
from tests.contracts.customer_events import CustomerEventsContract
from tests.contracts.messaging import MessagingContract


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
