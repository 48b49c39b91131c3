"""/api/v1/customers/addresses: the authenticated customer's address book."""

from __future__ import annotations

from litestar import Controller, delete, get, patch, post
from litestar.di import NamedDependency
from litestar.params import FromPath, JSONBody

from customer_core import CustomerService, NotFound, Principal
from entrypoints.http.dependencies import AUTHENTICATED, BEARER
from entrypoints.http.errors import BODY_ERRORS, problem_responses
from entrypoints.http.ids import require_object_id
from entrypoints.http.schemas import AddressCreate, AddressList, AddressOut, AddressPatch


def _address_id(raw: str) -> str:
    # Another customer's id, a malformed one and a missing one all answer alike.
    return require_object_id(raw, NotFound("Address not found"))


class AddressController(Controller):
    path = "/api/v1/customers/addresses"
    tags = ["addresses"]
    dependencies = AUTHENTICATED
    security = BEARER

    @get("", sync_to_thread=True, responses=problem_responses(401), summary="Every address, defaults first")
    def list_addresses(
        self, principal: NamedDependency[Principal], service: NamedDependency[CustomerService]
    ) -> AddressList:
        return AddressList(items=[AddressOut.of(a) for a in service.addresses.list(principal.customer_id)])

    @post(
        "",
        sync_to_thread=True,
        responses=problem_responses(*BODY_ERRORS, 401, 409, 503),
        summary="Add an address; the first one becomes the default for shipping and billing",
    )
    def add_address(
        self,
        data: JSONBody[AddressCreate],
        principal: NamedDependency[Principal],
        service: NamedDependency[CustomerService],
    ) -> AddressOut:
        return AddressOut.of(service.addresses.add(principal.customer_id, data.fields()))

    @get("/{address_id:str}", sync_to_thread=True, responses=problem_responses(400, 401, 404))
    def get_address(
        self,
        address_id: FromPath[str],
        principal: NamedDependency[Principal],
        service: NamedDependency[CustomerService],
    ) -> AddressOut:
        return AddressOut.of(service.addresses.get(principal.customer_id, _address_id(address_id)))

    @patch(
        "/{address_id:str}",
        sync_to_thread=True,
        responses=problem_responses(*BODY_ERRORS, 401, 404, 503),
        summary="Change some fields; isDefaultShipping/isDefaultBilling true moves that default here",
    )
    def update_address(
        self,
        address_id: FromPath[str],
        data: JSONBody[AddressPatch],
        principal: NamedDependency[Principal],
        service: NamedDependency[CustomerService],
    ) -> AddressOut:
        return AddressOut.of(service.addresses.update(principal.customer_id, _address_id(address_id), data.fields()))

    @delete(
        "/{address_id:str}",
        sync_to_thread=True,
        responses=problem_responses(400, 401, 404, 503),
        summary="Delete an address; deleting a default leaves that usage without one",
    )
    def delete_address(
        self,
        address_id: FromPath[str],
        principal: NamedDependency[Principal],
        service: NamedDependency[CustomerService],
    ) -> None:
        service.addresses.delete(principal.customer_id, _address_id(address_id))
