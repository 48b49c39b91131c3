"""The Litestar app factory."""

from __future__ import annotations

from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor

import msgspec
from litestar import Litestar, Request
from litestar.concurrency import set_asyncio_executor
from litestar.di import Provide
from litestar.exceptions import HTTPException, ValidationException
from litestar.openapi import OpenAPIConfig
from litestar.openapi.plugins import SwaggerRenderPlugin
from litestar.openapi.spec import Components, SecurityScheme
from litestar.plugins.prometheus import PrometheusConfig

from entrypoints.bootstrap import Wiring
from entrypoints.http.account import AccountController
from entrypoints.http.addresses import AddressController
from entrypoints.http.auth import AuthController
from entrypoints.http.errors import EXCEPTION_HANDLERS
from entrypoints.http.operations import OPERATION_HANDLERS
from entrypoints.http.profile import ProfileController
from entrypoints.http.request_id import RequestIdMiddleware

MAX_BODY_BYTES = 64 * 1024
# Use cases block (pymongo, bcrypt) and run on these threads, never on the
# event loop. Hashing is capped at one per core inside the hasher, so logins
# queueing there still leave threads for everything else.
WORKER_THREADS = 64


async def _require_json_body(request: Request) -> None:
    if request.method in ("POST", "PUT", "PATCH") and (
        request.headers.get("content-length", "0") != "0" or "transfer-encoding" in request.headers
    ):
        media_type = request.headers.get("content-type", "").split(";")[0].strip().lower()
        if media_type != "application/json" and not media_type.endswith("+json"):
            raise HTTPException(status_code=415)
    # Litestar converts bodies leniently ("true" or 1 would pass as a
    # boolean) and reports an empty body as a missing parameter, so the body
    # is first decoded strictly against the route's declared type.
    data_field = request.route_handler.parsed_data_field
    if data_field is not None:
        try:
            msgspec.json.decode(await request.body(), type=data_field.annotation, strict=True)
        except msgspec.ValidationError as error:
            raise ValidationException(extra=[{"message": str(error), "source": "body"}]) from None
        except msgspec.DecodeError as error:
            raise ValidationException(extra=[{"message": str(error)}]) from None


def _start_dispatcher(wiring: Wiring) -> Callable[[], None]:
    def start() -> None:
        if wiring.settings.outbox_dispatcher:
            wiring.outbox_worker.start()

    return start


def create_app(wiring: Wiring) -> Litestar:
    set_asyncio_executor(ThreadPoolExecutor(max_workers=WORKER_THREADS, thread_name_prefix="use-case"))
    metrics = PrometheusConfig(app_name="customer_service", group_path=True, exclude=["/metrics"])
    app = Litestar(
        route_handlers=[AuthController, AccountController, ProfileController, AddressController, *OPERATION_HANDLERS],
        middleware=[metrics.middleware],
        dependencies={
            "service": Provide(lambda: wiring.service, use_cache=True, sync_to_thread=False),
            "wiring": Provide(lambda: wiring, use_cache=True, sync_to_thread=False),
        },
        exception_handlers=EXCEPTION_HANDLERS,
        before_request=_require_json_body,
        request_max_body_size=MAX_BODY_BYTES,
        openapi_config=OpenAPIConfig(
            title="Customer Service",
            version="1.0.0",
            path="/schema",
            render_plugins=[SwaggerRenderPlugin()],
            components=Components(
                security_schemes={
                    "accessToken": SecurityScheme(type="http", scheme="bearer", bearer_format="JWT (EdDSA)")
                }
            ),
        ),
        on_startup=[_start_dispatcher(wiring)],
        on_shutdown=[lambda: wiring.outbox_worker.stop(), wiring.close],
        logging_config=None,
        debug=False,
    )
    # Around the whole ASGI handler rather than as route middleware, so that
    # answers for unknown routes carry the id too.
    app.asgi_handler = RequestIdMiddleware(app.asgi_handler)
    return app
