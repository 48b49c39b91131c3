"""Collects every field failure of one request, so a client sees all of them."""

from __future__ import annotations

from collections.abc import Callable
from typing import TypeVar

from customer_core.errors import FieldError, ValidationFailed

T = TypeVar("T")


class FieldErrors:
    def __init__(self) -> None:
        self._errors: list[FieldError] = []

    def parse(self, field: str, parser: Callable[[object], T], raw: object) -> T | None:
        try:
            return parser(raw)
        except (ValueError, TypeError) as error:
            self._errors.append(FieldError(field, str(error)))
            return None

    def add(self, field: str, message: str) -> None:
        self._errors.append(FieldError(field, message))

    def raise_if_any(self) -> None:
        if self._errors:
            raise ValidationFailed(self._errors)
