"""A stand-in Notifications Service on loopback: records every request and
can be told to fail (HTTP 500) or hang, then recover."""

from __future__ import annotations

import json
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from http.server import BaseHTTPRequestHandler
from typing import Any

import attrs

from tests.loopback_server import LoopbackServer


@attrs.frozen
class Received:
    idempotency_key: str | None
    body: dict[str, Any]
    status: int  # what the stand-in answered


class NotificationsStandIn(LoopbackServer):
    def __init__(self) -> None:
        self.received: list[Received] = []
        self.mode = "ok"  # "ok", "fail" (HTTP 500) or "hang" (sleep, then 500)
        self.hang_seconds = 3.0
        self._lock = threading.Lock()

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

    @contextmanager
    def running(self) -> Iterator[NotificationsStandIn]:
        standin = self

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self) -> None:  # noqa: N802 - the http.server API
                length = int(self.headers.get("Content-Length", "0"))
                body = json.loads(self.rfile.read(length) or b"{}")
                mode = standin.mode
                if mode == "hang":
                    time.sleep(standin.hang_seconds)
                status = 202 if mode == "ok" and self.path == "/api/v1/notifications" else 500
                with standin._lock:
                    standin.received.append(Received(self.headers.get("Idempotency-Key"), body, status))
                self.send_response(status)
                self.send_header("Content-Length", "0")
                self.end_headers()

            def do_GET(self) -> None:  # noqa: N802 - readiness probes: no such route, unless failing
                if standin.mode == "hang":
                    time.sleep(standin.hang_seconds)
                self.send_response(404 if standin.mode == "ok" else 500)
                self.send_header("Content-Length", "0")
                self.end_headers()

            def log_message(self, *args: Any) -> None:
                pass

        with self.serving(Handler):
            yield self
