"""POST /api/v1/customers/oauth/token: the client-credentials grant of
OAuth 2.0 (RFC 6749 §4.4), for service clients. Its errors are RFC 6749
§5.2 objects (``error``, ``error_description``), which also carry the
members of problem details."""

from __future__ import annotations

import base64
import dataclasses
import http
from typing import Any
from urllib.parse import parse_qsl, unquote_plus

from litestar import Request, Response, post
from litestar.concurrency import sync_to_thread
from litestar.openapi import ResponseSpec

from customer_core import CustomerService
from customer_core.clients import ClientToken, scope_text
from customer_core.errors import InvalidClient, InvalidScope
from entrypoints.http.edge_headers import current_request_id

TOKEN_PATH = "/oauth/token"  # under the API base path
FORM = "application/x-www-form-urlencoded"


@dataclasses.dataclass
class TokenAnswer:
    access_token: str
    token_type: str
    expires_in: int
    scope: str


@dataclasses.dataclass
class OAuthErrorAnswer:
    """RFC 6749 §5.2, with the members of problem details besides."""

    error: str
    error_description: str
    type: str
    title: str
    status: int
    detail: str
    code: str
    requestId: str  # noqa: N815 - as problem details name it


class OAuthError(Exception):
    """An RFC 6749 §5.2 error: ``error`` is its code."""

    def __init__(self, error: str, description: str, status: int = 400) -> None:
        super().__init__(description)
        self.error, self.description, self.status = error, description, status


def oauth_error_answer(error: OAuthError) -> Response[OAuthErrorAnswer]:
    body = OAuthErrorAnswer(
        error=error.error,
        error_description=error.description,
        type="about:blank",
        title=http.HTTPStatus(error.status).phrase,
        status=error.status,
        detail=error.description,
        code=error.error.upper(),
        requestId=current_request_id(),
    )
    headers = {"WWW-Authenticate": 'Basic realm="customer-service"'} if error.status == 401 else {}
    return Response(body, status_code=error.status, media_type="application/json", headers=headers)


def _form(body: bytes, content_type: str) -> dict[str, str]:
    if content_type.split(";")[0].strip().lower() != FORM:
        raise OAuthError("invalid_request", f"The request body must be {FORM}")
    try:
        pairs = parse_qsl(body.decode("utf-8"), keep_blank_values=True, strict_parsing=bool(body), errors="strict")
    except ValueError:  # not UTF-8, or not name=value pairs
        raise OAuthError("invalid_request", "The request body is not a valid form") from None
    form = dict(pairs)
    if len(form) != len(pairs):
        raise OAuthError("invalid_request", "A parameter is given more than once")
    return form


def _basic_credentials(authorization: str) -> tuple[str, str] | None:
    """RFC 6749 §2.3.1: form-encoded id and secret in HTTP Basic."""
    scheme, _, encoded = authorization.partition(" ")
    if not authorization:
        return None
    if scheme.lower() != "basic":
        raise OAuthError("invalid_client", "Authenticate the client with HTTP Basic or in the form", 401)
    try:
        client_id, colon, secret = base64.b64decode(encoded.strip(), validate=True).decode("utf-8").partition(":")
    except ValueError:  # not base64 (binascii.Error), not ASCII, not UTF-8 (UnicodeDecodeError)
        raise OAuthError("invalid_client", "The Basic credentials are malformed", 401) from None
    if not colon:
        raise OAuthError("invalid_client", "The Basic credentials are malformed", 401)
    return unquote_plus(client_id), unquote_plus(secret)


def token_request(body: bytes, content_type: str, authorization: str) -> tuple[str, str, frozenset[str] | None]:
    """Client id, secret and the scopes asked for (None: all the client has)."""
    form = _form(body, content_type)
    grant_type = form.pop("grant_type", None)
    if not grant_type:
        raise OAuthError("invalid_request", "grant_type is required")
    if grant_type != "client_credentials":
        raise OAuthError("unsupported_grant_type", "Only the client_credentials grant is supported")
    in_header = _basic_credentials(authorization)
    in_form = form.pop("client_id", None), form.pop("client_secret", None)
    if in_header and any(in_form):
        raise OAuthError("invalid_request", "Give the client credentials once: in HTTP Basic or in the form")
    client_id, secret = in_header or in_form
    if not client_id or not secret:
        raise OAuthError("invalid_client", "Client credentials are required", 401)
    scope = form.pop("scope", "")
    return client_id, secret, frozenset(name for name in scope.split(" ") if name) or None  # RFC 6749 §3.3


@post(
    TOKEN_PATH,
    status_code=200,
    tags=["internal"],
    responses={
        status: ResponseSpec(data_container=OAuthErrorAnswer, description=description, generate_examples=False)
        for status, description in ((400, "Bad Request: RFC 6749 §5.2 error"), (401, "Unauthorized: invalid_client"))
    },
    summary="A token for a service client (OAuth 2.0 client credentials, RFC 6749 §4.4)",
    description=(
        "Form-encoded body: `grant_type=client_credentials`, optional `scope` (space-separated), and the "
        "client's credentials in HTTP Basic or as `client_id` and `client_secret`. Errors are RFC 6749 §5.2 "
        "objects: `invalid_request`, `unsupported_grant_type` (400), `invalid_client` (401), `invalid_scope` (400)."
    ),
)
async def issue_token(request: Request[Any, Any, Any]) -> Response[TokenAnswer]:
    service: CustomerService = request.app.state.service
    body = await request.body()
    client_id, secret, scopes = token_request(
        body, request.headers.get("content-type", ""), request.headers.get("authorization", "")
    )
    try:
        token: ClientToken = await sync_to_thread(service.issue_client_token, client_id, secret, scopes)
    except InvalidClient as error:
        raise OAuthError("invalid_client", error.detail, 401) from None
    except InvalidScope as error:
        raise OAuthError("invalid_scope", error.detail) from None
    answer = TokenAnswer(
        access_token=token.access_token,
        token_type="Bearer",
        expires_in=token.expires_in,
        scope=scope_text(token.scopes),
    )
    return Response(answer, headers={"Pragma": "no-cache"})
