import pytest

from adapters.memory import InMemoryAuditLog, InMemoryConsentLog
from customer_core.testing.contracts.records import AuditLogContract, ConsentLogContract


class TestInMemoryAuditLog(AuditLogContract):
    @pytest.fixture
    def audit_log(self):
        return InMemoryAuditLog()


class TestInMemoryConsentLog(ConsentLogContract):
    @pytest.fixture
    def consents(self):
        return InMemoryConsentLog()
