import pytest

from adapters.memory import InMemoryPhoneCodes, InMemoryUnitOfWork
from customer_core.testing.contracts.phone_codes import PhoneCodeContract


class TestInMemoryPhoneCodes(PhoneCodeContract):
    @pytest.fixture
    def codes(self):
        return InMemoryPhoneCodes()

    @pytest.fixture
    def uow(self):
        return InMemoryUnitOfWork()
