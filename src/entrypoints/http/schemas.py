"""The JSON shapes of the API. Request bodies refuse unknown fields; the
response structs are what the routes return, so the OpenAPI document shows
exactly what clients get."""

from __future__ import annotations

import datetime as dt
from typing import Any

import msgspec
from msgspec import UNSET, UnsetType

from customer_core import Customer, TokenPair
from customer_core.addresses import Address
from customer_core.use_cases.sessions import SessionView
from customer_core.values import Preferences


class Body(msgspec.Struct, forbid_unknown_fields=True, rename="camel"):
    def provided(self, *names: str) -> dict[str, Any]:
        """Fields the client sent (``null`` included), by attribute name."""
        return {name: getattr(self, name) for name in names if getattr(self, name) is not UNSET}


class Out(msgspec.Struct, rename="camel"):
    pass


def iso(moment: dt.datetime | None) -> str | None:
    if moment is None:
        return None
    return moment.astimezone(dt.UTC).isoformat(timespec="milliseconds").replace("+00:00", "Z")


# --- requests -------------------------------------------------------------


class PreferencesPatch(Body):
    newsletter: bool | UnsetType = UNSET
    sms_notifications: bool | UnsetType = UNSET
    language: str | UnsetType = UNSET
    currency: str | UnsetType = UNSET

    def changes(self) -> dict[str, Any]:
        return self.provided("newsletter", "sms_notifications", "language", "currency")


class RegisterRequest(Body):
    email: str
    password: str
    first_name: str
    last_name: str
    phone: str | None = None
    date_of_birth: str | None = None
    gender: str | None = None
    preferences: PreferencesPatch | None = None


class LoginRequest(Body):
    email: str
    password: str


class RefreshRequest(Body):
    refresh_token: str


class TokenRequest(Body):
    token: str


class ForgotPasswordRequest(Body):
    email: str


class ResetPasswordRequest(Body):
    token: str
    new_password: str


class ChangePasswordRequest(Body):
    current_password: str
    new_password: str


class EmailChangeRequest(Body):
    new_email: str
    password: str


ADDRESS_FIELDS = (
    "type", "label", "first_name", "last_name", "company", "street", "street2", "city", "state", "country",
    "postal_code", "phone", "is_default_shipping", "is_default_billing",
)  # fmt: skip


class AddressCreate(Body):
    first_name: str
    last_name: str
    street: str
    city: str
    country: str
    type: str | UnsetType = UNSET
    label: str | None | UnsetType = UNSET
    company: str | None | UnsetType = UNSET
    street2: str | None | UnsetType = UNSET
    state: str | None | UnsetType = UNSET
    postal_code: str | None | UnsetType = UNSET
    phone: str | None | UnsetType = UNSET
    is_default_shipping: bool | UnsetType = UNSET
    is_default_billing: bool | UnsetType = UNSET

    def fields(self) -> dict[str, Any]:
        return self.provided(*ADDRESS_FIELDS)


class AddressPatch(Body):
    type: str | UnsetType = UNSET
    label: str | None | UnsetType = UNSET
    first_name: str | UnsetType = UNSET
    last_name: str | UnsetType = UNSET
    company: str | None | UnsetType = UNSET
    street: str | UnsetType = UNSET
    street2: str | None | UnsetType = UNSET
    city: str | UnsetType = UNSET
    state: str | None | UnsetType = UNSET
    country: str | UnsetType = UNSET
    postal_code: str | None | UnsetType = UNSET
    phone: str | None | UnsetType = UNSET
    is_default_shipping: bool | UnsetType = UNSET
    is_default_billing: bool | UnsetType = UNSET

    def fields(self) -> dict[str, Any]:
        return self.provided(*ADDRESS_FIELDS)


class ProfilePatch(Body):
    first_name: str | UnsetType = UNSET
    last_name: str | UnsetType = UNSET
    phone: str | None | UnsetType = UNSET
    date_of_birth: str | None | UnsetType = UNSET
    gender: str | None | UnsetType = UNSET
    profile_image: str | None | UnsetType = UNSET

    def changes(self) -> dict[str, Any]:
        return self.provided("first_name", "last_name", "phone", "date_of_birth", "gender", "profile_image")


# --- responses ------------------------------------------------------------


class PreferencesOut(Out):
    newsletter: bool
    sms_notifications: bool
    language: str
    currency: str

    @classmethod
    def of(cls, preferences: Preferences) -> PreferencesOut:
        return cls(
            newsletter=preferences.newsletter,
            sms_notifications=preferences.sms_notifications,
            language=str(preferences.language),
            currency=str(preferences.currency),
        )


class CustomerOut(Out):
    id: str
    email: str
    first_name: str
    last_name: str
    phone: str | None
    date_of_birth: str | None
    gender: str | None
    profile_image: str | None
    preferences: PreferencesOut
    is_active: bool
    is_verified: bool
    email_verified: bool
    phone_verified: bool
    total_orders: int
    total_spent: float
    loyalty_points: int
    created_at: str
    updated_at: str
    last_login: str | None

    @classmethod
    def of(cls, customer: Customer) -> CustomerOut:
        return cls(
            id=customer.id,
            email=str(customer.email),
            first_name=str(customer.first_name),
            last_name=str(customer.last_name),
            phone=str(customer.phone) if customer.phone else None,
            date_of_birth=customer.date_of_birth.value.isoformat() if customer.date_of_birth else None,
            gender=customer.gender.value if customer.gender else None,
            profile_image=customer.profile_image,
            preferences=PreferencesOut.of(customer.preferences),
            is_active=customer.is_active,
            is_verified=customer.is_verified,
            email_verified=customer.email_verified,
            phone_verified=customer.phone_verified,
            total_orders=customer.total_orders,
            total_spent=customer.total_spent,
            loyalty_points=customer.loyalty_points,
            created_at=iso(customer.created_at) or "",
            updated_at=iso(customer.updated_at) or "",
            last_login=iso(customer.last_login),
        )


class TokensOut(Out):
    access_token: str
    refresh_token: str
    token_type: str
    expires_in: int
    refresh_expires_in: int

    @classmethod
    def of(cls, tokens: TokenPair) -> TokensOut:
        return cls(
            access_token=tokens.access_token,
            refresh_token=tokens.refresh_token,
            token_type=tokens.token_type,
            expires_in=tokens.expires_in,
            refresh_expires_in=tokens.refresh_expires_in,
        )


class CustomerWithTokens(Out):
    customer: CustomerOut
    tokens: TokensOut


class AddressOut(Out):
    id: str
    type: str
    label: str | None
    first_name: str
    last_name: str
    company: str | None
    street: str
    street2: str | None
    city: str
    state: str | None
    country: str
    postal_code: str | None
    phone: str | None
    is_default_shipping: bool
    is_default_billing: bool
    created_at: str
    updated_at: str

    @classmethod
    def of(cls, address: Address) -> AddressOut:
        return cls(
            id=address.id,
            type=address.type.value,
            label=address.label,
            first_name=address.first_name,
            last_name=address.last_name,
            company=address.company,
            street=address.street,
            street2=address.street2,
            city=address.city,
            state=address.state,
            country=address.country,
            postal_code=address.postal_code,
            phone=str(address.phone) if address.phone else None,
            is_default_shipping=address.is_default_shipping,
            is_default_billing=address.is_default_billing,
            created_at=iso(address.created_at) or "",
            updated_at=iso(address.updated_at) or "",
        )


class AddressList(Out):
    items: list[AddressOut]


class CustomerResponse(Out):
    customer: CustomerOut


class Accepted(Out):
    message: str


class TokensResponse(Out):
    tokens: TokensOut


class SessionOut(Out):
    id: str
    created_at: str
    last_used_at: str
    user_agent: str | None
    ip_address: str | None
    current: bool

    @classmethod
    def of(cls, view: SessionView) -> SessionOut:
        session = view.session
        return cls(
            id=session.id,
            created_at=iso(session.created_at) or "",
            last_used_at=iso(session.last_used_at) or "",
            user_agent=session.user_agent,
            ip_address=session.ip_address,
            current=view.current,
        )


class SessionList(Out):
    items: list[SessionOut]


class FieldProblem(Out):
    field: str
    message: str


class Problem(Out):
    """RFC 9457 problem details, as every error response carries them."""

    type: str
    title: str
    status: int
    detail: str
    code: str
    request_id: str
    errors: list[FieldProblem] | UnsetType = UNSET


class DependencyStatus(Out):
    status: str
    latency_ms: float


class Readiness(Out):
    status: str
    dependencies: dict[str, DependencyStatus]


class Liveness(Out):
    status: str
