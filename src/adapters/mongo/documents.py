"""Document <-> entity mapping: cattrs' preconfigured BSON converter, with
ids as ObjectIds (``id`` stored as ``_id``), value objects as their bare
value, and camelCase field names."""

from __future__ import annotations

from decimal import Decimal
from typing import Any, TypeVar

import attrs
from bson import Decimal128, ObjectId
from cattrs.gen import make_dict_structure_fn, make_dict_unstructure_fn, override
from cattrs.preconf.bson import make_converter

from adapters.camel_case import camel
from customer_core.changes import Changes
from customer_core.values import Id, as_id, is_value_object

T = TypeVar("T")

converter = make_converter()
converter.register_unstructure_hook(Id, ObjectId)
converter.register_structure_hook(Id, lambda value, _: Id(str(value)))
# Money exactly, as BSON decimals; an account stored before had a double 0.0.
converter.register_unstructure_hook(Decimal, Decimal128)
converter.register_structure_hook(
    Decimal, lambda value, _: value.to_decimal() if isinstance(value, Decimal128) else Decimal(repr(value))
)


def _stored_name(name: str) -> str:
    return "_id" if name == "id" else camel(name)


def _unstructure_hook(cls: Any) -> Any:
    if is_value_object(cls):
        return lambda value: value.value
    renames: dict[str, Any] = {field.name: override(rename=_stored_name(field.name)) for field in attrs.fields(cls)}
    return make_dict_unstructure_fn(cls, converter, **renames)


def _structure_hook(cls: Any) -> Any:
    if is_value_object(cls):
        return lambda raw, _: cls(raw)
    renames: dict[str, Any] = {
        field.name: override(rename=_stored_name(field.name)) for field in attrs.fields(cls) if field.init
    }
    return make_dict_structure_fn(cls, converter, **renames)


converter.register_unstructure_hook_factory(attrs.has, _unstructure_hook)
converter.register_structure_hook_factory(attrs.has, _structure_hook)


def to_document(entity: Any) -> dict[str, Any]:
    document: dict[str, Any] = converter.unstructure(entity)
    return document


def from_document(document: dict[str, Any], cls: type[T]) -> T:
    return converter.structure(document, cls)


def set_fields(changes: Changes, prefix: str = "") -> dict[str, Any]:
    """The ``$set`` of a partial update: one path per field given, nested
    changes field by field."""
    paths: dict[str, Any] = {}
    for name, value in changes.given().items():
        path = prefix + camel(name)
        if isinstance(value, Changes):
            paths.update(set_fields(value, prefix=path + "."))
        else:
            paths[path] = converter.unstructure(value)
    return paths


def object_id(value: str) -> ObjectId | None:
    """The ObjectId a 24-hex string names, or None for anything else."""
    key = as_id(value)
    return ObjectId(key) if key else None
