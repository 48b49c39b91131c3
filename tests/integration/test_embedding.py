"""The service inside another application, from the public API alone
(``customer_core`` and ``entrypoints.embedding``): the examples run, the API
mounts under a host's prefix on the host's own database and lifespan, and a
plain ASGI mount works the same."""

from __future__ import annotations

import re
import subprocess
import sys
from pathlib import Path
from typing import Any

import attrs
import httpx
import pytest

from entrypoints.embedding import bootstrap, create_app, service_lifespan
from examples.shop_app import create_shop
from tests.support import PASSWORD, serve_in_thread, unique_email

ROOT = Path(__file__).resolve().parents[2]
CUSTOMERS = "/api/v1/customers"


def register_and_log_in(client: httpx.Client, base: str) -> tuple[dict[str, Any], dict[str, str]]:
    email = unique_email("shop")
    body = {"email": email, "password": PASSWORD, "firstName": "Ada", "lastName": "Lovelace"}
    registered = client.post(f"{base}/auth/register", json=body)
    assert registered.status_code == 201, registered.text
    logged_in = client.post(f"{base}/auth/login", json={"email": email, "password": PASSWORD})
    assert logged_in.status_code == 200, logged_in.text
    return registered.json()["customer"], {"Authorization": f"Bearer {logged_in.json()['tokens']['accessToken']}"}


def test_the_example_shop_mounts_the_api_on_its_own_database_and_uses_its_principal(db, settings, notifications):
    shop = create_shop(db, attrs.evolve(settings, notifications_url=notifications.url))

    with serve_in_thread(shop) as url, httpx.Client(base_url=url) as client:
        customer, headers = register_and_log_in(client, CUSTOMERS)
        me = client.get(f"{CUSTOMERS}/me", headers=headers)
        welcome = client.get("/shop/welcome", headers=headers)
        anonymous = client.get("/shop/welcome")
        refused = client.get(f"{CUSTOMERS}/me")
        document = client.get(f"{CUSTOMERS}/schema/openapi.json").json()
        docs_page = client.get(f"{CUSTOMERS}/schema/swagger").text
        assets = [client.get(url) for url in re.findall(r'(?:src|href)="([^"]+/schema/assets/[^"]+)"', docs_page)]
        notifications.wait_for("welcome", customer["email"])  # the host's lifespan runs the dispatcher

    assert me.status_code == 200 and me.json()["id"] == customer["id"]
    assert me.headers["cache-control"] == "no-store"
    assert welcome.json() == {"message": "Welcome back to the shop", "customer_id": customer["id"]}
    assert anonymous.status_code == 401
    assert refused.status_code == 401 and refused.headers["content-type"] == "application/problem+json"
    assert refused.json()["code"] == "UNAUTHENTICATED"
    assert "/me" in document["paths"] and document["servers"] == [{"url": CUSTOMERS}]
    token_url = document["components"]["securitySchemes"]["clientCredentials"]["flows"]["clientCredentials"]
    assert token_url["tokenUrl"] == f"{CUSTOMERS}/oauth/token"
    assert len(assets) >= 2 and all(asset.status_code == 200 for asset in assets)  # the docs page works offline
    assert db.customers.find_one({"email": customer["email"]}) is not None  # the shop's own database
    db.command("ping")  # and its client is still the shop's to close


def prefix_mount(prefix: str, app: Any) -> Any:
    """How an ASGI framework mounts an app under a prefix (Starlette's
    ``Mount``, FastAPI's ``app.mount``): the path keeps the prefix, which
    ``root_path`` names; the lifespan is the host's."""

    async def host(scope: dict[str, Any], receive: Any, send: Any) -> None:
        if scope["type"] == "lifespan" or not scope["path"].startswith(prefix + "/"):
            await send({"type": "http.response.start", "status": 404, "headers": []})
            await send({"type": "http.response.body", "body": b""})
            return
        await app({**scope, "root_path": scope.get("root_path", "") + prefix}, receive, send)

    return host


def test_another_asgi_framework_mounts_the_plain_app_and_runs_the_lifespan(db, settings):
    wiring = bootstrap(attrs.evolve(settings, mongodb_uri=None), database=db)
    host = prefix_mount("/customers", create_app(wiring, base_path=""))

    async def lifespan_then_host(scope: dict[str, Any], receive: Any, send: Any) -> None:
        if scope["type"] != "lifespan":
            await host(scope, receive, send)
            return
        async with service_lifespan(wiring)(None):
            await receive()
            await send({"type": "lifespan.startup.complete"})
            await receive()
        await send({"type": "lifespan.shutdown.complete"})

    with serve_in_thread(lifespan_then_host) as url, httpx.Client(base_url=url) as client:
        customer, headers = register_and_log_in(client, "/customers")
        me = client.get("/customers/me", headers=headers)
        assert wiring.outbox_worker._threads  # started by the host's lifespan

    assert me.status_code == 200 and me.json()["id"] == customer["id"]
    assert me.headers["cache-control"] == "no-store"
    assert not wiring.outbox_worker._threads  # and stopped with it


def test_the_in_memory_example_runs():
    run = subprocess.run(
        [sys.executable, str(ROOT / "examples" / "in_memory.py")], capture_output=True, text=True, timeout=60
    )

    assert run.returncode == 0, run.stderr
    assert "orders: 3 spent: 20.29 points: 19" in run.stdout
    assert "profile: Ada Byron ada@example.com" in run.stdout


@pytest.mark.parametrize("base_path", ["/api/v1/customers/", "api/v1/customers", " /api/v1/customers "])
def test_a_base_path_however_written_keeps_personal_data_out_of_caches(app, base_path):
    with serve_in_thread(create_app(app.wiring, base_path=base_path)) as url, httpx.Client(base_url=url) as client:
        _, headers = register_and_log_in(client, CUSTOMERS)
        me = client.get(f"{CUSTOMERS}/me", headers=headers)

    assert me.status_code == 200 and me.headers["cache-control"] == "no-store"
