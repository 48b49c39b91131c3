"""Integration fixtures: a real store (SecantusDB started by the project, or
the MongoDB named by CS_TEST_MONGODB_URI), the real app served over HTTP by
uvicorn on loopback, and an httpx client."""

from __future__ import annotations

import os
import uuid
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import attrs
import httpx
import pytest
from pymongo import MongoClient
from typer.testing import CliRunner

from adapters.clock import SystemClock
from adapters.embedded_store import EmbeddedStore
from adapters.mongo import connect, ensure_indexes
from adapters.security.data_keys import DataKeys
from entrypoints.bootstrap import Wiring, bootstrap
from entrypoints.cli.main import app as cli_app
from entrypoints.http import create_app
from entrypoints.settings import Settings
from tests.notifications_standin import NotificationsStandIn
from tests.release import Distributions, Virtualenv, build_distributions, build_distributions_once, make_virtualenv
from tests.support import serve_in_thread
from tests.webhook_receiver import SECRET, WebhookReceiver


@pytest.fixture(scope="session")
def mongo_uri(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    configured = os.environ.get("CS_TEST_MONGODB_URI")
    if configured:
        yield configured
        return
    with EmbeddedStore(tmp_path_factory.mktemp("secantus")) as store:
        assert store.uri
        yield store.uri


@pytest.fixture(scope="session")
def database(mongo_uri: str) -> Iterator[tuple[MongoClient, Any]]:
    """One database for this test process (each xdist worker has its own),
    with the service's indexes; every test starts with it empty."""
    name = f"cs_test_{uuid.uuid4().hex[:12]}"
    client, db = connect(mongo_uri, name)
    yield client, db
    client.drop_database(name)
    client.close()


@pytest.fixture
def store(database: tuple[MongoClient, Any]) -> tuple[MongoClient, Any]:
    """A client and the test database, emptied, with the service's indexes."""
    db = database[1]
    for name in db.list_collection_names():
        db[name].delete_many({})
    ensure_indexes(db)  # a no-op once they exist
    return database


@pytest.fixture
def settings(store: tuple[MongoClient, Any], mongo_uri: str, tmp_path: Path) -> Settings:
    """Settings for one test: the emptied test database, its own keys and data
    directory. Tests register many customers from one address, so the
    per-address registration limit is raised unless a test sets it."""
    return Settings(
        mongodb_uri=mongo_uri, db_name=store[1].name, data_dir=tmp_path, bcrypt_rounds=4, register_rate_limit=10_000
    )


@pytest.fixture
def db(store: tuple[MongoClient, Any]) -> Any:
    return store[1]


@pytest.fixture
def data_keys(tmp_path: Path) -> DataKeys:
    keys = DataKeys(tmp_path / "data-keys")
    keys.ensure_key(SystemClock().now())
    return keys


@attrs.define
class RunningApp:
    url: str
    wiring: Wiring
    client: httpx.Client


@pytest.fixture
def make_app(settings: Settings) -> Iterator[Any]:
    """Start the app with some settings changed or ports overridden:
    ``make_app(settings_changes={...}, clock=...)``."""
    started: list[Any] = []

    def start(settings_changes: dict[str, Any] | None = None, **overrides: Any) -> RunningApp:
        wiring = bootstrap(attrs.evolve(settings, **(settings_changes or {})), **overrides)
        context = serve_in_thread(create_app(wiring), wait_for_exit=False)
        url = context.__enter__()
        client = httpx.Client(base_url=url, timeout=30)
        started.append((context, client, wiring))
        return RunningApp(url=url, wiring=wiring, client=client)

    yield start
    for context, client, wiring in reversed(started):
        client.close()
        # Stopped here, so that no dispatcher of this app touches the next test's
        # data; the server ends on its own meanwhile.
        wiring.outbox_worker.stop()
        context.__exit__(None, None, None)
        wiring.close()


@pytest.fixture
def app(make_app: Any) -> RunningApp:
    return make_app()


@pytest.fixture
def client(app: RunningApp) -> httpx.Client:
    return app.client


@pytest.fixture
def notifications() -> Iterator[NotificationsStandIn]:
    """A stand-in Notifications Service; start the app with
    ``make_app(settings_changes={"notifications_url": notifications.url})``."""
    with NotificationsStandIn().running() as standin:
        yield standin


@pytest.fixture
def notifying_app(make_app: Any, notifications: NotificationsStandIn) -> RunningApp:
    """The app delivering its messages to the stand-in, retrying quickly."""
    return make_app(
        settings_changes={
            "notifications_url": notifications.url,
            "outbox_retry_base_seconds": 0.1,
            "outbox_retry_max_seconds": 1.0,
            "notifications_timeout_seconds": 1.0,
            "outbox_lease_seconds": 5.0,
        }
    )


@pytest.fixture
def webhooks() -> Iterator[WebhookReceiver]:
    """A stand-in receiver of customer events, verifying with ``SECRET``."""
    with WebhookReceiver().running() as receiver:
        yield receiver


@pytest.fixture
def events_app(make_app: Any, webhooks: WebhookReceiver, notifications: NotificationsStandIn) -> RunningApp:
    """The app sending customer events to the stand-in receiver and emails to
    the stand-in Notifications Service, retrying quickly."""
    return make_app(
        settings_changes={
            "events_url": webhooks.events_url,
            "events_secret": SECRET,
            "notifications_url": notifications.url,
            "outbox_retry_base_seconds": 0.1,
            "outbox_retry_max_seconds": 1.0,
            "notifications_timeout_seconds": 1.0,
            "outbox_lease_seconds": 5.0,
        }
    )


@pytest.fixture
def cli(settings: Settings) -> Any:
    """Run the admin CLI against this test's store: ``cli("customers", "list")``."""
    runner = CliRunner()
    env = {
        "CS_MONGODB_URI": settings.mongodb_uri,
        "CS_DB_NAME": settings.db_name,
        "CS_DATA_DIR": str(settings.data_dir),
        "CS_BCRYPT_ROUNDS": "4",
    }

    def run(*args: str, input: str | None = None, **env_changes: str) -> Any:
        return runner.invoke(cli_app, list(args), input=input, env={**env, **env_changes})

    return run


@pytest.fixture(scope="session")
def distributions(tmp_path_factory: pytest.TempPathFactory, worker_id: str) -> Distributions:
    """The sdist and the wheel of this checkout, built once per run: xdist's
    workers share them (two builds at once would both write src/*.egg-info)."""
    if worker_id == "master":
        return build_distributions(tmp_path_factory.mktemp("dist"))
    return build_distributions_once(tmp_path_factory.getbasetemp().parent / "dist")


@pytest.fixture(scope="session")
def installed_service(tmp_path_factory: pytest.TempPathFactory, distributions: Distributions) -> Virtualenv:
    """A fresh virtualenv with the built wheel installed, with the embedded
    store and the test kit (``customer-service[embedded,testing]``), as a user
    installs it."""
    venv = make_virtualenv(tmp_path_factory.mktemp("installed") / "venv")
    venv.pip_install(f"{distributions.wheel}[embedded,testing]")
    return venv
