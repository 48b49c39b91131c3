"""Running the service for real: logging, and the embedded store when no
MongoDB is configured."""

from __future__ import annotations

import contextlib
import logging
import sys
from collections.abc import Iterator

import attrs

from adapters.embedded_store import EmbeddedStore
from entrypoints.bootstrap import Wiring, bootstrap
from entrypoints.http.edge_headers import RequestIdFilter
from entrypoints.logs import formatter
from entrypoints.settings import Settings, log_levels

# Libraries that log whole commands or requests at DEBUG (documents with
# password hashes, bodies with tokens) stay at INFO unless CS_LOG_LEVEL names
# them: "DEBUG,pymongo.command=DEBUG".
QUIET = ("pymongo", "httpcore", "httpx", "hpack", "urllib3")


def configure_logging(level_spec: str, log_format: str = "json") -> None:
    handler = logging.StreamHandler(sys.stderr)
    handler.addFilter(RequestIdFilter())
    handler.setFormatter(formatter(log_format))
    root_level, named = log_levels(level_spec)
    # The lowest level asked for: a logger set lower for another end (the
    # events, counted for /metrics) does not reach the log beyond it.
    levels = logging.getLevelNamesMapping()
    handler.setLevel(min(levels[level] for level in (root_level, *named.values())))
    root = logging.getLogger()
    root.handlers[:] = [handler]
    root.setLevel(root_level)
    for name in QUIET:
        logging.getLogger(name).setLevel(max(logging.INFO, root.level))
    for name, level in named.items():
        logging.getLogger(name).setLevel(level)
    for name in ("uvicorn", "uvicorn.error", "uvicorn.access"):
        logging.getLogger(name).handlers[:] = []
        logging.getLogger(name).propagate = True


class CannotListen(Exception):
    """The address to serve on is taken, or not ours to take."""


@contextlib.contextmanager
def store(settings: Settings, *, create: bool = True, share: bool = True) -> Iterator[Settings]:
    """Settings whose ``mongodb_uri`` is set: the configured MongoDB, or the
    embedded store (started here, or shared with a process already running
    it; with ``create`` False, only one that holds data already; with
    ``share`` False, as a server: only its own, see ``EmbeddedStore``)."""
    if settings.mongodb_uri:
        yield settings
        return
    with EmbeddedStore(settings.data_dir, create=create, share=share) as embedded:
        yield attrs.evolve(settings, mongodb_uri=embedded.uri)


def store_in_use(settings: Settings) -> str:
    """Which store ``settings`` name, for a person (no credentials)."""
    if not settings.mongodb_uri:
        return f"the embedded store in {settings.data_dir.resolve()}"
    scheme, _, rest = settings.mongodb_uri.partition("://")
    hosts = rest.rsplit("@", 1)[-1].split("/", 1)[0].split("?", 1)[0]  # no credentials, no options
    return f"MongoDB at {scheme}://{hosts}, database {settings.db_name}"


@contextlib.contextmanager
def running(settings: Settings, *, create_store: bool = True) -> Iterator[Wiring]:
    with store(settings, create=create_store) as connected:
        wiring = bootstrap(connected)
        try:
            yield wiring
        finally:
            wiring.close()
