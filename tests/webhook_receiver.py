"""A stand-in receiver of customer events on loopback: records each POST
(headers and the body's exact bytes) and can be told to fail (HTTP 500) or
hang, then recover. It takes POST only: a GET (the readiness probe) gets 405,
or 500 while failing."""

from __future__ import annotations

import base64
import json
import os
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from http.server import BaseHTTPRequestHandler
from typing import Any

import attrs

from tests.loopback_server import LoopbackServer

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


class WebhookReceiver(LoopbackServer):
    def __init__(self) -> None:
        self.received: list[Delivery] = []
        self.mode = "ok"  # "ok", "fail" (HTTP 500) or "hang" (sleep, then 500)
        self.hang_seconds = 3.0
        self._lock = threading.Lock()

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

    @contextmanager
    def running(self) -> Iterator[WebhookReceiver]:
        receiver = self

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self) -> None:  # noqa: N802 - the http.server API
                arrived = time.time()
                body = self.rfile.read(int(self.headers.get("Content-Length", "0")))
                mode = receiver.mode
                if mode == "hang":
                    time.sleep(receiver.hang_seconds)
                status = 204 if mode == "ok" and self.path == PATH else 500
                headers = {name.lower(): value for name, value in self.headers.items()}
                with receiver._lock:
                    receiver.received.append(Delivery(arrived, self.path, headers, body, status))
                self.send_response(status)
                self.send_header("Content-Length", "0")
                self.end_headers()

            def do_GET(self) -> None:  # noqa: N802 - readiness probes
                if receiver.mode == "hang":
                    time.sleep(receiver.hang_seconds)
                self.send_response(405 if receiver.mode == "ok" else 500)
                self.send_header("Content-Length", "0")
                self.end_headers()

            def log_message(self, *args: Any) -> None:
                pass

        with self.serving(Handler):
            yield self
