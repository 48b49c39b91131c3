"""/api/v1/customers/me: one's own profile, preferences and phone
verification, and erasing the account."""

from __future__ import annotations

from typing import Any

from litestar import Controller, Request, delete, get, patch, post
from litestar.params import JSONBody
from litestar.status_codes import HTTP_200_OK, HTTP_202_ACCEPTED, HTTP_204_NO_CONTENT

from customer_core import Customer, CustomerService, PreferenceChanges, Preferences, Principal, ProfileChanges
from customer_core.errors import (
    DependencyUnavailable,
    InvalidProfileImage,
    NoPhone,
    Overloaded,
    PhoneCodeInvalid,
    RateLimited,
    Unauthenticated,
    ValidationFailed,
    WrongPassword,
)
from customer_core.use_cases.phone_verification import PhoneCodeEntry
from customer_core.use_cases.privacy import AccountDeletion
from entrypoints.http.account import Accepted
from entrypoints.http.admission import HASHES_PASSWORDS
from entrypoints.http.dependencies import AUTHENTICATED, BEARER, Injected, bearer_token
from entrypoints.http.errors import BODY, answers


class ProfileController(Controller):
    path = "/me"
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

    @post(
        "/phone/verify",
        sync_to_thread=True,
        status_code=HTTP_202_ACCEPTED,
        responses=answers(Unauthenticated, NoPhone, RateLimited, DependencyUnavailable),
        summary="Send a 6-digit code by SMS to the profile's phone",
        description=(
            "The code is valid 10 minutes and 5 tries; a new one makes older ones useless. At most one a"
            " minute and 5 an hour (429 with Retry-After). Nothing is sent to a phone already verified."
        ),
        **AUTHENTICATED,
    )
    def verify_phone(self, principal: Injected[Principal], service: Injected[CustomerService]) -> Accepted:
        service.send_phone_code(principal.customer_id)
        return Accepted("A code is on its way to your phone, unless it is already verified.")

    @post(
        "/phone/confirm",
        sync_to_thread=True,
        status_code=HTTP_200_OK,
        responses=answers(*BODY, PhoneCodeInvalid, Unauthenticated, DependencyUnavailable),
        summary="Verify the profile's phone with the code sent to it",
        description=(
            "A wrong, expired, used or exhausted code, another customer's, or one sent to a number the"
            " profile no longer has: 400 TOKEN_INVALID. Each try counts, the right one too; after 5 the"
            " code is dead. A code that is not 6 digits is 422 and costs no try."
        ),
        **AUTHENTICATED,
    )
    def confirm_phone(
        self, data: JSONBody[PhoneCodeEntry], principal: Injected[Principal], service: Injected[CustomerService]
    ) -> Customer:
        return service.confirm_phone(principal, data)

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
