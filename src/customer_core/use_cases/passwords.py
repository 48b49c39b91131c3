"""Forgotten, reset and changed passwords."""

from __future__ import annotations

import datetime as dt
import time
from typing import Any

from customer_core.action_tokens import Purpose
from customer_core.customer import Customer
from customer_core.errors import (
    ActionTokenInvalid,
    FieldError,
    RateLimited,
    Unauthenticated,
    ValidationFailed,
    WrongPassword,
)
from customer_core.lockout import RateLimit
from customer_core.notifications import notify
from customer_core.passwords import PasswordPolicy
from customer_core.ports import (
    Clock,
    CustomerRepository,
    Notifier,
    PasswordHasher,
    RateLimiter,
    SessionRepository,
    UnitOfWork,
)
from customer_core.sessions import ClientInfo
from customer_core.tokens import Principal
from customer_core.use_cases.emailed_tokens import EmailedTokens
from customer_core.values import Email


class RequestPasswordReset:
    """Answers alike, in about the same time, whether or not the account
    exists: the work is padded to ``min_duration``. Only active accounts get a
    ``password_reset`` message, at most one a minute."""

    INTERVAL_SECONDS = 60

    def __init__(
        self,
        *,
        customers: CustomerRepository,
        emailed_tokens: EmailedTokens,
        uow: UnitOfWork,
        min_duration: dt.timedelta,
        rate_limiter: RateLimiter,
        rate_limit: RateLimit,
        clock: Clock,
    ) -> None:
        self._rate_limiter = rate_limiter
        self._rate_limit = rate_limit
        self._clock = clock
        self._customers = customers
        self._emailed_tokens = emailed_tokens
        self._uow = uow
        self._min_seconds = min_duration.total_seconds()

    def __call__(self, raw_email: str, client: ClientInfo = ClientInfo()) -> None:
        wait = self._rate_limiter.hit(
            f"forgot:{client.ip_address}",
            limit=self._rate_limit.limit,
            window=self._rate_limit.window,
            now=self._clock.now(),
        )
        if wait:
            raise RateLimited("Too many reset requests from this address; try again later", retry_after_seconds=wait)
        started = time.monotonic()
        try:
            customer = self._find(raw_email)
            if customer is not None and not self._emailed_tokens.seconds_until_next(
                customer, Purpose.RESET_PASSWORD, interval_seconds=self.INTERVAL_SECONDS
            ):
                self._uow.run(lambda: self._emailed_tokens.send(customer, Purpose.RESET_PASSWORD, "password_reset"))
        finally:
            time.sleep(max(0.0, self._min_seconds - (time.monotonic() - started)))

    def _find(self, raw_email: str) -> Customer | None:
        try:
            customer = self._customers.get_by_email(Email.parse(raw_email))
        except ValueError:
            return None
        return customer if customer is not None and customer.is_active else None


class _PasswordWriter:
    """What setting a password takes, for reset and change alike."""

    def __init__(
        self,
        *,
        customers: CustomerRepository,
        sessions: SessionRepository,
        hasher: PasswordHasher,
        policy: PasswordPolicy,
        notifier: Notifier,
        uow: UnitOfWork,
        clock: Clock,
    ) -> None:
        self._customers = customers
        self._sessions = sessions
        self._hasher = hasher
        self._policy = policy
        self._notifier = notifier
        self._uow = uow
        self._clock = clock

    def _new_hash(self, password: str, customer: Customer) -> str:
        problems = self._policy.problems(password, email=customer.email)
        if problems:
            raise ValidationFailed([FieldError("newPassword", problem) for problem in problems])
        return self._hasher.hash(password)

    def _store(self, customer: Customer, changes: dict[str, Any], *, keep_session: str | None = None) -> None:
        """Within the caller's unit of work: save, end sessions, notify."""
        if self._customers.update(customer.id, {**changes, "updated_at": self._clock.now()}) is None:
            raise ActionTokenInvalid()
        self._sessions.revoke_all(customer.id, keep=keep_session)
        notify(self._notifier, customer, "password_changed")


class ResetPassword(_PasswordWriter):
    """Sets a new password from an emailed token, ends every session and
    lifts a lockout."""

    def __init__(self, *, emailed_tokens: EmailedTokens, **ports: Any) -> None:
        super().__init__(**ports)
        self._emailed_tokens = emailed_tokens

    def __call__(self, token: str, new_password: str) -> None:
        # Hashing is slow, so it happens before the transaction, which then
        # uses the token up (and fails if it was used meanwhile).
        _, customer = self._emailed_tokens.peek(token, Purpose.RESET_PASSWORD)
        password_hash = self._new_hash(new_password, customer)

        def reset() -> None:
            _, current = self._emailed_tokens.redeem(token, Purpose.RESET_PASSWORD)
            self._store(current, {"password_hash": password_hash, "failed_logins": 0, "locked_until": None})

        self._uow.run(reset)


class ChangePassword(_PasswordWriter):
    """Needs the current password; ends the other sessions."""

    def __call__(self, principal: Principal, current_password: str, new_password: str) -> None:
        customer = self._customers.get(principal.customer_id)
        if customer is None:
            raise Unauthenticated()
        if not self._hasher.verify(current_password, customer.password_hash):
            raise WrongPassword("Current password is incorrect")
        password_hash = self._new_hash(new_password, customer)
        self._uow.run(
            lambda: self._store(customer, {"password_hash": password_hash}, keep_session=principal.session_id)
        )
