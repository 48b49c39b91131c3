"""The LockoutRepository contract: subclass ``LockoutContract`` and provide
the ``lockouts`` fixture."""

from __future__ import annotations

import datetime as dt

from customer_core.testing.contracts.port_contract import PortContract

__all__ = ["LockoutContract"]

MINUTE = dt.timedelta(minutes=1)
MS = dt.timedelta(milliseconds=1)


class LockoutContract(PortContract):
    """The LockoutRepository contract: a subclass provides ``lockouts``."""

    def test_checks_are_numbered_one_by_one_up_to_the_threshold(self, lockouts, clock):
        numbers = [lockouts.begin_check("ada", threshold=3, now=clock.now()) for _ in range(5)]

        assert numbers == [1, 2, 3, None, None]

    def test_keys_are_counted_apart(self, lockouts, clock):
        for _ in range(3):
            lockouts.begin_check("ada", threshold=3, now=clock.now())

        assert lockouts.begin_check("grace", threshold=3, now=clock.now()) == 1

    def test_a_success_starts_the_count_again(self, lockouts, clock):
        for _ in range(2):
            lockouts.begin_check("ada", threshold=3, now=clock.now())

        lockouts.succeeded("ada", now=clock.now())

        assert [lockouts.begin_check("ada", threshold=3, now=clock.now()) for _ in range(4)] == [1, 2, 3, None]

    def test_a_locked_key_refuses_every_check_until_the_lock_ends(self, lockouts, clock):
        until = clock.now() + 15 * MINUTE
        lockouts.lock("ada", until=until)

        assert lockouts.begin_check("ada", threshold=3, now=until - MS) is None
        assert lockouts.locked_until("ada", now=until - MS) == until
        assert lockouts.begin_check("ada", threshold=3, now=until) == 1
        assert lockouts.locked_until("ada", now=until) is None

    def test_a_lock_starts_the_count_again_after_it(self, lockouts, clock):
        for _ in range(3):
            lockouts.begin_check("ada", threshold=3, now=clock.now())
        until = clock.now() + MINUTE
        lockouts.lock("ada", until=until)

        assert [lockouts.begin_check("ada", threshold=3, now=until) for _ in range(4)] == [1, 2, 3, None]

    def test_a_success_leaves_a_lock_in_place(self, lockouts, clock):
        until = clock.now() + MINUTE
        lockouts.lock("ada", until=until)

        lockouts.succeeded("ada", now=clock.now())

        assert lockouts.locked_until("ada", now=clock.now()) == until

    def test_lifting_forgets_the_lock_and_the_count(self, lockouts, clock):
        for _ in range(2):
            lockouts.begin_check("ada", threshold=3, now=clock.now())
        lockouts.lock("ada", until=clock.now() + MINUTE)

        lockouts.lift("ada")

        assert lockouts.locked_until("ada", now=clock.now()) is None
        assert lockouts.begin_check("ada", threshold=3, now=clock.now()) == 1

    def test_an_unknown_key_is_not_locked_and_lifting_it_is_harmless(self, lockouts, clock):
        lockouts.lift("nobody")

        assert lockouts.locked_until("nobody", now=clock.now()) is None
