"""Forgotten, reset and changed passwords."""

from __future__ import annotations

import contextlib
import datetime as dt
import time

import attrs

from customer_core.customer import Customer, CustomerChanges
from customer_core.emailed_tokens import Purpose
from customer_core.errors import (
    EmailedTokenInvalid,
    FieldError,
    RateLimited,
    Unauthenticated,
    ValidationFailed,
)
from customer_core.lockout import RateLimit
from customer_core.notifications import notify
from customer_core.passwords import PasswordPolicy, new_password_field
from customer_core.ports import (
    Clock,
    CustomerRepository,
    Notifier,
    PasswordHasher,
    RateLimiter,
    SessionRepository,
    UnitOfWork,
)
from customer_core.records import Event, Origin
from customer_core.sessions import ClientInfo
from customer_core.tokens import Principal
from customer_core.use_cases.emailed_tokens import EmailedTokenIssuer
from customer_core.use_cases.password_check import PasswordCheck
from customer_core.use_cases.recording import Recorder
from customer_core.values import Email, Id


@attrs.frozen(kw_only=True)
class ResetRequest:
    """As typed: a malformed email is just one that no account has."""

    email: str


@attrs.frozen(kw_only=True)
class PasswordReset:
    token: str = attrs.field(repr=False)
    new_password: str = new_password_field()


@attrs.frozen(kw_only=True)
class PasswordChange:
    current_password: str = attrs.field(repr=False)
    new_password: str = new_password_field()


@attrs.frozen(kw_only=True)
class RequestPasswordReset:
    """Answers alike, in about the same time, whether or not the account
    exists: the work is padded to ``reset_request_duration``. Only active
    accounts get a ``password_reset`` message, at most one a minute."""

    INTERVAL_SECONDS = 60

    customers: CustomerRepository
    token_issuer: EmailedTokenIssuer
    uow: UnitOfWork
    reset_request_duration: dt.timedelta
    rate_limiter: RateLimiter
    reset_request_rate: RateLimit
    clock: Clock

    def __call__(self, request: ResetRequest, client: ClientInfo = ClientInfo()) -> None:
        limit = self.reset_request_rate
        wait = self.rate_limiter.hit(
            f"forgot:{client.ip_address}", limit=limit.limit, window=limit.window, now=self.clock.now()
        )
        if wait:
            raise RateLimited("Too many reset requests from this address; try again later", retry_after_seconds=wait)
        started = time.monotonic()
        try:
            customer = self._find(request.email)
            if customer is not None and not self.token_issuer.seconds_until_next(
                customer, Purpose.RESET_PASSWORD, interval_seconds=self.INTERVAL_SECONDS
            ):
                with contextlib.suppress(Unauthenticated):  # erased meanwhile: answered alike
                    self.uow.run(lambda: self.token_issuer.send(customer, Purpose.RESET_PASSWORD, "password_reset"))
        finally:
            time.sleep(max(0.0, self.reset_request_duration.total_seconds() - (time.monotonic() - started)))

    def _find(self, raw_email: str) -> Customer | None:
        try:
            customer = self.customers.get_by_email(Email(raw_email))
        except ValueError:
            return None
        return customer if customer is not None and customer.is_active else None


@attrs.frozen(kw_only=True)
class PasswordWriter:
    """What setting a password takes, for reset and change alike."""

    customers: CustomerRepository
    sessions: SessionRepository
    hasher: PasswordHasher
    password_policy: PasswordPolicy
    notifier: Notifier
    clock: Clock
    recorder: Recorder

    def new_hash(self, password: str, customer: Customer) -> str:
        problems = self.password_policy.problems(password, email=customer.email)
        if problems:
            raise ValidationFailed([FieldError("new_password", problem) for problem in problems])
        return self.hasher.hash(password)

    def store(
        self, customer: Customer, password_hash: str, event: Event, origin: Origin, *, keep_session: Id | None = None
    ) -> None:
        """Within the caller's unit of work: save, end sessions, notify, record."""
        changes = CustomerChanges(password_hash=password_hash, updated_at=self.clock.now())
        if self.customers.update(customer.id, changes) is None:
            raise EmailedTokenInvalid()
        self.sessions.revoke_all(customer.id, keep=keep_session)
        notify(self.notifier, customer, "password_changed")
        self.recorder.event(event, customer.id, origin)


@attrs.frozen(kw_only=True)
class ResetPassword:
    """Sets a new password from an emailed token, ends every session and
    lifts a lockout."""

    token_issuer: EmailedTokenIssuer
    password_writer: PasswordWriter
    password_check: PasswordCheck
    uow: UnitOfWork

    def __call__(self, reset: PasswordReset, client: ClientInfo = ClientInfo()) -> None:
        # Hashing is slow, so it happens before the transaction, which then
        # uses the token up (and fails if it was used meanwhile).
        _, customer = self.token_issuer.peek(reset.token, Purpose.RESET_PASSWORD)
        password_hash = self.password_writer.new_hash(reset.new_password, customer)

        def reset_it() -> None:
            _, current = self.token_issuer.redeem(reset.token, Purpose.RESET_PASSWORD)
            self.password_writer.store(current, password_hash, Event.PASSWORD_RESET, Origin.customer(client))
            self.password_check.lift(current, Origin.customer(client))

        self.uow.run(reset_it)


@attrs.frozen(kw_only=True)
class ChangePassword:
    """Needs the current password (wrong ones count toward the lockout);
    ends the other sessions."""

    password_check: PasswordCheck
    password_writer: PasswordWriter
    uow: UnitOfWork

    def __call__(self, principal: Principal, change: PasswordChange) -> None:
        customer = self.password_check.reentered(principal, change.current_password)
        password_hash = self.password_writer.new_hash(change.new_password, customer)
        self.uow.run(
            lambda: self.password_writer.store(
                customer, password_hash, Event.PASSWORD_CHANGED, principal.origin, keep_session=principal.session_id
            )
        )
