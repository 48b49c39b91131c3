"""A stand-in Notifications Service on loopback: records every request and
can be told to fail (HTTP 500) or hang, then recover."""

from __future__ import annotations

import json
import time
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

import attrs

from tests.loopback_server import FailableStandIn


@attrs.frozen
class Received:
    idempotency_key: str | None
    body: dict[str, Any]
    status: int  # what the stand-in answered


class NotificationsStandIn(FailableStandIn):
    path = "/api/v1/notifications"
    ok_status = 202
    probe_status = 404  # no such route: the service is there

    def __init__(self) -> None:
        super().__init__()
        self.received: list[Received] = []

    def delivered(self, template: str | None = None, to: str | None = None) -> list[Received]:
        """Accepted requests, optionally of one template and recipient."""
        with self._lock:
            return [
                r
                for r in self.received
                if r.status < 300
                and (template is None or r.body["template"] == template)
                and (to is None or r.body["to"] == to)
            ]

    def wait_for(self, template: str, to: str, *, timeout: float = 15.0) -> Received:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            found = self.delivered(template, to)
            if found:
                return found[-1]
            time.sleep(0.05)
        raise AssertionError(f"no {template} message to {to} within {timeout} s; got {self.received}")

    def token(self, template: str, to: str) -> str:
        return self.wait_for(template, to).body["data"]["token"]

    def record(self, arrived: float, path: str, headers: dict[str, str], body: bytes, status: int) -> None:
        self.received.append(Received(headers.get("idempotency-key"), json.loads(body or b"{}"), status))

    @contextmanager
    def running(self) -> Iterator[NotificationsStandIn]:
        with self.answering():
            yield self
