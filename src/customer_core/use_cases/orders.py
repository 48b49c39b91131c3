"""What the order service tells about a customer's orders, and what it reads
back: the customer's totals and loyalty points."""

from __future__ import annotations

from collections.abc import Callable

import attrs

from customer_core.customer import Customer
from customer_core.errors import ConcurrentUpdate, NotFound, OrderConflict, ValidationFailed
from customer_core.orders import CompletedOrder, LoyaltyPolicy, Order, OrderTotals
from customer_core.ports import Clock, CustomerRepository, OrderRepository, UnitOfWork
from customer_core.values import Currency, Id

NO_CUSTOMER = "No customer with this id"


def totals_of(customer: Customer) -> OrderTotals:
    return OrderTotals(
        total_orders=customer.total_orders, total_spent=customer.total_spent, loyalty_points=customer.loyalty_points
    )


def once(uow: UnitOfWork, work: Callable[[], OrderTotals]) -> OrderTotals:
    """Run ``work``; when a concurrent delivery of the same order won the
    race (``ConcurrentUpdate``), run it again to answer as a replay."""
    try:
        return uow.run(work)
    except ConcurrentUpdate:
        return uow.run(work)


@attrs.frozen(kw_only=True)
class RecordOrder:
    """Idempotent per order id: a replay changes nothing and gets the answer
    the first delivery got; the same id with other details is a conflict."""

    customers: CustomerRepository
    orders: OrderRepository
    uow: UnitOfWork
    clock: Clock
    base_currency: Currency
    loyalty: LoyaltyPolicy

    def __call__(self, customer_id: Id, order: CompletedOrder) -> OrderTotals:
        if order.currency != self.base_currency:
            raise ValidationFailed.single("currency", f"must be {self.base_currency}, the base currency")

        def record() -> OrderTotals:
            recorded = self.orders.get(customer_id, order.order_id)
            if recorded is not None:
                if not recorded.is_same(order):
                    raise OrderConflict()
                return recorded.totals_after
            points = self.loyalty.points_for(order.total)
            customer = self.customers.add_to_totals(customer_id, orders=1, spent=order.total, points=points)
            if customer is None:
                raise NotFound(NO_CUSTOMER)
            totals = totals_of(customer)
            self.orders.add(
                Order(
                    customer_id=customer_id,
                    order_id=order.order_id,
                    total=order.total,
                    currency=order.currency,
                    completed_at=order.completed_at,
                    points=points,
                    recorded_at=self.clock.now(),
                    totals_after=totals,
                )
            )
            return totals

        return once(self.uow, record)


@attrs.frozen(kw_only=True)
class RefundOrder:
    """Reverses a recorded order once; a repeated refund gets the same answer."""

    customers: CustomerRepository
    orders: OrderRepository
    uow: UnitOfWork
    clock: Clock

    def __call__(self, customer_id: Id, order_id: str) -> OrderTotals:
        def refund() -> OrderTotals:
            order = self.orders.get(customer_id, order_id)
            if order is None:
                raise NotFound("No order with this orderId for this customer")
            if order.totals_after_refund is not None:
                return order.totals_after_refund
            customer = self.customers.add_to_totals(customer_id, orders=-1, spent=-order.total, points=-order.points)
            if customer is None:
                raise NotFound(NO_CUSTOMER)
            totals = totals_of(customer)
            if not self.orders.mark_refunded(customer_id, order_id, totals=totals, now=self.clock.now()):
                raise ConcurrentUpdate()
            return totals

        return once(self.uow, refund)
