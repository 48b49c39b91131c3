"""Every error response is RFC 9457 problem details with a stable ``code``.
One table maps domain errors to HTTP; one maps the framework's own errors."""

from __future__ import annotations

import http
import logging
import re

import msgspec
from litestar import Request, Response
from litestar.exceptions import HTTPException, ValidationException
from litestar.openapi import ResponseSpec

from customer_core.errors import (
    AccountDisabled,
    ActionTokenInvalid,
    AddressLimitReached,
    ConcurrentUpdate,
    DependencyUnavailable,
    DomainError,
    EmailNotVerified,
    EmailTaken,
    InvalidCredentials,
    NotFound,
    RateLimited,
    TokenInvalid,
    Unauthenticated,
    ValidationFailed,
    WrongPassword,
)
from entrypoints.http.request_id import current_request_id
from entrypoints.http.schemas import FieldProblem, Problem

logger = logging.getLogger("customer_service.http")

PROBLEM_JSON = "application/problem+json"

DOMAIN_ERRORS: dict[type[DomainError], tuple[int, str]] = {
    ValidationFailed: (422, "VALIDATION_ERROR"),
    EmailTaken: (409, "EMAIL_TAKEN"),
    InvalidCredentials: (401, "INVALID_CREDENTIALS"),
    AccountDisabled: (403, "ACCOUNT_DISABLED"),
    TokenInvalid: (401, "TOKEN_INVALID"),
    Unauthenticated: (401, "UNAUTHENTICATED"),
    NotFound: (404, "NOT_FOUND"),
    DependencyUnavailable: (503, "DEPENDENCY_UNAVAILABLE"),
    ActionTokenInvalid: (400, "TOKEN_INVALID"),
    WrongPassword: (403, "INVALID_CREDENTIALS"),
    EmailNotVerified: (403, "EMAIL_NOT_VERIFIED"),
    RateLimited: (429, "RATE_LIMITED"),
    AddressLimitReached: (409, "ADDRESS_LIMIT"),
    ConcurrentUpdate: (409, "CONFLICT"),
}

HTTP_ERRORS: dict[int, str] = {
    400: "BAD_REQUEST",
    401: "UNAUTHENTICATED",
    403: "FORBIDDEN",
    404: "NOT_FOUND",
    405: "METHOD_NOT_ALLOWED",
    413: "PAYLOAD_TOO_LARGE",
    415: "UNSUPPORTED_MEDIA_TYPE",
    422: "VALIDATION_ERROR",
    429: "RATE_LIMITED",
    503: "DEPENDENCY_UNAVAILABLE",
}

_HTTP_DETAILS = {
    400: "Request body is not valid JSON",
    404: "No such resource",
    405: "Method not allowed on this resource",
    413: "Request body is larger than 64 KiB",
    415: "Request body must be JSON (Content-Type: application/json)",
}


def problem(
    status: int,
    code: str,
    detail: str,
    *,
    errors: list[FieldProblem] | None = None,
    headers: dict[str, str] | None = None,
) -> Response[Problem]:
    body = Problem(
        type="about:blank",
        title=http.HTTPStatus(status).phrase,
        status=status,
        detail=detail,
        code=code,
        request_id=current_request_id(),
        errors=errors if errors is not None else msgspec.UNSET,
    )
    if status == 401:
        headers = {"WWW-Authenticate": 'Bearer realm="customer-service"', **(headers or {})}
    return Response(body, status_code=status, media_type=PROBLEM_JSON, headers=headers)


def domain_error_handler(_: Request, error: DomainError) -> Response[Problem]:
    status, code = next(
        (mapped for cls, mapped in DOMAIN_ERRORS.items() if isinstance(error, cls)), (400, "BAD_REQUEST")
    )
    errors = [FieldProblem(e.field, e.message) for e in error.errors] if isinstance(error, ValidationFailed) else None
    headers = {"Retry-After": str(error.retry_after_seconds)} if isinstance(error, RateLimited) else None
    return problem(status, code, error.detail, errors=errors, headers=headers)


_LOCATION = re.compile(r" - at `\$\.?(?P<path>[^`]*)`$")


def _field_problems(error: ValidationException) -> list[FieldProblem]:
    """Litestar reports msgspec decoding errors as ``{message, key, source}``;
    the field path is in ``key`` ('preferences.language'; 'data', the handler
    parameter, for the body itself), or in older versions in the message
    ('... - at `$.preferences.language`')."""
    problems = []
    for item in error.extra if isinstance(error.extra, list) else []:
        message = str(item.get("message", "is invalid")) if isinstance(item, dict) else str(item)
        key = item.get("key") if isinstance(item, dict) else None
        match = _LOCATION.search(message)
        field = match["path"] if match else (str(key) if key and key != "data" else None)
        message = _LOCATION.sub("", message)
        unknown = re.match(r"Object contains unknown field `(?P<name>[^`]+)`", message)
        if unknown:
            field = ".".join(filter(None, [field, unknown["name"]]))
            message = "is not a field that can be set here"
        missing = re.match(r"Object missing required field `(?P<name>[^`]+)`", message)
        if missing:
            field = ".".join(filter(None, [field, missing["name"]]))
            message = "is required"
        problems.append(FieldProblem(field or "body", message))
    return problems


def http_error_handler(_: Request, error: HTTPException) -> Response[Problem]:
    if isinstance(error, ValidationException):
        problems = _field_problems(error)
        if not problems or any(
            p.message.startswith(("JSON is malformed", "Input data was truncated")) for p in problems
        ):
            return problem(400, "BAD_REQUEST", "Request body is not valid JSON")
        return problem(422, "VALIDATION_ERROR", "Request body is invalid", errors=problems)
    status = error.status_code
    code = HTTP_ERRORS.get(status, "BAD_REQUEST" if status < 500 else "INTERNAL_ERROR")
    detail = _HTTP_DETAILS.get(status) or http.HTTPStatus(status).phrase
    return problem(status, code, detail)


def unexpected_error_handler(_: Request, error: Exception) -> Response[Problem]:
    logger.exception("unhandled error", exc_info=error)
    return problem(500, "INTERNAL_ERROR", "Something went wrong on our side; it has been logged")


EXCEPTION_HANDLERS = {
    DomainError: domain_error_handler,
    HTTPException: http_error_handler,
    Exception: unexpected_error_handler,
}

# Statuses every route with a JSON body can answer with.
BODY_ERRORS = (400, 413, 415, 422)


def problem_responses(*statuses: int) -> dict[int, ResponseSpec]:
    """OpenAPI entries for error answers, all problem details."""
    return {
        status: ResponseSpec(
            data_container=Problem,
            media_type=PROBLEM_JSON,
            description=f"{http.HTTPStatus(status).phrase}: {', '.join(_codes_for(status))}",
            generate_examples=False,
        )
        for status in statuses
    }


def _codes_for(status: int) -> list[str]:
    codes = {code for mapped, code in DOMAIN_ERRORS.values() if mapped == status}
    if status in HTTP_ERRORS:
        codes.add(HTTP_ERRORS[status])
    return sorted(codes)
