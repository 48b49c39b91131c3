"""The customer entity."""

from __future__ import annotations

import datetime as dt

import attrs

from customer_core.values import DateOfBirth, Email, Gender, Name, Phone, Preferences


@attrs.frozen(kw_only=True)
class Customer:
    id: str
    email: Email
    password_hash: str
    first_name: Name
    last_name: Name
    phone: Phone | None = None
    date_of_birth: DateOfBirth | None = None
    gender: Gender | None = None
    profile_image: str | None = None
    preferences: Preferences = Preferences()
    is_active: bool = True
    email_verified: bool = False
    phone_verified: bool = False
    total_orders: int = 0
    total_spent: float = 0.0
    loyalty_points: int = 0
    created_at: dt.datetime
    updated_at: dt.datetime
    last_login: dt.datetime | None = None
    failed_logins: int = 0
    locked_until: dt.datetime | None = None

    @property
    def is_verified(self) -> bool:
        return self.email_verified


# Fields a customer may change about themselves through the profile.
PROFILE_FIELDS = ("first_name", "last_name", "phone", "date_of_birth", "gender", "profile_image")
