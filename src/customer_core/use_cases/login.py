"""Logging in with email and password."""

from __future__ import annotations

import attrs

from customer_core.customer import Customer, CustomerChanges
from customer_core.errors import AccountDisabled, EmailNotVerified, InvalidCredentials, RateLimited
from customer_core.lockout import RateLimit
from customer_core.ports import Clock, CustomerRepository, PasswordHasher, RateLimiter, UnitOfWork
from customer_core.records import Event, Origin
from customer_core.sessions import ClientInfo
from customer_core.tokens import TokenPair
from customer_core.use_cases.password_check import PasswordCheck
from customer_core.use_cases.recording import Recorder
from customer_core.use_cases.session_tokens import SessionTokens
from customer_core.values import Email


@attrs.frozen(kw_only=True)
class Credentials:
    """As typed: a malformed email is just one that no account has."""

    email: str
    password: str = attrs.field(repr=False)


@attrs.frozen(kw_only=True)
class LoggedIn:
    customer: Customer
    tokens: TokenPair


@attrs.frozen(kw_only=True)
class Login:
    """Unknown email, wrong password and a locked account all raise the same
    ``InvalidCredentials`` after the same work (see ``PasswordCheck``), so
    neither the answer nor its timing tells whether an account exists.
    A hash of an older scheme or cost is replaced at the first login."""

    customers: CustomerRepository
    password_check: PasswordCheck
    hasher: PasswordHasher
    session_tokens: SessionTokens
    clock: Clock
    rate_limiter: RateLimiter
    login_rate: RateLimit
    require_verified_email: bool
    recorder: Recorder
    uow: UnitOfWork

    def __call__(self, credentials: Credentials, client: ClientInfo = ClientInfo()) -> LoggedIn:
        now = self.clock.now()
        wait = self.rate_limiter.hit(
            f"login:{client.ip_address}", limit=self.login_rate.limit, window=self.login_rate.window, now=now
        )
        if wait:
            raise RateLimited("Too many login attempts from this address; try again later", retry_after_seconds=wait)
        origin = Origin.customer(client)
        customer = self._find(credentials.email)
        if not self.password_check(credentials.email, customer, credentials.password, origin) or customer is None:
            # Unknown emails are recorded too (without the email): the same work, and a trace of stuffing.
            self._failed(customer, origin, "invalid_credentials")
            raise InvalidCredentials()
        if not customer.is_active:
            self._failed(customer, origin, "account_disabled")
            raise AccountDisabled()
        if self.require_verified_email and not customer.email_verified:
            self._failed(customer, origin, "email_not_verified")
            raise EmailNotVerified()
        checked = customer.password_hash
        upgraded = self.hasher.rehash(credentials.password, checked)
        if upgraded is not None:
            if not self.customers.replace_password_hash(customer.id, old=checked, new=upgraded):
                raise InvalidCredentials()  # the password was changed or reset meanwhile
            checked = upgraded
        signed_in = customer

        def start() -> LoggedIn:
            # A password reset or change that landed since the check wins;
            # the update of the customer below makes the two conflict.
            current = self.customers.get(signed_in.id)
            if current is None or current.password_hash != checked:
                raise InvalidCredentials()
            tokens = self.session_tokens.start(signed_in.id, client)
            updated = self.customers.update(signed_in.id, CustomerChanges(last_login=now)) or signed_in
            self.recorder.event(Event.LOGIN_SUCCEEDED, signed_in.id, origin)
            return LoggedIn(customer=updated, tokens=tokens)

        return self.uow.run(start)

    def _failed(self, customer: Customer | None, origin: Origin, reason: str) -> None:
        self.recorder.event(Event.LOGIN_FAILED, customer.id if customer else None, origin, reason=reason)

    def _find(self, raw_email: str) -> Customer | None:
        try:
            email = Email(raw_email)
        except ValueError:
            return None
        return self.customers.get_by_email(email)
