"""Logging in with email and password."""

from __future__ import annotations

import attrs

from customer_core.customer import Customer, CustomerChanges
from customer_core.errors import AccountDisabled, EmailNotVerified, InvalidCredentials, RateLimited
from customer_core.lockout import LockoutPolicy, RateLimit
from customer_core.notifications import notify
from customer_core.ports import Clock, CustomerRepository, Notifier, PasswordHasher, RateLimiter
from customer_core.sessions import ClientInfo
from customer_core.tokens import TokenPair
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
    ``InvalidCredentials`` after the same amount of hashing work, so neither
    the answer nor its timing tells whether an account exists."""

    customers: CustomerRepository
    hasher: PasswordHasher
    lockout: LockoutPolicy
    session_tokens: SessionTokens
    notifier: Notifier
    clock: Clock
    rate_limiter: RateLimiter
    login_rate: RateLimit
    require_verified_email: bool
    _dummy_hash: str = attrs.field(init=False)

    @_dummy_hash.default
    def _hash_for_unknown_emails(self) -> str:
        return self.hasher.hash("a password that no account has, to spend equal time")

    def __call__(self, credentials: Credentials, client: ClientInfo = ClientInfo()) -> LoggedIn:
        now = self.clock.now()
        wait = self.rate_limiter.hit(
            f"login:{client.ip_address}", limit=self.login_rate.limit, window=self.login_rate.window, now=now
        )
        if wait:
            raise RateLimited("Too many login attempts from this address; try again later", retry_after_seconds=wait)
        customer = self._find(credentials.email)
        if customer is None:
            self.hasher.verify(credentials.password, self._dummy_hash)
            raise InvalidCredentials()
        password_ok = self.hasher.verify(credentials.password, customer.password_hash)
        if LockoutPolicy.is_locked(customer.locked_until, now):
            raise InvalidCredentials()
        if not password_ok:
            self._count_failure(customer)
            raise InvalidCredentials()
        if not customer.is_active:
            raise AccountDisabled()
        if self.require_verified_email and not customer.email_verified:
            raise EmailNotVerified()
        recorded = CustomerChanges(failed_logins=0, locked_until=None, last_login=now)
        customer = self.customers.update(customer.id, recorded) or customer
        return LoggedIn(customer=customer, tokens=self.session_tokens.start(customer.id, client))

    def _find(self, raw_email: str) -> Customer | None:
        try:
            email = Email(raw_email)
        except ValueError:
            return None
        return self.customers.get_by_email(email)

    def _count_failure(self, customer: Customer) -> None:
        failures = self.customers.count_failed_login(customer.id, now=self.clock.now())
        if failures is None or not self.lockout.should_lock(failures):
            return
        until = self.lockout.locked_until(self.clock.now())
        if self.customers.lock(customer.id, until=until, failures=failures):
            notify(self.notifier, customer, "account_locked", lockedUntil=until.isoformat())
