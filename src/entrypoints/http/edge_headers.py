"""Headers every response carries, whichever route (or none) answered it:

- ``X-Request-ID``: the caller's when it is sane, else a new one; also in
  every log line of the request;
- ``X-Content-Type-Options: nosniff``;
- ``Cache-Control: no-store`` on everything under the API, which carries
  tokens and personal data;
- on an ``OPTIONS`` answer, ``Allow`` with every method of the path (Litestar
  lists only those of the first route handler it registered there)."""

from __future__ import annotations

import contextvars
import logging
import re
import uuid
from collections.abc import Callable

from litestar.types import ASGIApp, Message, Receive, Scope, Send

_request_id: contextvars.ContextVar[str] = contextvars.ContextVar("request_id", default="-")
_SANE = re.compile(r"^[A-Za-z0-9._:-]{1,128}$")


def current_request_id() -> str:
    return _request_id.get()


class RequestIdFilter(logging.Filter):
    def filter(self, record: logging.LogRecord) -> bool:
        record.request_id = _request_id.get()
        return True


class EdgeHeaders:
    """Pure ASGI middleware around the whole app, so even answers for
    unknown routes carry these headers."""

    def __init__(self, app: ASGIApp, methods: dict[str, set[str]], *, private: Callable[[str], bool]) -> None:
        """``methods``: every path template ('/addresses/{address_id:str}')
        with the methods it answers; ``private``: whether a path's answers
        must not be stored (they carry tokens or personal data)."""
        self.app = app
        self._private = private
        self._allowed = [
            (re.compile("^" + re.sub(r"\{[^}]+\}", "[^/]+", template) + "$"), ", ".join(sorted(allowed)))
            for template, allowed in methods.items()
        ]

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        offered = next((v.decode("latin-1") for k, v in scope["headers"] if k == b"x-request-id"), "")
        request_id = offered if _SANE.match(offered) else uuid.uuid4().hex
        token = _request_id.set(request_id)

        added = [(b"x-request-id", request_id.encode()), (b"x-content-type-options", b"nosniff")]
        path = scope["path"]
        if self._private(path):
            added.append((b"cache-control", b"no-store"))
        if scope.get("method") == "OPTIONS":
            allowed = next((methods for template, methods in self._allowed if template.match(path)), None)
            if allowed:
                added.append((b"allow", allowed.encode()))
        replaced = {name for name, _ in added}

        async def send_with_id(message: Message) -> None:
            if message["type"] == "http.response.start":
                headers = [(k, v) for k, v in message.get("headers", []) if k.lower() not in replaced]
                message = {**message, "headers": [*headers, *added]}
            await send(message)

        try:
            await self.app(scope, receive, send_with_id)
        finally:
            _request_id.reset(token)
