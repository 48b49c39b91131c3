"""The service inside another Python application: everything an embedder
imports to build it and serve its HTTP API is listed in ``__all__``.

Build it: ``wiring = bootstrap(Settings(...), database=host_db)`` (or
``storage="memory"`` for tests and demos); every use case is on
``wiring.service``. Serve the API: standalone with ``create_app(wiring)``, or
in a host's Litestar app with ``mount(wiring)`` and ``service_lifespan(wiring)``;
other ASGI frameworks mount ``create_app(wiring, base_path="")`` under a
prefix of their own and run ``service_lifespan(wiring)`` in their lifespan."""

from entrypoints.bootstrap import Storage, Wiring, bootstrap
from entrypoints.http.app import API_BASE, create_app, mount, service_lifespan
from entrypoints.http.dependencies import customer_principal
from entrypoints.settings import Settings, SettingsError

__all__ = [
    "API_BASE",
    "Settings",
    "SettingsError",
    "Storage",
    "Wiring",
    "bootstrap",
    "create_app",
    "customer_principal",
    "mount",
    "service_lifespan",
]
