"""Changing the email address: confirmed from the new address, announced to the old."""

from __future__ import annotations

from customer_core.action_tokens import Purpose
from customer_core.customer import Customer
from customer_core.errors import ActionTokenInvalid, EmailTaken, Unauthenticated, ValidationFailed, WrongPassword
from customer_core.notifications import notify
from customer_core.ports import ActionTokenRepository, Clock, CustomerRepository, Notifier, PasswordHasher, UnitOfWork
from customer_core.tokens import Principal
from customer_core.use_cases.emailed_tokens import EmailedTokens
from customer_core.values import Email


class RequestEmailChange:
    def __init__(
        self,
        *,
        customers: CustomerRepository,
        emailed_tokens: EmailedTokens,
        hasher: PasswordHasher,
        notifier: Notifier,
        uow: UnitOfWork,
    ) -> None:
        self._customers = customers
        self._emailed_tokens = emailed_tokens
        self._hasher = hasher
        self._notifier = notifier
        self._uow = uow

    def __call__(self, principal: Principal, raw_new_email: str, password: str) -> None:
        try:
            new_email = Email.parse(raw_new_email)
        except ValueError as error:
            raise ValidationFailed.single("newEmail", str(error)) from None
        customer = self._customers.get(principal.customer_id)
        if customer is None:
            raise Unauthenticated()
        if not self._hasher.verify(password, customer.password_hash):
            raise WrongPassword()
        if new_email == customer.email:
            raise ValidationFailed.single("newEmail", "is already your email address")
        if self._customers.get_by_email(new_email) is not None:
            raise EmailTaken()

        def request() -> None:
            self._emailed_tokens.send(
                customer,
                Purpose.CHANGE_EMAIL,
                "email_change_verification",
                to=new_email,
                new_email=new_email,
                newEmail=str(new_email),
            )
            notify(self._notifier, customer, "email_changed", newEmail=str(new_email))

        self._uow.run(request)


class ConfirmEmailChange:
    """Switches to the new address (which must still be free) and marks it verified."""

    def __init__(
        self,
        *,
        customers: CustomerRepository,
        action_tokens: ActionTokenRepository,
        emailed_tokens: EmailedTokens,
        uow: UnitOfWork,
        clock: Clock,
    ) -> None:
        self._customers = customers
        self._action_tokens = action_tokens
        self._emailed_tokens = emailed_tokens
        self._uow = uow
        self._clock = clock

    def __call__(self, token: str) -> Customer:
        def confirm() -> Customer:
            used, customer = self._emailed_tokens.redeem(token, Purpose.CHANGE_EMAIL)
            changes = {"email": used.new_email, "email_verified": True, "updated_at": self._clock.now()}
            updated = self._customers.update(customer.id, changes)
            if updated is None:
                raise ActionTokenInvalid()
            self._action_tokens.remove_all(customer.id, Purpose.VERIFY_EMAIL)
            return updated

        return self._uow.run(confirm)
