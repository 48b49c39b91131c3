"""Serving the API: the listening socket, and ``serve --workers N``.

With several workers, N processes serve the one port, each through a
listening socket of its own (SO_REUSEPORT), so that the kernel spreads new
connections across them evenly. Behind one shared socket the first process
to wake takes whole bursts of connections, and keeps them while they are
kept alive.

The parent has started the store and made keys and indexes; each worker
builds its app from the environment, where ``CS_MONGODB_URI`` names that
store. SIGTERM or Ctrl-C reaches the parent, which passes SIGTERM on once:
each worker finishes its requests in flight and stops."""

from __future__ import annotations

import multiprocessing
import os
import signal
import socket
import sys
import time
from typing import Any

import uvicorn
from litestar import Litestar

from adapters.embedded_store import die_with_parent
from entrypoints.bootstrap import bootstrap
from entrypoints.http.app import create_app
from entrypoints.runtime import CannotListen, configure_logging
from entrypoints.settings import Settings


def app() -> Litestar:
    config = Settings.from_env(os.environ)
    configure_logging(config.log_level, config.log_format)
    return create_app(bootstrap(config))


def run_workers(count: int, *, host: str, port: int, **options: Any) -> int:
    """Serve until every worker has stopped: 0 when they stopped because
    this process was told to stop, else the exit code of one that failed.
    A second SIGTERM or Ctrl-C stops them without waiting for requests."""
    context = multiprocessing.get_context("spawn")
    parent = os.getpid()
    workers = [
        context.Process(target=_serve, args=(parent, host, port, options), name=f"worker-{n}") for n in range(count)
    ]
    told_to_stop = False

    def signal_workers() -> None:
        for worker in workers:
            if worker.pid is not None and worker.is_alive():
                os.kill(worker.pid, signal.SIGTERM)

    def stop(*_: object) -> None:
        nonlocal told_to_stop
        told_to_stop = True
        signal_workers()  # a second one makes uvicorn give up on requests in flight

    signal.signal(signal.SIGTERM, stop)
    signal.signal(signal.SIGINT, stop)
    for worker in workers:
        worker.start()
    failed: multiprocessing.process.BaseProcess | None = None
    while any(worker.is_alive() for worker in workers):
        if failed is None and not told_to_stop:
            failed = next((worker for worker in workers if worker.exitcode not in (None, 0)), None)
            if failed is not None:
                signal_workers()  # one failed (or was killed): the others stop too
        time.sleep(0.1)
    if failed is not None:
        return abs(failed.exitcode or 1)
    # uvicorn ends by raising the signal it stopped for again, once its requests are done.
    stopped = {0, -signal.SIGTERM} if told_to_stop else {0}
    return max((abs(worker.exitcode or 0) for worker in workers if worker.exitcode not in stopped), default=0)


def _serve(parent: int, host: str, port: int, options: dict[str, Any]) -> None:
    os.setpgrp()  # a terminal's Ctrl-C reaches the parent only, which stops each worker
    die_with_parent()
    if os.getppid() != parent:  # the parent died before that took effect
        return
    config = uvicorn.Config(f"{__name__}:app", factory=True, **options)
    uvicorn.Server(config).run(sockets=[listening_socket(host, port, shared=True)])


def claim_port(host: str, port: int) -> socket.socket | None:
    """Linux: a name that one serving instance at a time can hold for a
    port, so that a second ``serve --workers`` fails rather than joining the
    first one's workers on it (SO_REUSEPORT lets processes of one user share)."""
    if sys.platform != "linux":
        return None
    claim = socket.socket(socket.AF_UNIX)
    try:
        claim.bind(f"\0customer-service:{port}")  # the port alone: 0.0.0.0 and 127.0.0.1 share it
    except OSError:
        claim.close()
        raise CannotListen(f"cannot listen on {host}:{port}: another customer-service serves there") from None
    return claim


def listening_socket(host: str, port: int, *, shared: bool = False) -> socket.socket:
    """A socket bound to host:port; ``shared`` lets the other workers bind
    it too (a socket that is not shared keeps everyone else out)."""
    try:
        family, kind, protocol, _, address = socket.getaddrinfo(host, port, type=socket.SOCK_STREAM)[0]
        listening = socket.socket(family, kind, protocol)
        listening.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        if shared:
            listening.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEPORT, 1)
        listening.bind(address)
    except OSError as error:
        raise CannotListen(f"cannot listen on {host}:{port}: {error.strerror or error}") from None
    return listening
