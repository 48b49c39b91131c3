"""A small shop's Litestar application with the customer service inside it.

The customer API is mounted under /api/v1/customers, on the shop's own
MongoDB database; the shop's own route /shop/welcome uses the customer
authenticated by the same bearer tokens. Run it with

    SHOP_MONGODB_URI=mongodb://localhost:27017/?replicaSet=rs0 uvicorn examples.shop_app:app

(``create_shop`` builds it from a database the shop already has)."""

from __future__ import annotations

import os
import tempfile
from pathlib import Path
from typing import Any

import attrs
from litestar import Litestar, get
from litestar.di import NamedDependency
from pymongo import MongoClient
from pymongo.database import Database

from customer_core import Principal
from entrypoints.embedding import Settings, bootstrap, customer_principal, mount, service_lifespan


@attrs.frozen
class Welcome:
    message: str
    customer_id: str


@get("/shop/welcome", sync_to_thread=False)
def welcome(principal: NamedDependency[Principal]) -> Welcome:
    """The shop's own route, for signed-in customers only."""
    return Welcome(message="Welcome back to the shop", customer_id=principal.customer_id)


def create_shop(database: Database[Any], settings: Settings) -> Litestar:
    wiring = bootstrap(settings, database=database)
    return Litestar(
        route_handlers=[mount(wiring, "/api/v1/customers"), welcome],
        dependencies={"principal": customer_principal(wiring)},
        lifespan=[service_lifespan(wiring)],
    )


def _from_environment() -> Litestar | None:
    uri = os.environ.get("SHOP_MONGODB_URI")
    if not uri:
        return None
    data_dir = Path(os.environ.get("SHOP_DATA_DIR") or tempfile.mkdtemp(prefix="shop-"))  # signing and data keys
    return create_shop(MongoClient(uri)["shop"], Settings(data_dir=data_dir))


app = _from_environment()
