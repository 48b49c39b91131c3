"""Document <-> entity mapping: one cattrs converter with explicit hooks.
Documents use camelCase field names and ObjectId keys."""

from __future__ import annotations

import datetime as dt
from typing import Any

import attrs
from bson import ObjectId
from cattrs import Converter
from cattrs.gen import make_dict_structure_fn, make_dict_unstructure_fn, override

from customer_core.action_tokens import ActionToken
from customer_core.addresses import Address
from customer_core.customer import Customer
from customer_core.outbox import OutboxMessage
from customer_core.sessions import Session
from customer_core.values import Currency, DateOfBirth, Email, Gender, Language, Name, Phone, Preferences, is_id


def camel(name: str) -> str:
    head, *rest = name.split("_")
    return head + "".join(part.title() for part in rest)


def document_path(attribute_path: str) -> str:
    """'preferences.sms_notifications' -> 'preferences.smsNotifications'."""
    return ".".join(camel(part) for part in attribute_path.split("."))


converter = Converter()
converter.register_unstructure_hook(dt.datetime, lambda value: value)
converter.register_structure_hook(dt.datetime, lambda value, _: value)
for _value_type in (Email, Name, Phone, Language, Currency):
    converter.register_unstructure_hook(_value_type, lambda value: value.value)
    converter.register_structure_hook(_value_type, lambda raw, cls: cls(raw))
converter.register_unstructure_hook(Gender, lambda value: value.value)
converter.register_unstructure_hook(DateOfBirth, lambda value: value.value.isoformat())
converter.register_structure_hook(DateOfBirth, lambda raw, _: DateOfBirth(dt.date.fromisoformat(raw)))


def _register_camel_case(cls: type, **overrides: Any) -> None:
    renames = {field.name: override(rename=camel(field.name)) for field in attrs.fields(cls)}
    renames.update(overrides)
    converter.register_unstructure_hook(cls, make_dict_unstructure_fn(cls, converter, **renames))
    converter.register_structure_hook(cls, make_dict_structure_fn(cls, converter, **renames))


_register_camel_case(Preferences)
_register_camel_case(Customer, id=override(rename="_id"))
_register_camel_case(Session, id=override(rename="_id"))
_register_camel_case(ActionToken, digest=override(rename="_id"))
_register_camel_case(OutboxMessage, id=override(rename="_id"))
_register_camel_case(Address, id=override(rename="_id"))

# Fields stored as ObjectIds, by entity.
_OBJECT_ID_FIELDS: dict[type, tuple[str, ...]] = {
    Customer: ("_id",),
    Session: ("_id", "customerId"),
    ActionToken: ("customerId",),
    OutboxMessage: ("_id",),
    Address: ("_id", "customerId"),
}


def to_document(entity: Any) -> dict[str, Any]:
    document = converter.unstructure(entity)
    for name in _OBJECT_ID_FIELDS[type(entity)]:
        document[name] = ObjectId(document[name])
    return document


def from_document(document: dict[str, Any], cls: type) -> Any:
    document = dict(document)
    for name in _OBJECT_ID_FIELDS[cls]:
        if name in document:
            document[name] = str(document[name])
    return converter.structure(document, cls)


def object_id(value: str) -> ObjectId | None:
    """The ObjectId a 24-hex string names, or None for anything else."""
    return ObjectId(value) if is_id(value) else None
