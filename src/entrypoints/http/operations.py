"""Health, metrics, JWKS."""

from __future__ import annotations

from typing import Any

import attrs
from litestar import Response, get
from litestar.openapi import ResponseSpec

from entrypoints.bootstrap import DependencyStatus, Wiring
from entrypoints.http.dependencies import Injected
from entrypoints.metrics import exposition
from entrypoints.shapes import to_json


@attrs.frozen
class Liveness:
    status: str


@attrs.frozen
class Readiness:
    status: str
    dependencies: dict[str, DependencyStatus]


@get("/health/live", tags=["operations"], sync_to_thread=False)
def live() -> Liveness:
    return Liveness("ok")


@get(
    "/health/ready",
    tags=["operations"],
    sync_to_thread=True,
    responses={503: ResponseSpec(data_container=Readiness, description="A dependency is down")},
)
def ready(wiring: Injected[Wiring]) -> Response[Readiness]:
    report = wiring.readiness()
    statuses = {check.status for check in report.values()}
    overall = "unavailable" if "down" in statuses else "degraded" if "degraded" in statuses else "ok"
    return Response(to_json(Readiness(overall, report)), status_code=503 if overall == "unavailable" else 200)


@get("/.well-known/jwks.json", tags=["operations"], sync_to_thread=False, cache_control=None)
def jwks(wiring: Injected[Wiring]) -> dict[str, Any]:
    """Public keys that verify access tokens (EdDSA, Ed25519)."""
    return {"keys": [key.public_jwk() for key in wiring.key_ring.all()]}


@get("/metrics", tags=["operations"], sync_to_thread=True, media_type="text/plain; version=0.0.4")
def metrics(wiring: Injected[Wiring]) -> bytes:
    """Prometheus text format: requests by route and status, security and
    account events, the outbox, database commands, waits for hashing."""
    return exposition(wiring.outbox)


OPERATION_HANDLERS = [live, ready, jwks, metrics]
# Where they and the API's documentation live: none carries personal data.
OPERATION_PATHS = ("/health/", "/.well-known/", "/metrics", "/schema")
