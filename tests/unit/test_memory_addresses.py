import pytest

from adapters.memory import InMemoryAddressRepository
from customer_core.testing.contracts.addresses import AddressRepositoryContract


class TestInMemoryAddresses(AddressRepositoryContract):
    @pytest.fixture
    def addresses(self):
        return InMemoryAddressRepository()
