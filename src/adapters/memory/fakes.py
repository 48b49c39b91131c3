from __future__ import annotations

import datetime as dt
import secrets
import threading
from collections.abc import Mapping
from typing import Any

import attrs

from customer_core.errors import DependencyUnavailable
from customer_core.media import MediaInfo
from customer_core.outbox import Channel
from customer_core.values import Email, Id, MediaId


class ManualClock:
    """A clock that moves only when told to."""

    def __init__(self, start: dt.datetime | None = None) -> None:
        self._now = start or dt.datetime(2026, 1, 1, tzinfo=dt.UTC)

    def now(self) -> dt.datetime:
        return self._now

    def advance(self, delta: dt.timedelta) -> None:
        self._now += delta


class RandomIds:
    def new_id(self) -> Id:
        return Id(secrets.token_hex(12))


@attrs.frozen
class SentMessage:
    template: str
    to: str
    locale: str
    data: Mapping[str, Any]
    customer_id: Id | None = None
    channel: Channel = Channel.EMAIL


class RecordingNotifier:
    """Keeps every message it is given, for tests to read."""

    def __init__(self) -> None:
        self.sent: list[SentMessage] = []
        self._lock = threading.Lock()

    def send(
        self,
        *,
        template: str,
        to: Email | str,
        locale: str,
        data: Mapping[str, Any],
        customer_id: Id | None,
        channel: Channel = Channel.EMAIL,
    ) -> None:
        with self._lock:
            self.sent.append(SentMessage(template, str(to), locale, dict(data), customer_id, channel))

    def forget(self, customer_id: Id) -> None:
        with self._lock:
            self.sent = [message for message in self.sent if message.customer_id != customer_id]


class InMemoryMediaCatalog:
    """A Media Service's records, for tests; ``available = False`` makes it
    answer as a service that is down."""

    def __init__(self) -> None:
        self.items: dict[str, MediaInfo] = {}
        self.available = True

    def describe(self, media_id: MediaId) -> MediaInfo | None:
        if not self.available:
            raise DependencyUnavailable("The Media Service does not answer")
        return self.items.get(str(media_id))
