"""What ``/metrics`` shows besides the request counts of ``request_metrics``:
security and account events (counted from the event log lines, which the
recorder writes once a record has committed: each event the audit trail
keeps is counted once, by type and reason), the
outbox by status (counted at each scrape) and how long requests waited at
the hashing gate. Database calls are timed where they are made
(``adapters/mongo/collection.py``).

With several workers (``serve --workers N``) every process writes its
samples under ``PROMETHEUS_MULTIPROC_DIR`` and any of them answers for all
(prometheus-client's multiprocess mode)."""

from __future__ import annotations

import logging
import os
from collections.abc import Iterator

from prometheus_client import REGISTRY, CollectorRegistry, Counter, Histogram, generate_latest
from prometheus_client.core import GaugeMetricFamily, Metric
from prometheus_client.multiprocess import MultiProcessCollector

from customer_core.errors import DependencyUnavailable
from customer_core.ports import MessageQueue

EVENTS = Counter(
    "customer_service_events_total", "Security and account events, by type and reason", ["event", "reason"]
)
HASHING_WAIT = Histogram(
    "customer_service_hashing_wait_seconds",
    "Time a request that hashes a password waited for its turn (admitted or refused)",
    buckets=(0.01, 0.05, 0.1, 0.25, 0.5, 1, 2, 3, 5, 10),
)
EVENTS_LOGGER = "customer_service.events"


class EventCounter(logging.Handler):
    def emit(self, record: logging.LogRecord) -> None:
        fields = getattr(record, "fields", {})
        EVENTS.labels(fields.get("event", "unknown"), fields.get("reason", "")).inc()


class OutboxCollector:
    def __init__(self, outbox: MessageQueue) -> None:
        self._outbox = outbox

    def collect(self) -> Iterator[Metric]:
        try:
            counts = self._outbox.counts()
        except DependencyUnavailable:
            return  # the database is down: every other metric still answers
        gauge = GaugeMetricFamily("customer_service_outbox_messages", "Outbox messages by status", labels=["status"])
        for status, count in counts.items():
            gauge.add_metric([status.value], count)
        yield gauge


def count_events() -> None:
    """Count each event line, whatever CS_LOG_LEVEL lets through to the log."""
    logger = logging.getLogger(EVENTS_LOGGER)
    logger.setLevel(logging.INFO)
    if not any(isinstance(handler, EventCounter) for handler in logger.handlers):
        logger.addHandler(EventCounter())


def exposition(outbox: MessageQueue) -> bytes:
    """The Prometheus text of this process, or of every worker's."""
    if os.environ.get("PROMETHEUS_MULTIPROC_DIR"):
        shared = CollectorRegistry()
        MultiProcessCollector(shared)
        text = generate_latest(shared)
    else:
        text = generate_latest(REGISTRY)
    outbox_registry = CollectorRegistry()
    outbox_registry.register(OutboxCollector(outbox))
    return text + generate_latest(outbox_registry)
