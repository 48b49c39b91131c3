"""Every error response is RFC 9457 problem details with a stable ``code``.
One table maps domain errors to HTTP; each route lists the errors it may
answer with, and the OpenAPI document shows exactly those."""

from __future__ import annotations

import http
import logging
from collections import defaultdict

import attrs
from litestar import MediaType, Request, Response
from litestar.exceptions import HTTPException, ValidationException
from litestar.openapi import ResponseSpec

from customer_core.errors import (
    AccountDisabled,
    AddressLimitReached,
    ConcurrentUpdate,
    DependencyUnavailable,
    DomainError,
    EmailedTokenInvalid,
    EmailNotVerified,
    EmailTaken,
    FieldError,
    Forbidden,
    InsufficientScope,
    InvalidCredentials,
    InvalidProfileImage,
    NoPhone,
    NotFound,
    OrderConflict,
    Overloaded,
    PhoneCodeInvalid,
    RateLimited,
    TokenInvalid,
    Unauthenticated,
    ValidationFailed,
    WrongPassword,
)
from customer_core.values import UNSET, Unset
from entrypoints.http.edge_headers import current_request_id
from entrypoints.shapes import BodyInvalid, BodyNotJson, path, to_json

logger = logging.getLogger("customer_service.http")

PROBLEM_JSON = "application/problem+json"

# What each error answers: status and code. Domain errors by class (the
# most specific entry wins), the framework's own answers by status.
ERRORS: dict[type[Exception] | int, tuple[int, str]] = {
    InvalidProfileImage: (422, "INVALID_PROFILE_IMAGE"),  # before ValidationFailed, which it is
    ValidationFailed: (422, "VALIDATION_ERROR"),
    BodyInvalid: (422, "VALIDATION_ERROR"),
    BodyNotJson: (400, "BAD_REQUEST"),
    EmailTaken: (409, "EMAIL_TAKEN"),
    InvalidCredentials: (401, "INVALID_CREDENTIALS"),
    AccountDisabled: (403, "ACCOUNT_DISABLED"),
    TokenInvalid: (401, "TOKEN_INVALID"),
    Unauthenticated: (401, "UNAUTHENTICATED"),
    NotFound: (404, "NOT_FOUND"),
    DependencyUnavailable: (503, "DEPENDENCY_UNAVAILABLE"),
    EmailedTokenInvalid: (400, "TOKEN_INVALID"),
    PhoneCodeInvalid: (400, "TOKEN_INVALID"),
    NoPhone: (409, "NO_PHONE"),
    WrongPassword: (403, "INVALID_CREDENTIALS"),
    EmailNotVerified: (403, "EMAIL_NOT_VERIFIED"),
    RateLimited: (429, "RATE_LIMITED"),
    AddressLimitReached: (409, "ADDRESS_LIMIT"),
    Overloaded: (503, "OVERLOADED"),
    ConcurrentUpdate: (409, "CONFLICT"),
    OrderConflict: (409, "CONFLICT"),
    Forbidden: (403, "FORBIDDEN"),
    InsufficientScope: (403, "INSUFFICIENT_SCOPE"),
    400: (400, "BAD_REQUEST"),
    401: (401, "UNAUTHENTICATED"),
    403: (403, "FORBIDDEN"),
    404: (404, "NOT_FOUND"),
    405: (405, "METHOD_NOT_ALLOWED"),
    413: (413, "PAYLOAD_TOO_LARGE"),
    415: (415, "UNSUPPORTED_MEDIA_TYPE"),
    429: (429, "RATE_LIMITED"),
    503: (503, "DEPENDENCY_UNAVAILABLE"),
}

_HTTP_DETAILS = {
    400: "Request body is not valid JSON",
    404: "No such resource",
    405: "Method not allowed on this resource",
    413: "Request body is larger than 64 KiB",
    415: "Request body must be JSON (Content-Type: application/json)",
}

# What a route with a JSON body may answer besides its own errors.
BODY = (BodyNotJson, BodyInvalid, 413, 415)


@attrs.frozen(kw_only=True)
class Problem:
    type: str = "about:blank"
    title: str
    status: int
    detail: str
    code: str
    request_id: str
    errors: list[FieldError] | Unset = UNSET


def problem(
    status: int,
    code: str,
    detail: str,
    *,
    errors: list[FieldError] | None = None,
    headers: dict[str, str] | None = None,
) -> Response[object]:
    body = Problem(
        title=http.HTTPStatus(status).phrase,
        status=status,
        detail=detail,
        code=code,
        request_id=current_request_id(),
        errors=errors if errors is not None else UNSET,
    )
    if status == 401:
        headers = {"WWW-Authenticate": 'Bearer realm="customer-service"', **(headers or {})}
    return Response(to_json(body), status_code=status, media_type=PROBLEM_JSON, headers=headers)


def domain_error_handler(_: Request, error: DomainError) -> Response[object]:
    status, code = next(
        (mapped for cls, mapped in ERRORS.items() if isinstance(cls, type) and isinstance(error, cls)),
        (400, "BAD_REQUEST"),
    )
    errors = (
        [FieldError(path(e.field), e.message) for e in error.errors] if isinstance(error, ValidationFailed) else None
    )
    headers = {"Retry-After": str(error.retry_after_seconds)} if isinstance(error, RateLimited | Overloaded) else None
    if isinstance(error, InsufficientScope):  # RFC 6750 §3.1
        headers = {
            "WWW-Authenticate": f'Bearer realm="customer-service", error="insufficient_scope", scope="{error.scope}"'
        }
    return problem(status, code, error.detail, errors=errors, headers=headers)


def body_invalid_handler(_: Request, error: BodyInvalid) -> Response[object]:
    return problem(422, "VALIDATION_ERROR", "Request body is invalid", errors=error.errors)


def body_not_json_handler(_: Request, error: BodyNotJson) -> Response[object]:
    return problem(400, "BAD_REQUEST", _HTTP_DETAILS[400])


def http_error_handler(_: Request, error: HTTPException) -> Response[object]:
    status = error.status_code
    if isinstance(error, ValidationException):  # Litestar's own checks of parameters
        extra = error.extra if isinstance(error.extra, list) else []
        errors = [FieldError(str(e["key"]), str(e["message"])) for e in extra if isinstance(e, dict) and "key" in e]
        return problem(400, "BAD_REQUEST", "Request is invalid", errors=errors or None)
    return http_error_answer(status, error.headers)


def http_error_answer(status: int, headers: dict[str, str] | None = None) -> Response[object]:
    code = ERRORS.get(status, (status, "BAD_REQUEST" if status < 500 else "INTERNAL_ERROR"))[1]
    detail = _HTTP_DETAILS.get(status) or http.HTTPStatus(status).phrase
    return problem(status, code, detail, headers=headers)


def no_html_errors(response: Response[object]) -> Response[object]:
    """An ``after_request`` hook: Litestar answers an unknown path under
    /schema/ with an HTML page; it gets problem details like any error."""
    status = response.status_code or 200
    if status >= 400 and response.media_type == MediaType.HTML:
        return http_error_answer(status)
    return response


def unexpected_error_handler(_: Request, error: Exception) -> Response[object]:
    logger.exception("unhandled error", exc_info=error)
    return problem(500, "INTERNAL_ERROR", "Something went wrong on our side; it has been logged")


EXCEPTION_HANDLERS = {
    DomainError: domain_error_handler,
    BodyInvalid: body_invalid_handler,
    BodyNotJson: body_not_json_handler,
    HTTPException: http_error_handler,
    Exception: unexpected_error_handler,
}


def answers(*causes: type[Exception] | int) -> dict[int, ResponseSpec]:
    """OpenAPI entries for the errors a route may answer with, each with
    the codes it may carry."""
    codes: dict[int, set[str]] = defaultdict(set)
    for cause in causes:
        status, code = ERRORS[cause]
        codes[status].add(code)
    return {
        status: ResponseSpec(
            data_container=Problem,
            media_type=PROBLEM_JSON,
            description=f"{http.HTTPStatus(status).phrase}: {', '.join(sorted(codes[status]))}",
            generate_examples=False,
        )
        for status in sorted(codes)
    }
