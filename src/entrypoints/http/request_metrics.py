"""Request counts and latencies for Prometheus, by method, route template
and status, and one log line per request (the access log): the least work
per request (everything from the scope, no request object), since every
request pays it."""

from __future__ import annotations

import logging
import time
from typing import cast

from litestar.types import ASGIApp, HTTPScope, Message, Receive, Scope, Send
from prometheus_client import Counter, Gauge, Histogram

from entrypoints.logs import fields

REQUESTS = Counter("customer_service_requests_total", "HTTP requests answered", ["method", "path", "status_code"])
DURATION = Histogram("customer_service_request_duration_seconds", "Time to answer an HTTP request", ["method", "path"])
IN_PROGRESS = Gauge(
    "customer_service_requests_in_progress", "HTTP requests being answered", multiprocess_mode="livesum"
)
access_log = logging.getLogger("customer_service.access")


def request_metrics(app: ASGIApp) -> ASGIApp:
    async def measured(scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await app(scope, receive, send)
            return
        started = time.perf_counter()
        status = 500  # if the app fails before it answers

        async def send_noting_status(message: Message) -> None:
            nonlocal status
            if message["type"] == "http.response.start":
                status = message["status"]
            await send(message)

        IN_PROGRESS.inc()
        try:
            await app(scope, receive, send_noting_status)
        finally:
            IN_PROGRESS.dec()
            method, path = cast(HTTPScope, scope)["method"], scope.get("path_template", "unmatched")
            took = time.perf_counter() - started
            REQUESTS.labels(method, path, str(status)).inc()
            DURATION.labels(method, path).observe(took)
            if access_log.isEnabledFor(logging.INFO):
                principal = scope.get("state", {}).get("principal")
                access_log.info(
                    "%s %s %s",
                    method,
                    path,
                    status,
                    extra=fields(
                        method=method,
                        route=path,
                        status=status,
                        durationMs=round(took * 1000, 2),
                        customerId=principal.customer_id if principal else scope.get("state", {}).get("customer_id"),
                    ),
                )

    return measured
