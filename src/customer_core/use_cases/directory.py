"""Looking customers up for other services (support tools, orders)."""

from __future__ import annotations

import attrs

from customer_core.customer import Customer
from customer_core.errors import NotFound, ValidationFailed
from customer_core.ports import CustomerRepository
from customer_core.values import Email, Id


@attrs.frozen(kw_only=True)
class CustomerDirectory:
    customers: CustomerRepository

    def by_id(self, customer_id: Id) -> Customer:
        customer = self.customers.get(customer_id)
        if customer is None:
            raise NotFound("No customer with this id")
        return customer

    def by_email(self, email: str) -> list[Customer]:
        """The customer of that email (normalised as everywhere), if any."""
        try:
            address = Email(email)
        except ValueError as error:
            raise ValidationFailed.single("email", str(error)) from None
        customer = self.customers.get_by_email(address)
        return [customer] if customer else []
