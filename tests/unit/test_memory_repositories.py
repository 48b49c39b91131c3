import pytest

from adapters.memory import (
    InMemoryCustomerRepository,
    InMemoryOrders,
    InMemoryServiceClients,
    InMemorySessionRepository,
    InMemorySignedInCustomers,
    InMemoryUnitOfWork,
)
from customer_core.testing.contracts.orders import OrdersContract
from customer_core.testing.contracts.repositories import CustomerAndSessionContract, SignedInCustomersContract


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


class TestInMemoryOrders(OrdersContract):
    @pytest.fixture
    def customers(self):
        return InMemoryCustomerRepository()

    @pytest.fixture
    def orders(self):
        return InMemoryOrders()

    @pytest.fixture
    def service_clients(self):
        return InMemoryServiceClients()

    @pytest.fixture
    def uow(self):
        return InMemoryUnitOfWork()
