"""Connecting to MongoDB and creating the indexes the invariants rely on."""

from __future__ import annotations

from pymongo import ASCENDING, MongoClient
from pymongo.database import Database
from pymongo.write_concern import WriteConcern


def connect(uri: str, db_name: str, *, timeout_ms: int = 5000) -> tuple[MongoClient, Database]:
    client: MongoClient = MongoClient(
        uri,
        tz_aware=True,
        appname="customer-service",
        serverSelectionTimeoutMS=timeout_ms,
        connectTimeoutMS=timeout_ms,
        uuidRepresentation="standard",
    )
    # Majority, journaled writes unless the connection string chose otherwise:
    # an acknowledged account or session survives a primary failover.
    write_concern = client.write_concern if client.write_concern.document else WriteConcern(w="majority", j=True)
    return client, client.get_database(db_name, write_concern=write_concern)


def ensure_indexes(db: Database) -> None:
    """Idempotent: creating an index that exists with the same spec is a no-op."""
    db.customers.create_index([("email", ASCENDING)], unique=True, name="email_unique")
    db.sessions.create_index([("customerId", ASCENDING)], name="customer")
    db.sessions.create_index([("currentTokenDigest", ASCENDING)], unique=True, name="current_token_unique")
    db.sessions.create_index([("usedTokenDigests", ASCENDING)], name="used_tokens")
    db.sessions.create_index([("expiresAt", ASCENDING)], expireAfterSeconds=0, name="expiry_ttl")
