"""The customer service as a library, in memory: no database, no HTTP.

python examples/in_memory.py
"""

from __future__ import annotations

import datetime as dt
import tempfile
from decimal import Decimal
from pathlib import Path

from customer_core import (
    AddressFields,
    CompletedOrder,
    CountryCode,
    Credentials,
    Currency,
    Email,
    InvalidCredentials,
    ProfileChanges,
    Registration,
    Scope,
)
from entrypoints.embedding import Settings, bootstrap


def main() -> None:
    settings = Settings(data_dir=Path(tempfile.mkdtemp(prefix="customers-")), bcrypt_rounds=4)
    service = bootstrap(settings, storage="memory").service

    registered = service.register(
        Registration(
            email=Email("Ada@Example.com"), password="analytical engine 1843", first_name="Ada", last_name="Lovelace"
        )
    )
    print("registered", registered.customer.email, "as", registered.customer.id)

    try:
        service.login(Credentials(email="ada@example.com", password="not the password"))
    except InvalidCredentials as refused:
        print("refused:", refused.detail)
    logged_in = service.login(Credentials(email="ada@example.com", password="analytical engine 1843"))
    principal = service.authenticate(logged_in.tokens.access_token)

    service.update_profile(principal, ProfileChanges(last_name="Byron"))
    address = service.address_book.add(
        principal,
        AddressFields(
            first_name="Ada",
            last_name="Byron",
            street="12 St James's Square",
            city="London",
            postal_code="SW1Y 4JH",
            country=CountryCode("GB"),
        ),
    )
    print("default shipping address:", address.city, address.is_default_shipping)

    orders = service.clients.create("orders", frozenset({Scope.ORDERS_WRITE}), operator="example")
    print("a client for the order service:", orders.client.id)
    for number, total in enumerate(["0.10", "0.20", "19.99"]):
        completed = dt.datetime(2026, 11, 26, 10, number, tzinfo=dt.UTC)
        order = CompletedOrder(order_id=f"A-{number}", total=total, currency=Currency("USD"), completed_at=completed)
        totals = service.record_order(principal.customer_id, order)
    assert totals.total_spent == Decimal("20.29")
    print("orders:", totals.total_orders, "spent:", totals.total_spent, "points:", totals.loyalty_points)

    me = service.get_profile(principal.customer_id)
    print("profile:", me.first_name, me.last_name, me.email)


if __name__ == "__main__":
    main()
