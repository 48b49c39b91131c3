"""The Media Service: ``GET {CS_MEDIA_URL}/api/v1/media/{id}`` answers 200
``{id, ownerId, contentType, size}`` or 404."""

from __future__ import annotations

from typing import Any

import httpx

from adapters.http_services import answers, service_client
from customer_core.errors import DependencyUnavailable
from customer_core.media import MediaInfo
from customer_core.values import MediaId


class HttpMediaCatalog:
    def __init__(self, base_url: str, *, timeout_seconds: float) -> None:
        self._client = service_client(base_url, timeout_seconds=timeout_seconds)

    def describe(self, media_id: MediaId) -> MediaInfo | None:
        try:
            response = self._client.get(f"/api/v1/media/{media_id}")
        except httpx.HTTPError:
            raise DependencyUnavailable("The Media Service does not answer; try again shortly") from None
        if response.status_code == 404:
            return None
        if response.status_code != 200:
            raise DependencyUnavailable(f"The Media Service answered HTTP {response.status_code}; try again shortly")
        try:
            return _media_info(response.json())
        except (ValueError, KeyError, TypeError):
            raise DependencyUnavailable("The Media Service answered something unreadable") from None

    def check(self, *, timeout_seconds: float) -> None:
        answers(self._client, timeout_seconds=timeout_seconds)

    def close(self) -> None:
        self._client.close()


def _media_info(body: Any) -> MediaInfo:
    size = body["size"]
    if not all(isinstance(body[name], str) for name in ("id", "ownerId", "contentType")) or not isinstance(size, int):
        raise TypeError("unexpected field types")
    return MediaInfo(id=body["id"], owner_id=body["ownerId"], content_type=body["contentType"], size=size)
