"""What the stand-in services share: an HTTP server on a free loopback port,
in a thread, for as long as a ``with`` lasts."""

from __future__ import annotations

import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any


class LoopbackServer:
    _server: ThreadingHTTPServer | None = None

    @property
    def url(self) -> str:
        assert self._server is not None
        host, port = self._server.server_address[:2]
        return f"http://{host}:{port}"

    @contextmanager
    def serving(self, handler: type[BaseHTTPRequestHandler]) -> Iterator[None]:
        self._server = ThreadingHTTPServer(("127.0.0.1", 0), handler)
        self._server.daemon_threads = True
        threading.Thread(target=self._server.serve_forever, daemon=True).start()
        try:
            yield
        finally:
            self._server.shutdown()
            self._server.server_close()


class FailableStandIn(LoopbackServer):
    """A stand-in that takes POSTs at ``path`` and can be told to fail (HTTP
    500) or hang, then recover; a subclass records what arrived (``record``).
    A GET (a readiness probe) answers ``probe_status``, or 500 while failing."""

    path: str
    ok_status: int
    probe_status: int

    def __init__(self) -> None:
        self.mode = "ok"  # "ok", "fail" (HTTP 500) or "hang" (sleep, then 500)
        self.hang_seconds = 3.0
        self._lock = threading.Lock()

    def record(self, arrived: float, path: str, headers: dict[str, str], body: bytes, status: int) -> None:
        """Keep what arrived (at ``time.time()`` ``arrived``) and what it was answered."""
        raise NotImplementedError

    def _status(self, ok: int) -> int:
        """The answer to give, by the mode as the request arrived."""
        mode = self.mode
        if mode == "hang":
            time.sleep(self.hang_seconds)
        return ok if mode == "ok" else 500

    @contextmanager
    def answering(self) -> Iterator[None]:
        standin = self

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self) -> None:  # noqa: N802 - the http.server API
                arrived = time.time()
                body = self.rfile.read(int(self.headers.get("Content-Length", "0")))
                status = standin._status(standin.ok_status if self.path == standin.path else 500)
                headers = {name.lower(): value for name, value in self.headers.items()}
                with standin._lock:
                    standin.record(arrived, self.path, headers, body, status)
                self.answer(status)

            def do_GET(self) -> None:  # noqa: N802 - readiness probes
                self.answer(standin._status(standin.probe_status))

            def answer(self, status: int) -> None:
                self.send_response(status)
                self.send_header("Content-Length", "0")
                self.end_headers()

            def log_message(self, *args: Any) -> None:
                pass

        with self.serving(Handler):
            yield
