"""/api/v1/customers/internal: routes for other services, which call with
the tokens of service clients (see ``oauth``), never as customers."""

from __future__ import annotations

from typing import Any

import attrs
from litestar import Controller, get, post
from litestar.concurrency import sync_to_thread
from litestar.connection import ASGIConnection
from litestar.handlers import BaseRouteHandler
from litestar.params import FromPath, FromQuery, JSONBody

from customer_core import Customer, CustomerService, NotFound
from customer_core.clients import Scope
from customer_core.errors import Forbidden, InsufficientScope, OrderConflict, Unauthenticated, ValidationFailed
from customer_core.orders import CompletedOrder, OrderTotals
from customer_core.values import Id
from entrypoints.http.dependencies import Injected, bearer_token, path_id
from entrypoints.http.errors import BODY, answers

CLIENT_CREDENTIALS = "clientCredentials"


@attrs.frozen
class Customers:
    items: list[Customer]


async def client_with_scope(connection: ASGIConnection[Any, Any, Any, Any], handler: BaseRouteHandler) -> None:
    """A guard: the caller is an active service client whose token has the
    route's scope (``opt["scope"]``). A CORS preflight (OPTIONS) carries no token."""
    if connection.scope.get("method") == "OPTIONS":
        return
    service: CustomerService = connection.app.state.service
    connection.state.client = await sync_to_thread(
        service.authenticate_client, bearer_token(connection), handler.opt["scope"]
    )


def needs(scope: Scope) -> dict[str, Any]:
    """What an internal route declares: its scope, checked and documented."""
    return {"opt": {"scope": scope}, "security": [{CLIENT_CREDENTIALS: [str(scope)]}]}


def _customer_id(raw: str) -> Id:
    return path_id(raw, NotFound("No customer with this id"))


# Besides its own: a bad parameter (400), and the answers of the client guard.
CLIENT_ERRORS = (400, Unauthenticated, Forbidden, InsufficientScope)


class InternalController(Controller):
    path = "/internal/customers"
    tags = ["internal"]
    guards = [client_with_scope]

    @get(
        "/{customer_id:str}",
        sync_to_thread=True,
        responses=answers(*CLIENT_ERRORS, NotFound),
        summary="A customer, for support tools",
        **needs(Scope.CUSTOMERS_READ),
    )
    def customer(self, customer_id: FromPath[str], service: Injected[CustomerService]) -> Customer:
        return service.directory.by_id(_customer_id(customer_id))

    @get(
        "",
        sync_to_thread=True,
        responses=answers(*CLIENT_ERRORS, ValidationFailed),
        summary="The customer of an email address (none or one), for support tools",
        **needs(Scope.CUSTOMERS_READ),
    )
    def by_email(self, service: Injected[CustomerService], email: FromQuery[str | None] = None) -> Customers:
        if email is None:
            raise ValidationFailed.single("email", "is required")
        return Customers(service.directory.by_email(email))

    @post(
        "/{customer_id:str}/orders",
        sync_to_thread=True,
        status_code=200,
        responses=answers(*BODY, *CLIENT_ERRORS, NotFound, OrderConflict, ValidationFailed),
        summary="Record a completed order (idempotent per orderId); the customer's new totals",
        **needs(Scope.ORDERS_WRITE),
    )
    def record_order(
        self, customer_id: FromPath[str], data: JSONBody[CompletedOrder], service: Injected[CustomerService]
    ) -> OrderTotals:
        return service.record_order(_customer_id(customer_id), data)

    @post(
        "/{customer_id:str}/orders/{order_id:str}/refund",
        sync_to_thread=True,
        status_code=200,
        responses=answers(*CLIENT_ERRORS, NotFound),
        summary="Reverse a recorded order (once); the customer's new totals",
        **needs(Scope.ORDERS_WRITE),
    )
    def refund_order(
        self, customer_id: FromPath[str], order_id: FromPath[str], service: Injected[CustomerService]
    ) -> OrderTotals:
        return service.refund_order(_customer_id(customer_id), order_id)
