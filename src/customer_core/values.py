"""Value objects and the rules of free-text fields.

Every value validates and normalises in its constructor, so an instance that
exists is valid: ``Email("NOT AN EMAIL")`` raises ``ValueError`` with a
message fit for a client. The rules also describe themselves (lengths,
patterns), so the edges can publish exactly what they enforce."""

from __future__ import annotations

import enum
import functools
import re
import sys
import unicodedata
import uuid
from typing import Any, ClassVar, NewType

import attrs
import idna

__all__ = [
    "UNSET",
    "CountryCode",
    "Currency",
    "Digits",
    "Email",
    "Gender",
    "Id",
    "Language",
    "MediaId",
    "Phone",
    "Text",
    "Unset",
    "as_id",
    "digits",
    "text",
    "is_id",
    "is_value_object",
]

Id = NewType("Id", str)
"""An entity id: 24 lower-case hex digits (a MongoDB ObjectId)."""

_ID = re.compile(r"[0-9a-f]{24}")
# What ``as_id`` accepts, for schemas.
ID_PATTERN = r"^\s*[0-9A-Fa-f]{24}\s*$"


def is_value_object(cls: Any) -> bool:
    """Email, Phone, ...: attrs classes holding one ``value``."""
    return isinstance(cls, type) and attrs.has(cls) and [f.name for f in attrs.fields(cls)] == ["value"]


def is_id(raw: object) -> bool:
    return isinstance(raw, str) and _ID.fullmatch(raw) is not None


def as_id(raw: str) -> Id | None:
    """The id ``raw`` names (in any case), or None if it names none."""
    lowered = raw.strip().lower()
    return Id(lowered) if is_id(lowered) else None


class Unset(enum.Enum):
    """Marks a field of a partial update that was not given."""

    UNSET = "UNSET"

    def __repr__(self) -> str:
        return "UNSET"


UNSET = Unset.UNSET


# Control, format (bidi overrides, zero-width) and surrogate characters.
# Private-use characters pass: a font draws them, and leaving their 137,000
# code points out of the published pattern keeps it cheap to generate from.
_HIDDEN = frozenset({"Cc", "Cf", "Cs"})


@functools.cache
def _hidden_class() -> str:
    """A regex character-class body of every hidden character, as literal
    characters (so Python and JSON Schema's regex engines read it alike).
    Surrogates are left out: they cannot stand in UTF-8 text, and a JSON
    string escaping one is refused whatever its pattern."""
    points = [
        cp
        for cp in range(sys.maxunicode + 1)
        if unicodedata.category(chr(cp)) in _HIDDEN and not 0xD800 <= cp <= 0xDFFF
    ]
    runs: list[list[int]] = []
    for point in points:
        if runs and runs[-1][1] == point - 1:
            runs[-1][1] = point
        else:
            runs.append([point, point])
    return "".join(re.escape(chr(a)) + (f"-{re.escape(chr(b))}" if b > a else "") for a, b in runs)


@attrs.frozen
class Text:
    """The rules of a free-text field, as an attrs converter: at most
    ``max_length`` characters as sent, trimmed, not empty, and free of
    control and format characters. ``pattern`` states the same rules as a
    regular expression over the raw text."""

    max_length: int

    @property
    def pattern(self) -> str:
        hidden = _hidden_class()
        return rf"^\s*[^\s{hidden}](?:[^{hidden}]*[^\s{hidden}])?\s*$"

    def __call__(self, raw: Any) -> Any:
        if not isinstance(raw, str):  # None and UNSET pass: the field's type decides about them
            return raw
        if len(raw) > self.max_length:
            raise ValueError(f"must be at most {self.max_length} characters")
        value = raw.strip()
        if not value:
            raise ValueError("must not be empty")
        if any(unicodedata.category(ch) in _HIDDEN for ch in value):
            raise ValueError("must not contain control characters")
        return value


@attrs.frozen
class Digits:
    """The rule of a one-time code, as an attrs converter: exactly
    ``length`` ASCII digits, nothing around them."""

    length: int

    @property
    def pattern(self) -> str:
        return rf"^[0-9]{{{self.length}}}$"

    @property
    def min_length(self) -> int:
        return self.length

    @property
    def max_length(self) -> int:
        return self.length

    def __call__(self, raw: Any) -> Any:
        if isinstance(raw, str) and not re.fullmatch(self.pattern, raw):
            raise ValueError(f"must be {self.length} digits")
        return raw


_LOCAL_PART = re.compile(r"^[a-z0-9!#$%&'*+/=?^_`{|}~-]+(\.[a-z0-9!#$%&'*+/=?^_`{|}~-]+)*$")
_DOMAIN_LABEL = re.compile(r"^(?!-)[a-z0-9-]{1,63}(?<!-)$")


class _Value:
    """What every value object shares: it reads as its text."""

    __slots__ = ()
    value: str

    def __str__(self) -> str:
        return self.value


def _email(raw: str) -> str:
    if not isinstance(raw, str) or len(raw) > Email.max_length:
        raise ValueError("not a valid email address")
    local, sep, domain = raw.strip().lower().rpartition("@")
    if not sep or not local or not domain or len(local) > 64:
        raise ValueError("not a valid email address")
    try:
        # IDNA 2008 with UTS #46 mapping, non-transitional: 'straße.de' stays
        # xn--strae-oqa.de, not the other domain strasse.de (IDNA 2003's answer).
        domain = idna.encode(domain, uts46=True, transitional=False).decode("ascii")
    except (idna.IDNAError, UnicodeError):
        raise ValueError("not a valid email address") from None
    labels = domain.split(".")
    if (
        not _LOCAL_PART.fullmatch(local)
        or len(labels) < 2
        or not all(_DOMAIN_LABEL.fullmatch(label) for label in labels)
        or labels[-1].isdigit()
    ):
        raise ValueError("not a valid email address")
    return f"{local}@{domain}"


@attrs.frozen
class Email(_Value):
    """A mailbox address, trimmed and lower-cased (both parts), so one
    spelling is one account. Internationalised domains are kept in their
    ASCII (punycode) form, after IDNA 2008 (UTS #46)."""

    max_length: ClassVar[int] = 254
    format: ClassVar[str] = "email"

    value: str = attrs.field(converter=_email)

    @property
    def local_part(self) -> str:
        return self.value.rpartition("@")[0]


_PHONE_SEPARATORS = r"[\s.()-]"


def _phone(raw: str) -> str:
    if not isinstance(raw, str) or len(raw) > Phone.max_length or not re.fullmatch(Phone.pattern, raw):
        raise ValueError("must be an E.164 phone number, e.g. +441234567890")
    return re.sub(_PHONE_SEPARATORS, "", raw)


@attrs.frozen
class Phone(_Value):
    """A phone number in E.164 form: '+', country code, up to 15 digits.
    Spaces, dots, dashes and parentheses may separate the digits."""

    max_length: ClassVar[int] = 64
    pattern: ClassVar[str] = (
        rf"^{_PHONE_SEPARATORS}*\+{_PHONE_SEPARATORS}*[1-9](?:{_PHONE_SEPARATORS}*[0-9]){{6,14}}{_PHONE_SEPARATORS}*$"
    )

    value: str = attrs.field(converter=_phone)


# RFC 5646 well-formed tags: language, optional extlang, script, region, variants.
_BCP47 = re.compile(
    r"^(?P<lang>[a-z]{2,3}(?:-[a-z]{3}){0,3}|[a-z]{4,8})"
    r"(?:-(?P<script>[a-z]{4}))?"
    r"(?:-(?P<region>[a-z]{2}|[0-9]{3}))?"
    r"(?P<rest>(?:-(?:[a-z0-9]{5,8}|[0-9][a-z0-9]{3}))*)$"
)


def _language(raw: str) -> str:
    match = _BCP47.fullmatch(raw.strip().replace("_", "-").lower()) if isinstance(raw, str) and len(raw) <= 35 else None
    if not match:
        raise ValueError("must be a BCP 47 language tag, e.g. en or pt-BR")
    parts = [match["lang"]]
    if match["script"]:
        parts.append(match["script"].title())
    if match["region"]:
        parts.append(match["region"].upper())
    return "-".join(parts) + match["rest"]


@attrs.frozen
class Language(_Value):
    """A BCP 47 language tag in canonical case: 'en', 'pt-BR', 'zh-Hant-TW'
    (any case and '_' for '-' accepted)."""

    max_length: ClassVar[int] = 35
    pattern: ClassVar[str] = (
        r"^\s*(?:[A-Za-z]{2,3}(?:[-_][A-Za-z]{3}){0,3}|[A-Za-z]{4,8})(?:[-_][A-Za-z]{4})?"
        r"(?:[-_](?:[A-Za-z]{2}|[0-9]{3}))?(?:[-_](?:[A-Za-z0-9]{5,8}|[0-9][A-Za-z0-9]{3}))*\s*$"
    )

    value: str = attrs.field(converter=_language)


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


def _any_of(codes: frozenset[str]) -> str:
    """A pattern accepting any of ``codes`` in any case, with space around."""
    spelled = ("".join(f"[{ch.upper()}{ch.lower()}]" for ch in code) for code in sorted(codes))
    return r"^\s*(?:" + "|".join(spelled) + r")\s*$"


def _one_of(codes: frozenset[str], raw: object, max_length: int, problem: str) -> str:
    code = raw.strip().upper() if isinstance(raw, str) and len(raw) <= max_length else ""
    if code not in codes:
        raise ValueError(problem)
    return code


def _currency(raw: str) -> str:
    return _one_of(ISO_4217, raw, Currency.max_length, "must be an ISO 4217 currency code, e.g. USD")


@attrs.frozen
class Currency(_Value):
    """An ISO 4217 currency code, upper case (any case accepted)."""

    max_length: ClassVar[int] = 16
    pattern: ClassVar[str] = _any_of(ISO_4217)

    value: str = attrs.field(converter=_currency)


# ISO 3166-1 alpha-2 officially assigned codes (249).
ISO_3166 = frozenset(
    """
    AD AE AF AG AI AL AM AO AQ AR AS AT AU AW AX AZ BA BB BD BE BF BG BH BI BJ BL BM BN BO BQ BR BS BT BV
    BW BY BZ CA CC CD CF CG CH CI CK CL CM CN CO CR CU CV CW CX CY CZ DE DJ DK DM DO DZ EC EE EG EH ER ES
    ET FI FJ FK FM FO FR GA GB GD GE GF GG GH GI GL GM GN GP GQ GR GS GT GU GW GY HK HM HN HR HT HU ID IE
    IL IM IN IO IQ IR IS IT JE JM JO JP KE KG KH KI KM KN KP KR KW KY KZ LA LB LC LI LK LR LS LT LU LV LY
    MA MC MD ME MF MG MH MK ML MM MN MO MP MQ MR MS MT MU MV MW MX MY MZ NA NC NE NF NG NI NL NO NP NR NU
    NZ OM PA PE PF PG PH PK PL PM PN PR PS PT PW PY QA RE RO RS RU RW SA SB SC SD SE SG SH SI SJ SK SL SM
    SN SO SR SS ST SV SX SY SZ TC TD TF TG TH TJ TK TL TM TN TO TR TT TV TW TZ UA UG UM US UY UZ VA VC VE
    VG VI VN VU WF WS YE YT ZA ZM ZW
    """.split()
)


def _country(raw: str) -> str:
    return _one_of(ISO_3166, raw, CountryCode.max_length, "must be an ISO 3166-1 alpha-2 country code, e.g. US")


@attrs.frozen
class CountryCode(_Value):
    """An ISO 3166-1 alpha-2 country code, upper case (any case accepted)."""

    max_length: ClassVar[int] = 16
    pattern: ClassVar[str] = _any_of(ISO_3166)

    value: str = attrs.field(converter=_country)


def _media_id(raw: str) -> str:
    if not isinstance(raw, str) or not re.fullmatch(MediaId.pattern, raw):
        raise ValueError("must be a media id (UUID)")
    return str(uuid.UUID(raw))


@attrs.frozen
class MediaId(_Value):
    """The id of a file the Media Service holds: a UUID, in canonical form."""

    max_length: ClassVar[int] = 36
    format: ClassVar[str] = "uuid"
    pattern: ClassVar[str] = r"^[0-9A-Fa-f]{8}-[0-9A-Fa-f]{4}-[0-9A-Fa-f]{4}-[0-9A-Fa-f]{4}-[0-9A-Fa-f]{12}$"

    value: str = attrs.field(converter=_media_id)


class Gender(enum.StrEnum):
    FEMALE = "female"
    MALE = "male"
    NON_BINARY = "non_binary"
    PREFER_NOT_TO_SAY = "prefer_not_to_say"


def text(max_length: int, *, default: Any = attrs.NOTHING) -> Any:
    """An attrs field of free text under the ``Text`` rules."""
    return attrs.field(default=default, converter=Text(max_length))


def digits(length: int) -> Any:
    """An attrs field of a one-time code under the ``Digits`` rule, kept out of reprs."""
    return attrs.field(repr=False, converter=Digits(length), metadata={"description": f"{length} digits (0-9)"})
