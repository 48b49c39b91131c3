"""/api/v1/customers/me: one's own profile and preferences, and erasing the account."""

from __future__ import annotations

from litestar import Controller, delete, get, patch
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
from entrypoints.http.dependencies import AUTHENTICATED, Injected
from entrypoints.http.errors import BODY, answers


class ProfileController(Controller):
    path = "/api/v1/customers/me"
    tags = ["profile"]
    guards = AUTHENTICATED["guards"]
    dependencies = AUTHENTICATED["dependencies"]
    security = AUTHENTICATED["security"]

    @get("", sync_to_thread=True, responses=answers(Unauthenticated), summary="The authenticated customer")
    def me(self, principal: Injected[Principal], service: Injected[CustomerService]) -> Customer:
        return service.get_profile(principal.customer_id)

    @patch(
        "",
        sync_to_thread=True,
        responses=answers(*BODY, ValidationFailed, InvalidProfileImage, Unauthenticated, DependencyUnavailable),
        summary="Change profile fields; null clears an optional one",
    )
    def update_me(
        self,
        data: JSONBody[ProfileChanges],
        principal: Injected[Principal],
        service: Injected[CustomerService],
    ) -> Customer:
        return service.update_profile(principal, data)

    @get("/preferences", sync_to_thread=True, responses=answers(Unauthenticated))
    def preferences(self, principal: Injected[Principal], service: Injected[CustomerService]) -> Preferences:
        return service.get_preferences(principal.customer_id)

    @patch("/preferences", sync_to_thread=True, responses=answers(*BODY, ValidationFailed, Unauthenticated))
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
        **HASHES_PASSWORDS,
    )
    def erase(
        self, data: JSONBody[AccountDeletion], principal: Injected[Principal], service: Injected[CustomerService]
    ) -> None:
        service.delete_account(principal, data)
