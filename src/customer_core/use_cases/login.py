"""Logging in with email and password."""

from __future__ import annotations

import attrs

from customer_core.customer import Customer
from customer_core.errors import AccountDisabled, EmailNotVerified, InvalidCredentials, RateLimited
from customer_core.lockout import LockoutPolicy, RateLimit
from customer_core.notifications import notify
from customer_core.ports import Clock, CustomerRepository, Notifier, PasswordHasher, RateLimiter
from customer_core.sessions import ClientInfo
from customer_core.tokens import TokenPair
from customer_core.use_cases.session_tokens import SessionTokens
from customer_core.values import Email


@attrs.frozen(kw_only=True)
class LoggedIn:
    customer: Customer
    tokens: TokenPair


class Login:
    """Unknown email, wrong password and a locked account all raise the same
    ``InvalidCredentials`` after the same amount of hashing work, so neither
    the answer nor its timing tells whether an account exists."""

    def __init__(
        self,
        *,
        customers: CustomerRepository,
        hasher: PasswordHasher,
        lockout: LockoutPolicy,
        session_tokens: SessionTokens,
        notifier: Notifier,
        clock: Clock,
        rate_limiter: RateLimiter,
        rate_limit: RateLimit,
        require_verified_email: bool = False,
    ) -> None:
        self._customers = customers
        self._hasher = hasher
        self._lockout = lockout
        self._session_tokens = session_tokens
        self._notifier = notifier
        self._clock = clock
        self._require_verified_email = require_verified_email
        self._rate_limiter = rate_limiter
        self._rate_limit = rate_limit
        self._dummy_hash = hasher.hash("a password that no account has, to spend equal time")

    def __call__(self, email: str, password: str, client: ClientInfo = ClientInfo()) -> LoggedIn:
        now = self._clock.now()
        wait = self._rate_limiter.hit(
            f"login:{client.ip_address}", limit=self._rate_limit.limit, window=self._rate_limit.window, now=now
        )
        if wait:
            raise RateLimited("Too many login attempts from this address; try again later", retry_after_seconds=wait)
        customer = self._find(email)
        if customer is None:
            self._hasher.verify(password, self._dummy_hash)
            raise InvalidCredentials()
        password_ok = self._hasher.verify(password, customer.password_hash)
        if LockoutPolicy.is_locked(customer.locked_until, now):
            raise InvalidCredentials()
        if not password_ok:
            self._count_failure(customer)
            raise InvalidCredentials()
        if not customer.is_active:
            raise AccountDisabled()
        if self._require_verified_email and not customer.email_verified:
            raise EmailNotVerified()
        customer = self._customers.record_login(customer.id, now=now) or customer
        return LoggedIn(customer=customer, tokens=self._session_tokens.start(customer.id, client))

    def _find(self, raw_email: str) -> Customer | None:
        try:
            email = Email.parse(raw_email)
        except ValueError:
            return None
        return self._customers.get_by_email(email)

    def _count_failure(self, customer: Customer) -> None:
        failures = self._customers.count_failed_login(customer.id, now=self._clock.now())
        if failures is None or not self._lockout.should_lock(failures):
            return
        until = self._lockout.locked_until(self._clock.now())
        if self._customers.lock(customer.id, until=until, failures=failures):
            notify(self._notifier, customer, "account_locked", lockedUntil=until.isoformat())
