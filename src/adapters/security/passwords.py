"""Password hashing with bcrypt, and the shipped common-password list."""

from __future__ import annotations

import base64
import contextlib
import functools
import hashlib
import hmac
import os
import re
import sys
import threading
import time
from concurrent.futures import ThreadPoolExecutor

import bcrypt

_SCHEME = "bcrypt-hmac-sha256$"
# A fixed key for domain separation only (not a secret pepper: losing a
# pepper would lose every password).
_PREHASH_KEY = b"customer-service/password-prehash/v1"
# A plain bcrypt hash of the previous implementation (Node.js): $2a$, $2b$
# and $2y$ differ only in which historical bugs their makers had. Costs above
# 14 (seconds a check) are refused: one such account would let anyone tie
# up the hashing threads by logging in to it.
LEGACY_HASH = re.compile(r"\$2[aby]\$(0[4-9]|1[0-4])\$[./A-Za-z0-9]{53}")
_BCRYPT_READS = 72  # bytes


def _prehash(password: str) -> bytes:
    """bcrypt reads only 72 bytes (and bcrypt 5 refuses more), so the whole
    password is first reduced to 44 base64 bytes of HMAC-SHA256: nothing is
    truncated, and base64 keeps NUL bytes out of bcrypt's input."""
    digest = hmac.new(_PREHASH_KEY, password.encode("utf-8", "surrogatepass"), hashlib.sha256).digest()
    return base64.b64encode(digest)


def _legacy_secret(password: str) -> bytes:
    """The bytes Node.js bcrypt hashed: UTF-8 with lone surrogates as U+FFFD,
    of which bcrypt reads the first 72."""
    as_javascript = password.encode("utf-16", "surrogatepass").decode("utf-16", "replace")
    return as_javascript.encode("utf-8")[:_BCRYPT_READS]


def _lower_priority() -> None:
    """Linux: this thread alone yields the CPU to others (nice 10)."""
    if sys.platform == "linux":
        with contextlib.suppress(OSError):
            os.setpriority(os.PRIO_PROCESS, threading.get_native_id(), 10)


def _timed_check(secret: bytes, stored: bytes) -> tuple[bool, float]:
    started = time.perf_counter()
    matches = bcrypt.checkpw(secret, stored)
    return matches, time.perf_counter() - started


class BcryptHasher:
    """bcrypt releases the GIL, so hashes run in parallel, on ``parallelism``
    threads of their own (default: one per core): a burst of logins queues
    here instead of starving every other request of CPU. Those threads run
    at a lower OS priority, so requests that only read keep their latency
    while every core hashes, and hashing alone still has every core."""

    def __init__(self, *, rounds: int = 12, parallelism: int | None = None) -> None:
        if not 4 <= rounds <= 31:
            raise ValueError("bcrypt rounds must be between 4 and 31")
        self._rounds = rounds
        self._threads = ThreadPoolExecutor(
            max_workers=parallelism or os.cpu_count() or 1, thread_name_prefix="bcrypt", initializer=_lower_priority
        )
        self._check_seconds = 0.0  # how long a check of one of our own hashes took last

    def hash(self, password: str) -> str:
        salt = bcrypt.gensalt(self._rounds)
        hashed = self._threads.submit(bcrypt.hashpw, _prehash(password), salt).result()
        return _SCHEME + hashed.decode("ascii")

    def verify(self, password: str, password_hash: str) -> bool:
        """A legacy hash of a lower cost is checked in the time one of ours
        takes, so its speed does not tell that an account was imported."""
        ours = password_hash.startswith(_SCHEME)
        if ours:
            secret, stored = _prehash(password), password_hash[len(_SCHEME) :]
        elif LEGACY_HASH.fullmatch(password_hash):
            secret, stored = _legacy_secret(password), password_hash
        else:
            return False
        try:
            matches, took = self._threads.submit(_timed_check, secret, stored.encode("ascii")).result()
        except ValueError:  # a malformed stored hash
            return False
        if ours:
            self._check_seconds = took
        else:
            time.sleep(max(0.0, self._check_seconds - took))
        return matches

    def rehash(self, password: str, password_hash: str) -> str | None:
        """Our scheme at our cost replaces a legacy hash or one of another
        cost; but not a legacy hash of a password longer than bcrypt reads,
        since other passwords sharing its first 72 bytes matched it too."""
        if password_hash.startswith(_SCHEME):
            return (
                None
                if password_hash[len(_SCHEME) + 4 : len(_SCHEME) + 6] == f"{self._rounds:02d}"
                else self.hash(password)
            )
        if len(password.encode("utf-8", "surrogatepass")) > _BCRYPT_READS:
            return None
        return self.hash(password)


@functools.cache
def common_passwords() -> frozenset[str]:
    """The 30,000 most common passwords of zxcvbn's list (from leaked-password
    corpora), lower-cased."""
    from zxcvbn.frequency_lists import FREQUENCY_LISTS

    return frozenset(word.casefold() for word in FREQUENCY_LISTS["passwords"])
