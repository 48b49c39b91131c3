"""/api/v1/customers/auth: registration, login and sessions."""

from __future__ import annotations

from litestar import Controller, delete, get, post
from litestar.di import NamedDependency, Provide
from litestar.params import FromPath, JSONBody
from litestar.status_codes import HTTP_200_OK, HTTP_204_NO_CONTENT

from customer_core import ClientInfo, CustomerService, NotFound, Principal, Registration
from entrypoints.http.dependencies import AUTHENTICATED, BEARER, provide_client
from entrypoints.http.errors import BODY_ERRORS, problem_responses
from entrypoints.http.ids import require_object_id
from entrypoints.http.schemas import (
    CustomerOut,
    CustomerWithTokens,
    LoginRequest,
    RefreshRequest,
    RegisterRequest,
    SessionList,
    SessionOut,
    TokensOut,
    TokensResponse,
)


class AuthController(Controller):
    path = "/api/v1/customers/auth"
    tags = ["auth"]
    dependencies = {"client": Provide(provide_client, sync_to_thread=False)}

    @post(
        "/register",
        sync_to_thread=True,
        responses=problem_responses(*BODY_ERRORS, 409, 503),
        summary="Create an account and log in",
    )
    def register(
        self,
        data: JSONBody[RegisterRequest],
        service: NamedDependency[CustomerService],
        client: NamedDependency[ClientInfo],
    ) -> CustomerWithTokens:
        registration = Registration(
            email=data.email,
            password=data.password,
            first_name=data.first_name,
            last_name=data.last_name,
            phone=data.phone,
            date_of_birth=data.date_of_birth,
            gender=data.gender,
            preferences=data.preferences.changes() if data.preferences else {},
        )
        registered = service.register(registration, client)
        return CustomerWithTokens(customer=CustomerOut.of(registered.customer), tokens=TokensOut.of(registered.tokens))

    @post(
        "/login",
        sync_to_thread=True,
        status_code=HTTP_200_OK,
        responses=problem_responses(*BODY_ERRORS, 401, 403, 429, 503),
        summary="Log in with email and password",
    )
    def login(
        self,
        data: JSONBody[LoginRequest],
        service: NamedDependency[CustomerService],
        client: NamedDependency[ClientInfo],
    ) -> CustomerWithTokens:
        logged_in = service.login(data.email, data.password, client)
        return CustomerWithTokens(customer=CustomerOut.of(logged_in.customer), tokens=TokensOut.of(logged_in.tokens))

    @post(
        "/refresh",
        sync_to_thread=True,
        status_code=HTTP_200_OK,
        responses=problem_responses(*BODY_ERRORS, 401, 503),
        summary="Trade a refresh token for new tokens",
    )
    def refresh(self, data: JSONBody[RefreshRequest], service: NamedDependency[CustomerService]) -> TokensResponse:
        return TokensResponse(tokens=TokensOut.of(service.refresh(data.refresh_token)))

    @post(
        "/logout",
        sync_to_thread=True,
        status_code=HTTP_204_NO_CONTENT,
        dependencies=AUTHENTICATED,
        security=BEARER,
        responses=problem_responses(401),
    )
    def logout(self, principal: NamedDependency[Principal], service: NamedDependency[CustomerService]) -> None:
        """End the current session; its access and refresh tokens stop working at once."""
        service.logout(principal)

    @post(
        "/logout-all",
        sync_to_thread=True,
        status_code=HTTP_204_NO_CONTENT,
        dependencies=AUTHENTICATED,
        security=BEARER,
        responses=problem_responses(401),
    )
    def logout_all(self, principal: NamedDependency[Principal], service: NamedDependency[CustomerService]) -> None:
        """End every session of this customer, the current one included."""
        service.logout_all(principal.customer_id)

    @get(
        "/sessions",
        sync_to_thread=True,
        dependencies=AUTHENTICATED,
        security=BEARER,
        responses=problem_responses(401),
        summary="List active sessions",
    )
    def sessions(self, principal: NamedDependency[Principal], service: NamedDependency[CustomerService]) -> SessionList:
        return SessionList(items=[SessionOut.of(view) for view in service.list_sessions(principal)])

    @delete(
        "/sessions/{session_id:str}",
        sync_to_thread=True,
        dependencies=AUTHENTICATED,
        security=BEARER,
        responses=problem_responses(400, 401, 404),
        summary="End one session",
    )
    def revoke_session(
        self,
        session_id: FromPath[str],
        principal: NamedDependency[Principal],
        service: NamedDependency[CustomerService],
    ) -> None:
        service.revoke_session(principal.customer_id, require_object_id(session_id, NotFound("Session not found")))
