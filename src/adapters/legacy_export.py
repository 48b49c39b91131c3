"""Customers as the previous (Node.js) implementation stored them, read from
``mongoexport`` output: one document per line in MongoDB extended JSON."""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Callable, Iterable, Iterator
from decimal import Decimal
from typing import Any, BinaryIO

from bson import Decimal128, ObjectId, json_util
from bson.errors import BSONError

from adapters.security.passwords import LEGACY_HASH
from customer_core.customer import Customer, Preferences, birth_date_problem
from customer_core.orders import in_cents
from customer_core.use_cases.admin import ImportLine
from customer_core.values import Currency, Email, Gender, Id, Language, MediaId, Phone, Text, as_id

_EXTENDED_JSON = json_util.JSONOptions(tz_aware=True, tzinfo=dt.UTC)
_REQUIRED: Any = object()
LONGEST_LINE = 1024 * 1024  # bytes; a customer document is a few hundred
_LARGEST_INT = 2**63 - 1  # what MongoDB stores


def lines_of(file: BinaryIO) -> Iterator[bytes]:
    """The file's lines, read so that a line too long to be a customer costs
    no more memory than ``LONGEST_LINE``: only its start is yielded."""
    while line := file.readline(LONGEST_LINE + 1):
        if len(line) > LONGEST_LINE:
            while (rest := file.readline(LONGEST_LINE)) and not rest.endswith(b"\n"):
                pass
        yield line


def read_export(lines: Iterable[bytes], *, now: dt.datetime) -> Iterator[ImportLine]:
    """Each non-blank line's customer, or why it is not one; ``now`` stands
    in for a missing ``createdAt`` and dates birthdays."""
    for number, raw in enumerate(lines, start=1):
        if raw.strip():
            yield number, _customer_or_reason(raw, now)


def _customer_or_reason(raw: bytes, now: dt.datetime) -> Customer | str:
    if len(raw) > LONGEST_LINE:
        return "longer than 1 MiB"
    try:
        text = raw.decode("utf-8-sig")  # a byte-order mark is not part of the document
        json.loads(text, object_pairs_hook=_without_duplicates)
        document = json_util.loads(text, json_options=_EXTENDED_JSON)
    except UnicodeDecodeError:
        return "not UTF-8"
    except RecursionError:
        return "nested too deeply"
    except (ValueError, TypeError, BSONError) as error:
        hint = " (one document spans several lines: export without --pretty)" if raw.strip() == b"{" else ""
        return f"not MongoDB extended JSON ({error}){hint}"
    if isinstance(document, list):
        return "a JSON array: export one document per line (without --jsonArray)"
    if not isinstance(document, dict):
        return "not a JSON object"
    return _Fields(document).customer(now)


def _without_duplicates(pairs: list[tuple[str, Any]]) -> dict[str, Any]:
    keys = [key for key, _ in pairs]
    if len(set(keys)) != len(keys):
        raise ValueError(f"duplicate key {next(k for k in keys if keys.count(k) > 1)!r}")
    return dict(pairs)


class _Fields:
    """Reads a legacy document field by field, noting every problem."""

    def __init__(self, document: dict[str, Any]) -> None:
        self._document = document
        self.problems: list[str] = []

    def customer(self, now: dt.datetime) -> Customer | str:
        created_at = self.read("createdAt", _datetime, default=now)
        email_verified = self.read("emailVerified", _bool, default=self.read("isVerified", _bool, default=False))
        self.read("preferences", _object)  # its fields are read below
        phone = self.read("phone", _string(Phone))
        fields = {
            "id": self.read("_id", _object_id, default=_REQUIRED),
            "email": self.read("email", _string(Email), default=_REQUIRED),
            "password_hash": self.read("password", _legacy_hash, default=_REQUIRED),
            "first_name": self.read("firstName", _string(Text(100)), default=_REQUIRED),
            "last_name": self.read("lastName", _string(Text(100)), default=_REQUIRED),
            "phone": phone,
            "date_of_birth": self.read("dateOfBirth", lambda value: _birth_date(value, now)),
            "gender": self.read("gender", _gender),
            "profile_image": self.read("profileImage", _string(MediaId)),
            "preferences": Preferences(
                newsletter=self.read("preferences.newsletter", _bool, default=False),
                sms_notifications=self.read("preferences.smsNotifications", _bool, default=False),
                language=self.read("preferences.language", _string(Language), default=Language("en")),
                currency=self.read("preferences.currency", _string(Currency), default=Currency("USD")),
            ),
            "is_active": self.read("isActive", _bool, default=True),
            "email_verified": email_verified,
            # A verification belongs to a number: without one there is nothing verified.
            "phone_verified": self.read("phoneVerified", _bool, default=False) and phone is not None,
            "total_orders": self.read("totalOrders", _count, default=0),
            "total_spent": self.read("totalSpent", _amount, default=Decimal(0)),
            "loyalty_points": self.read("loyaltyPoints", _count, default=0),
            "created_at": created_at,
            "updated_at": self.read("updatedAt", _datetime, default=created_at),
            "last_login": self.read("lastLogin", _datetime),
        }
        if self.problems:
            return "; ".join(self.problems)
        return Customer(**fields)

    def read(self, path: str, convert: Callable[[Any], Any], *, default: Any = None) -> Any:
        """The field at a dotted ``path``, converted; ``default`` when it is
        missing, null or empty."""
        value: Any = self._document
        for key in path.split("."):
            value = value.get(key) if isinstance(value, dict) else None
        if value is None or value == "":
            if default is _REQUIRED:
                self.problems.append(f"{path}: is missing")
            return default
        try:
            return convert(value)
        except (ValueError, TypeError) as error:
            self.problems.append(f"{path}: {error}")
            return None


def _string(convert: Callable[[str], Any]) -> Callable[[Any], Any]:
    def read(value: Any) -> Any:
        if not isinstance(value, str):
            raise TypeError("must be a string")
        return convert(value)

    return read


def _gender(value: Any) -> Gender:
    if value not in set(Gender):
        raise ValueError(f"must be one of {', '.join(Gender)}")
    return Gender(value)


def _object_id(value: Any) -> Id:
    key = as_id(str(value)) if isinstance(value, ObjectId | str) else None
    if key is None:
        raise ValueError("must be an ObjectId")
    return key


def _legacy_hash(value: Any) -> str:
    if not isinstance(value, str) or not LEGACY_HASH.fullmatch(value):
        raise ValueError("must be a bcrypt hash ($2a$, $2b$ or $2y$, cost 4 to 14)")
    return value


def _bool(value: Any) -> bool:
    if not isinstance(value, bool):
        raise TypeError("must be true or false")
    return value


def _datetime(value: Any) -> dt.datetime:
    if not isinstance(value, dt.datetime):
        raise TypeError('must be a date ({"$date": ...})')
    return value


def _count(value: Any) -> int:
    if isinstance(value, bool) or not isinstance(value, int) or not 0 <= value <= _LARGEST_INT:
        raise ValueError("must be a whole number, 0 or more")
    return value


def _object(value: Any) -> dict[str, Any]:
    if not isinstance(value, dict):
        raise TypeError("must be an object")
    return value


def _birth_date(value: Any, now: dt.datetime) -> dt.date:
    born = _datetime(value).date()
    problem = birth_date_problem(born, today=now.date())
    if problem:
        raise ValueError(problem)
    return born


def _amount(value: Any) -> Decimal:
    if isinstance(value, Decimal128):
        value = value.to_decimal()
    if isinstance(value, float):  # the shortest text of the double, as the old service showed it
        value = Decimal(repr(value))
    amount = Decimal(value) if isinstance(value, int | Decimal) and not isinstance(value, bool) else Decimal(-1)
    if not amount.is_finite() or not 0 <= amount < Decimal("1e15"):
        raise ValueError("must be an amount, 0 or more")
    return in_cents(amount)
