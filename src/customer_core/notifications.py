"""Building the messages the service sends, and the links inside them."""

from __future__ import annotations

from typing import Any
from urllib.parse import urlencode

import attrs

from customer_core.customer import Customer
from customer_core.emailed_tokens import Purpose
from customer_core.ports import Notifier
from customer_core.values import Email

_LINK_PATHS = {
    Purpose.VERIFY_EMAIL: "/verify-email",
    Purpose.RESET_PASSWORD: "/reset-password",
    Purpose.CHANGE_EMAIL: "/confirm-email-change",
}


@attrs.frozen
class Links:
    """Links in emails point at ``base_url`` (CS_PUBLIC_URL), where a client
    page reads the token and calls the matching API route."""

    base_url: str = "http://localhost:3001"

    def for_token(self, purpose: Purpose, token: str) -> str:
        return f"{self.base_url.rstrip('/')}{_LINK_PATHS[purpose]}?{urlencode({'token': token})}"


def notify(notifier: Notifier, customer: Customer, template: str, *, to: Email | None = None, **data: Any) -> None:
    notifier.send(
        template=template,
        to=to or customer.email,
        locale=str(customer.preferences.language),
        data={"firstName": str(customer.first_name), **data},
        customer_id=customer.id,
    )
