"""/api/v1/customers/auth: registration, login and sessions."""

from __future__ import annotations

import attrs
from litestar import Controller, delete, get, post
from litestar.di import Provide
from litestar.params import FromPath, JSONBody
from litestar.status_codes import HTTP_200_OK, HTTP_204_NO_CONTENT

from customer_core import ClientInfo, Credentials, CustomerService, NotFound, Principal, Registration, TokenPair
from customer_core.errors import (
    AccountDisabled,
    DependencyUnavailable,
    EmailNotVerified,
    EmailTaken,
    InvalidCredentials,
    Overloaded,
    RateLimited,
    TokenInvalid,
    Unauthenticated,
    ValidationFailed,
)
from customer_core.sessions import SessionView
from customer_core.use_cases.login import LoggedIn
from customer_core.use_cases.registration import Registered
from customer_core.use_cases.sessions import RefreshRequest
from entrypoints.http.admission import HASHES_PASSWORDS
from entrypoints.http.dependencies import AUTHENTICATED, Injected, path_id, provide_client
from entrypoints.http.errors import BODY, answers


@attrs.frozen
class Refreshed:
    tokens: TokenPair


@attrs.frozen
class Sessions:
    items: list[SessionView]


class AuthController(Controller):
    path = "/auth"
    tags = ["auth"]
    dependencies = {"client": Provide(provide_client, sync_to_thread=False)}

    @post(
        "/register",
        sync_to_thread=True,
        responses=answers(*BODY, ValidationFailed, EmailTaken, RateLimited, Overloaded, DependencyUnavailable),
        summary="Create an account and log in",
        **HASHES_PASSWORDS,
    )
    def register(
        self,
        data: JSONBody[Registration],
        service: Injected[CustomerService],
        client: Injected[ClientInfo],
    ) -> Registered:
        return service.register(data, client)

    @post(
        "/login",
        sync_to_thread=True,
        status_code=HTTP_200_OK,
        responses=answers(
            *BODY, InvalidCredentials, AccountDisabled, EmailNotVerified, RateLimited, Overloaded, DependencyUnavailable
        ),
        summary="Log in with email and password",
        **HASHES_PASSWORDS,
    )
    def login(
        self,
        data: JSONBody[Credentials],
        service: Injected[CustomerService],
        client: Injected[ClientInfo],
    ) -> LoggedIn:
        return service.login(data, client)

    @post(
        "/refresh",
        sync_to_thread=True,
        status_code=HTTP_200_OK,
        responses=answers(*BODY, TokenInvalid, DependencyUnavailable),
        summary="Trade a refresh token for new tokens",
    )
    def refresh(
        self, data: JSONBody[RefreshRequest], service: Injected[CustomerService], client: Injected[ClientInfo]
    ) -> Refreshed:
        return Refreshed(service.refresh(data, client))

    @post(
        "/logout",
        sync_to_thread=True,
        status_code=HTTP_204_NO_CONTENT,
        responses=answers(Unauthenticated),
        **AUTHENTICATED,
    )
    def logout(self, principal: Injected[Principal], service: Injected[CustomerService]) -> None:
        """End the current session; its access and refresh tokens stop working at once."""
        service.logout(principal)

    @post(
        "/logout-all",
        sync_to_thread=True,
        status_code=HTTP_204_NO_CONTENT,
        responses=answers(Unauthenticated),
        **AUTHENTICATED,
    )
    def logout_all(self, principal: Injected[Principal], service: Injected[CustomerService]) -> None:
        """End every session of this customer, the current one included."""
        service.logout_all(principal)

    @get(
        "/sessions",
        sync_to_thread=True,
        responses=answers(Unauthenticated),
        summary="List active sessions",
        **AUTHENTICATED,
    )
    def sessions(self, principal: Injected[Principal], service: Injected[CustomerService]) -> Sessions:
        return Sessions(service.list_sessions(principal))

    @delete(
        "/sessions/{session_id:str}",
        sync_to_thread=True,
        responses=answers(400, Unauthenticated, NotFound),
        summary="End one session",
        **AUTHENTICATED,
    )
    def revoke_session(
        self,
        session_id: FromPath[str],
        principal: Injected[Principal],
        service: Injected[CustomerService],
    ) -> None:
        service.revoke_session(principal, path_id(session_id, NotFound("Session not found")))
