"""customer_core: the framework-free domain of the customer service.

``CustomerService`` holds every use case, ready to call (``service.login(...)``);
build it from ``Ports`` (adapters) and ``Policies`` with
``CustomerService.assemble``, or with every adapter wired by
``entrypoints.embedding.bootstrap``. The commands the use cases take
validate themselves (``Email("no")`` raises ``ValueError``); the use cases
raise the ``DomainError`` subclasses listed here. The ports an adapter
implements are in ``customer_core.ports``."""

from customer_core.addresses import Address, AddressChanges, AddressFields, AddressType
from customer_core.clients import ClientPrincipal, ClientToken, NewClient, Scope, ServiceClient
from customer_core.customer import Customer, PreferenceChanges, Preferences, ProfileChanges
from customer_core.errors import (
    AccountDisabled,
    AddressLimitReached,
    ConcurrentUpdate,
    DeliveryFailed,
    DependencyUnavailable,
    DomainError,
    EmailedTokenInvalid,
    EmailNotVerified,
    EmailTaken,
    FieldError,
    Forbidden,
    InsufficientScope,
    InvalidClient,
    InvalidCredentials,
    InvalidProfileImage,
    InvalidScope,
    NoPhone,
    NotFound,
    OrderConflict,
    Overloaded,
    PhoneCodeInvalid,
    RateLimited,
    TokenInvalid,
    Unauthenticated,
    ValidationFailed,
    WrongPassword,
)
from customer_core.lockout import LockoutPolicy, RateLimit
from customer_core.notifications import Links
from customer_core.orders import CompletedOrder, LoyaltyPolicy, Order, OrderTotals
from customer_core.passwords import PasswordPolicy
from customer_core.records import AuditEntry, Consent, ConsentSource, Event, Origin
from customer_core.service import CustomerService, Policies, Ports
from customer_core.sessions import ClientInfo, Session, SessionView
from customer_core.tokens import Principal, TokenPair
from customer_core.use_cases.admin import ImportReport, Rejected
from customer_core.use_cases.email_change import EmailChange
from customer_core.use_cases.emailed_tokens import TokenRedemption
from customer_core.use_cases.login import Credentials, LoggedIn
from customer_core.use_cases.passwords import PasswordChange, PasswordReset, ResetRequest
from customer_core.use_cases.phone_verification import PhoneCodeEntry
from customer_core.use_cases.privacy import AccountDeletion, ActivityEntry, ActivityPage, CustomerExport
from customer_core.use_cases.registration import InitialPreferences, Registered, Registration
from customer_core.use_cases.sessions import RefreshRequest
from customer_core.values import UNSET, CountryCode, Currency, Email, Gender, Id, Language, MediaId, Phone

__all__ = [
    # the service and how it is assembled
    "CustomerService",
    "Ports",
    "Policies",
    "LockoutPolicy",
    "RateLimit",
    "PasswordPolicy",
    "LoyaltyPolicy",
    "Links",
    # what the use cases take
    "Registration",
    "InitialPreferences",
    "Credentials",
    "RefreshRequest",
    "ProfileChanges",
    "PreferenceChanges",
    "AddressFields",
    "AddressChanges",
    "EmailChange",
    "TokenRedemption",
    "ResetRequest",
    "PasswordReset",
    "PasswordChange",
    "AccountDeletion",
    "PhoneCodeEntry",
    "CompletedOrder",
    "ClientInfo",
    "Principal",
    "ClientPrincipal",
    "Scope",
    "UNSET",
    # what they give back
    "Customer",
    "Preferences",
    "Address",
    "AddressType",
    "Session",
    "SessionView",
    "TokenPair",
    "Registered",
    "LoggedIn",
    "OrderTotals",
    "Order",
    "ServiceClient",
    "NewClient",
    "ClientToken",
    "Consent",
    "ConsentSource",
    "AuditEntry",
    "Event",
    "Origin",
    "ActivityEntry",
    "ActivityPage",
    "CustomerExport",
    "ImportReport",
    "Rejected",
    # values
    "Id",
    "Email",
    "Phone",
    "Language",
    "Currency",
    "CountryCode",
    "MediaId",
    "Gender",
    # errors
    "DomainError",
    "FieldError",
    "ValidationFailed",
    "InvalidProfileImage",
    "EmailTaken",
    "InvalidCredentials",
    "AccountDisabled",
    "EmailNotVerified",
    "TokenInvalid",
    "Unauthenticated",
    "NotFound",
    "DependencyUnavailable",
    "EmailedTokenInvalid",
    "PhoneCodeInvalid",
    "NoPhone",
    "WrongPassword",
    "RateLimited",
    "Overloaded",
    "AddressLimitReached",
    "ConcurrentUpdate",
    "Forbidden",
    "InsufficientScope",
    "OrderConflict",
    "InvalidClient",
    "InvalidScope",
    "DeliveryFailed",
]
