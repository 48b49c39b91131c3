"""Changing the email address: confirmed from the new address, announced to the old."""

from __future__ import annotations

import attrs

from customer_core.customer import Customer, CustomerChanges
from customer_core.emailed_tokens import Purpose
from customer_core.errors import (
    EmailedTokenInvalid,
    EmailTaken,
    RateLimited,
    ValidationFailed,
)
from customer_core.lockout import RateLimit
from customer_core.notifications import notify
from customer_core.ports import Clock, CustomerRepository, EmailedTokenRepository, Notifier, RateLimiter, UnitOfWork
from customer_core.records import Event, Origin
from customer_core.sessions import ClientInfo
from customer_core.tokens import Principal
from customer_core.use_cases.emailed_tokens import EmailedTokenIssuer, TokenRedemption
from customer_core.use_cases.password_check import PasswordCheck
from customer_core.use_cases.recording import Recorder
from customer_core.values import Email, Id


def email_change_key(customer_id: Id) -> str:
    """The rate limiter's key for a customer's email changes."""
    return f"email-change:{customer_id}"


@attrs.frozen(kw_only=True)
class EmailChange:
    new_email: Email
    password: str = attrs.field(repr=False)


@attrs.frozen(kw_only=True)
class RequestEmailChange:
    """Needs the password (wrong ones count toward the lockout)."""

    customers: CustomerRepository
    token_issuer: EmailedTokenIssuer
    password_check: PasswordCheck
    notifier: Notifier
    uow: UnitOfWork
    rate_limiter: RateLimiter
    email_change_rate: RateLimit
    clock: Clock
    recorder: Recorder

    def __call__(self, principal: Principal, change: EmailChange) -> None:
        customer = self.password_check.reentered(principal, change.password)
        new_email = change.new_email
        if new_email == customer.email:
            raise ValidationFailed.single("new_email", "is already your email address")
        if self.customers.get_by_email(new_email) is not None:
            raise EmailTaken()
        limit = self.email_change_rate
        wait = self.rate_limiter.hit(
            email_change_key(customer.id), limit=limit.limit, window=limit.window, now=self.clock.now()
        )
        if wait:
            raise RateLimited("At most 3 email changes an hour; try again later", retry_after_seconds=wait)

        def request() -> None:
            self.token_issuer.send(
                customer,
                Purpose.CHANGE_EMAIL,
                "email_change_verification",
                to=new_email,
                new_email=new_email,
                newEmail=str(new_email),
            )
            notify(self.notifier, customer, "email_changed", newEmail=str(new_email))
            self.recorder.event(Event.EMAIL_CHANGE_REQUESTED, customer.id, principal.origin)

        self.uow.run(request)


@attrs.frozen(kw_only=True)
class ConfirmEmailChange:
    """Switches to the new address (which must still be free) and marks it verified."""

    customers: CustomerRepository
    emailed_tokens: EmailedTokenRepository
    token_issuer: EmailedTokenIssuer
    uow: UnitOfWork
    clock: Clock
    recorder: Recorder

    def __call__(self, redemption: TokenRedemption, client: ClientInfo = ClientInfo()) -> Customer:
        def confirm() -> Customer:
            used, customer = self.token_issuer.redeem(redemption.token, Purpose.CHANGE_EMAIL)
            if used.new_email is None:
                raise EmailedTokenInvalid()
            changes = CustomerChanges(email=used.new_email, email_verified=True, updated_at=self.clock.now())
            updated = self.customers.update(customer.id, changes)
            if updated is None:
                raise EmailedTokenInvalid()
            self.emailed_tokens.remove_all(customer.id, Purpose.VERIFY_EMAIL)
            self.recorder.event(Event.EMAIL_CHANGED, customer.id, Origin.customer(client))
            return updated

        return self.uow.run(confirm)
