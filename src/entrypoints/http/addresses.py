"""/api/v1/customers/addresses: the authenticated customer's address book."""

from __future__ import annotations

import attrs
from litestar import Controller, delete, get, patch, post
from litestar.params import FromPath, JSONBody

from customer_core import CustomerService, NotFound, Principal
from customer_core.addresses import Address, AddressChanges, AddressFields
from customer_core.errors import (
    AddressLimitReached,
    ConcurrentUpdate,
    DependencyUnavailable,
    Unauthenticated,
    ValidationFailed,
)
from customer_core.values import Id
from entrypoints.http.dependencies import AUTHENTICATED, Injected, path_id
from entrypoints.http.errors import BODY, answers


@attrs.frozen
class Addresses:
    items: list[Address]


def _address_id(raw: str) -> Id:
    # Another customer's id, a malformed one and a missing one all answer alike.
    return path_id(raw, NotFound("Address not found"))


class AddressController(Controller):
    path = "/addresses"
    tags = ["addresses"]
    guards = AUTHENTICATED["guards"]
    dependencies = AUTHENTICATED["dependencies"]
    security = AUTHENTICATED["security"]

    @get("", sync_to_thread=True, responses=answers(Unauthenticated), summary="Every address, defaults first")
    def list_addresses(self, principal: Injected[Principal], service: Injected[CustomerService]) -> Addresses:
        return Addresses(service.address_book.list(principal.customer_id))

    @post(
        "",
        sync_to_thread=True,
        responses=answers(
            *BODY, ValidationFailed, Unauthenticated, AddressLimitReached, ConcurrentUpdate, DependencyUnavailable
        ),
        summary="Add an address; the first one becomes the default for shipping and billing",
    )
    def add_address(
        self,
        data: JSONBody[AddressFields],
        principal: Injected[Principal],
        service: Injected[CustomerService],
    ) -> Address:
        return service.address_book.add(principal, data)

    @get("/{address_id:str}", sync_to_thread=True, responses=answers(400, Unauthenticated, NotFound))
    def get_address(
        self,
        address_id: FromPath[str],
        principal: Injected[Principal],
        service: Injected[CustomerService],
    ) -> Address:
        return service.address_book.get(principal.customer_id, _address_id(address_id))

    @patch(
        "/{address_id:str}",
        sync_to_thread=True,
        responses=answers(*BODY, ValidationFailed, Unauthenticated, NotFound, ConcurrentUpdate, DependencyUnavailable),
        summary="Change some fields; isDefaultShipping/isDefaultBilling true moves that default here",
    )
    def update_address(
        self,
        address_id: FromPath[str],
        data: JSONBody[AddressChanges],
        principal: Injected[Principal],
        service: Injected[CustomerService],
    ) -> Address:
        return service.address_book.update(principal, _address_id(address_id), data)

    @delete(
        "/{address_id:str}",
        sync_to_thread=True,
        responses=answers(400, Unauthenticated, NotFound, DependencyUnavailable),
        summary="Delete an address; deleting a default leaves that usage without one",
    )
    def delete_address(
        self,
        address_id: FromPath[str],
        principal: Injected[Principal],
        service: Injected[CustomerService],
    ) -> None:
        service.address_book.delete(principal, _address_id(address_id))
