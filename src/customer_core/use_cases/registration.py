"""Registering a new customer."""

from __future__ import annotations

from collections.abc import Mapping

import attrs

from customer_core.action_tokens import Purpose
from customer_core.customer import Customer
from customer_core.notifications import notify
from customer_core.passwords import PasswordPolicy
from customer_core.ports import Clock, CustomerRepository, IdGenerator, Notifier, PasswordHasher, UnitOfWork
from customer_core.sessions import ClientInfo
from customer_core.tokens import TokenPair
from customer_core.use_cases.emailed_tokens import EmailedTokens
from customer_core.use_cases.preferences import parse_preference_changes
from customer_core.use_cases.profile import parse_profile_fields
from customer_core.use_cases.session_tokens import SessionTokens
from customer_core.validation import FieldErrors
from customer_core.values import Email, Name, Preferences


@attrs.frozen(kw_only=True)
class Registration:
    """Raw input, as a client sent it; validated by ``Register``."""

    email: str
    password: str
    first_name: str
    last_name: str
    phone: str | None = None
    date_of_birth: str | None = None
    gender: str | None = None
    preferences: Mapping[str, object] = attrs.field(factory=dict)


@attrs.frozen(kw_only=True)
class Registered:
    customer: Customer
    tokens: TokenPair


class Register:
    def __init__(
        self,
        *,
        customers: CustomerRepository,
        hasher: PasswordHasher,
        password_policy: PasswordPolicy,
        session_tokens: SessionTokens,
        notifier: Notifier,
        emailed_tokens: EmailedTokens,
        uow: UnitOfWork,
        ids: IdGenerator,
        clock: Clock,
    ) -> None:
        self._customers = customers
        self._hasher = hasher
        self._policy = password_policy
        self._session_tokens = session_tokens
        self._notifier = notifier
        self._emailed_tokens = emailed_tokens
        self._uow = uow
        self._ids = ids
        self._clock = clock

    def __call__(self, registration: Registration, client: ClientInfo = ClientInfo()) -> Registered:
        now = self._clock.now()
        errors = FieldErrors()
        email = errors.parse("email", Email.parse, registration.email)
        first_name = errors.parse("firstName", Name.parse, registration.first_name)
        last_name = errors.parse("lastName", Name.parse, registration.last_name)
        for problem in self._policy.problems(registration.password, email=email):
            errors.add("password", problem)
        optional = {
            "phone": registration.phone,
            "date_of_birth": registration.date_of_birth,
            "gender": registration.gender,
        }
        profile = parse_profile_fields({k: v for k, v in optional.items() if v is not None}, errors, today=now.date())
        preference_values = parse_preference_changes(registration.preferences, errors, prefix="preferences.")
        errors.raise_if_any()

        customer = Customer(
            id=self._ids.new_id(),
            email=email,
            password_hash=self._hasher.hash(registration.password),
            first_name=first_name,
            last_name=last_name,
            preferences=attrs.evolve(Preferences(), **preference_values),
            created_at=now,
            updated_at=now,
            **profile,
        )

        def create() -> None:
            self._customers.add(customer)
            notify(self._notifier, customer, "welcome")
            self._emailed_tokens.send(customer, Purpose.VERIFY_EMAIL, "email_verification")

        self._uow.run(create)
        return Registered(customer=customer, tokens=self._session_tokens.start(customer.id, client))
