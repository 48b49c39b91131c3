"""Verifying the email address a customer registered with."""

from __future__ import annotations

import attrs

from customer_core.customer import Customer, CustomerChanges
from customer_core.emailed_tokens import Purpose
from customer_core.errors import EmailedTokenInvalid, RateLimited, Unauthenticated
from customer_core.ports import Clock, CustomerRepository, UnitOfWork
from customer_core.records import Event, Origin
from customer_core.sessions import ClientInfo
from customer_core.use_cases.emailed_tokens import EmailedTokenIssuer, TokenRedemption
from customer_core.use_cases.recording import Recorder
from customer_core.values import Id


@attrs.frozen(kw_only=True)
class VerifyEmail:
    customers: CustomerRepository
    token_issuer: EmailedTokenIssuer
    uow: UnitOfWork
    clock: Clock
    recorder: Recorder

    def __call__(self, redemption: TokenRedemption, client: ClientInfo = ClientInfo()) -> Customer:
        def verify() -> Customer:
            _, customer = self.token_issuer.redeem(redemption.token, Purpose.VERIFY_EMAIL)
            changes = CustomerChanges(email_verified=True, updated_at=self.clock.now())
            updated = self.customers.update(customer.id, changes)
            if updated is None:
                raise EmailedTokenInvalid()
            self.recorder.event(Event.EMAIL_VERIFIED, customer.id, Origin.customer(client))
            return updated

        return self.uow.run(verify)


@attrs.frozen(kw_only=True)
class ResendVerification:
    """Sends a fresh link; older ones stop working. At most one a minute."""

    INTERVAL_SECONDS = 60

    customers: CustomerRepository
    token_issuer: EmailedTokenIssuer
    uow: UnitOfWork

    def __call__(self, customer_id: Id) -> None:
        customer = self.customers.get(customer_id)
        if customer is None:
            raise Unauthenticated()
        if customer.email_verified:
            return
        wait = self.token_issuer.seconds_until_next(
            customer, Purpose.VERIFY_EMAIL, interval_seconds=self.INTERVAL_SECONDS
        )
        if wait:
            raise RateLimited("A verification email was sent less than a minute ago", retry_after_seconds=wait)
        self.uow.run(lambda: self.token_issuer.send(customer, Purpose.VERIFY_EMAIL, "email_verification"))
