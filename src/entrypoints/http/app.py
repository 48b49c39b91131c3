"""The Litestar app factory."""

from __future__ import annotations

import asyncio
import typing
from collections.abc import Callable, Iterable
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import swagger_ui
from litestar import Litestar, Router
from litestar.datastructures import State
from litestar.di import Provide
from litestar.handlers import HTTPRouteHandler
from litestar.openapi import OpenAPIConfig
from litestar.openapi.plugins import SwaggerRenderPlugin
from litestar.openapi.spec import Components, OAuthFlow, OAuthFlows, SecurityScheme
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
from entrypoints.http.operations import OPERATION_HANDLERS
from entrypoints.http.privacy import PrivacyController
from entrypoints.http.profile import ProfileController
from entrypoints.http.request_metrics import request_metrics
from entrypoints.http.shapes import Shapes
from entrypoints.metrics import count_events

# Use cases block (pymongo, bcrypt) and run on these threads, never on the
# event loop. Hashing is capped at one per core inside the hasher, so logins
# queueing there still leave threads for everything else.
WORKER_THREADS = 64
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


def _start_dispatcher(wiring: Wiring) -> Callable[[], None]:
    def start() -> None:
        if wiring.settings.outbox_dispatcher:
            wiring.outbox_worker.start()

    return start


def _use_worker_threads() -> None:
    # The loop's default executor runs every sync handler (Litestar's sync_to_thread uses it).
    asyncio.get_running_loop().set_default_executor(
        ThreadPoolExecutor(max_workers=WORKER_THREADS, thread_name_prefix="use-case")
    )


def create_app(wiring: Wiring) -> Litestar:
    count_events()
    app = Litestar(
        route_handlers=[*CONTROLLERS, issue_token, *OPERATION_HANDLERS, swagger_assets()],
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
            version="1.0.0",
            path="/schema",
            render_plugins=[
                SwaggerRenderPlugin(
                    js_url=f"{SWAGGER_ASSETS}/swagger-ui-bundle.js",
                    css_url=f"{SWAGGER_ASSETS}/swagger-ui.css",
                    standalone_preset_js_url=f"{SWAGGER_ASSETS}/swagger-ui-standalone-preset.js",
                    favicon=f"<link rel='icon' type='image/png' href='{SWAGGER_ASSETS}/favicon-32x32.png'>",
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
                                token_url=TOKEN_PATH, scopes={str(scope): scope.description for scope in Scope}
                            )
                        ),
                    ),
                }
            ),
        ),
        on_startup=[_use_worker_threads, _start_dispatcher(wiring)],
        on_shutdown=[lambda: wiring.outbox_worker.stop(), wiring.close],
        logging_config=None,
        debug=False,
    )
    # Around the whole ASGI handler rather than as route middleware, so that
    # answers for unknown routes carry the id too, and are counted and logged.
    app.asgi_handler = EdgeHeaders(
        request_metrics(app.asgi_handler), {route.path: set(route.methods) for route in app.routes}
    )
    return app
