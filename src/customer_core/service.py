"""The core assembled: every use case wired to one set of ports."""

from __future__ import annotations

import datetime as dt

import attrs

from customer_core.lockout import LockoutPolicy
from customer_core.passwords import PasswordPolicy
from customer_core.ports import (
    AccessTokenIssuer,
    Clock,
    CustomerRepository,
    IdGenerator,
    Notifier,
    PasswordHasher,
    SessionRepository,
)
from customer_core.use_cases.admin import CustomerAdmin
from customer_core.use_cases.authenticate import Authenticate
from customer_core.use_cases.login import Login
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


@attrs.frozen(kw_only=True)
class Policies:
    password: PasswordPolicy
    lockout: LockoutPolicy = LockoutPolicy()
    refresh_ttl: dt.timedelta = dt.timedelta(days=7)


class CustomerService:
    """Every use case of the service, ready to call."""

    def __init__(self, ports: Ports, policies: Policies) -> None:
        self.ports = ports
        self.policies = policies
        customers, sessions, clock = ports.customers, ports.sessions, ports.clock
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
        self.admin = CustomerAdmin(customers=customers, sessions=sessions, clock=clock)
