"""The core assembled: every use case, wired to one set of ports and policies.

Use cases are attrs classes whose fields name what they need: a port or a
policy (found here by name) or another use case (built once and shared).
Adding a use case is its module plus one line in ``CustomerService``."""

from __future__ import annotations

import datetime as dt
from typing import Any, TypeVar

import attrs
from attrs import AttrsInstance

from customer_core.lockout import LockoutPolicy, RateLimit
from customer_core.notifications import Links
from customer_core.orders import LoyaltyPolicy
from customer_core.passwords import PasswordPolicy
from customer_core.ports import (
    AccessTokenIssuer,
    AddressRepository,
    AuditLog,
    Clock,
    ConsentLog,
    CustomerEvents,
    CustomerRepository,
    EmailedTokenRepository,
    IdGenerator,
    KeyedHasher,
    LockoutRepository,
    MediaCatalog,
    Notifier,
    OrderRepository,
    PasswordHasher,
    PhoneCodeRepository,
    PostalRules,
    RateLimiter,
    ServiceClientRepository,
    SessionRepository,
    SignedInCustomers,
    UnitOfWork,
)
from customer_core.use_cases.addresses import AddressBook
from customer_core.use_cases.admin import CustomerAdmin
from customer_core.use_cases.authenticate import Authenticate
from customer_core.use_cases.clients import AuthenticateClient, IssueClientToken, ServiceClients
from customer_core.use_cases.directory import CustomerDirectory
from customer_core.use_cases.email_change import ConfirmEmailChange, RequestEmailChange
from customer_core.use_cases.email_verification import ResendVerification, VerifyEmail
from customer_core.use_cases.login import Login
from customer_core.use_cases.orders import RecordOrder, RefundOrder
from customer_core.use_cases.passwords import ChangePassword, RequestPasswordReset, ResetPassword
from customer_core.use_cases.phone_verification import ConfirmPhone, SendPhoneCode
from customer_core.use_cases.preferences import GetPreferences, UpdatePreferences
from customer_core.use_cases.privacy import Activity, ConsentHistory, DeleteAccount, Export
from customer_core.use_cases.profile import GetProfile, UpdateProfile
from customer_core.use_cases.registration import Register
from customer_core.use_cases.sessions import ListSessions, Logout, LogoutAll, Refresh, RevokeSession
from customer_core.values import Currency

A = TypeVar("A", bound=AttrsInstance)


@attrs.frozen(kw_only=True)
class Ports:
    customers: CustomerRepository
    lockouts: LockoutRepository
    sessions: SessionRepository
    signed_in: SignedInCustomers
    emailed_tokens: EmailedTokenRepository
    phone_codes: PhoneCodeRepository
    addresses: AddressRepository
    orders: OrderRepository
    service_clients: ServiceClientRepository
    rate_limiter: RateLimiter
    uow: UnitOfWork
    notifier: Notifier
    audit_log: AuditLog
    consents: ConsentLog
    hasher: PasswordHasher
    keyed_hasher: KeyedHasher
    access_tokens: AccessTokenIssuer
    postal_rules: PostalRules
    clock: Clock
    ids: IdGenerator
    # None without a Media Service: a profile image is checked for its form only.
    media: MediaCatalog | None = None
    # None without CS_EVENTS_URL: no customer event is written.
    customer_events: CustomerEvents | None = None


@attrs.frozen(kw_only=True)
class Policies:
    password_policy: PasswordPolicy
    lockout: LockoutPolicy = LockoutPolicy()
    refresh_ttl: dt.timedelta = dt.timedelta(days=7)
    # However often it is refreshed, a session ends this long after its login.
    session_max: dt.timedelta = dt.timedelta(days=30)
    links: Links = Links()
    require_verified_email: bool = False
    # Forgot-password answers take at least this long, found or not.
    reset_request_duration: dt.timedelta = dt.timedelta(milliseconds=250)
    # Per client address, on top of the per-account lockout.
    login_rate: RateLimit = RateLimit(limit=60)
    reset_request_rate: RateLimit = RateLimit(limit=10)
    register_rate: RateLimit = RateLimit(limit=10)
    # Per account: each request mails a stranger's address.
    email_change_rate: RateLimit = RateLimit(limit=3, window=dt.timedelta(hours=1))
    # Per account, besides one a minute: each code is an SMS, and 5 more guesses.
    phone_code_rate: RateLimit = RateLimit(limit=5, window=dt.timedelta(hours=1))
    # Recorded with each consent, to tell which wording the customer agreed to.
    consent_policy_version: str = "1"
    # Orders are reported in this currency; loyalty points are earned per whole unit of it.
    base_currency: Currency = Currency("USD")
    loyalty: LoyaltyPolicy = LoyaltyPolicy()


@attrs.frozen(kw_only=True)
class CustomerService:
    """Every use case of the service, ready to call: ``service.login(...)``."""

    register: Register
    login: Login
    refresh: Refresh
    authenticate: Authenticate
    logout: Logout
    logout_all: LogoutAll
    list_sessions: ListSessions
    revoke_session: RevokeSession
    get_profile: GetProfile
    update_profile: UpdateProfile
    get_preferences: GetPreferences
    update_preferences: UpdatePreferences
    verify_email: VerifyEmail
    resend_verification: ResendVerification
    request_password_reset: RequestPasswordReset
    reset_password: ResetPassword
    change_password: ChangePassword
    request_email_change: RequestEmailChange
    confirm_email_change: ConfirmEmailChange
    send_phone_code: SendPhoneCode
    confirm_phone: ConfirmPhone
    address_book: AddressBook
    activity: Activity
    consent_history: ConsentHistory
    export: Export
    delete_account: DeleteAccount
    admin: CustomerAdmin
    clients: ServiceClients
    issue_client_token: IssueClientToken
    authenticate_client: AuthenticateClient
    directory: CustomerDirectory
    record_order: RecordOrder
    refund_order: RefundOrder

    @classmethod
    def assemble(cls, ports: Ports, policies: Policies) -> CustomerService:
        parts = {**attrs.asdict(ports, recurse=False), **attrs.asdict(policies, recurse=False)}
        return assemble(cls, parts, {})


def assemble(cls: type[A], parts: dict[str, Any], built: dict[type, Any]) -> A:
    """Build the attrs class ``cls``: each field from ``parts`` by its name,
    or, when its type is itself an attrs class, built the same way (once)."""
    arguments = {}
    for field in attrs.fields(attrs.resolve_types(cls)):
        if not field.init:
            continue
        if field.name in parts:
            part = parts[field.name]
            if isinstance(field.type, type) and attrs.has(field.type) and not isinstance(part, field.type):
                raise TypeError(f"{cls.__name__}.{field.name} is a {field.type.__name__}, not the port of that name")
            arguments[field.name] = part
        elif isinstance(field.type, type) and attrs.has(field.type):
            if field.type not in built:
                built[field.type] = assemble(field.type, parts, built)
            arguments[field.name] = built[field.type]
        else:
            raise TypeError(f"{cls.__name__}.{field.name} names no port, policy or use case")
    return cls(**arguments)
