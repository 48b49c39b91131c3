"""Password policy after OWASP ASVS 5.0 (V6.2): length, not composition."""

from __future__ import annotations

from collections.abc import Container

import attrs

from customer_core.values import Email


@attrs.frozen(kw_only=True)
class PasswordPolicy:
    """At least 8 and at most 256 characters, any characters, no composition
    rules; refuses common passwords and ones containing the email's local part.

    ``common`` holds lower-cased common passwords (the adapters ship one)."""

    common: Container[str]
    min_length: int = 8
    max_length: int = 256

    def problems(self, password: object, *, email: Email | None = None) -> list[str]:
        if not isinstance(password, str):
            return ["must be a string"]
        length = len(password)
        if length < self.min_length:
            return [f"must be at least {self.min_length} characters"]
        if length > self.max_length:
            return [f"must be at most {self.max_length} characters"]
        found = []
        folded = password.casefold()
        if folded in self.common:
            found.append("is too common; choose a less guessable password")
        if email is not None and len(email.local_part) >= 3 and email.local_part.casefold() in folded:
            found.append("must not contain the part of your email address before the @")
        return found
