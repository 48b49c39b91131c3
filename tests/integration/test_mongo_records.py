import datetime as dt

import pytest

from adapters.memory import RandomIds
from adapters.mongo import MongoAuditLog, MongoConsentLog
from customer_core.testing.contracts import CLOCK_START
from customer_core.testing.contracts.records import AuditLogContract, ConsentLogContract, an_entry


class TestMongoAuditLog(AuditLogContract):
    @pytest.fixture
    def audit_log(self, db):
        return MongoAuditLog(db, retention=dt.timedelta(days=365))


class TestMongoConsentLog(ConsentLogContract):
    @pytest.fixture
    def consents(self, db):
        return MongoConsentLog(db)


def test_an_entry_expires_after_the_retention(db):
    entry = an_entry(RandomIds(), CLOCK_START)
    MongoAuditLog(db, retention=dt.timedelta(days=30)).record(entry)

    stored = db.audit.find_one()
    assert stored["expiresAt"].replace(tzinfo=dt.UTC) == CLOCK_START + dt.timedelta(days=30)
    assert any(index.get("expireAfterSeconds") == 0 for index in db.audit.list_indexes() if "expiresAt" in index["key"])
