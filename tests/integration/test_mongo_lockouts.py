from collections import Counter

import pytest

from adapters.mongo import MongoLockouts
from customer_core.testing.contracts import CLOCK_START
from customer_core.testing.contracts.lockouts import LockoutContract
from tests.support import run_together


class TestMongoLockouts(LockoutContract):
    @pytest.fixture
    def lockouts(self, db):
        return MongoLockouts(db)


@pytest.mark.parametrize("known", [False, True], ids=["first checks of a key", "a key seen before"])
def test_concurrent_checks_number_exactly_the_threshold_and_refuse_the_rest(db, known):
    lockouts = MongoLockouts(db)
    if known:
        lockouts.begin_check("ada", threshold=5, now=CLOCK_START)
        lockouts.succeeded("ada", now=CLOCK_START)

    results = run_together(lambda n: lockouts.begin_check("ada", threshold=5, now=CLOCK_START), threads=40)

    assert Counter(results) == Counter({None: 35, 1: 1, 2: 1, 3: 1, 4: 1, 5: 1})
