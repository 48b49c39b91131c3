from collections import Counter

import pytest

from adapters.mongo import MongoPhoneCodes, MongoUnitOfWork
from adapters.mongo.transactions import supports_transactions
from customer_core.phone_codes import TRIES, PhoneCode
from customer_core.testing.contracts import CLOCK_START
from customer_core.testing.contracts.phone_codes import ADA, PhoneCodeContract, a_code, issue
from tests.support import run_together


class TestMongoPhoneCodes(PhoneCodeContract):
    @pytest.fixture
    def codes(self, db):
        return MongoPhoneCodes(db)

    @pytest.fixture
    def uow(self, store):
        client, database = store
        return MongoUnitOfWork(client, database.write_concern)


class _Clock:
    def now(self):
        return CLOCK_START


def test_concurrent_tries_take_exactly_the_tries_left(db):
    codes = MongoPhoneCodes(db)
    issue(codes, a_code(_Clock()))

    results = run_together(lambda n: codes.take_try(ADA, now=CLOCK_START), threads=40)

    taken = [result.tries_left for result in results if isinstance(result, PhoneCode)]
    assert sorted(taken) == list(range(TRIES))
    assert results.count(None) == 40 - TRIES


def test_concurrent_uses_of_one_code_succeed_once(db):
    codes = MongoPhoneCodes(db)
    issue(codes, a_code(_Clock()))

    results = run_together(lambda n: codes.use(ADA, "kid:ada-1"))

    assert Counter(results) == Counter({True: 1, False: 19})


def test_of_concurrent_issues_in_units_of_work_one_stores_its_code(store):
    client, db = store
    if not supports_transactions(client):
        pytest.skip("this MongoDB is standalone: concurrent issues rely on the unique index alone")
    codes, uow = MongoPhoneCodes(db), MongoUnitOfWork(client, db.write_concern)

    results = run_together(lambda n: uow.run(lambda: issue(codes, a_code(_Clock(), digest=f"kid:{n}"))))

    assert results.count(None) == 1
    assert results.count(CLOCK_START) == 19
    assert db.phone_codes.count_documents({}) == 1


def test_codes_are_removed_once_expired_and_one_per_customer(db):
    indexes = db.phone_codes.index_information()

    assert indexes["expiry_ttl"]["key"] == [("expiresAt", 1)] and indexes["expiry_ttl"]["expireAfterSeconds"] == 0
    assert indexes["customer_unique"]["unique"] is True
