"""/api/v1/customers/auth: email verification, password reset and change, email change."""

from __future__ import annotations

import attrs
from litestar import Controller, post
from litestar.di import Provide
from litestar.params import JSONBody
from litestar.status_codes import HTTP_200_OK, HTTP_202_ACCEPTED, HTTP_204_NO_CONTENT

from customer_core import ClientInfo, Customer, CustomerService, Principal
from customer_core.errors import (
    DependencyUnavailable,
    EmailedTokenInvalid,
    EmailTaken,
    Overloaded,
    RateLimited,
    Unauthenticated,
    ValidationFailed,
    WrongPassword,
)
from customer_core.use_cases.email_change import EmailChange
from customer_core.use_cases.emailed_tokens import TokenRedemption
from customer_core.use_cases.passwords import PasswordChange, PasswordReset, ResetRequest
from entrypoints.http.admission import HASHES_PASSWORDS
from entrypoints.http.dependencies import AUTHENTICATED, Injected, provide_client
from entrypoints.http.errors import BODY, answers

RESET_REQUESTED = "If an account exists for this email, a link to reset its password is on its way."


@attrs.frozen
class Accepted:
    message: str


@attrs.frozen
class CustomerEnvelope:
    customer: Customer


class AccountController(Controller):
    path = "/auth"
    tags = ["account"]
    dependencies = {"client": Provide(provide_client, sync_to_thread=False)}

    @post(
        "/verify-email",
        sync_to_thread=True,
        status_code=HTTP_200_OK,
        responses=answers(*BODY, EmailedTokenInvalid, DependencyUnavailable),
        summary="Verify the email address with the emailed token",
    )
    def verify_email(
        self, data: JSONBody[TokenRedemption], service: Injected[CustomerService], client: Injected[ClientInfo]
    ) -> CustomerEnvelope:
        return CustomerEnvelope(service.verify_email(data, client))

    @post(
        "/verify-email/resend",
        sync_to_thread=True,
        status_code=HTTP_202_ACCEPTED,
        responses=answers(Unauthenticated, RateLimited, DependencyUnavailable),
        summary="Send a fresh verification link; older links stop working",
        **AUTHENTICATED,
    )
    def resend_verification(self, principal: Injected[Principal], service: Injected[CustomerService]) -> Accepted:
        service.resend_verification(principal.customer_id)
        return Accepted("A verification link is on its way, unless the email is already verified.")

    @post(
        "/password/forgot",
        sync_to_thread=True,
        status_code=HTTP_202_ACCEPTED,
        responses=answers(*BODY, RateLimited, DependencyUnavailable),
        summary="Email a password-reset link; the same answer whether or not the account exists",
    )
    def forgot_password(
        self,
        data: JSONBody[ResetRequest],
        service: Injected[CustomerService],
        client: Injected[ClientInfo],
    ) -> Accepted:
        service.request_password_reset(data, client)
        return Accepted(RESET_REQUESTED)

    @post(
        "/password/reset",
        sync_to_thread=True,
        status_code=HTTP_204_NO_CONTENT,
        responses=answers(*BODY, ValidationFailed, EmailedTokenInvalid, Overloaded, DependencyUnavailable),
        summary="Set a new password with the emailed token; ends every session and lifts a lockout",
        **HASHES_PASSWORDS,
    )
    def reset_password(
        self, data: JSONBody[PasswordReset], service: Injected[CustomerService], client: Injected[ClientInfo]
    ) -> None:
        service.reset_password(data, client)

    @post(
        "/password/change",
        sync_to_thread=True,
        status_code=HTTP_204_NO_CONTENT,
        responses=answers(*BODY, ValidationFailed, Unauthenticated, WrongPassword, Overloaded, DependencyUnavailable),
        summary="Change the password; ends the other sessions",
        **AUTHENTICATED,
        **HASHES_PASSWORDS,
    )
    def change_password(
        self,
        data: JSONBody[PasswordChange],
        principal: Injected[Principal],
        service: Injected[CustomerService],
    ) -> None:
        service.change_password(principal, data)

    @post(
        "/email/change",
        sync_to_thread=True,
        status_code=HTTP_202_ACCEPTED,
        responses=answers(
            *BODY,
            ValidationFailed,
            Unauthenticated,
            WrongPassword,
            EmailTaken,
            RateLimited,
            Overloaded,
            DependencyUnavailable,
        ),
        summary="Ask to change the email; a link goes to the new address, a warning to the old",
        **AUTHENTICATED,
        **HASHES_PASSWORDS,
    )
    def change_email(
        self,
        data: JSONBody[EmailChange],
        principal: Injected[Principal],
        service: Injected[CustomerService],
    ) -> Accepted:
        service.request_email_change(principal, data)
        return Accepted("A confirmation link is on its way to the new address.")

    @post(
        "/email/confirm",
        sync_to_thread=True,
        status_code=HTTP_200_OK,
        responses=answers(*BODY, EmailedTokenInvalid, EmailTaken, DependencyUnavailable),
        summary="Switch to the new email with the emailed token",
    )
    def confirm_email(
        self, data: JSONBody[TokenRedemption], service: Injected[CustomerService], client: Injected[ClientInfo]
    ) -> CustomerEnvelope:
        return CustomerEnvelope(service.confirm_email_change(data, client))
