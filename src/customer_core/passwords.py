"""Password policy after OWASP ASVS 5.0 (V6.2): length, not composition."""

from __future__ import annotations

from collections.abc import Container
from typing import Any

import attrs

from customer_core.values import Email


@attrs.frozen
class PasswordLength:
    """How long a new password may be, as an attrs converter."""

    min_length: int = 8
    max_length: int = 256

    def problem(self, password: str) -> str | None:
        if len(password) < self.min_length:
            return f"must be at least {self.min_length} characters"
        if len(password) > self.max_length:
            return f"must be at most {self.max_length} characters"
        return None

    def __call__(self, raw: Any) -> Any:
        problem = self.problem(raw) if isinstance(raw, str) else None
        if problem:
            raise ValueError(problem)
        return raw


NEW_PASSWORD = PasswordLength()


def new_password_field() -> Any:
    return attrs.field(repr=False, converter=NEW_PASSWORD)


@attrs.frozen(kw_only=True)
class PasswordPolicy:
    """At least 8 and at most 256 characters, any characters, no composition
    rules; refuses common passwords and ones containing the email's local part.

    ``common`` holds lower-cased common passwords (the adapters ship one)."""

    common: Container[str]
    length: PasswordLength = NEW_PASSWORD

    def problems(self, password: str, *, email: Email | None = None) -> list[str]:
        too_short_or_long = self.length.problem(password)
        if too_short_or_long:
            return [too_short_or_long]
        found = []
        folded = password.casefold()
        if folded in self.common:
            found.append("is too common; choose a less guessable password")
        if email is not None and len(email.local_part) >= 3 and email.local_part.casefold() in folded:
            found.append("must not contain the part of your email address before the @")
        return found
