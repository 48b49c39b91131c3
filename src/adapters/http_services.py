"""HTTP clients for the services this one calls (Notifications, Media, the
events receiver): connections kept and reused, every call under a timeout."""

from __future__ import annotations

import httpx


def service_client(base_url: str, *, timeout_seconds: float) -> httpx.Client:
    return httpx.Client(
        base_url=base_url,
        timeout=httpx.Timeout(timeout_seconds, connect=min(2.0, timeout_seconds)),
        limits=httpx.Limits(max_connections=20, max_keepalive_connections=10),
    )


def answers(client: httpx.Client, url: str = "/health", *, timeout_seconds: float) -> None:
    """Return if the service is there, raise if not. The contract gives
    those services no health route, so any answer to ``GET /health`` (or
    ``url``) will do (a 404, a 405, or 501 from a server that has no GET at
    all) but a server error saying it is broken or unavailable."""
    response = client.get(url, timeout=timeout_seconds)
    if response.status_code >= 500 and response.status_code != 501:
        raise RuntimeError(f"HTTP {response.status_code}")
