import pytest

from adapters.memory import InMemoryCustomerRepository, InMemorySessionRepository, InMemorySignedInCustomers
from tests.contracts.repositories import CustomerAndSessionContract, SignedInCustomersContract


class TestInMemoryCustomersAndSessions(CustomerAndSessionContract):
    @pytest.fixture
    def customers(self):
        return InMemoryCustomerRepository()

    @pytest.fixture
    def sessions(self):
        return InMemorySessionRepository()


class TestInMemorySignedInCustomers(SignedInCustomersContract):
    @pytest.fixture
    def customers(self):
        return InMemoryCustomerRepository()

    @pytest.fixture
    def sessions(self):
        return InMemorySessionRepository()

    @pytest.fixture
    def signed_in(self, customers, sessions):
        return InMemorySignedInCustomers(customers, sessions)
