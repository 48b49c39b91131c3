"""The reference the read benchmarks compare against: a bare Litestar app
doing the least a ``GET /me`` must, on the same store and the same token:
verify the Ed25519 JWT with PyJWT, read the customer document by id (one
lookup) and return it as JSON, from an async handler; and the same for the
customer's addresses (one query by customer id).

    python bench/reference_app.py PORT MONGODB_URI DB_NAME KEYS_DIR AUDIENCE ISSUER
"""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Any

import jwt
import uvicorn
from bson import Decimal128, ObjectId
from cryptography.hazmat.primitives.serialization import load_pem_private_key
from litestar import Litestar, Request, get
from litestar.exceptions import NotAuthorizedException
from pymongo import MongoClient

port, uri, db_name, keys_dir, audience, issuer = sys.argv[1:7]
public_keys = {
    path.stem: load_pem_private_key(path.read_bytes(), password=None).public_key()  # type: ignore[union-attr]
    for path in Path(keys_dir).glob("*.pem")
}
database = MongoClient(uri)[db_name]


def customer_id(request: Request[Any, Any, Any]) -> ObjectId:
    token = request.headers.get("authorization", "").removeprefix("Bearer ")
    try:
        kid = jwt.get_unverified_header(token)["kid"]
        claims = jwt.decode(token, public_keys[kid], algorithms=["EdDSA"], audience=audience, issuer=issuer)
    except (jwt.PyJWTError, KeyError) as error:
        raise NotAuthorizedException() from error
    return ObjectId(claims["sub"])


def plain(document: dict[str, Any]) -> dict[str, Any]:
    return {key: str(value) if isinstance(value, ObjectId | Decimal128) else value for key, value in document.items()}


@get("/api/v1/customers/me")
async def me(request: Request[Any, Any, Any]) -> dict[str, Any]:
    document = database.customers.find_one({"_id": customer_id(request)})
    if document is None:
        raise NotAuthorizedException()
    document.pop("passwordHash", None)
    return plain(document)


@get("/api/v1/customers/addresses")
async def addresses(request: Request[Any, Any, Any]) -> dict[str, Any]:
    return {"items": [plain(document) for document in database.addresses.find({"customerId": customer_id(request)})]}


if __name__ == "__main__":
    uvicorn.run(Litestar([me, addresses]), host="127.0.0.1", port=int(port), log_level="warning")
