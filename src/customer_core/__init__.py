"""customer_core: the framework-free domain of the customer service.

Build a ``CustomerService`` from ``Ports`` (adapters) and ``Policies`` with
``CustomerService.assemble``; see the README's "Embedding the core"."""

from customer_core.customer import Customer, PreferenceChanges, Preferences, ProfileChanges
from customer_core.errors import (
    AccountDisabled,
    DomainError,
    EmailTaken,
    FieldError,
    InvalidCredentials,
    NotFound,
    TokenInvalid,
    Unauthenticated,
    ValidationFailed,
)
from customer_core.lockout import LockoutPolicy
from customer_core.passwords import PasswordPolicy
from customer_core.service import CustomerService, Policies, Ports
from customer_core.sessions import ClientInfo, Session
from customer_core.tokens import Principal, TokenPair
from customer_core.use_cases.login import Credentials
from customer_core.use_cases.registration import InitialPreferences, Registration
from customer_core.values import Email

__all__ = [
    "AccountDisabled",
    "ClientInfo",
    "Credentials",
    "Customer",
    "CustomerService",
    "DomainError",
    "Email",
    "EmailTaken",
    "FieldError",
    "InitialPreferences",
    "InvalidCredentials",
    "LockoutPolicy",
    "NotFound",
    "PasswordPolicy",
    "PreferenceChanges",
    "Preferences",
    "Principal",
    "ProfileChanges",
    "Policies",
    "Ports",
    "Registration",
    "Session",
    "TokenInvalid",
    "TokenPair",
    "Unauthenticated",
    "ValidationFailed",
]
