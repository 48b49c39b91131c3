"""The PhoneCodeRepository contract: subclass ``PhoneCodeContract`` and
provide the ``codes`` and ``uow`` fixtures."""

from __future__ import annotations

import datetime as dt

import pytest

from customer_core.phone_codes import LIFETIME, TRIES, PhoneCode
from customer_core.testing.contracts.port_contract import PortContract
from customer_core.values import Id

__all__ = ["ADA", "GRACE", "PhoneCodeContract", "a_code", "issue"]

MINUTE = dt.timedelta(minutes=1)
MS = dt.timedelta(milliseconds=1)
ADA = Id("65a000000000000000000001")
GRACE = Id("65a000000000000000000002")


def a_code(clock, customer_id: Id = ADA, digest: str = "kid:ada-1", **fields) -> PhoneCode:
    now = clock.now()
    return PhoneCode(customer_id=customer_id, digest=digest, sent_at=now, expires_at=now + LIFETIME, **fields)


def issue(codes, code: PhoneCode) -> dt.datetime | None:
    return codes.issue(code, unless_sent_after=code.sent_at - MINUTE)


class PhoneCodeContract(PortContract):
    """The PhoneCodeRepository contract: a subclass provides ``codes`` and ``uow``."""

    def test_no_code_gives_no_try(self, codes, clock):
        assert codes.take_try(ADA, now=clock.now()) is None

    def test_each_try_takes_one_of_the_tries_left_until_none_is(self, codes, clock):
        assert issue(codes, a_code(clock)) is None

        tries = [codes.take_try(ADA, now=clock.now()) for _ in range(TRIES + 2)]

        assert [t.tries_left if t else None for t in tries] == [4, 3, 2, 1, 0, None, None]
        assert tries[0] == a_code(clock, tries_left=TRIES - 1)

    def test_an_expired_code_gives_no_try(self, codes, clock):
        code = a_code(clock)
        issue(codes, code)

        assert codes.take_try(ADA, now=code.expires_at - MS) is not None
        assert codes.take_try(ADA, now=code.expires_at) is None

    def test_a_code_sent_within_the_limit_is_kept_and_says_when_it_was_sent(self, codes, clock):
        first = a_code(clock, digest="kid:first")
        issue(codes, first)
        clock.advance(MINUTE - MS)

        assert issue(codes, a_code(clock, digest="kid:second")) == first.sent_at
        assert codes.take_try(ADA, now=clock.now()).digest == "kid:first"

    def test_a_new_code_replaces_the_previous_one_with_every_try_again(self, codes, clock):
        issue(codes, a_code(clock, digest="kid:first"))
        codes.take_try(ADA, now=clock.now())
        clock.advance(MINUTE)

        assert issue(codes, a_code(clock, digest="kid:second")) is None

        tried = codes.take_try(ADA, now=clock.now())
        assert (tried.digest, tried.tries_left) == ("kid:second", TRIES - 1)
        assert not codes.use(ADA, "kid:first")

    def test_customers_have_codes_of_their_own(self, codes, clock):
        issue(codes, a_code(clock, ADA, "kid:ada"))

        assert issue(codes, a_code(clock, GRACE, "kid:grace")) is None
        assert codes.take_try(GRACE, now=clock.now()).digest == "kid:grace"
        assert not codes.use(GRACE, "kid:ada")
        assert codes.take_try(ADA, now=clock.now()).tries_left == TRIES - 1

    def test_a_code_is_used_once(self, codes, clock):
        issue(codes, a_code(clock))

        assert codes.use(ADA, "kid:ada-1")
        assert not codes.use(ADA, "kid:ada-1")
        assert codes.take_try(ADA, now=clock.now()) is None

    def test_a_used_code_does_not_count_toward_the_limit(self, codes, clock):
        issue(codes, a_code(clock, digest="kid:first"))
        codes.use(ADA, "kid:first")

        assert issue(codes, a_code(clock, digest="kid:second")) is None

    def test_erasing_removes_the_customers_code_only(self, codes, clock):
        issue(codes, a_code(clock, ADA, "kid:ada"))
        issue(codes, a_code(clock, GRACE, "kid:grace"))

        codes.erase(ADA)

        assert codes.take_try(ADA, now=clock.now()) is None
        assert codes.take_try(GRACE, now=clock.now()) is not None

    def test_a_failed_unit_of_work_takes_its_issued_code_back(self, codes, clock, uow):
        issue(codes, a_code(clock, digest="kid:first"))
        clock.advance(MINUTE)

        def issue_then_fail():
            assert issue(codes, a_code(clock, digest="kid:second")) is None
            raise RuntimeError("a later step failed")

        with pytest.raises(RuntimeError):
            uow.run(issue_then_fail)

        assert codes.take_try(ADA, now=clock.now()).digest == "kid:first"

    def test_a_failed_unit_of_work_gives_its_used_code_back(self, codes, clock, uow):
        issue(codes, a_code(clock))

        def use_then_fail():
            assert codes.use(ADA, "kid:ada-1")
            raise RuntimeError("a later step failed")

        with pytest.raises(RuntimeError):
            uow.run(use_then_fail)

        assert codes.use(ADA, "kid:ada-1")
