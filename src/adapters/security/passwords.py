"""Password hashing with bcrypt, and the shipped common-password list."""

from __future__ import annotations

import base64
import functools
import hashlib
import hmac
import os
import threading

import bcrypt

_SCHEME = "bcrypt-hmac-sha256$"
# A fixed key for domain separation only (not a secret pepper: losing a
# pepper would lose every password).
_PREHASH_KEY = b"customer-service/password-prehash/v1"


def _prehash(password: str) -> bytes:
    """bcrypt reads only 72 bytes (and bcrypt 5 refuses more), so the whole
    password is first reduced to 44 base64 bytes of HMAC-SHA256: nothing is
    truncated, and base64 keeps NUL bytes out of bcrypt's input."""
    digest = hmac.new(_PREHASH_KEY, password.encode("utf-8", "surrogatepass"), hashlib.sha256).digest()
    return base64.b64encode(digest)


class BcryptHasher:
    """bcrypt releases the GIL, so hashes run in parallel on worker threads.
    At most ``parallelism`` (default: one per core) run at once, so a burst
    of logins queues here instead of starving every other request of CPU."""

    def __init__(self, *, rounds: int = 12, parallelism: int | None = None) -> None:
        if not 4 <= rounds <= 31:
            raise ValueError("bcrypt rounds must be between 4 and 31")
        self._rounds = rounds
        self._slots = threading.BoundedSemaphore(parallelism or os.cpu_count() or 1)

    def hash(self, password: str) -> str:
        with self._slots:
            hashed = bcrypt.hashpw(_prehash(password), bcrypt.gensalt(self._rounds))
        return _SCHEME + hashed.decode("ascii")

    def verify(self, password: str, password_hash: str) -> bool:
        if not password_hash.startswith(_SCHEME):
            return False
        try:
            with self._slots:
                return bcrypt.checkpw(_prehash(password), password_hash[len(_SCHEME) :].encode("ascii"))
        except ValueError:  # a malformed stored hash
            return False


@functools.cache
def common_passwords() -> frozenset[str]:
    """The 30,000 most common passwords of zxcvbn's list (from leaked-password
    corpora), lower-cased."""
    from zxcvbn.frequency_lists import FREQUENCY_LISTS

    return frozenset(word.casefold() for word in FREQUENCY_LISTS["passwords"])
