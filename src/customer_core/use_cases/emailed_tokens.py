"""Issuing and redeeming the single-use tokens sent by email."""

from __future__ import annotations

import math
from typing import Any

from customer_core.action_tokens import LIFETIMES, ActionToken, Purpose, state_stamp
from customer_core.customer import Customer
from customer_core.errors import ActionTokenInvalid
from customer_core.notifications import Links, notify
from customer_core.ports import ActionTokenRepository, Clock, CustomerRepository, Notifier
from customer_core.sessions import new_refresh_token as new_secret
from customer_core.sessions import token_digest
from customer_core.values import Email


class EmailedTokens:
    def __init__(
        self,
        *,
        tokens: ActionTokenRepository,
        customers: CustomerRepository,
        notifier: Notifier,
        clock: Clock,
        links: Links,
    ) -> None:
        self._tokens = tokens
        self._customers = customers
        self._notifier = notifier
        self._clock = clock
        self._links = links

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
        message carrying it, in the caller's unit of work."""
        secret = new_secret()
        now = self._clock.now()
        self._tokens.replace(
            ActionToken(
                digest=token_digest(secret),
                customer_id=customer.id,
                purpose=purpose,
                created_at=now,
                expires_at=now + LIFETIMES[purpose],
                stamp=state_stamp(customer, purpose),
                new_email=new_email,
            )
        )
        url = self._links.for_token(purpose, secret)
        notify(self._notifier, customer, template, to=to, url=url, token=secret, **data)

    def redeem(self, secret: str, purpose: Purpose) -> tuple[ActionToken, Customer]:
        """Use up a token; it must be current, of this purpose, issued since
        the customer's password and email last changed, and for an active account."""
        return self._check(secret, purpose, self._tokens.redeem)

    def peek(self, secret: str, purpose: Purpose) -> tuple[ActionToken, Customer]:
        """Check a token as ``redeem`` does, without using it up."""
        return self._check(secret, purpose, self._tokens.find)

    def _check(self, secret: str, purpose: Purpose, lookup: Any) -> tuple[ActionToken, Customer]:
        if not isinstance(secret, str) or not 16 <= len(secret) <= 256:
            raise ActionTokenInvalid()
        token = lookup(token_digest(secret), purpose, now=self._clock.now())
        customer = self._customers.get(token.customer_id) if token else None
        if token is None or customer is None or not customer.is_active or not token.fits(customer):
            raise ActionTokenInvalid()
        return token, customer

    def seconds_until_next(self, customer: Customer, purpose: Purpose, *, interval_seconds: int) -> int:
        """How long until another token of this purpose may be sent (0: now)."""
        latest = self._tokens.latest(customer.id, purpose)
        if latest is None:
            return 0
        waited = (self._clock.now() - latest.created_at).total_seconds()
        return max(0, math.ceil(interval_seconds - waited))
