"""Keys kept as files in one directory, shared by every instance that
mounts it: signing keys for access tokens, data keys for encryption at rest.

A key file is written once (atomically, readable by its owner only) and
later perhaps removed, never rewritten; its name is its key id, which sorts
by creation time. So a process lists the directory at most once a second
(or at once when asked for a key id it does not know) and re-reads files
only when the names change: a rotation by the CLI or another instance
reaches every running instance within a second."""

from __future__ import annotations

import datetime as dt
import os
import secrets
import threading
import time
from collections.abc import Callable
from pathlib import Path
from typing import Generic, TypeVar

K = TypeVar("K")
RESCAN_SECONDS = 1.0
# An unknown key id lists the directory again, but not more often than this:
# a stream of made-up ids must not turn every request into a listing.
RESCAN_ON_MISS_SECONDS = 0.1


def new_kid(now: dt.datetime) -> str:
    # Sorts by creation time (to the microsecond); the suffix keeps two
    # processes rotating at the same instant apart.
    return now.strftime("%Y%m%dT%H%M%S%fZ") + "-" + secrets.token_hex(4)


def created_at(kid: str) -> dt.datetime:
    return dt.datetime.strptime(kid.split("-")[0], "%Y%m%dT%H%M%S%fZ").replace(tzinfo=dt.UTC)


class KeyDirectory(Generic[K]):
    """The keys of ``directory`` whose files end in ``suffix``, made by
    ``load(kid, file content)``, oldest first."""

    def __init__(self, directory: Path, suffix: str, load: Callable[[str, bytes], K | None]) -> None:
        self.directory = Path(directory)
        self._suffix = suffix
        self._load = load
        self._lock = threading.Lock()
        self._seen_names: list[str] | None = None
        self._scanned_at = 0.0
        self._keys: list[K] = []

    def all(self, *, rescan: bool = False) -> list[K]:
        """The keys; the directory is listed again when ``rescan`` is asked
        for or a second has passed since the last listing."""
        if rescan or self._seen_names is None or time.monotonic() - self._scanned_at >= RESCAN_SECONDS:
            names = sorted(path.name for path in self.directory.glob(f"*{self._suffix}"))
            self._scanned_at = time.monotonic()
            if names != self._seen_names:
                with self._lock:
                    self._keys = [key for name in names if (key := self._read(name)) is not None]
                    self._seen_names = names
        return list(self._keys)

    def find(self, kid: str, identify: Callable[[K], str]) -> K | None:
        """The key ``kid``; an id not seen yet makes the directory be listed again."""
        found = next((key for key in self.all() if identify(key) == kid), None)
        if found is None and time.monotonic() - self._scanned_at >= RESCAN_ON_MISS_SECONDS:
            found = next((key for key in self.all(rescan=True) if identify(key) == kid), None)
        return found

    def add(self, kid: str, content: bytes) -> None:
        """Write a new key file atomically, readable by its owner only."""
        self.directory.mkdir(parents=True, exist_ok=True, mode=0o700)
        temporary = self.directory / f".{kid}.tmp"
        descriptor = os.open(temporary, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        with os.fdopen(descriptor, "wb") as handle:
            handle.write(content)
            handle.flush()
            os.fsync(handle.fileno())
        os.replace(temporary, self.directory / f"{kid}{self._suffix}")
        self._seen_names = None

    def remove(self, kid: str) -> None:
        (self.directory / f"{kid}{self._suffix}").unlink(missing_ok=True)
        self._seen_names = None

    def _read(self, name: str) -> K | None:
        try:
            content = (self.directory / name).read_bytes()
        except FileNotFoundError:  # removed by another process meanwhile
            return None
        return self._load(name[: -len(self._suffix)], content)
