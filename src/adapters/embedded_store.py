"""Starts SecantusDB, a MongoDB-wire-compatible server on WiredTiger, as a
child process on a free loopback port, for running without a MongoDB.

SecantusDB is an optional extra (``customer-service[embedded]``, GPL-2.0):
this module runs it as a separate program and is the only place that knows
of it. A second process (the admin CLI while ``make run`` serves) finds the
running server through ``embedded.json`` and shares it."""

from __future__ import annotations

import contextlib
import importlib.util
import json
import logging
import socket
import subprocess
import sys
import time
from pathlib import Path
from typing import IO

from pymongo import MongoClient
from pymongo.errors import PyMongoError

logger = logging.getLogger("customer_service.embedded_store")


class EmbeddedStoreError(RuntimeError):
    pass


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def _answers(uri: str, timeout_ms: int = 500) -> bool:
    client: MongoClient = MongoClient(uri, serverSelectionTimeoutMS=timeout_ms, connectTimeoutMS=timeout_ms)
    try:
        client.admin.command("ping")
        return True
    except PyMongoError:
        return False
    finally:
        client.close()


def die_with_parent() -> None:
    """Linux: the calling process gets SIGTERM when its parent dies (the
    store, or a worker, left behind by a server killed without stopping it)."""
    with contextlib.suppress(Exception):
        import ctypes
        import signal

        ctypes.CDLL("libc.so.6", use_errno=True).prctl(1, signal.SIGTERM)  # PR_SET_PDEATHSIG


def _uri(port: int) -> str:
    return f"mongodb://127.0.0.1:{port}/?directConnection=true"


class EmbeddedStore:
    """Use as a context manager; ``uri`` is set while it is open. With
    ``create`` False, a directory holding no store yet is an error rather
    than the start of a new, empty one. With ``share`` False (a server), a
    store another process runs on the directory is waited for, up to
    ``wait_seconds``, rather than shared: that process would stop it. With
    ``port``, it serves on that port rather than a free one, so that stopped
    and started again it is back at the same address."""

    def __init__(
        self,
        data_dir: Path,
        *,
        create: bool = True,
        share: bool = True,
        wait_seconds: float = 30.0,
        start_timeout: float = 60.0,
        port: int | None = None,
    ) -> None:
        self.data_dir = Path(data_dir).resolve()
        self.create = create
        self.share = share
        self.wait_seconds = wait_seconds
        self.port = port
        self.uri: str | None = None
        self._process: subprocess.Popen[bytes] | None = None
        self._log: IO[bytes] | None = None
        self._start_timeout = start_timeout

    @property
    def _marker(self) -> Path:
        return self.data_dir / "embedded.json"

    def __enter__(self) -> EmbeddedStore:
        self.start()
        return self

    def __exit__(self, *_: object) -> None:
        self.stop()

    def start(self) -> str:
        if self.share:
            self.uri = self._running_elsewhere() or self._launch()
            return self.uri
        deadline = time.monotonic() + self.wait_seconds
        if self._running_elsewhere():
            logger.warning("the store in %s is in use by another process; waiting for it to stop", self.data_dir)
        while self._running_elsewhere():
            if time.monotonic() > deadline:
                raise EmbeddedStoreError(
                    f"the embedded store in {self.data_dir} is still in use by another process after "
                    f"{self.wait_seconds:.0f} s: stop the other server, or give this one another CS_DATA_DIR"
                )
            time.sleep(0.2)
        self.uri = self._launch()
        return self.uri

    def stop(self) -> None:
        process, self._process = self._process, None
        if self._log:
            self._log.close()
        if process is None:
            return
        process.terminate()  # SecantusDB closes WiredTiger cleanly on SIGTERM
        try:
            process.wait(timeout=30)
        except subprocess.TimeoutExpired:
            logger.warning("embedded store did not stop within 30 s; killing it")
            process.kill()
            process.wait()
        self._marker.unlink(missing_ok=True)
        logger.info("embedded store stopped")

    def _running_elsewhere(self) -> str | None:
        try:
            marker = json.loads(self._marker.read_text())
            uri = _uri(int(marker["port"]))
        except (OSError, ValueError, KeyError, TypeError):
            return None
        return uri if _answers(uri) else None

    def _launch(self) -> str:
        if importlib.util.find_spec("secantus") is None:
            raise EmbeddedStoreError(
                "CS_MONGODB_URI is unset and the embedded store is not installed: "
                "pip install 'customer-service[embedded]', or point CS_MONGODB_URI at MongoDB"
            )
        storage = self.data_dir / "db"
        if not self.create and not (storage.is_dir() and any(storage.iterdir())):
            raise EmbeddedStoreError(
                f"no store in {self.data_dir}, and this command does not start a new, empty one: "
                "run it where the service runs, or set CS_DATA_DIR (or CS_MONGODB_URI) to the service's"
            )
        storage.mkdir(parents=True, exist_ok=True)
        storage.chmod(0o700)  # the owner's alone: its files, journal included, hold personal data
        log = self._log = open(self.data_dir / "embedded-store.log", "ab")  # noqa: SIM115 - closed by stop()
        for _attempt in range(3):  # another program may take the free port first
            port = self.port or _free_port()
            process = subprocess.Popen(
                [
                    sys.executable,
                    "-m",
                    "secantus",
                    "--host",
                    "127.0.0.1",
                    "--port",
                    str(port),
                    "--storage-path",
                    str(storage),
                    "--sync-on-commit",
                    "--log-level",
                    "WARNING",
                ],
                stdout=log,
                stderr=log,
                stdin=subprocess.DEVNULL,
                cwd=self.data_dir,
                preexec_fn=die_with_parent if sys.platform == "linux" else None,
                # Out of the terminal's process group: Ctrl-C stops the API first,
                # which then stops the store, instead of both at once. (Not a new
                # session: Linux would then schedule it as a group of its own,
                # taking CPU from the API.)
                process_group=0,
            )
            uri = _uri(port)
            deadline = time.monotonic() + self._start_timeout
            while process.poll() is None and time.monotonic() < deadline:
                if _answers(uri, timeout_ms=200):
                    self._process = process
                    self._marker.write_text(json.dumps({"port": port, "pid": process.pid}))
                    logger.info("embedded store (SecantusDB) serving %s from %s", uri, storage)
                    return uri
                time.sleep(0.1)
            with contextlib.suppress(ProcessLookupError):
                process.kill()
            process.wait()
        log.close()
        raise EmbeddedStoreError(
            f"the embedded store did not start; see {self.data_dir / 'embedded-store.log'} "
            "(is another program using this data directory?)"
        )
