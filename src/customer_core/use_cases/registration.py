"""Registering a new customer."""

from __future__ import annotations

import datetime as dt

import attrs

from customer_core.customer import Customer, PreferenceChanges, Preferences, Profile, birth_date
from customer_core.emailed_tokens import Purpose
from customer_core.errors import FieldError, RateLimited, ValidationFailed
from customer_core.lockout import RateLimit
from customer_core.notifications import notify
from customer_core.passwords import PasswordPolicy, new_password_field
from customer_core.ports import (
    Clock,
    CustomerRepository,
    IdGenerator,
    Notifier,
    PasswordHasher,
    RateLimiter,
    UnitOfWork,
)
from customer_core.records import ConsentSource, Event, Origin
from customer_core.sessions import ClientInfo
from customer_core.tokens import TokenPair
from customer_core.use_cases.emailed_tokens import EmailedTokenIssuer
from customer_core.use_cases.recording import Recorder
from customer_core.use_cases.session_tokens import SessionTokens
from customer_core.values import Email


@attrs.frozen(kw_only=True)
class InitialPreferences(PreferenceChanges):
    """Preferences chosen at registration; any left out take their defaults."""


@attrs.frozen(kw_only=True)
class Registration(Profile):
    date_of_birth: dt.date | None = birth_date(default=None)
    email: Email
    password: str = new_password_field()
    preferences: InitialPreferences = InitialPreferences()


@attrs.frozen(kw_only=True)
class Registered:
    customer: Customer
    tokens: TokenPair


@attrs.frozen(kw_only=True)
class Register:
    customers: CustomerRepository
    hasher: PasswordHasher
    password_policy: PasswordPolicy
    session_tokens: SessionTokens
    notifier: Notifier
    token_issuer: EmailedTokenIssuer
    uow: UnitOfWork
    ids: IdGenerator
    clock: Clock
    rate_limiter: RateLimiter
    register_rate: RateLimit
    recorder: Recorder

    def __call__(self, registration: Registration, client: ClientInfo = ClientInfo()) -> Registered:
        now = self.clock.now()
        limit = self.register_rate
        wait = self.rate_limiter.hit(f"register:{client.ip_address}", limit=limit.limit, window=limit.window, now=now)
        if wait:
            raise RateLimited("Too many registrations from this address; try again later", retry_after_seconds=wait)
        problems = self.password_policy.problems(registration.password, email=registration.email)
        if problems:
            raise ValidationFailed([FieldError("password", problem) for problem in problems])

        profile = {field.name: getattr(registration, field.name) for field in attrs.fields(Profile)}
        customer = Customer(
            id=self.ids.new_id(),
            email=registration.email,
            password_hash=self.hasher.hash(registration.password),
            preferences=registration.preferences.apply_to(Preferences()),
            created_at=now,
            updated_at=now,
            **profile,
        )

        origin = Origin.customer(client)

        def create() -> None:
            self.customers.add(customer)
            self.recorder.event(Event.REGISTERED, customer.id, origin)
            self.recorder.consents_given(customer.id, None, customer.preferences, ConsentSource.REGISTRATION, origin)
            notify(self.notifier, customer, "welcome")
            self.token_issuer.send(customer, Purpose.VERIFY_EMAIL, "email_verification")

        self.uow.run(create)
        return Registered(customer=customer, tokens=self.session_tokens.start(customer.id, client))
