import pytest

from adapters.memory import InMemoryLockouts
from tests.contracts.lockouts import LockoutContract


class TestInMemoryLockouts(LockoutContract):
    @pytest.fixture
    def lockouts(self):
        return InMemoryLockouts()
