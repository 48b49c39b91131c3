"""Checking a password against an account, under the lockout."""

from __future__ import annotations

import attrs

from customer_core.customer import Customer
from customer_core.errors import Unauthenticated, WrongPassword
from customer_core.lockout import LockoutPolicy, lockout_key
from customer_core.notifications import notify
from customer_core.ports import Clock, CustomerRepository, LockoutRepository, Notifier, PasswordHasher
from customer_core.records import Event, Origin
from customer_core.tokens import Principal
from customer_core.use_cases.recording import Recorder


@attrs.frozen(kw_only=True)
class PasswordCheck:
    """Whether a password is an account's. Each check is counted before the
    hash is compared, so however many arrive at once, at most
    ``lockout.threshold`` wrong passwords are ever compared before the
    account locks, and none succeeds while it is locked. An unknown email, a
    wrong password and a locked account cost the same work: a count and a
    hash."""

    customers: CustomerRepository
    lockouts: LockoutRepository
    hasher: PasswordHasher
    lockout: LockoutPolicy
    notifier: Notifier
    clock: Clock
    recorder: Recorder
    _dummy_hash: str = attrs.field(init=False)

    @_dummy_hash.default
    def _hash_for_unknown_emails(self) -> str:
        return self.hasher.hash("a password that no account has, to spend equal time")

    def __call__(self, email: str, customer: Customer | None, password: str, origin: Origin) -> bool:
        """``email`` as typed; ``customer`` the account it names, if any."""
        key = lockout_key(email)
        check = self.lockouts.begin_check(key, threshold=self.lockout.threshold, now=self.clock.now())
        right = self.hasher.verify(password, customer.password_hash if customer and check else self._dummy_hash)
        if check is None:
            return False
        if right and customer is not None:
            self.lockouts.succeeded(key, now=self.clock.now())
            return True
        if self.lockout.locks_after(check):
            until = self.lockout.locked_until(self.clock.now())
            self.lockouts.lock(key, until=until)
            if customer is not None:
                notify(self.notifier, customer, "account_locked", lockedUntil=until.isoformat())
                self.recorder.event(Event.ACCOUNT_LOCKED, customer.id, origin)
        return False

    def lift(self, customer: Customer, origin: Origin) -> None:
        """End the customer's lockout and count, recording it if it was locked."""
        key = lockout_key(str(customer.email))
        if self.lockouts.locked_until(key, now=self.clock.now()):
            self.recorder.event(Event.ACCOUNT_UNLOCKED, customer.id, origin)
        self.lockouts.lift(key)

    def reentered(self, principal: Principal, password: str) -> Customer:
        """The signed-in customer, who has typed their password again to
        confirm a sensitive change; ``WrongPassword`` if it is not theirs."""
        customer = self.customers.get(principal.customer_id)
        if customer is None:
            raise Unauthenticated()
        if not self(str(customer.email), customer, password, principal.origin):
            self.recorder.event(Event.PASSWORD_CONFIRMATION_FAILED, customer.id, principal.origin)
            raise WrongPassword()
        return customer
