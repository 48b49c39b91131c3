"""In-memory implementations of every port: for unit tests and for embedding
the core without a database. They pass the same contract tests as the
MongoDB adapters."""

from adapters.memory.fakes import ManualClock, RandomIds, RecordingNotifier
from adapters.memory.outbox import InMemoryOutbox
from adapters.memory.ports import in_memory_ports
from adapters.memory.repositories import (
    ImmediateUnitOfWork,
    InMemoryActionTokens,
    InMemoryAddressRepository,
    InMemoryCustomerRepository,
    InMemoryRateLimiter,
    InMemorySessionRepository,
)

__all__ = [
    "ImmediateUnitOfWork",
    "InMemoryActionTokens",
    "InMemoryAddressRepository",
    "InMemoryOutbox",
    "InMemoryCustomerRepository",
    "InMemoryRateLimiter",
    "InMemorySessionRepository",
    "ManualClock",
    "RandomIds",
    "RecordingNotifier",
    "in_memory_ports",
]
