import pytest

from adapters.memory import InMemoryLockouts
from customer_core.testing.contracts.lockouts import LockoutContract


class TestInMemoryLockouts(LockoutContract):
    @pytest.fixture
    def lockouts(self):
        return InMemoryLockouts()
