"""Dependencies the controllers declare by name."""

from __future__ import annotations

from litestar import Request
from litestar.di import NamedDependency, Provide

from customer_core import ClientInfo, CustomerService, Principal

# OpenAPI: routes that need "Authorization: Bearer <accessToken>".
BEARER = [{"accessToken": []}]


def bearer_token(request: Request) -> str:
    scheme, _, token = request.headers.get("authorization", "").partition(" ")
    return token.strip() if scheme.lower() == "bearer" else ""


def provide_principal(request: Request, service: NamedDependency[CustomerService]) -> Principal:
    return service.authenticate(bearer_token(request))


def provide_client(request: Request) -> ClientInfo:
    return ClientInfo(
        user_agent=request.headers.get("user-agent"),
        ip_address=request.client.host if request.client else None,
    )


# Routes that need a logged-in customer declare these dependencies.
AUTHENTICATED = {"principal": Provide(provide_principal, sync_to_thread=True)}
