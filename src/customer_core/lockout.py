"""Account lockout after repeated failed logins."""

from __future__ import annotations

import datetime as dt

import attrs


@attrs.frozen(kw_only=True)
class LockoutPolicy:
    """``threshold`` consecutive failures lock the account for ``duration``.
    The counter is kept by the repository (atomically); this decides."""

    threshold: int = 5
    duration: dt.timedelta = dt.timedelta(minutes=15)

    def __attrs_post_init__(self) -> None:
        if self.threshold < 1:
            raise ValueError("lockout threshold must be at least 1")

    def should_lock(self, consecutive_failures: int) -> bool:
        return consecutive_failures >= self.threshold

    def locked_until(self, now: dt.datetime) -> dt.datetime:
        return now + self.duration

    @staticmethod
    def is_locked(locked_until: dt.datetime | None, now: dt.datetime) -> bool:
        return locked_until is not None and now < locked_until


@attrs.frozen(kw_only=True)
class RateLimit:
    """At most ``limit`` attempts per ``window`` from one client address."""

    limit: int
    window: dt.timedelta = dt.timedelta(minutes=1)
