"""The core assembled: every use case wired to one set of ports."""

from __future__ import annotations

import datetime as dt

import attrs

from customer_core.lockout import LockoutPolicy, RateLimit
from customer_core.notifications import Links
from customer_core.passwords import PasswordPolicy
from customer_core.ports import (
    AccessTokenIssuer,
    ActionTokenRepository,
    AddressRepository,
    Clock,
    CustomerRepository,
    IdGenerator,
    Notifier,
    PasswordHasher,
    PostalRules,
    RateLimiter,
    SessionRepository,
    UnitOfWork,
)
from customer_core.use_cases.addresses import AddressBook
from customer_core.use_cases.admin import CustomerAdmin
from customer_core.use_cases.authenticate import Authenticate
from customer_core.use_cases.email_change import ConfirmEmailChange, RequestEmailChange
from customer_core.use_cases.email_verification import ResendVerification, VerifyEmail
from customer_core.use_cases.emailed_tokens import EmailedTokens
from customer_core.use_cases.login import Login
from customer_core.use_cases.passwords import ChangePassword, RequestPasswordReset, ResetPassword
from customer_core.use_cases.preferences import GetPreferences, UpdatePreferences
from customer_core.use_cases.profile import GetProfile, UpdateProfile
from customer_core.use_cases.registration import Register
from customer_core.use_cases.session_tokens import SessionTokens
from customer_core.use_cases.sessions import ListSessions, Logout, LogoutAll, Refresh, RevokeSession


@attrs.frozen(kw_only=True)
class Ports:
    customers: CustomerRepository
    sessions: SessionRepository
    hasher: PasswordHasher
    access_tokens: AccessTokenIssuer
    notifier: Notifier
    clock: Clock
    ids: IdGenerator
    action_tokens: ActionTokenRepository
    uow: UnitOfWork
    addresses: AddressRepository
    postal_rules: PostalRules
    rate_limiter: RateLimiter


@attrs.frozen(kw_only=True)
class Policies:
    password: PasswordPolicy
    lockout: LockoutPolicy = LockoutPolicy()
    refresh_ttl: dt.timedelta = dt.timedelta(days=7)
    links: Links = Links()
    require_verified_email: bool = False
    # Forgot-password answers take at least this long, found or not.
    reset_request_duration: dt.timedelta = dt.timedelta(milliseconds=250)
    # Per client address, on top of the per-account lockout.
    login_rate: RateLimit = RateLimit(limit=60)
    reset_request_rate: RateLimit = RateLimit(limit=10)


class CustomerService:
    """Every use case of the service, ready to call."""

    def __init__(self, ports: Ports, policies: Policies) -> None:
        self.ports = ports
        self.policies = policies
        customers, sessions, clock, uow = ports.customers, ports.sessions, ports.clock, ports.uow
        emailed_tokens = EmailedTokens(
            tokens=ports.action_tokens, customers=customers, notifier=ports.notifier, clock=clock, links=policies.links
        )
        session_tokens = SessionTokens(
            sessions=sessions,
            access_tokens=ports.access_tokens,
            ids=ports.ids,
            clock=clock,
            refresh_ttl=policies.refresh_ttl,
        )
        self.register = Register(
            customers=customers,
            hasher=ports.hasher,
            password_policy=policies.password,
            session_tokens=session_tokens,
            notifier=ports.notifier,
            emailed_tokens=emailed_tokens,
            uow=uow,
            ids=ports.ids,
            clock=clock,
        )
        self.login = Login(
            customers=customers,
            hasher=ports.hasher,
            lockout=policies.lockout,
            session_tokens=session_tokens,
            notifier=ports.notifier,
            clock=clock,
            require_verified_email=policies.require_verified_email,
            rate_limiter=ports.rate_limiter,
            rate_limit=policies.login_rate,
        )
        self.refresh = Refresh(sessions=sessions, session_tokens=session_tokens, clock=clock)
        self.authenticate = Authenticate(access_tokens=ports.access_tokens, sessions=sessions, clock=clock)
        self.logout = Logout(sessions=sessions)
        self.logout_all = LogoutAll(sessions=sessions)
        self.list_sessions = ListSessions(sessions=sessions, clock=clock)
        self.revoke_session = RevokeSession(sessions=sessions)
        self.get_profile = GetProfile(customers=customers)
        self.update_profile = UpdateProfile(customers=customers, clock=clock)
        self.get_preferences = GetPreferences(customers=customers)
        self.update_preferences = UpdatePreferences(customers=customers, clock=clock)
        self.verify_email = VerifyEmail(customers=customers, emailed_tokens=emailed_tokens, uow=uow, clock=clock)
        self.resend_verification = ResendVerification(customers=customers, emailed_tokens=emailed_tokens, uow=uow)
        self.request_password_reset = RequestPasswordReset(
            customers=customers,
            emailed_tokens=emailed_tokens,
            uow=uow,
            min_duration=policies.reset_request_duration,
            rate_limiter=ports.rate_limiter,
            rate_limit=policies.reset_request_rate,
            clock=clock,
        )
        password_ports = {
            "customers": customers,
            "sessions": sessions,
            "hasher": ports.hasher,
            "policy": policies.password,
            "notifier": ports.notifier,
            "uow": uow,
            "clock": clock,
        }
        self.reset_password = ResetPassword(emailed_tokens=emailed_tokens, **password_ports)
        self.change_password = ChangePassword(**password_ports)
        self.request_email_change = RequestEmailChange(
            customers=customers, emailed_tokens=emailed_tokens, hasher=ports.hasher, notifier=ports.notifier, uow=uow
        )
        self.confirm_email_change = ConfirmEmailChange(
            customers=customers, action_tokens=ports.action_tokens, emailed_tokens=emailed_tokens, uow=uow, clock=clock
        )
        self.addresses = AddressBook(
            addresses=ports.addresses, postal_rules=ports.postal_rules, uow=uow, ids=ports.ids, clock=clock
        )
        self.admin = CustomerAdmin(customers=customers, sessions=sessions, address_book=self.addresses, clock=clock)
