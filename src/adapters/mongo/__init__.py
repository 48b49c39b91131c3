"""MongoDB adapters (pymongo)."""

from adapters.mongo.database import connect, ensure_indexes
from adapters.mongo.repositories import MongoCustomerRepository, MongoSessionRepository, ObjectIds

__all__ = ["MongoCustomerRepository", "MongoSessionRepository", "ObjectIds", "connect", "ensure_indexes"]
