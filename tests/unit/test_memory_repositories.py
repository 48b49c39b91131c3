import pytest

from adapters.memory import InMemoryCustomerRepository, InMemorySessionRepository
from tests.contracts.repositories import CustomerAndSessionContract


class TestInMemoryCustomersAndSessions(CustomerAndSessionContract):
    @pytest.fixture
    def customers(self):
        return InMemoryCustomerRepository()

    @pytest.fixture
    def sessions(self):
        return InMemorySessionRepository()
