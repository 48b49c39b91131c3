import datetime as dt
import re
import string

import pytest
from hypothesis import given
from hypothesis import strategies as st

from customer_core.customer import MAX_AGE_YEARS, Preferences, birth_date_problem, plausible_birth_date
from customer_core.values import (
    ISO_4217,
    CountryCode,
    Currency,
    Email,
    Language,
    MediaId,
    Phone,
    Text,
    as_id,
)

CONTROL = st.characters(categories=["Cc"])
CONTROL_OR_FORMAT = st.characters(categories=["Cc", "Cf"])
PRINTABLE = st.characters(exclude_categories=["Cc", "Cf", "Cs", "Co", "Cn"])
# Surrogates cannot stand in UTF-8 text; JSON strings escaping one are refused before any pattern.
HIDDEN = st.characters(categories=["Cc", "Cf"])
WHITESPACE = st.text(alphabet=" \t\n\r\u00a0\u2003", max_size=3)


def _rejects(parse, raw, **kwargs) -> str:
    with pytest.raises(ValueError) as error:
        parse(raw, **kwargs)
    return str(error.value)


@st.composite
def spelling_variants(draw, text: str) -> str:
    flips = draw(st.lists(st.booleans(), min_size=len(text), max_size=len(text)))
    varied = "".join(ch.upper() if flip else ch for ch, flip in zip(text, flips, strict=True))
    return draw(WHITESPACE) + varied + draw(WHITESPACE)


# -- Text ---------------------------------------------------------------------


def check_text(raw, *, max_length):
    return Text(max_length)(raw)


def test_text_trims_surrounding_whitespace():
    assert check_text("  Ada \n", max_length=10) == "Ada"


def test_text_measures_length_in_code_points_as_sent():
    assert check_text("é" * 10, max_length=10) == "é" * 10
    assert _rejects(check_text, "é" * 11, max_length=10) == "must be at most 10 characters"
    assert _rejects(check_text, " " + "é" * 10, max_length=10) == "must be at most 10 characters"


def test_text_rejects_empty_and_blank_text():
    assert _rejects(check_text, "", max_length=10) == "must not be empty"
    assert _rejects(check_text, " \t ", max_length=10) == "must not be empty"


def test_text_leaves_an_absent_value_to_the_field_type():
    assert check_text(None, max_length=10) is None


@pytest.mark.parametrize("bad", ["\x00", "\u202e", "\u200b", "\ud800", "\x1b", "\U000e0001"])
def test_text_rejects_control_format_and_surrogate_characters(bad):
    assert _rejects(check_text, f"Ada{bad}Lovelace", max_length=100) == "must not contain control characters"


@pytest.mark.parametrize("private", ["\ue000", "\uf8ff", "\U000f0000", "\U0010fffd"])
def test_text_accepts_private_use_characters(private):
    assert check_text(f"Ada{private}", max_length=100) == f"Ada{private}"


def _accepts(rule, raw) -> bool:
    try:
        rule(raw)
    except ValueError:
        return False
    return True


@given(st.text(max_size=30))
def test_text_pattern_accepts_exactly_what_the_rule_accepts(raw):
    rule = Text(30)
    assert (re.fullmatch(rule.pattern, raw) is not None) == _accepts(rule, raw)


@given(st.text(alphabet=PRINTABLE, min_size=1, max_size=5), HIDDEN, st.text(alphabet=PRINTABLE, min_size=1, max_size=5))
def test_text_pattern_refuses_every_hidden_character(before, bad, after):
    assert re.fullmatch(Text(30).pattern, before + bad + after) is None


# -- Email --------------------------------------------------------------------


@given(st.emails())
def test_email_parse_is_idempotent_on_its_output(raw):
    email = Email(raw)
    assert Email(email.value) == email
    assert Email(str(email)) == email


@given(st.emails().flatmap(lambda raw: st.tuples(spelling_variants(raw), spelling_variants(raw))))
def test_email_spellings_differing_in_case_or_surrounding_whitespace_are_one_address(spellings):
    first, second = (Email(spelling) for spelling in spellings)
    assert first == second
    assert first.value == first.value.strip().lower()


def test_email_keeps_the_local_part_separately():
    assert Email(" Ada.Lovelace+news@Example.COM ").local_part == "ada.lovelace+news"


def test_email_stores_internationalised_domains_as_punycode():
    assert Email("ada@Bücher.de").value == "ada@xn--bcher-kva.de"


def test_email_domains_follow_idna_2008_so_a_sharp_s_is_its_own_domain():
    assert Email("x@straße.de").value == "x@xn--strae-oqa.de"
    assert Email("x@straße.de") != Email("x@strasse.de")
    assert Email("x@xn--strae-oqa.de") == Email("x@STRAẞE.de")


def test_email_domains_in_full_width_letters_map_to_ascii():
    assert Email("ada@ｅｘａｍｐｌｅ.com").value == "ada@example.com"


@given(st.text().filter(lambda text: "@" not in text))
def test_email_without_an_at_sign_is_rejected(raw):
    assert _rejects(Email, raw) == "not a valid email address"


@given(st.integers(min_value=65, max_value=300))
def test_email_with_a_local_part_over_64_characters_is_rejected(length):
    _rejects(Email, "a" * length + "@example.com")


def test_email_local_part_of_exactly_64_characters_is_accepted():
    assert Email("a" * 64 + "@example.com").local_part == "a" * 64


def _address_of_length(length: int) -> str:
    room = length - len("a" * 64 + "@" + ".com")
    labels = []
    while room > 63:
        labels.append("b" * 62)
        room -= 63
    labels.append("c" * room)
    return "a" * 64 + "@" + ".".join(labels) + ".com"


def test_email_of_254_characters_is_accepted_and_of_255_rejected():
    assert len(Email(_address_of_length(254)).value) == 254
    _rejects(Email, _address_of_length(255))


@given(st.integers(min_value=255, max_value=1000))
def test_email_over_254_characters_is_rejected(length):
    address = _address_of_length(length)
    assert len(address) == length
    _rejects(Email, address)


@given(st.emails(), CONTROL, st.data())
def test_email_containing_a_control_character_is_rejected(raw, bad, data):
    position = data.draw(st.integers(min_value=1, max_value=len(raw) - 1))
    _rejects(Email, raw[:position] + bad + raw[position:])


@pytest.mark.parametrize(
    "raw",
    [
        "",
        "   ",
        "@example.com",
        "ada@",
        "ada@localhost",
        "ada@@example.com",
        "ada lovelace@example.com",
        "ada..lovelace@example.com",
        ".ada@example.com",
        "ada.@example.com",
        "ada@-example.com",
        "ada@example-.com",
        "ada@example..com",
        "ada@192.168.0.1",
        "ada@exa_mple.com",
        "ada@" + "a" * 64 + ".com",
        "ada(comment)@example.com",
    ],
)
def test_email_malformed_addresses_are_rejected(raw):
    assert _rejects(Email, raw) == "not a valid email address"


@pytest.mark.parametrize("raw", [None, 7, b"ada@example.com"])
def test_email_that_is_not_a_string_is_rejected(raw):
    assert _rejects(Email, raw) == "not a valid email address"


def test_an_email_cannot_be_built_invalid():
    with pytest.raises(ValueError):
        Email("NOT AN EMAIL")


# -- Name ---------------------------------------------------------------------


@given(st.text(alphabet=PRINTABLE, min_size=1, max_size=100).map(str.strip).filter(bool))
def test_name_accepts_any_printable_text_up_to_100_characters(text):
    assert Text(100)(text) == text
    assert Text(100)(text) == text


@given(st.text(alphabet=PRINTABLE, min_size=1, max_size=100).map(str.strip).filter(bool), WHITESPACE, WHITESPACE)
def test_name_is_stored_trimmed(text, before, after):
    assert Text(100)(before + text + after) == text


def test_name_of_100_characters_is_accepted_and_of_101_rejected():
    assert Text(100)("n" * 100) == "n" * 100
    assert _rejects(Text(100), "n" * 101) == "must be at most 100 characters"


@given(st.integers(min_value=101, max_value=1000))
def test_name_over_100_characters_is_rejected(length):
    _rejects(Text(100), "ñ" * length)


@given(
    st.text(alphabet=PRINTABLE, min_size=2, max_size=99).map(str.strip).filter(lambda text: len(text) >= 2),
    CONTROL_OR_FORMAT,
    st.data(),
)
def test_name_containing_a_control_or_format_character_is_rejected(text, bad, data):
    position = data.draw(st.integers(min_value=1, max_value=len(text) - 1))
    assert _rejects(Text(100), text[:position] + bad + text[position:]) == "must not contain control characters"


@pytest.mark.parametrize("raw", ["Ada\x00", "\u202eecalevoL", "Ada\u202eLovelace", "A\u0000da"])
def test_name_with_nul_or_bidi_override_is_rejected(raw):
    _rejects(Text(100), raw)


def test_blank_name_is_rejected():
    assert _rejects(Text(100), "   ") == "must not be empty"


# -- Phone --------------------------------------------------------------------

E164_DIGITS = st.builds(
    lambda first, rest: first + rest,
    st.sampled_from("123456789"),
    st.text(alphabet=string.digits, min_size=6, max_size=14),
)


@given(E164_DIGITS)
def test_phone_accepts_e164_numbers(digits):
    assert Phone("+" + digits).value == "+" + digits


@given(E164_DIGITS, st.data())
def test_phone_strips_spaces_dots_dashes_and_parentheses(digits, data):
    separators = data.draw(
        st.lists(st.text(alphabet=" .-()\t", max_size=2), min_size=len(digits), max_size=len(digits))
    )
    spaced = "+" + "".join(digit + sep for digit, sep in zip(digits, separators, strict=True))
    assert Phone(spaced).value == "+" + digits


def test_phone_written_with_common_separators_is_compacted():
    assert Phone("+44 (20) 7946-0958").value == "+442079460958"
    assert str(Phone("+1.415.555.2671")) == "+14155552671"


@given(st.text(alphabet=string.digits, min_size=1, max_size=6) | st.text(alphabet=string.digits, min_size=16))
def test_phone_with_too_few_or_too_many_digits_is_rejected(digits):
    assert _rejects(Phone, "+" + digits).startswith("must be an E.164 phone number")


@given(E164_DIGITS)
def test_phone_without_the_plus_sign_is_rejected(digits):
    _rejects(Phone, digits)


@given(st.text(alphabet=string.digits, min_size=6, max_size=14))
def test_phone_with_a_leading_zero_country_code_is_rejected(digits):
    _rejects(Phone, "+0" + digits)


@pytest.mark.parametrize(
    "raw", ["", "+", "+44 1234 ABC 890", "++441234567890", "+44/1234567890", "+٤٤١٢٣٤٥٦٧٨٩٠", "tel:+441234567890"]
)
def test_phone_with_other_characters_is_rejected(raw):
    _rejects(Phone, raw)


def test_phone_that_is_not_a_string_is_rejected():
    assert _rejects(Phone, 441234567890).startswith("must be an E.164 phone number")


@given(st.text(alphabet=" .-()+0123456789", max_size=24))
def test_phone_pattern_accepts_exactly_what_the_rule_accepts(raw):
    assert (re.fullmatch(Phone.pattern, raw) is not None) == _accepts(Phone, raw)


# -- date of birth ------------------------------------------------------------

TODAY = dt.date(2026, 3, 15)


@given(st.dates(min_value=dt.date(1896, 3, 15), max_value=dt.date(2026, 3, 14)))
def test_date_of_birth_in_the_past_within_130_years_is_accepted(day):
    assert birth_date_problem(day, today=TODAY) is None


@given(st.dates(min_value=TODAY))
def test_date_of_birth_today_or_in_the_future_is_rejected(day):
    assert birth_date_problem(day, today=TODAY) == "must be in the past"


@given(st.dates(max_value=dt.date(1896, 3, 14)))
def test_date_of_birth_more_than_130_years_ago_is_rejected(day):
    assert birth_date_problem(day, today=TODAY) == f"must be within the last {MAX_AGE_YEARS} years"


def test_date_of_birth_limit_on_29_february_falls_back_to_28_february():
    leap_day = dt.date(2028, 2, 29)
    assert birth_date_problem(dt.date(1898, 2, 28), today=leap_day) is None
    assert birth_date_problem(dt.date(1898, 2, 27), today=leap_day) is not None


def test_a_given_date_of_birth_is_checked_against_today():
    assert plausible_birth_date(dt.date(1990, 7, 1)) == dt.date(1990, 7, 1)
    assert plausible_birth_date(None) is None
    assert _rejects(plausible_birth_date, dt.date.today() + dt.timedelta(days=2)) == "must be in the past"


# -- Language -----------------------------------------------------------------


@pytest.mark.parametrize(
    ("raw", "canonical"),
    [
        ("en", "en"),
        ("EN", "en"),
        ("PT_br", "pt-BR"),
        ("pt-br", "pt-BR"),
        ("zh-hant-tw", "zh-Hant-TW"),
        ("ZH_HANT_TW", "zh-Hant-TW"),
        ("sr-latn", "sr-Latn"),
        ("es-419", "es-419"),
        ("zh-yue-hk", "zh-yue-HK"),
        ("de-ch-1996", "de-CH-1996"),
        ("sl-rozaj", "sl-rozaj"),
        (" en-gb ", "en-GB"),
    ],
)
def test_language_tags_are_put_in_canonical_case(raw, canonical):
    assert Language(raw).value == canonical


LANGUAGE_TAGS = st.builds(
    lambda lang, script, region: "-".join(part for part in (lang, script, region) if part),
    st.from_regex(r"[a-z]{2,3}", fullmatch=True),
    st.none() | st.from_regex(r"[A-Z][a-z]{3}", fullmatch=True),
    st.none() | st.from_regex(r"(?:[A-Z]{2}|[0-9]{3})", fullmatch=True),
)


@given(LANGUAGE_TAGS.flatmap(lambda tag: st.tuples(st.just(tag), spelling_variants(tag.lower()), st.booleans())))
def test_language_tags_in_any_case_or_separator_give_the_canonical_tag(case):
    canonical, spelling, underscores = case
    if underscores:
        spelling = spelling.replace("-", "_")
    parsed = Language(spelling)
    assert parsed.value == canonical
    assert Language(parsed.value) == parsed


@pytest.mark.parametrize(
    "raw",
    ["", "e", "en-", "-en", "en--us", "en-us-", "123", "en_US.UTF-8", "en-u", "x-klingon", "e n", "ën"],
)
def test_language_junk_is_rejected(raw):
    assert _rejects(Language, raw) == "must be a BCP 47 language tag, e.g. en or pt-BR"


def test_language_tag_over_35_characters_is_rejected():
    _rejects(Language, "en-" + "-".join(["abcdefgh"] * 4))


@pytest.mark.parametrize("raw", [None, 1, ["en"]])
def test_language_that_is_not_a_string_is_rejected(raw):
    _rejects(Language, raw)


@given(st.text(alphabet="abcdefghijklmnopqrstuvwxyzABCZ0123456789-_ ", max_size=20))
def test_language_pattern_accepts_exactly_what_the_rule_accepts(raw):
    assert (re.fullmatch(Language.pattern, raw) is not None) == _accepts(Language, raw)


# -- Currency -----------------------------------------------------------------


@given(
    st.sampled_from(sorted(ISO_4217)).flatmap(lambda code: st.tuples(st.just(code), spelling_variants(code.lower())))
)
def test_currency_accepts_iso_codes_in_any_case(case):
    code, spelling = case
    assert Currency(spelling).value == code
    assert str(Currency(spelling)) == code


def test_currency_list_holds_the_common_codes():
    assert {"USD", "EUR", "GBP", "JPY", "CHF", "BRL"} <= ISO_4217


@given(st.from_regex(r"[A-Za-z]{3}", fullmatch=True).filter(lambda code: code.upper() not in ISO_4217))
def test_currency_three_letter_codes_not_in_iso_4217_are_rejected(raw):
    assert _rejects(Currency, raw) == "must be an ISO 4217 currency code, e.g. USD"


@given(st.text(alphabet=string.printable).filter(lambda text: len(text.strip()) != 3))
def test_currency_text_that_is_not_three_letters_is_rejected(raw):
    _rejects(Currency, raw)


@pytest.mark.parametrize("raw", ["XAU", "XTS", "US$", "€", "usd1", None, 840])
def test_currency_funds_metals_symbols_and_non_strings_are_rejected(raw):
    _rejects(Currency, raw)


@given(st.sampled_from(sorted(ISO_4217)).flatmap(spelling_variants) | st.text(alphabet="ABCUSDEURxyz ", max_size=5))
def test_currency_pattern_accepts_exactly_what_the_rule_accepts(raw):
    assert (re.fullmatch(Currency.pattern, raw) is not None) == _accepts(Currency, raw)


# -- country codes, media ids, ids ---------------------------------------------


@pytest.mark.parametrize(("raw", "code"), [("us", "US"), (" Gb ", "GB"), ("DE", "DE")])
def test_country_codes_are_upper_cased(raw, code):
    assert CountryCode(raw).value == code


@pytest.mark.parametrize("raw", ["", "U", "USA", "U5", "ü s", None])
def test_anything_but_two_letters_is_not_a_country_code(raw):
    assert _rejects(CountryCode, raw) == "must be an ISO 3166-1 alpha-2 country code, e.g. US"


@given(st.uuids())
def test_media_ids_are_uuids_in_canonical_form(raw):
    assert MediaId(str(raw).upper()).value == str(raw)


@pytest.mark.parametrize(
    "raw", ["", "not-a-uuid", "3f0c8a527d1e4b1a9c550a1b2c3d4e5f", "{3f0c8a52-7d1e-4b1a-9c55-0a1b2c3d4e5f}"]
)
def test_anything_but_a_dashed_uuid_is_not_a_media_id(raw):
    assert _rejects(MediaId, raw) == "must be a media id (UUID)"


def test_ids_are_read_in_any_case_and_anything_else_names_nothing():
    assert as_id(" ABCDEF0123456789ABCDEF01 ") == "abcdef0123456789abcdef01"
    assert [as_id(raw) for raw in ("", "xyz", "0" * 23, "0" * 25, "g" * 24)] == [None] * 5


# -- Preferences --------------------------------------------------------------


def test_preferences_default_to_english_dollars_and_no_messages():
    preferences = Preferences()
    assert (preferences.newsletter, preferences.sms_notifications) == (False, False)
    assert (preferences.language, preferences.currency) == (Language("en"), Currency("USD"))
