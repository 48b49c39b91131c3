"""Runs outbox delivery in background threads (inside the API process, or
alone with ``customer-service outbox run``)."""

from __future__ import annotations

import logging
import threading
from collections.abc import Callable

logger = logging.getLogger("customer_service.outbox")


class OutboxWorker:
    def __init__(self, deliver_next: Callable[[], bool], *, threads: int = 2, idle_seconds: float = 0.5) -> None:
        self._deliver_next = deliver_next
        self._thread_count = threads
        self._idle_seconds = idle_seconds
        self._stop = threading.Event()
        self._threads: list[threading.Thread] = []

    def start(self) -> None:
        self._stop.clear()
        self._threads = [
            threading.Thread(target=self.run, name=f"outbox-{i}", daemon=True) for i in range(self._thread_count)
        ]
        for thread in self._threads:
            thread.start()

    def stop(self, timeout: float = 10.0) -> None:
        self._stop.set()
        for thread in self._threads:
            thread.join(timeout)
        self._threads = []

    def run(self) -> None:
        """Deliver until stopped, resting while nothing is due."""
        while not self._stop.is_set():
            try:
                busy = self._deliver_next()
            except Exception:  # a broken store must not end the loop; it is retried after a rest
                logger.exception("outbox delivery failed; retrying shortly")
                busy = False
            if not busy:
                self._stop.wait(self._idle_seconds)
