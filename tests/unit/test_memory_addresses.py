import pytest

from adapters.memory import InMemoryAddressRepository
from tests.contracts.addresses import AddressRepositoryContract


class TestInMemoryAddresses(AddressRepositoryContract):
    @pytest.fixture
    def addresses(self):
        return InMemoryAddressRepository()
