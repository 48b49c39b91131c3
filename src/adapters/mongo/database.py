"""Connecting to MongoDB and creating the indexes the invariants rely on."""

from __future__ import annotations

from typing import Any
from urllib.parse import parse_qs, urlsplit

import pymongo
from bson.binary import UuidRepresentation
from pymongo import ASCENDING, DESCENDING, MongoClient
from pymongo.database import Database
from pymongo.errors import ConnectionFailure
from pymongo.write_concern import WriteConcern

from customer_core.errors import DependencyUnavailable

# Unless the connection string says otherwise: a server that cannot be found
# or reached fails a request in 5 s, and one that stops answering on an open
# connection in 10 s (pymongo waits for ever by default).
DEFAULT_TIMEOUTS_MS = {"serverSelectionTimeoutMS": 5000, "connectTimeoutMS": 5000, "socketTimeoutMS": 10_000}


def connect(uri: str, db_name: str) -> tuple[MongoClient, Database]:
    # Timeouts set in the connection string win over these defaults (keyword
    # arguments would override them).
    given = {key.lower() for key in parse_qs(urlsplit(uri).query)}
    timeouts: dict[str, Any] = {name: ms for name, ms in DEFAULT_TIMEOUTS_MS.items() if name.lower() not in given}
    client: MongoClient = MongoClient(
        uri,
        tz_aware=True,
        appname="customer-service",
        uuidRepresentation="standard",
        **timeouts,
    )
    # Majority, journaled writes unless the connection string chose otherwise:
    # an acknowledged account or session survives a primary failover.
    write_concern = client.write_concern if client.write_concern.document else WriteConcern(w="majority", j=True)
    return client, client.get_database(db_name, write_concern=write_concern)


def with_our_codecs(database: Database[Any]) -> Database[Any]:
    """A host application's database as ``connect`` makes ours: times come
    back timezone-aware (UTC), UUIDs in the standard representation."""
    codecs = database.codec_options.with_options(tz_aware=True, uuid_representation=UuidRepresentation.STANDARD)
    return database.with_options(codec_options=codecs)


def ping(client: MongoClient, *, timeout_seconds: float) -> None:
    with pymongo.timeout(timeout_seconds):
        client.admin.command("ping")


def ensure_indexes(db: Database) -> None:
    """Idempotent: creating an index that exists with the same spec is a no-op."""
    try:
        db.customers.create_index([("email", ASCENDING)], unique=True, name="email_unique")
        db.sessions.create_index([("customerId", ASCENDING)], name="customer")
        db.sessions.create_index([("currentTokenDigest", ASCENDING)], unique=True, name="current_token_unique")
        if "used_tokens" in db.sessions.index_information():  # replays are found by session id now
            db.sessions.drop_index("used_tokens")
        db.sessions.create_index([("expiresAt", ASCENDING)], expireAfterSeconds=0, name="expiry_ttl")
        db.sessions.create_index([("endsAt", ASCENDING)], expireAfterSeconds=0, name="end_ttl")
        db.emailed_tokens.create_index([("digest", ASCENDING)], unique=True, name="digest_unique")
        db.emailed_tokens.create_index([("customerId", ASCENDING), ("purpose", ASCENDING)], name="customer_purpose")
        db.emailed_tokens.create_index([("expiresAt", ASCENDING)], expireAfterSeconds=0, name="expiry_ttl")
        db.phone_codes.create_index([("customerId", ASCENDING)], unique=True, name="customer_unique")
        db.phone_codes.create_index([("expiresAt", ASCENDING)], expireAfterSeconds=0, name="expiry_ttl")
        db.addresses.create_index([("customerId", ASCENDING), ("createdAt", ASCENDING)], name="customer")
        for flag in ("isDefaultShipping", "isDefaultBilling"):
            db.addresses.create_index(
                [("customerId", ASCENDING)],
                unique=True,
                partialFilterExpression={flag: True},
                name=f"one_{flag}",
            )
        db.rate_limits.create_index([("expiresAt", ASCENDING)], expireAfterSeconds=0, name="expiry_ttl")
        db.lockouts.create_index([("expiresAt", ASCENDING)], expireAfterSeconds=0, name="expiry_ttl")
        db.outbox.create_index([("status", ASCENDING), ("nextAttemptAt", ASCENDING)], name="due")
        db.outbox.create_index([("status", ASCENDING), ("leaseUntil", ASCENDING)], name="leases")
        db.outbox.create_index([("purgeAt", ASCENDING)], expireAfterSeconds=0, name="purge_ttl")
        db.audit.create_index([("customerId", ASCENDING), ("at", DESCENDING)], name="customer")
        db.audit.create_index([("at", DESCENDING)], name="time")
        db.audit.create_index([("expiresAt", ASCENDING)], expireAfterSeconds=0, name="retention_ttl")
        db.consents.create_index([("customerId", ASCENDING), ("at", DESCENDING)], name="customer")
        db.orders.create_index([("orderId", ASCENDING)], unique=True, name="order_id_unique")
        db.orders.create_index([("customerId", ASCENDING), ("recordedAt", ASCENDING)], name="customer")
    except ConnectionFailure as error:
        raise DependencyUnavailable("The database did not answer; check CS_MONGODB_URI") from error
