"""/api/v1/customers/auth: email verification, password reset and change, email change."""

from __future__ import annotations

from litestar import Controller, post
from litestar.di import NamedDependency, Provide
from litestar.params import JSONBody
from litestar.status_codes import HTTP_200_OK, HTTP_202_ACCEPTED, HTTP_204_NO_CONTENT

from customer_core import ClientInfo, CustomerService, Principal
from entrypoints.http.dependencies import AUTHENTICATED, BEARER, provide_client
from entrypoints.http.errors import BODY_ERRORS, problem_responses
from entrypoints.http.schemas import (
    Accepted,
    ChangePasswordRequest,
    CustomerOut,
    CustomerResponse,
    EmailChangeRequest,
    ForgotPasswordRequest,
    ResetPasswordRequest,
    TokenRequest,
)

RESET_REQUESTED = "If an account exists for this email, a link to reset its password is on its way."


class AccountController(Controller):
    path = "/api/v1/customers/auth"
    tags = ["account"]
    dependencies = {"client": Provide(provide_client, sync_to_thread=False)}

    @post(
        "/verify-email",
        sync_to_thread=True,
        status_code=HTTP_200_OK,
        responses=problem_responses(*BODY_ERRORS, 400, 503),
        summary="Verify the email address with the emailed token",
    )
    def verify_email(self, data: JSONBody[TokenRequest], service: NamedDependency[CustomerService]) -> CustomerResponse:
        return CustomerResponse(customer=CustomerOut.of(service.verify_email(data.token)))

    @post(
        "/verify-email/resend",
        sync_to_thread=True,
        status_code=HTTP_202_ACCEPTED,
        dependencies=AUTHENTICATED,
        security=BEARER,
        responses=problem_responses(401, 429, 503),
        summary="Send a fresh verification link; older links stop working",
    )
    def resend_verification(
        self, principal: NamedDependency[Principal], service: NamedDependency[CustomerService]
    ) -> Accepted:
        service.resend_verification(principal.customer_id)
        return Accepted(message="A verification link is on its way, unless the email is already verified.")

    @post(
        "/password/forgot",
        sync_to_thread=True,
        status_code=HTTP_202_ACCEPTED,
        responses=problem_responses(*BODY_ERRORS, 429, 503),
        summary="Email a password-reset link; the same answer whether or not the account exists",
    )
    def forgot_password(
        self,
        data: JSONBody[ForgotPasswordRequest],
        service: NamedDependency[CustomerService],
        client: NamedDependency[ClientInfo],
    ) -> Accepted:
        service.request_password_reset(data.email, client)
        return Accepted(message=RESET_REQUESTED)

    @post(
        "/password/reset",
        sync_to_thread=True,
        status_code=HTTP_204_NO_CONTENT,
        responses=problem_responses(*BODY_ERRORS, 503),
        summary="Set a new password with the emailed token; ends every session and lifts a lockout",
    )
    def reset_password(self, data: JSONBody[ResetPasswordRequest], service: NamedDependency[CustomerService]) -> None:
        service.reset_password(data.token, data.new_password)

    @post(
        "/password/change",
        sync_to_thread=True,
        status_code=HTTP_204_NO_CONTENT,
        dependencies=AUTHENTICATED,
        security=BEARER,
        responses=problem_responses(*BODY_ERRORS, 401, 403, 503),
        summary="Change the password; ends the other sessions",
    )
    def change_password(
        self,
        data: JSONBody[ChangePasswordRequest],
        principal: NamedDependency[Principal],
        service: NamedDependency[CustomerService],
    ) -> None:
        service.change_password(principal, data.current_password, data.new_password)

    @post(
        "/email/change",
        sync_to_thread=True,
        status_code=HTTP_202_ACCEPTED,
        dependencies=AUTHENTICATED,
        security=BEARER,
        responses=problem_responses(*BODY_ERRORS, 401, 403, 409, 503),
        summary="Ask to change the email; a link goes to the new address, a warning to the old",
    )
    def change_email(
        self,
        data: JSONBody[EmailChangeRequest],
        principal: NamedDependency[Principal],
        service: NamedDependency[CustomerService],
    ) -> Accepted:
        service.request_email_change(principal, data.new_email, data.password)
        return Accepted(message="A confirmation link is on its way to the new address.")

    @post(
        "/email/confirm",
        sync_to_thread=True,
        status_code=HTTP_200_OK,
        responses=problem_responses(*BODY_ERRORS, 400, 409, 503),
        summary="Switch to the new email with the emailed token",
    )
    def confirm_email(
        self, data: JSONBody[TokenRequest], service: NamedDependency[CustomerService]
    ) -> CustomerResponse:
        return CustomerResponse(customer=CustomerOut.of(service.confirm_email_change(data.token)))
