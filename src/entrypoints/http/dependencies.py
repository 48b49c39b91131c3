"""What routes take from the request besides their body: the authenticated
principal, the client's address and agent, and ids in the path."""

from __future__ import annotations

from typing import Annotated, Any, TypeAlias, TypeVar

from litestar import Request
from litestar.concurrency import sync_to_thread
from litestar.connection import ASGIConnection
from litestar.di import Dependency, Provide
from litestar.exceptions import NotAuthorizedException, ServiceUnavailableException
from litestar.params import SkipValidationMarker

from customer_core import ClientInfo, CustomerService, NotFound, Principal
from customer_core.errors import DependencyUnavailable, Unauthenticated
from customer_core.values import Id, as_id
from entrypoints.bootstrap import Wiring
from entrypoints.http.client_address import client_address, forwarded_chain
from entrypoints.http.edge_headers import current_request_id

T = TypeVar("T")

# A parameter injected by name; our own objects need no validation.
Injected: TypeAlias = Annotated[T, Dependency(kind="named"), SkipValidationMarker()]

# OpenAPI: routes that need "Authorization: Bearer <accessToken>".
BEARER: list[dict[str, list[str]]] = [{"accessToken": []}]


def bearer_token(connection: ASGIConnection[Any, Any, Any, Any]) -> str:
    scheme, _, token = connection.headers.get("authorization", "").partition(" ")
    return token.strip() if scheme.lower() == "bearer" else ""


async def authenticated(connection: ASGIConnection[Any, Any, Any, Any], _: Any) -> None:
    """A guard, so a request without a valid token is refused before its
    body is even read. A CORS preflight (OPTIONS) carries no token."""
    if connection.scope.get("method") == "OPTIONS":
        return
    service: CustomerService = connection.app.state.service
    client = client_info(connection)
    connection.state.principal = await sync_to_thread(service.authenticate, bearer_token(connection), client)


def provide_principal(request: Request[Any, Any, Any]) -> Principal:
    principal: Principal = request.state.principal
    return principal


def provide_client(request: Request[Any, Any, Any]) -> ClientInfo:
    return client_info(request)


def client_info(connection: ASGIConnection[Any, Any, Any, Any]) -> ClientInfo:
    state = connection.app.state
    chain = forwarded_chain(state.forwarded_header, connection.headers.getall(state.forwarded_header, []))
    return ClientInfo(
        user_agent=connection.headers.get("user-agent"),
        ip_address=client_address(connection.client.host if connection.client else None, chain, state.trusted_proxies),
        request_id=current_request_id(),
    )


# What a route that needs a logged-in customer declares.
AUTHENTICATED: dict[str, Any] = {
    "guards": [authenticated],
    "dependencies": {"principal": Provide(provide_principal, sync_to_thread=False)},
    "security": BEARER,
}


def path_id(raw: str, missing: NotFound) -> Id:
    """A malformed id names nothing: answer as for a missing one."""
    found = as_id(raw)
    if found is None:
        raise missing
    return found


def customer_principal(wiring: Wiring) -> Provide:
    """For a host application's own routes, beside the mounted API:
    ``dependencies={"principal": customer_principal(wiring)}`` gives a route
    the ``Principal`` of the request's bearer token; without a live one the
    host answers 401 (503 when the database cannot tell)."""

    async def principal(request: Request[Any, Any, Any]) -> Principal:
        client = ClientInfo(
            user_agent=request.headers.get("user-agent"), ip_address=request.client.host if request.client else None
        )
        try:
            return await sync_to_thread(wiring.service.authenticate, bearer_token(request), client)
        except Unauthenticated as error:
            challenge = {"WWW-Authenticate": 'Bearer realm="customer-service"'}
            raise NotAuthorizedException(detail=error.detail, headers=challenge) from None
        except DependencyUnavailable as error:
            raise ServiceUnavailableException(detail=error.detail) from None

    return Provide(principal)
