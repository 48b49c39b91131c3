"""customer_core: the framework-free domain of the customer service.

Build a ``CustomerService`` from ``Ports`` (adapters) and ``Policies``; see
the README's "Embedding the core" section."""

from customer_core.customer import Customer
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
from customer_core.use_cases.registration import Registration

__all__ = [
    "AccountDisabled",
    "ClientInfo",
    "Customer",
    "CustomerService",
    "DomainError",
    "EmailTaken",
    "FieldError",
    "InvalidCredentials",
    "LockoutPolicy",
    "NotFound",
    "PasswordPolicy",
    "Policies",
    "Ports",
    "Principal",
    "Registration",
    "Session",
    "TokenInvalid",
    "TokenPair",
    "Unauthenticated",
    "ValidationFailed",
]
