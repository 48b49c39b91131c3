"""Verifying the customer's phone with a code sent to it by SMS."""

from __future__ import annotations

import datetime as dt
import math

import attrs

from customer_core.customer import Customer, CustomerChanges
from customer_core.errors import NoPhone, PhoneCodeInvalid, RateLimited, Unauthenticated
from customer_core.lockout import RateLimit
from customer_core.outbox import Channel
from customer_core.phone_codes import DIGITS, LIFETIME, PhoneCode, bound_code, new_code
from customer_core.ports import (
    Clock,
    CustomerRepository,
    KeyedHasher,
    Notifier,
    PhoneCodeRepository,
    RateLimiter,
    UnitOfWork,
)
from customer_core.records import Event
from customer_core.tokens import Principal
from customer_core.use_cases.recording import Recorder
from customer_core.values import Id, digits


def phone_code_key(customer_id: Id) -> str:
    """The rate limiter's key for the codes sent to a customer's phone."""
    return f"phone-code:{customer_id}"


@attrs.frozen(kw_only=True)
class PhoneCodeEntry:
    """The code from the SMS."""

    code: str = digits(DIGITS)


@attrs.frozen(kw_only=True)
class SendPhoneCode:
    """Sends a new code (older ones stop working) to the phone of the
    profile: at most one a minute, and ``phone_code_rate`` an hour, since
    each costs an SMS and gives 5 more guesses. Nothing is sent to a phone
    already verified."""

    INTERVAL = dt.timedelta(minutes=1)

    customers: CustomerRepository
    phone_codes: PhoneCodeRepository
    keyed_hasher: KeyedHasher
    notifier: Notifier
    rate_limiter: RateLimiter
    phone_code_rate: RateLimit
    uow: UnitOfWork
    clock: Clock

    def __call__(self, customer_id: Id) -> None:
        self.uow.run(lambda: self._send(customer_id))

    def _send(self, customer_id: Id) -> None:
        customer = self.customers.get(customer_id)
        if customer is None or not self.customers.hold(customer_id):
            raise Unauthenticated()
        phone = customer.phone
        if phone is None:
            raise NoPhone()
        if customer.phone_verified:
            return
        now = self.clock.now()
        code = new_code()
        issued = PhoneCode(
            customer_id=customer.id,
            digest=self.keyed_hasher.digest(bound_code(customer.id, phone, code)),
            sent_at=now,
            expires_at=now + LIFETIME,
        )
        previous = self.phone_codes.issue(issued, unless_sent_after=now - self.INTERVAL)
        if previous is not None:
            wait = math.ceil((previous + self.INTERVAL - now).total_seconds())
            raise RateLimited("A code was sent less than a minute ago", retry_after_seconds=max(wait, 1))
        limit = self.phone_code_rate
        wait = self.rate_limiter.hit(phone_code_key(customer.id), limit=limit.limit, window=limit.window, now=now)
        if wait:
            raise RateLimited("Too many codes were sent; try again later", retry_after_seconds=wait)
        self.notifier.send(
            template="phone_verification",
            to=str(phone),
            locale=str(customer.preferences.language),
            data={"code": code},
            customer_id=customer.id,
            channel=Channel.SMS,
        )


@attrs.frozen(kw_only=True)
class ConfirmPhone:
    """Marks the phone verified with the code sent to it: a code lives 10
    minutes and 5 tries, and verifies only the phone it was sent to."""

    customers: CustomerRepository
    phone_codes: PhoneCodeRepository
    keyed_hasher: KeyedHasher
    uow: UnitOfWork
    clock: Clock
    recorder: Recorder

    def __call__(self, principal: Principal, entry: PhoneCodeEntry) -> Customer:
        customer = self.customers.get(principal.customer_id)
        if customer is None:
            raise Unauthenticated()
        phone = customer.phone
        # The try is counted in a write of its own, before the comparison and
        # outside the unit of work, so that a wrong code's failure does not
        # roll it back.
        code = self.phone_codes.take_try(customer.id, now=self.clock.now())
        if (
            code is None
            or phone is None
            or not self.keyed_hasher.matches(bound_code(customer.id, phone, entry.code), code.digest)
        ):
            raise PhoneCodeInvalid()

        def confirm() -> Customer:
            current = self.customers.get(customer.id)
            if current is None:
                raise Unauthenticated()
            if current.phone != phone or not self.phone_codes.use(customer.id, code.digest):
                raise PhoneCodeInvalid()  # the phone changed, or the code was used, meanwhile
            updated = self.customers.update(
                customer.id, CustomerChanges(phone_verified=True, updated_at=self.clock.now())
            )
            if updated is None:
                raise Unauthenticated()
            self.recorder.event(Event.PHONE_VERIFIED, customer.id, principal.origin)
            return updated

        return self.uow.run(confirm)
