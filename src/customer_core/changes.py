"""Typed partial updates.

A changes class is an attrs class whose fields default to ``UNSET``; each
field set replaces the attribute of the same name on the target, and a
nested changes object changes the nested value field by field (so two
requests changing different preferences never overwrite each other)."""

from __future__ import annotations

from typing import Any, TypeVar, cast

import attrs
from attrs import AttrsInstance

from customer_core.values import UNSET

T = TypeVar("T")


class Changes:
    """Base of every changes class."""

    __slots__ = ()

    def given(self) -> dict[str, Any]:
        """The fields that were set, by attribute name; nested changes only
        when they set something."""
        found: dict[str, Any] = {}
        for field in attrs.fields(cast("type[AttrsInstance]", type(self))):
            value = getattr(self, field.name)
            if value is UNSET or (isinstance(value, Changes) and not value.given()):
                continue
            found[field.name] = value
        return found

    def apply_to(self, target: T) -> T:
        updates = {
            name: value.apply_to(getattr(target, name)) if isinstance(value, Changes) else value
            for name, value in self.given().items()
        }
        changed: T = attrs.evolve(cast(Any, target), **updates)
        return changed
