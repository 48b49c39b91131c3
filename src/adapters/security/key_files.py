"""Keys kept as files in one directory, shared by every instance that
mounts it: signing keys for access tokens, data keys for encryption at rest.

A key file is written once (atomically, readable by its owner only) and
later perhaps removed, never rewritten; its name is its key id, which sorts
by creation time. So a process re-reads the directory only when the list of
names changes, which lets a rotation by the CLI reach running instances."""

from __future__ import annotations

import datetime as dt
import os
import secrets
import threading
from collections.abc import Callable
from pathlib import Path
from typing import Generic, TypeVar

K = TypeVar("K")


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
        self._keys: list[K] = []

    def all(self) -> list[K]:
        names = sorted(path.name for path in self.directory.glob(f"*{self._suffix}"))
        if names != self._seen_names:
            with self._lock:
                self._keys = [key for name in names if (key := self._read(name)) is not None]
                self._seen_names = names
        return list(self._keys)

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
