"""A stand-in Media Service on loopback: ``GET /api/v1/media/{id}`` answers
from its records, or 404; it can be told to fail (HTTP 500), hang or
answer garbage."""

from __future__ import annotations

import json
import time
from collections.abc import Iterator
from contextlib import contextmanager
from http.server import BaseHTTPRequestHandler
from typing import Any

from tests.loopback_server import LoopbackServer


class MediaStandIn(LoopbackServer):
    def __init__(self) -> None:
        self.items: dict[str, dict[str, Any]] = {}
        self.mode = "ok"  # "ok", "fail", "hang" or "garbage"
        self.hang_seconds = 3.0

    def add(self, media_id: str, owner_id: str, content_type: str = "image/png", size: int = 20_000) -> str:
        self.items[media_id] = {"id": media_id, "ownerId": owner_id, "contentType": content_type, "size": size}
        return media_id

    @contextmanager
    def running(self) -> Iterator[MediaStandIn]:
        standin = self

        class Handler(BaseHTTPRequestHandler):
            def do_GET(self) -> None:  # noqa: N802 - the http.server API
                if standin.mode == "hang":
                    time.sleep(standin.hang_seconds)
                prefix = "/api/v1/media/"
                item = standin.items.get(self.path[len(prefix) :]) if self.path.startswith(prefix) else None
                if standin.mode in ("fail", "hang"):
                    status, body = 500, b""
                elif standin.mode == "garbage":
                    status, body = 200, b"<html>not json</html>"
                elif self.path == "/health":
                    status, body = 200, b"{}"
                elif item is None:
                    status, body = 404, b""
                else:
                    status, body = 200, json.dumps(item).encode()
                self.send_response(status)
                self.send_header("Content-Length", str(len(body)))
                self.end_headers()
                self.wfile.write(body)

            def log_message(self, *args: Any) -> None:
                pass

        with self.serving(Handler):
            yield self
