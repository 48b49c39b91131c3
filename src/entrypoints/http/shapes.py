"""The JSON shapes (``entrypoints.shapes``) plugged into Litestar: request
bodies decoded by our converter, responses encoded by it, and the OpenAPI
schema drawn from the same attrs classes, with every rule the converter
enforces (required fields, no other properties, lengths, patterns, enums)."""

from __future__ import annotations

import typing
from collections.abc import Generator, Iterable
from decimal import Decimal
from typing import Any, Generic, TypeVar

import attrs
from litestar.dto import AbstractDTO, DTOConfig
from litestar.dto.data_structures import DTOFieldDefinition
from litestar.exceptions import HTTPException
from litestar.openapi.spec import OpenAPIFormat, OpenAPIType, Reference, Schema
from litestar.plugins import OpenAPISchemaPlugin, SerializationPlugin
from litestar.typing import FieldDefinition

from adapters.camel_case import camel
from customer_core.changes import Changes
from customer_core.values import UNSET, is_value_object
from entrypoints.shapes import DATE_PATTERN, decode, shown_fields, to_json, without_unset

T = TypeVar("T")

if typing.TYPE_CHECKING:
    from litestar._openapi.schema_generation import SchemaCreator


def _is_json(content_type: str) -> bool:
    media_type = content_type.split(";")[0].strip().lower()
    return media_type == "application/json" or media_type.endswith("+json")


class ShapeDTO(AbstractDTO[T], Generic[T]):
    """Decodes request bodies and encodes responses with the shapes'
    converter; Litestar's own DTO machinery is not used."""

    config = DTOConfig()

    @classmethod
    def create_for_field_definition(
        cls, field_definition: FieldDefinition, handler_id: str, backend_cls: Any = None
    ) -> None:
        pass

    @classmethod
    def create_openapi_schema(
        cls, field_definition: FieldDefinition, handler_id: str, schema_creator: SchemaCreator
    ) -> Reference | Schema:
        return schema_creator.for_field_definition(field_definition)

    def decode_bytes(self, value: bytes) -> Any:
        if not _is_json(self.asgi_connection.headers.get("content-type", "")):
            raise HTTPException(status_code=415)
        return decode(value, self.model_type)

    def decode_builtins(self, value: dict[str, Any]) -> Any:
        raise HTTPException(status_code=415)

    def data_to_encodable_type(self, data: Any) -> Any:
        return to_json(data)

    @classmethod
    def generate_field_definitions(cls, model_type: type[Any]) -> Generator[DTOFieldDefinition, None, None]:
        yield from ()

    @classmethod
    def detect_nested_field(cls, field_definition: FieldDefinition) -> bool:
        return False


def _with_nested(classes: Iterable[type]) -> frozenset[type]:
    """The attrs classes given and every attrs class their fields hold."""
    found: set[type] = set()

    def add(kind: Any) -> None:
        for inner in typing.get_args(kind) or (kind,):
            if attrs.has(inner) and inner not in found:
                found.add(inner)
                for field in attrs.fields(attrs.resolve_types(inner)):
                    add(field.type)

    for cls in classes:
        add(cls)
    return frozenset(found)


class Shapes(SerializationPlugin, OpenAPISchemaPlugin):
    """``request_bodies``: the classes of the request bodies. In them and in
    what they hold, fields with defaults may be left out; a response always
    carries every field. A body of changes must change something."""

    def __init__(self, request_bodies: Iterable[type]) -> None:
        self._request_bodies = frozenset(request_bodies)
        self._request_types = _with_nested(self._request_bodies)

    def supports_type(self, field_definition: FieldDefinition) -> bool:
        return attrs.has(field_definition.annotation)

    def create_dto_for_type(self, field_definition: FieldDefinition) -> type[AbstractDTO[Any]]:
        dto: type[AbstractDTO[Any]] = ShapeDTO[field_definition.annotation]  # type: ignore[name-defined]
        return dto

    @staticmethod
    def is_plugin_supported_type(value: Any) -> bool:
        return attrs.has(value)

    def to_openapi_schema(self, field_definition: FieldDefinition, schema_creator: SchemaCreator) -> Schema:
        cls = field_definition.annotation
        if is_value_object(cls):
            value = Schema(type=OpenAPIType.STRING, description=" ".join((cls.__doc__ or "").split()) or None)
            _add_string_rules(value, cls)
            return value
        properties: dict[str, Schema | Reference] = {}
        required = []
        for field in shown_fields(cls):
            name = camel(field.name)
            kind = without_unset(field.type)
            if kind is Decimal:
                schema: Schema | Reference = _money(given=cls in self._request_types)
            else:
                schema = schema_creator.for_field_definition(FieldDefinition.from_annotation(kind))
            _add_string_rules(schema, field.converter)
            if isinstance(schema, Schema) and "description" in field.metadata:
                schema.description = field.metadata["description"]
            properties[name] = schema
            optional = field.default is not attrs.NOTHING and cls in self._request_types
            if not optional and field.default is not UNSET:
                required.append(name)
        component = schema_creator.create_component_schema(
            field_definition, required=required, property_fields={}, title=cls.__name__
        )
        component.properties = properties
        component.additional_properties = False
        if issubclass(cls, Changes) and cls in self._request_bodies:
            component.min_properties = 1
        component.description = (cls.__doc__ or "").strip() or None
        return component


def _money(*, given: bool) -> Schema:
    """An exact sum: a JSON number with at most 2 decimals (in a request, a
    decimal string too, for senders that avoid binary floats)."""
    number = Schema(type=OpenAPIType.NUMBER, minimum=0, multiple_of=0.01)
    if not given:
        return number
    return Schema(one_of=[number, Schema(type=OpenAPIType.STRING, pattern=r"^\s*[0-9]+(\.[0-9]{1,2})?\s*$")])


def _add_string_rules(schema: Schema | Reference, rules: Any) -> None:
    """Put the string rules of ``rules`` (a value class or a field's
    converter: max_length, min_length, pattern, format) on the string branch
    of ``schema``."""
    branches = schema.one_of if isinstance(schema, Schema) and schema.one_of else [schema]
    for branch in branches:
        if isinstance(branch, Schema) and branch.type == OpenAPIType.STRING:
            if branch.format == OpenAPIFormat.DATE:
                branch.pattern = DATE_PATTERN
            for rule in ("max_length", "min_length", "pattern", "format"):
                if hasattr(rules, rule):
                    setattr(branch, rule, getattr(rules, rule))
