"""How the service's values look in JSON, for the HTTP API and the CLI alike.

One cattrs converter carries every shape both ways: attrs classes become
objects with camelCase keys, value objects their bare value, times ISO 8601
UTC with a ``Z``. Request bodies are decoded once, strictly (no unknown
keys, no ``"true"`` for a boolean), into the core's commands, and every
problem of a body is reported at once."""

from __future__ import annotations

import datetime as dt
import enum
import json
import re
import types
import typing
from collections.abc import Callable
from decimal import Decimal
from typing import Any, TypeVar

import attrs
import msgspec
from cattrs import Converter
from cattrs.errors import BaseValidationError, ClassValidationError, ForbiddenExtraKeysError
from cattrs.gen import make_dict_structure_fn, make_dict_unstructure_fn, override

from adapters.camel_case import camel
from customer_core.addresses import Address
from customer_core.customer import Customer
from customer_core.errors import FieldError
from customer_core.orders import Order
from customer_core.records import Consent
from customer_core.sessions import Session
from customer_core.values import Unset, is_value_object

T = TypeVar("T")

# Attributes that never reach a client: secrets and bookkeeping.
HIDDEN: dict[type, frozenset[str]] = {
    Customer: frozenset({"password_hash"}),
    Session: frozenset({"customer_id", "expires_at", "ends_at", "current_token_digest", "used_token_digests"}),
    Address: frozenset({"customer_id"}),
    Consent: frozenset({"id", "customer_id"}),
    Order: frozenset({"customer_id", "totals_after", "totals_after_refund"}),
}


def hidden(cls: type) -> frozenset[str]:
    return frozenset().union(*(HIDDEN.get(base, frozenset()) for base in cls.__mro__))


def shown_fields(cls: type) -> list[attrs.Attribute[Any]]:
    """The attributes of ``cls`` a client sees, in order."""
    return [field for field in attrs.fields(attrs.resolve_types(cls)) if field.name not in hidden(cls)]


def path(*names: str) -> str:
    """The client's name for an attribute path: ('preferences', 'sms_notifications')
    -> 'preferences.smsNotifications'."""
    return ".".join(camel(part) for name in names for part in name.split("."))


class BodyInvalid(Exception):
    """A request body that is not a JSON object of the expected shape;
    ``errors`` name fields as the client wrote them."""

    def __init__(self, errors: list[FieldError]) -> None:
        super().__init__("Request body is invalid")
        self.errors = errors


class BodyNotJson(Exception):
    """A request body that is not JSON at all (or not UTF-8)."""


converter = Converter(detailed_validation=True)

# --- JSON out ---------------------------------------------------------------


def iso(moment: dt.datetime) -> str:
    return moment.astimezone(dt.UTC).isoformat(timespec="milliseconds").replace("+00:00", "Z")


def _unstructure_attrs(cls: Any) -> Any:
    if is_value_object(cls):
        return lambda value: value.value
    names = {field.name for field in shown_fields(cls)}
    renames: dict[str, Any] = {
        field.name: override(rename=camel(field.name), omit=field.name not in names)
        for field in attrs.fields(attrs.resolve_types(cls))
    }
    unstructure = make_dict_unstructure_fn(cls, converter, _cattrs_include_init_false=True, **renames)

    def without_unset(value: Any) -> dict[str, Any]:
        return {key: item for key, item in unstructure(value).items() if item is not _LEFT_OUT}

    return without_unset


def exact_number(amount: Decimal) -> msgspec.Raw:
    """Money as a JSON number with its exact digits (a float would round,
    and msgspec writes a Decimal as a string)."""
    return msgspec.Raw(str(amount).encode())


_LEFT_OUT = object()  # what an UNSET field becomes, to be left out of its object
converter.register_unstructure_hook(Unset, lambda _: _LEFT_OUT)
converter.register_unstructure_hook(dt.datetime, iso)
converter.register_unstructure_hook(dt.date, dt.date.isoformat)
converter.register_unstructure_hook(Decimal, exact_number)
converter.register_unstructure_hook_factory(attrs.has, _unstructure_attrs)


def to_json(value: Any) -> Any:
    """``value`` as JSON data for msgspec (which Litestar uses): money is a
    ``msgspec.Raw`` number. Write it out with ``json_text``."""
    return converter.unstructure(value)


def json_text(value: Any, *, indent: int | None = None) -> str:
    """``value`` (plain data or what ``to_json`` gives) as JSON text."""
    encoded = msgspec.json.encode(value)
    return (msgspec.json.format(encoded, indent=indent) if indent else encoded).decode()


# --- JSON in ----------------------------------------------------------------

DATE_PATTERN = r"^[0-9]{4}-(?:0[1-9]|1[0-2])-(?:0[1-9]|[12][0-9]|3[01])$"
_TYPE_NAMES = {str: "a string", bool: "true or false", int: "a whole number", float: "a number"}


def _strict(kind: type) -> Callable[[Any, Any], Any]:
    def structure(raw: Any, _: Any) -> Any:
        if raw is None:
            raise TypeError("must not be null")
        if kind is float and type(raw) in (int, Decimal):  # JSON numbers are read as Decimals
            return float(raw)
        if type(raw) is not kind:
            raise TypeError(f"must be {_TYPE_NAMES[kind]}")
        if isinstance(raw, str) and not _encodable(raw):
            raise ValueError("must be valid Unicode text")
        return raw

    return structure


def _encodable(text: str) -> bool:
    try:
        text.encode("utf-8")
    except UnicodeEncodeError:  # a lone surrogate escape, such as "\ud800"
        return False
    return True


def _structure_date(raw: Any, _: Any) -> dt.date:
    text = converter.structure(raw, str)
    if not re.fullmatch(DATE_PATTERN, text):
        raise ValueError("must be a date as YYYY-MM-DD")
    try:
        return dt.date.fromisoformat(text)
    except ValueError:
        raise ValueError("must be a real calendar date") from None


def _structure_datetime(raw: Any, _: Any) -> dt.datetime:
    text = converter.structure(raw, str)
    try:
        moment = dt.datetime.fromisoformat(text)
    except ValueError:
        raise ValueError("must be an ISO 8601 date and time, such as 2026-11-26T10:00:00Z") from None
    if moment.tzinfo is None:
        raise ValueError("must have a time zone, such as Z or +01:00")
    return moment.astimezone(dt.UTC)


def _structure_decimal(raw: Any, _: Any) -> Decimal | str:
    """A decimal number or string, as it was written: its converter decides."""
    if type(raw) not in (int, Decimal, str):
        raise TypeError("must be a decimal number or string")
    return Decimal(raw) if isinstance(raw, int) else raw


def _structure_enum(raw: Any, cls: type[enum.Enum]) -> Any:
    if raw is None:
        raise TypeError("must not be null")
    try:
        return cls(raw) if isinstance(raw, str) else cls(None)
    except ValueError:
        raise ValueError("must be one of " + ", ".join(str(member.value) for member in cls)) from None


def _is_unset_union(kind: Any) -> bool:
    return typing.get_origin(kind) in (typing.Union, types.UnionType) and Unset in typing.get_args(kind)


def without_unset(kind: Any) -> Any:
    """``X | None | Unset`` -> ``X | None``: what a value given for the field may be."""
    if not _is_unset_union(kind):
        return kind
    rest = tuple(arg for arg in typing.get_args(kind) if arg is not Unset)
    return rest[0] if len(rest) == 1 else typing.Union[rest]  # noqa: UP007 - built from a tuple


def _structure_unset_union(kind: Any) -> Callable[[Any, Any], Any]:
    given = without_unset(kind)
    return lambda raw, _: converter.structure(raw, given)


def _structure_attrs(cls: Any) -> Any:
    if is_value_object(cls):
        return lambda raw, _: cls(converter.structure(raw, str))
    overrides: dict[str, Any] = {}
    for field in attrs.fields(attrs.resolve_types(cls)):
        if not field.init:
            continue
        check = field.converter
        # The field's own converter (trimming, lengths) runs here too, so its
        # problems are collected with every other field's.
        hook = _then(check, field.type) if callable(check) else None
        overrides[field.name] = override(rename=camel(field.name), struct_hook=hook)
    structure = make_dict_structure_fn(cls, converter, _cattrs_forbid_extra_keys=True, **overrides)

    def from_object(raw: Any, _: Any) -> Any:
        if not isinstance(raw, dict):
            raise TypeError("must be a JSON object")
        return structure(raw, cls)

    return from_object


def _then(check: Callable[[Any], Any], kind: Any) -> Callable[[Any, Any], Any]:
    return lambda raw, _: check(converter.structure(raw, kind))


for _kind in (str, bool, int, float):
    converter.register_structure_hook(_kind, _strict(_kind))
converter.register_structure_hook(dt.date, _structure_date)
converter.register_structure_hook(dt.datetime, _structure_datetime)
converter.register_structure_hook(Decimal, _structure_decimal)
# A str enum is a str too: registered on its own, it is not taken for one.
converter.register_structure_hook(enum.StrEnum, _structure_enum)
converter.register_structure_hook(enum.Enum, _structure_enum)
converter.register_structure_hook_factory(_is_unset_union, _structure_unset_union)
converter.register_structure_hook_factory(attrs.has, _structure_attrs)


def _no_duplicates(pairs: list[tuple[str, Any]]) -> dict[str, Any]:
    found: dict[str, Any] = {}
    for key, value in pairs:
        if key in found:
            raise BodyNotJson(f"duplicate key {key!r}")
        found[key] = value
    return found


def _no_constants(name: str) -> Any:
    raise BodyNotJson(f"{name} is not JSON")


def decode(body: bytes, cls: type[T]) -> T:
    """The command ``cls`` from a JSON request body, or ``BodyNotJson`` /
    ``BodyInvalid`` listing every problem."""
    try:
        raw = json.loads(
            body.decode("utf-8"), object_pairs_hook=_no_duplicates, parse_constant=_no_constants, parse_float=Decimal
        )
    except (UnicodeDecodeError, ValueError, RecursionError) as error:
        raise BodyNotJson(str(error)) from None
    if not isinstance(raw, dict):
        raise BodyInvalid([FieldError("body", "must be a JSON object")])
    try:
        return converter.structure(raw, cls)
    except (BaseValidationError, ValueError, TypeError) as error:
        raise BodyInvalid(list(_problems(error, ""))) from None


def _problems(error: BaseException, at: str) -> typing.Iterator[FieldError]:
    here = at or "body"
    if isinstance(error, ClassValidationError):
        with_notes, without = error.group_exceptions()
        for inner, note in with_notes:
            yield from _problems(inner, f"{at}.{camel(note.name)}" if at else camel(note.name))
        for inner in without:
            yield from _problems(inner, at)
    elif isinstance(error, ForbiddenExtraKeysError):
        for key in sorted(error.extra_fields):
            yield FieldError(f"{at}.{key}" if at else key, "is not a field that can be set here")
    elif isinstance(error, BaseValidationError):
        for inner in error.exceptions:
            yield from _problems(inner, at)
    elif isinstance(error, KeyError):
        yield FieldError(here, "is required")
    else:
        yield FieldError(here, str(error) or "is invalid")
