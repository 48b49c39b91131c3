"""The Litestar app factory."""

from __future__ import annotations

import asyncio
import contextlib
import importlib.metadata
import typing
from collections.abc import AsyncIterator, Callable, Iterable
from concurrent.futures import ThreadPoolExecutor
from contextlib import AbstractAsyncContextManager
from pathlib import Path
from typing import Any

import swagger_ui
from litestar import Litestar, Router, asgi
from litestar.datastructures import State
from litestar.di import Provide
from litestar.handlers import ASGIRouteHandler, HTTPRouteHandler
from litestar.openapi import OpenAPIConfig
from litestar.openapi.plugins import SwaggerRenderPlugin
from litestar.openapi.spec import Components, OAuthFlow, OAuthFlows, SecurityScheme, Server
from litestar.static_files import create_static_files_router

from customer_core.clients import Scope
from entrypoints.bootstrap import Wiring
from entrypoints.http.account import AccountController
from entrypoints.http.addresses import AddressController
from entrypoints.http.admission import MAX_BODY_BYTES, hashing_gate
from entrypoints.http.auth import AuthController
from entrypoints.http.edge_headers import EdgeHeaders
from entrypoints.http.errors import EXCEPTION_HANDLERS, no_html_errors
from entrypoints.http.internal import CLIENT_CREDENTIALS, InternalController
from entrypoints.http.oauth import TOKEN_PATH, OAuthError, issue_token, oauth_error_answer
from entrypoints.http.operations import OPERATION_HANDLERS, OPERATION_PATHS
from entrypoints.http.privacy import PrivacyController
from entrypoints.http.profile import ProfileController
from entrypoints.http.request_metrics import request_metrics
from entrypoints.http.shapes import Shapes
from entrypoints.metrics import count_events

# Use cases block (pymongo, bcrypt) and run on these threads, never on the
# event loop. Hashing is capped at one per core inside the hasher, so logins
# queueing there still leave threads for everything else.
WORKER_THREADS = 64
API_BASE = "/api/v1/customers"
SCOPES = {str(scope): scope.description for scope in Scope}
CONTROLLERS = [
    AuthController,
    AccountController,
    ProfileController,
    PrivacyController,
    AddressController,
    InternalController,
]
# The docs page works without internet access: Swagger UI's files ship in
# the swagger-ui-py wheel and are served from here.
SWAGGER_ASSETS = "/schema/assets"


def swagger_assets() -> Router:
    return create_static_files_router(
        path=SWAGGER_ASSETS, directories=[Path(swagger_ui.__file__).parent / "static"], include_in_schema=False
    )


def _request_bodies(controllers: Iterable[type]) -> set[type]:
    """The class of every request body the controllers take."""
    return {
        typing.get_type_hints(member.fn)["data"]
        for controller in controllers
        for member in vars(controller).values()
        if isinstance(member, HTTPRouteHandler) and "data" in typing.get_type_hints(member.fn)
    }


def service_lifespan(wiring: Wiring) -> Callable[[Any], AbstractAsyncContextManager[None]]:
    """The service's part of an app's lifespan, for ``Litestar(lifespan=[...])``
    (or Starlette's): the outbox dispatcher runs while the app does, and the
    service's connections are closed when it stops. A host that mounts the
    API (``mount``) adds this to its own lifespan: a mounted app's is not run."""

    @contextlib.asynccontextmanager
    async def lifespan(_: Any) -> AsyncIterator[None]:
        if wiring.settings.outbox_dispatcher:
            wiring.outbox_worker.start()
        try:
            yield
        finally:
            await asyncio.to_thread(wiring.outbox_worker.stop)
            wiring.close()

    return lifespan


def _use_worker_threads() -> None:
    # The loop's default executor runs every sync handler (Litestar's sync_to_thread uses it).
    asyncio.get_running_loop().set_default_executor(
        ThreadPoolExecutor(max_workers=WORKER_THREADS, thread_name_prefix="use-case")
    )


def create_app(wiring: Wiring, *, base_path: str = API_BASE, mounted_at: str = "") -> Litestar:
    """The whole HTTP API as an ASGI app: the contract's routes under
    ``base_path`` ("" when a host mounts it under a prefix of its own, see
    ``mount``), and health, metrics, JWKS and the OpenAPI document at its root.
    ``mounted_at``: the prefix a host serves it under, for the URLs it
    publishes (its docs page's assets, the OpenAPI servers and token URL).
    Run as it is, its lifespan starts and stops the outbox dispatcher."""
    base_path, mounted_at = _path_prefix(base_path), _path_prefix(mounted_at)
    assets = mounted_at + SWAGGER_ASSETS
    count_events()
    api = Router(path=base_path or "/", route_handlers=[*CONTROLLERS, issue_token])
    app = Litestar(
        route_handlers=[api, *OPERATION_HANDLERS, swagger_assets()],
        dependencies={
            "service": Provide(lambda: wiring.service, use_cache=True, sync_to_thread=False),
            "wiring": Provide(lambda: wiring, use_cache=True, sync_to_thread=False),
        },
        state=State(
            {
                "service": wiring.service,
                "trusted_proxies": wiring.settings.trusted_proxies,
                "forwarded_header": wiring.settings.forwarded_header,
                "hashing_gate": hashing_gate(wiring.settings.hashing_queue_seconds, cores=wiring.settings.cores),
            }
        ),
        plugins=[Shapes(request_bodies=_request_bodies(CONTROLLERS))],
        exception_handlers={**EXCEPTION_HANDLERS, OAuthError: lambda _, error: oauth_error_answer(error)},  # type: ignore[dict-item]
        after_request=no_html_errors,
        request_max_body_size=MAX_BODY_BYTES,
        openapi_config=OpenAPIConfig(
            title="Customer Service",
            version=importlib.metadata.version("customer-service"),
            path="/schema",
            servers=[Server(url=mounted_at or "/")],
            render_plugins=[
                SwaggerRenderPlugin(
                    js_url=f"{assets}/swagger-ui-bundle.js",
                    css_url=f"{assets}/swagger-ui.css",
                    standalone_preset_js_url=f"{assets}/swagger-ui-standalone-preset.js",
                    favicon=f"<link rel='icon' type='image/png' href='{assets}/favicon-32x32.png'>",
                )
            ],
            components=Components(
                security_schemes={
                    "accessToken": SecurityScheme(type="http", scheme="bearer", bearer_format="JWT (EdDSA)"),
                    CLIENT_CREDENTIALS: SecurityScheme(
                        type="oauth2",
                        description="Service clients (other services), for the internal routes",
                        flows=OAuthFlows(
                            client_credentials=OAuthFlow(
                                token_url=mounted_at + base_path + TOKEN_PATH,
                                scopes=SCOPES,
                            )
                        ),
                    ),
                }
            ),
        ),
        on_startup=[_use_worker_threads],
        lifespan=[service_lifespan(wiring)],
        logging_config=None,
        debug=False,
    )
    # Around the whole ASGI handler rather than as route middleware, so that
    # answers for unknown routes carry the id too, and are counted and logged.
    app.asgi_handler = EdgeHeaders(
        request_metrics(app.asgi_handler),
        {route.path: set(route.methods) for route in app.routes},
        private=_private_paths(base_path),
    )
    return app


def _path_prefix(raw: str) -> str:
    """A path prefix as routes use it: "/a/b", or "" for the root ("/")."""
    parts = raw.strip().strip("/")
    return "/" + parts if parts else ""


def _private_paths(base_path: str) -> Callable[[str], bool]:
    """Which paths carry tokens or personal data: everything under the API
    base, or, mounted without one, everything but the operations routes."""
    if base_path:
        return lambda path: path == base_path or path.startswith(base_path + "/")
    return lambda path: not path.startswith(OPERATION_PATHS)


def mount(wiring: Wiring, path: str = API_BASE) -> ASGIRouteHandler:
    """The API as a route handler of a host's Litestar app, under ``path``:
    ``Litestar(route_handlers=[mount(wiring), ...], lifespan=[service_lifespan(wiring)])``.
    It keeps its own error answers, headers and OpenAPI document
    (``{path}/schema/openapi.json``)."""
    return asgi(path, is_mount=True, copy_scope=True)(create_app(wiring, base_path="", mounted_at=path))
