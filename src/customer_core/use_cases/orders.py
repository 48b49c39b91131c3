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
    the first delivery got; the same id with other details (or for another
    customer) is a conflict. The order is claimed before the totals change,
    so concurrent deliveries count once even where the store has no
    transactions."""

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
            recorded = self.orders.get(order.order_id)
            if recorded is not None:
                if not recorded.is_same(customer_id, order):
                    raise OrderConflict()
                return _answered(recorded.totals_after)
            points = self.loyalty.points_for(order.total)
            self.orders.add(
                Order(
                    customer_id=customer_id,
                    order_id=order.order_id,
                    total=order.total,
                    currency=order.currency,
                    completed_at=order.completed_at,
                    points=points,
                    recorded_at=self.clock.now(),
                )
            )
            customer = self.customers.add_to_totals(customer_id, orders=1, spent=order.total, points=points)
            if customer is None:
                raise NotFound(NO_CUSTOMER)
            totals = totals_of(customer)
            self.orders.keep_answer(order.order_id, totals, refund=False)
            return totals

        return once(self.uow, record)


@attrs.frozen(kw_only=True)
class RefundOrder:
    """Reverses a recorded order once; a repeated refund gets the same answer.
    The refund is claimed before the totals change, as an order is."""

    customers: CustomerRepository
    orders: OrderRepository
    uow: UnitOfWork
    clock: Clock

    def __call__(self, customer_id: Id, order_id: str) -> OrderTotals:
        def refund() -> OrderTotals:
            order = self.orders.get(order_id)
            if order is None or order.customer_id != customer_id:
                raise NotFound("No order with this orderId for this customer")
            if order.refunded_at is not None:
                return _answered(order.totals_after_refund)
            if not self.orders.mark_refunded(order_id, now=self.clock.now()):
                raise ConcurrentUpdate()
            customer = self.customers.add_to_totals(customer_id, orders=-1, spent=-order.total, points=-order.points)
            if customer is None:
                raise NotFound(NO_CUSTOMER)
            totals = totals_of(customer)
            self.orders.keep_answer(order_id, totals, refund=True)
            return totals

        return once(self.uow, refund)


def _answered(totals: OrderTotals | None) -> OrderTotals:
    """The answer a delivery got; a delivery still being recorded (only
    where the store has no transactions) is a conflict to try again."""
    if totals is None:
        raise ConcurrentUpdate()
    return totals
