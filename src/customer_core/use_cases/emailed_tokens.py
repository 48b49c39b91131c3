"""Issuing and redeeming the single-use tokens sent by email."""

from __future__ import annotations

import math
from collections.abc import Callable
from typing import Any

import attrs

from customer_core.customer import Customer
from customer_core.emailed_tokens import LIFETIMES, EmailedToken, Purpose, state_stamp
from customer_core.errors import EmailedTokenInvalid, Unauthenticated
from customer_core.notifications import Links, notify
from customer_core.ports import Clock, CustomerRepository, EmailedTokenRepository, Notifier
from customer_core.sessions import new_secret, token_digest
from customer_core.values import Email


@attrs.frozen(kw_only=True)
class TokenRedemption:
    """An emailed token, as the link in the email carried it."""

    token: str = attrs.field(repr=False)


@attrs.frozen(kw_only=True)
class EmailedTokenIssuer:
    emailed_tokens: EmailedTokenRepository
    customers: CustomerRepository
    notifier: Notifier
    clock: Clock
    links: Links

    def send(
        self,
        customer: Customer,
        purpose: Purpose,
        template: str,
        *,
        to: Email | None = None,
        new_email: Email | None = None,
        **data: Any,
    ) -> None:
        """Issue a token (replacing older ones of its purpose) and queue the
        message carrying it, in the caller's unit of work. Raise
        ``Unauthenticated`` if the account was erased meanwhile."""
        if not self.customers.hold(customer.id):
            raise Unauthenticated()
        secret = new_secret()
        now = self.clock.now()
        self.emailed_tokens.replace(
            EmailedToken(
                digest=token_digest(secret),
                customer_id=customer.id,
                purpose=purpose,
                created_at=now,
                expires_at=now + LIFETIMES[purpose],
                stamp=state_stamp(customer, purpose),
                new_email=new_email,
            )
        )
        url = self.links.for_token(purpose, secret)
        notify(self.notifier, customer, template, to=to, url=url, token=secret, **data)

    def redeem(self, secret: str, purpose: Purpose) -> tuple[EmailedToken, Customer]:
        """Use up a token; it must be current, of this purpose, issued since
        the customer's password and email last changed, and for an active account."""
        return self._check(secret, purpose, self.emailed_tokens.redeem)

    def peek(self, secret: str, purpose: Purpose) -> tuple[EmailedToken, Customer]:
        """Check a token as ``redeem`` does, without using it up."""
        return self._check(secret, purpose, self.emailed_tokens.find)

    def _check(
        self, secret: str, purpose: Purpose, lookup: Callable[..., EmailedToken | None]
    ) -> tuple[EmailedToken, Customer]:
        if not 16 <= len(secret) <= 256:
            raise EmailedTokenInvalid()
        token = lookup(token_digest(secret), purpose, now=self.clock.now())
        customer = self.customers.get(token.customer_id) if token else None
        if token is None or customer is None or not customer.is_active or not token.fits(customer):
            raise EmailedTokenInvalid()
        return token, customer

    def seconds_until_next(self, customer: Customer, purpose: Purpose, *, interval_seconds: int) -> int:
        """How long until another token of this purpose may be sent (0: now)."""
        latest = self.emailed_tokens.latest(customer.id, purpose)
        if latest is None:
            return 0
        waited = (self.clock.now() - latest.created_at).total_seconds()
        return max(0, math.ceil(interval_seconds - waited))
