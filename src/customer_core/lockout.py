"""Account lockout after repeated wrong passwords, and per-client rate limits.

The count of password checks lives apart from the account, keyed by a
digest of the email as typed (normalised), so an unknown email costs the
same work as a known one and an erased account leaves no name behind."""

from __future__ import annotations

import datetime as dt
import hashlib

import attrs

from customer_core.values import Email


@attrs.frozen(kw_only=True)
class LockoutPolicy:
    """At most ``threshold`` wrong passwords are checked before an account
    locks for ``duration``; a right one starts the count again."""

    threshold: int = 5
    duration: dt.timedelta = dt.timedelta(minutes=15)

    def __attrs_post_init__(self) -> None:
        if self.threshold < 1:
            raise ValueError("lockout threshold must be at least 1")

    def locks_after(self, check: int) -> bool:
        """Whether a wrong password in the ``check``-th check locks the account."""
        return check >= self.threshold

    def locked_until(self, now: dt.datetime) -> dt.datetime:
        return now + self.duration


def lockout_key(email: str) -> str:
    """What the lockout of an email is kept under: a digest of its normal
    form (of the text as typed when it is no valid email)."""
    try:
        normal = Email(email).value
    except ValueError:
        normal = email.strip().lower()
    return hashlib.sha256(normal.encode("utf-8", "surrogatepass")).hexdigest()


@attrs.frozen(kw_only=True)
class RateLimit:
    """At most ``limit`` attempts per ``window`` for one key."""

    limit: int
    window: dt.timedelta = dt.timedelta(minutes=1)
