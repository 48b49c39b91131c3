"""/api/v1/customers/me: one's own profile and preferences, and erasing the account."""

from __future__ import annotations

from typing import Any

from litestar import Controller, Request, delete, get, patch
from litestar.params import JSONBody
from litestar.status_codes import HTTP_204_NO_CONTENT

from customer_core import Customer, CustomerService, PreferenceChanges, Preferences, Principal, ProfileChanges
from customer_core.errors import (
    DependencyUnavailable,
    InvalidProfileImage,
    Overloaded,
    Unauthenticated,
    ValidationFailed,
    WrongPassword,
)
from customer_core.use_cases.privacy import AccountDeletion
from entrypoints.http.admission import HASHES_PASSWORDS
from entrypoints.http.dependencies import AUTHENTICATED, BEARER, Injected, bearer_token
from entrypoints.http.errors import BODY, answers


class ProfileController(Controller):
    path = "/api/v1/customers/me"
    tags = ["profile"]

    # The hottest read checks the token and reads session and account in one
    # go, in its own thread, rather than through the guard.
    @get(
        "",
        sync_to_thread=True,
        responses=answers(Unauthenticated),
        summary="The authenticated customer",
        security=BEARER,
    )
    def me(self, request: Request[Any, Any, Any], service: Injected[CustomerService]) -> Customer:
        customer = service.authenticate.customer(bearer_token(request))
        request.state.customer_id = customer.id  # for the access log
        return customer

    @patch(
        "",
        sync_to_thread=True,
        responses=answers(*BODY, ValidationFailed, InvalidProfileImage, Unauthenticated, DependencyUnavailable),
        summary="Change profile fields; null clears an optional one",
        **AUTHENTICATED,
    )
    def update_me(
        self,
        data: JSONBody[ProfileChanges],
        principal: Injected[Principal],
        service: Injected[CustomerService],
    ) -> Customer:
        return service.update_profile(principal, data)

    @get("/preferences", sync_to_thread=True, responses=answers(Unauthenticated), **AUTHENTICATED)
    def preferences(self, principal: Injected[Principal], service: Injected[CustomerService]) -> Preferences:
        return service.get_preferences(principal.customer_id)

    @patch(
        "/preferences",
        sync_to_thread=True,
        responses=answers(*BODY, ValidationFailed, Unauthenticated),
        **AUTHENTICATED,
    )
    def update_preferences(
        self,
        data: JSONBody[PreferenceChanges],
        principal: Injected[Principal],
        service: Injected[CustomerService],
    ) -> Preferences:
        return service.update_preferences(principal, data)

    @delete(
        "",
        sync_to_thread=True,
        status_code=HTTP_204_NO_CONTENT,
        responses=answers(*BODY, Unauthenticated, WrongPassword, Overloaded, DependencyUnavailable),
        summary="Erase one's account and personal data, with the password (GDPR article 17)",
        **AUTHENTICATED,
        **HASHES_PASSWORDS,
    )
    def erase(
        self, data: JSONBody[AccountDeletion], principal: Injected[Principal], service: Injected[CustomerService]
    ) -> None:
        service.delete_account(principal, data)
