"""Verifying the email address a customer registered with."""

from __future__ import annotations

from customer_core.action_tokens import Purpose
from customer_core.customer import Customer
from customer_core.errors import ActionTokenInvalid, RateLimited, Unauthenticated
from customer_core.ports import Clock, CustomerRepository, UnitOfWork
from customer_core.use_cases.emailed_tokens import EmailedTokens


class VerifyEmail:
    def __init__(
        self, *, customers: CustomerRepository, emailed_tokens: EmailedTokens, uow: UnitOfWork, clock: Clock
    ) -> None:
        self._customers = customers
        self._emailed_tokens = emailed_tokens
        self._uow = uow
        self._clock = clock

    def __call__(self, token: str) -> Customer:
        def verify() -> Customer:
            _, customer = self._emailed_tokens.redeem(token, Purpose.VERIFY_EMAIL)
            updated = self._customers.update(customer.id, {"email_verified": True, "updated_at": self._clock.now()})
            if updated is None:
                raise ActionTokenInvalid()
            return updated

        return self._uow.run(verify)


class ResendVerification:
    """Sends a fresh link; older ones stop working. At most one a minute."""

    INTERVAL_SECONDS = 60

    def __init__(self, *, customers: CustomerRepository, emailed_tokens: EmailedTokens, uow: UnitOfWork) -> None:
        self._customers = customers
        self._emailed_tokens = emailed_tokens
        self._uow = uow

    def __call__(self, customer_id: str) -> None:
        customer = self._customers.get(customer_id)
        if customer is None:
            raise Unauthenticated()
        if customer.email_verified:
            return
        wait = self._emailed_tokens.seconds_until_next(
            customer, Purpose.VERIFY_EMAIL, interval_seconds=self.INTERVAL_SECONDS
        )
        if wait:
            raise RateLimited("A verification email was sent less than a minute ago", retry_after_seconds=wait)
        self._uow.run(lambda: self._emailed_tokens.send(customer, Purpose.VERIFY_EMAIL, "email_verification"))
