"""In-memory implementations of every storage port: for unit tests and for
embedding the core without a database. They pass the same contract tests as
the MongoDB adapters."""

from adapters.memory.fakes import InMemoryMediaCatalog, ManualClock, RandomIds, RecordingNotifier
from adapters.memory.outbox import InMemoryOutbox
from adapters.memory.records import InMemoryAuditLog, InMemoryConsentLog
from adapters.memory.repositories import (
    InMemoryAddressRepository,
    InMemoryCustomerRepository,
    InMemoryEmailedTokens,
    InMemoryLockouts,
    InMemoryOrders,
    InMemoryPhoneCodes,
    InMemoryRateLimiter,
    InMemoryServiceClients,
    InMemorySessionRepository,
    InMemorySignedInCustomers,
    InMemoryUnitOfWork,
)

__all__ = [
    "InMemoryAddressRepository",
    "InMemoryAuditLog",
    "InMemoryConsentLog",
    "InMemoryCustomerRepository",
    "InMemoryEmailedTokens",
    "InMemoryLockouts",
    "InMemoryMediaCatalog",
    "InMemoryOrders",
    "InMemoryOutbox",
    "InMemoryPhoneCodes",
    "InMemoryRateLimiter",
    "InMemoryServiceClients",
    "InMemorySessionRepository",
    "InMemorySignedInCustomers",
    "InMemoryUnitOfWork",
    "ManualClock",
    "RandomIds",
    "RecordingNotifier",
]
