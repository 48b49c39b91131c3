"""The domain's one error hierarchy. Errors carry data, never an HTTP status:
each edge (HTTP, CLI) maps them in one table."""

from __future__ import annotations

import attrs


@attrs.frozen
class FieldError:
    """A problem with one field; ``field`` is its attribute path
    ('preferences.language'), which each edge names as its clients do."""

    field: str
    message: str


class DomainError(Exception):
    """Base of every error the core raises on purpose."""

    message = "request could not be completed"

    def __init__(self, message: str | None = None) -> None:
        super().__init__(message or self.message)

    @property
    def detail(self) -> str:
        return str(self)


class ValidationFailed(DomainError):
    message = "Request body is invalid"

    def __init__(self, errors: list[FieldError] | tuple[FieldError, ...]) -> None:
        super().__init__()
        self.errors = tuple(errors)

    @classmethod
    def single(cls, field: str, message: str) -> ValidationFailed:
        return cls([FieldError(field, message)])


class InvalidProfileImage(ValidationFailed):
    """The Media Service's answer rules the image out."""

    message = "The profile image is not acceptable"

    def __init__(self, problem: str) -> None:
        super().__init__([FieldError("profile_image", problem)])


class EmailTaken(DomainError):
    message = "An account with this email already exists"


class InvalidCredentials(DomainError):
    message = "Email or password is incorrect"


class AccountDisabled(DomainError):
    message = "This account is disabled"


class TokenInvalid(DomainError):
    message = "Token is invalid or expired"


class Unauthenticated(DomainError):
    message = "Authentication is required"


class NotFound(DomainError):
    message = "Resource not found"


class DependencyUnavailable(DomainError):
    """A store or service the request needs did not answer."""

    message = "A service this request depends on is unavailable; try again shortly"


class EmailedTokenInvalid(DomainError):
    """An emailed token that is unknown, used, expired, for another purpose,
    or issued before the account changed."""

    message = "This link is invalid or has expired; request a new one"


class PhoneCodeInvalid(DomainError):
    """A phone code that is wrong, expired, used up, out of tries, or sent
    to a phone the account no longer has."""

    message = "This code is wrong or no longer valid; request a new one if it keeps failing"


class NoPhone(DomainError):
    message = "Add a phone number to your profile first"


class WrongPassword(DomainError):
    """The current password, asked to confirm a sensitive change, is wrong."""

    message = "Password is incorrect"


class EmailNotVerified(DomainError):
    message = "Verify your email address before logging in"


class RateLimited(DomainError):
    message = "Too many requests; try again later"

    def __init__(self, message: str | None = None, *, retry_after_seconds: int = 60) -> None:
        super().__init__(message)
        self.retry_after_seconds = retry_after_seconds


class Overloaded(DomainError):
    """Too many requests need password hashing right now; this one waited
    its turn as long as it may."""

    message = "The service is busy; try again shortly"

    def __init__(self, message: str | None = None, *, retry_after_seconds: int = 2) -> None:
        super().__init__(message)
        self.retry_after_seconds = retry_after_seconds


class AddressLimitReached(DomainError):
    message = "An address book holds at most 50 addresses; delete one first"


class ConcurrentUpdate(DomainError):
    """Another request changed the same thing at the same moment; the
    database refused the second change (a unique index)."""

    message = "The resource was changed by another request at the same time; try again"


class Forbidden(DomainError):
    """A customer's token on a route for service clients."""

    message = "This route is for service clients, not customers"


class InsufficientScope(DomainError):
    def __init__(self, scope: str) -> None:
        super().__init__(f"This route needs the scope {scope}")
        self.scope = scope


class OrderConflict(DomainError):
    message = "An order with this orderId was recorded with other details"


class InvalidClient(DomainError):
    """Unknown client, wrong secret or revoked client (OAuth ``invalid_client``)."""

    message = "Client authentication failed"


class InvalidScope(DomainError):
    """A requested scope the client does not have (OAuth ``invalid_scope``)."""

    message = "The requested scope is unknown or not granted to this client"


class DeliveryFailed(Exception):
    """A message transport could not hand a message over (not a domain error:
    the outbox retries it)."""
