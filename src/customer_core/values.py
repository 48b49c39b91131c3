"""Value objects. Each one validates and normalises at construction, so an
instance that exists is valid. ``parse`` classmethods are the filter between
raw input and the model; they raise ``ValueError`` with a message fit for a
client, which use cases collect per field into ``ValidationFailed``."""

from __future__ import annotations

import datetime as dt
import enum
import re
import unicodedata

import attrs

__all__ = [
    "Currency",
    "DateOfBirth",
    "Email",
    "Gender",
    "Language",
    "Name",
    "Phone",
    "Preferences",
    "check_text",
    "is_id",
]


def is_id(raw: object) -> bool:
    """Ids are 24 lower-case hex digits (MongoDB ObjectIds)."""
    return isinstance(raw, str) and re.fullmatch(r"[0-9a-f]{24}", raw) is not None


def check_text(value: str, *, max_length: int, min_length: int = 1) -> str:
    """Trim and check a free-text field: length in code points, no control
    or format characters (NUL, bidi overrides, ...)."""
    if not isinstance(value, str):
        raise ValueError("must be a string")
    value = value.strip()
    if len(value) < min_length:
        raise ValueError("must not be empty" if min_length == 1 else f"must be at least {min_length} characters")
    if len(value) > max_length:
        raise ValueError(f"must be at most {max_length} characters")
    if any(unicodedata.category(ch) in ("Cc", "Cf", "Cs", "Co", "Cn") for ch in value):
        raise ValueError("must not contain control characters")
    return value


_LOCAL_PART = re.compile(r"^[a-z0-9!#$%&'*+/=?^_`{|}~-]+(\.[a-z0-9!#$%&'*+/=?^_`{|}~-]+)*$")
_DOMAIN_LABEL = re.compile(r"^(?!-)[a-z0-9-]{1,63}(?<!-)$")


@attrs.frozen
class Email:
    """A mailbox address, stored trimmed and lower-cased (both parts), so one
    spelling is one account. Internationalised domains are kept in their
    ASCII (punycode) form."""

    value: str

    @classmethod
    def parse(cls, raw: str) -> Email:
        if not isinstance(raw, str):
            raise ValueError("must be a string")
        text = raw.strip().lower()
        if not text or len(text) > 254:
            raise ValueError("not a valid email address")
        local, sep, domain = text.rpartition("@")
        if not sep or not local or not domain or len(local) > 64:
            raise ValueError("not a valid email address")
        try:
            domain = domain.encode("idna").decode("ascii")
        except UnicodeError:
            raise ValueError("not a valid email address") from None
        labels = domain.split(".")
        if (
            not _LOCAL_PART.fullmatch(local)
            or len(labels) < 2
            or not all(_DOMAIN_LABEL.fullmatch(label) for label in labels)
            or labels[-1].isdigit()
        ):
            raise ValueError("not a valid email address")
        return cls(f"{local}@{domain}")

    @property
    def local_part(self) -> str:
        return self.value.rpartition("@")[0]

    def __str__(self) -> str:
        return self.value


@attrs.frozen
class Name:
    """A first or last name: 1-100 characters, no control characters."""

    value: str

    @classmethod
    def parse(cls, raw: str) -> Name:
        return cls(check_text(raw, max_length=100))

    def __str__(self) -> str:
        return self.value


_E164 = re.compile(r"^\+[1-9][0-9]{6,14}$")


@attrs.frozen
class Phone:
    """A phone number in E.164 form: '+', country code, up to 15 digits.
    Spaces, dots, dashes and parentheses are removed first."""

    value: str

    @classmethod
    def parse(cls, raw: str) -> Phone:
        if not isinstance(raw, str):
            raise ValueError("must be a string")
        compact = re.sub(r"[\s.()-]", "", raw)
        if not _E164.fullmatch(compact):
            raise ValueError("must be an E.164 phone number, e.g. +441234567890")
        return cls(compact)

    def __str__(self) -> str:
        return self.value


def _years_before(day: dt.date, years: int) -> dt.date:
    try:
        return day.replace(year=day.year - years)
    except ValueError:  # 29 February in a common year
        return day.replace(year=day.year - years, day=28)


@attrs.frozen
class DateOfBirth:
    """A date in the past, at most 130 years ago."""

    value: dt.date

    MAX_AGE_YEARS = 130

    @classmethod
    def parse(cls, raw: str | dt.date, *, today: dt.date) -> DateOfBirth:
        if isinstance(raw, str):
            if not re.fullmatch(r"[0-9]{4}-[0-9]{2}-[0-9]{2}", raw):
                raise ValueError("must be a date as YYYY-MM-DD")
            try:
                raw = dt.date.fromisoformat(raw)
            except ValueError:
                raise ValueError("must be a real calendar date") from None
        if not isinstance(raw, dt.date):
            raise ValueError("must be a date as YYYY-MM-DD")
        if raw >= today:
            raise ValueError("must be in the past")
        if raw < _years_before(today, cls.MAX_AGE_YEARS):
            raise ValueError(f"must be within the last {cls.MAX_AGE_YEARS} years")
        return cls(raw)


class Gender(enum.StrEnum):
    FEMALE = "female"
    MALE = "male"
    NON_BINARY = "non_binary"
    PREFER_NOT_TO_SAY = "prefer_not_to_say"

    @classmethod
    def parse(cls, raw: str) -> Gender:
        try:
            return cls(raw)
        except ValueError:
            raise ValueError("must be one of " + ", ".join(g.value for g in cls)) from None


# RFC 5646 well-formed tags: language, optional extlang, script, region, variants.
_BCP47 = re.compile(
    r"^(?P<lang>[a-z]{2,3}(?:-[a-z]{3}){0,3}|[a-z]{4,8})"
    r"(?:-(?P<script>[a-z]{4}))?"
    r"(?:-(?P<region>[a-z]{2}|[0-9]{3}))?"
    r"(?P<rest>(?:-(?:[a-z0-9]{5,8}|[0-9][a-z0-9]{3}))*)$"
)


@attrs.frozen
class Language:
    """A BCP 47 language tag in canonical case: 'en', 'pt-BR', 'zh-Hant-TW'."""

    value: str

    @classmethod
    def parse(cls, raw: str) -> Language:
        if not isinstance(raw, str) or len(raw) > 35:
            raise ValueError("must be a BCP 47 language tag, e.g. en or pt-BR")
        match = _BCP47.fullmatch(raw.strip().replace("_", "-").lower())
        if not match:
            raise ValueError("must be a BCP 47 language tag, e.g. en or pt-BR")
        parts = [match["lang"]]
        if match["script"]:
            parts.append(match["script"].title())
        if match["region"]:
            parts.append(match["region"].upper())
        return cls("-".join(parts) + match["rest"])

    def __str__(self) -> str:
        return self.value


# ISO 4217 active currency codes (2024 list), funds and precious metals excluded.
ISO_4217 = frozenset(
    """
    AED AFN ALL AMD ANG AOA ARS AUD AWG AZN BAM BBD BDT BGN BHD BIF BMD BND BOB BRL
    BSD BTN BWP BYN BZD CAD CDF CHF CLP CNY COP CRC CUP CVE CZK DJF DKK DOP DZD EGP
    ERN ETB EUR FJD FKP GBP GEL GHS GIP GMD GNF GTQ GYD HKD HNL HTG HUF IDR ILS INR
    IQD IRR ISK JMD JOD JPY KES KGS KHR KMF KPW KRW KWD KYD KZT LAK LBP LKR LRD LSL
    LYD MAD MDL MGA MKD MMK MNT MOP MRU MUR MVR MWK MXN MYR MZN NAD NGN NIO NOK NPR
    NZD OMR PAB PEN PGK PHP PKR PLN PYG QAR RON RSD RUB RWF SAR SBD SCR SDG SEK SGD
    SHP SLE SOS SRD SSP STN SVC SYP SZL THB TJS TMT TND TOP TRY TTD TWD TZS UAH UGX
    USD UYU UZS VES VND VUV WST XAF XCD XCG XOF XPF YER ZAR ZMW ZWG
    """.split()
)


@attrs.frozen
class Currency:
    """An ISO 4217 currency code, upper case."""

    value: str

    @classmethod
    def parse(cls, raw: str) -> Currency:
        code = raw.strip().upper() if isinstance(raw, str) else ""
        if code not in ISO_4217:
            raise ValueError("must be an ISO 4217 currency code, e.g. USD")
        return cls(code)

    def __str__(self) -> str:
        return self.value


@attrs.frozen(kw_only=True)
class Preferences:
    newsletter: bool = False
    sms_notifications: bool = False
    language: Language = Language("en")
    currency: Currency = Currency("USD")
