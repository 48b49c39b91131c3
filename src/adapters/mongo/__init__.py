"""MongoDB adapters (pymongo)."""

from adapters.mongo.addresses import MongoAddressRepository
from adapters.mongo.database import connect, ensure_indexes, ping, with_our_codecs
from adapters.mongo.lockouts import MongoLockouts
from adapters.mongo.messaging import MongoEmailedTokens, MongoOutbox
from adapters.mongo.phone_codes import MongoPhoneCodes
from adapters.mongo.rate_limits import MongoRateLimiter
from adapters.mongo.records import MongoAuditLog, MongoConsentLog
from adapters.mongo.repositories import (
    MongoCustomerRepository,
    MongoSessionRepository,
    MongoSignedInCustomers,
    ObjectIds,
)
from adapters.mongo.transactions import MongoUnitOfWork

__all__ = [
    "MongoAddressRepository",
    "MongoAuditLog",
    "MongoConsentLog",
    "MongoCustomerRepository",
    "MongoEmailedTokens",
    "MongoLockouts",
    "MongoOutbox",
    "MongoPhoneCodes",
    "MongoRateLimiter",
    "MongoSessionRepository",
    "MongoSignedInCustomers",
    "MongoUnitOfWork",
    "ObjectIds",
    "connect",
    "ensure_indexes",
    "ping",
    "with_our_codecs",
]
