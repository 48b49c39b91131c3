"""A stand-in receiver of customer events on loopback: records each POST
(headers and the body's exact bytes) and can be told to fail (HTTP 500) or
hang, then recover. It takes POST only: a GET (the readiness probe) gets 405,
or 500 while failing."""

from __future__ import annotations

import base64
import json
import os
import time
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

import attrs

from tests.loopback_server import FailableStandIn

PATH = "/hooks/customer-events"
# The secret the service signs with and the receiver verifies with.
SECRET = "whsec_" + base64.b64encode(os.urandom(32)).decode()


@attrs.frozen
class Delivery:
    at: float  # time.time() when it arrived
    path: str
    headers: dict[str, str]  # names in lower case
    body: bytes
    status: int  # what the receiver answered

    @property
    def event(self) -> dict[str, Any]:
        return json.loads(self.body)


class WebhookReceiver(FailableStandIn):
    path = PATH
    ok_status = 204
    probe_status = 405  # POST only

    def __init__(self) -> None:
        super().__init__()
        self.received: list[Delivery] = []

    @property
    def events_url(self) -> str:
        return self.url + PATH

    def accepted(self, event_type: str | None = None) -> list[Delivery]:
        with self._lock:
            return [d for d in self.received if d.status < 300 and event_type in (None, d.event["type"])]

    def wait_for(self, event_type: str, *, count: int = 1, timeout: float = 15.0) -> list[Delivery]:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            found = self.accepted(event_type)
            if len(found) >= count:
                return found
            time.sleep(0.05)
        raise AssertionError(f"fewer than {count} {event_type} events within {timeout} s; got {self.received}")

    def record(self, arrived: float, path: str, headers: dict[str, str], body: bytes, status: int) -> None:
        self.received.append(Delivery(arrived, path, headers, body, status))

    @contextmanager
    def running(self) -> Iterator[WebhookReceiver]:
        with self.answering():
            yield self
