"""Orders and refunds on the whole core wired to in-memory storage: exact
sums, points per whole unit, idempotency per order id, refunds once. Over
HTTP with real concurrent deliveries: tests/integration/test_internal_api_http.py."""

from __future__ import annotations

import datetime as dt
import random
import time
from decimal import Decimal

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from adapters.memory import InMemoryOrders, ManualClock
from customer_core import CustomerService, NotFound, Order, Registration, ValidationFailed
from customer_core.errors import ConcurrentUpdate, OrderConflict
from customer_core.orders import CompletedOrder, LoyaltyPolicy, OrderTotals, money
from customer_core.values import Currency, Email
from tests.support import PASSWORD, memory_ports, policies, run_together

COMPLETED = dt.datetime(2026, 11, 26, 10, 0, tzinfo=dt.UTC)
CENTS = st.integers(min_value=0, max_value=100_000_000_000).map(lambda cents: Decimal(cents).scaleb(-2))


def order(order_id: str = "A-1", total: str | Decimal = "19.99", currency: str = "USD") -> CompletedOrder:
    return CompletedOrder(order_id=order_id, total=total, currency=Currency(currency), completed_at=COMPLETED)


def totals(orders: int, spent: str, points: int) -> OrderTotals:
    return OrderTotals(total_orders=orders, total_spent=Decimal(spent), loyalty_points=points)


@pytest.fixture
def customer_id(flows):
    return flows.register().customer.id


def test_sums_are_exact_and_points_count_whole_units(flows, customer_id):
    flows.service.record_order(customer_id, order("A-1", "0.10"))
    flows.service.record_order(customer_id, order("A-2", Decimal("0.20")))

    assert flows.service.record_order(customer_id, order("A-3", "2.99")) == totals(3, "3.29", 2)
    customer = flows.service.directory.by_id(customer_id)
    assert (customer.total_orders, str(customer.total_spent), customer.loyalty_points) == (3, "3.29", 2)


def test_a_replay_gets_the_first_answer_and_changes_nothing(flows, customer_id):
    first = flows.service.record_order(customer_id, order("A-1", "10.00"))
    flows.service.record_order(customer_id, order("A-2", "5.00"))

    assert flows.service.record_order(customer_id, order("A-1", "10.00")) == first == totals(1, "10.00", 10)
    assert flows.service.directory.by_id(customer_id).total_orders == 2


def test_the_same_order_id_with_other_details_is_a_conflict(flows, customer_id):
    flows.service.record_order(customer_id, order("A-1", "10.00"))

    with pytest.raises(OrderConflict):
        flows.service.record_order(customer_id, order("A-1", "10.01"))


def test_an_order_in_another_currency_is_refused(flows, customer_id):
    with pytest.raises(ValidationFailed) as refused:
        flows.service.record_order(customer_id, order(currency="EUR"))

    assert refused.value.errors[0].field == "currency"


def test_the_base_currency_is_a_setting(make_flows):
    flows = make_flows(base_currency="EUR")
    customer_id = flows.register().customer.id

    assert flows.service.record_order(customer_id, order(currency="EUR")) == totals(1, "19.99", 19)
    with pytest.raises(ValidationFailed):
        flows.service.record_order(customer_id, order("A-2", currency="USD"))


def test_orders_and_refunds_of_no_customer_are_not_found(flows, customer_id):
    with pytest.raises(NotFound):
        flows.service.record_order("0" * 24, order())
    with pytest.raises(NotFound):
        flows.service.refund_order(customer_id, "never-recorded")


def test_a_refund_reverses_its_order_once(flows, customer_id):
    flows.service.record_order(customer_id, order("A-1", "10.50"))
    flows.service.record_order(customer_id, order("A-2", "0.25"))

    first = flows.service.refund_order(customer_id, "A-1")
    again = flows.service.refund_order(customer_id, "A-1")

    assert first == again == totals(1, "0.25", 0)


def test_an_erased_customer_takes_their_orders_along(flows):
    registered = flows.register()
    customer_id = registered.customer.id
    flows.service.record_order(customer_id, order())

    flows.service.admin.erase(customer_id, operator="test")

    assert flows.wiring.service.refund_order.orders.list(customer_id) == []


@given(points_per_unit=st.decimals(min_value=0, max_value=100, places=2), total=CENTS)
def test_points_are_whole_units_times_the_rate_rounded_down(points_per_unit, total):
    points = LoyaltyPolicy(points_per_unit=points_per_unit).points_for(total)

    assert points == int((total // 1) * points_per_unit // 1)
    assert 0 <= points <= total * points_per_unit


@given(total=CENTS)
def test_any_sum_in_cents_is_money_as_text_or_number(total):
    assert money(str(total)) == money(total) == total
    assert str(money(total)).split(".")[1].__len__() == 2


@given(cents=st.integers(min_value=0, max_value=10**9), extra=st.integers(min_value=1, max_value=9))
def test_a_third_decimal_is_refused(cents, extra):
    with pytest.raises(ValueError, match="2 decimal places"):
        money(Decimal(cents).scaleb(-2) + Decimal(extra).scaleb(-3))


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(
    steps=st.lists(
        st.tuples(st.sampled_from(["record", "refund"]), st.integers(min_value=0, max_value=4), CENTS), max_size=25
    )
)
def test_the_totals_are_always_the_sum_of_the_orders_not_refunded(make_flows, steps):
    """A state machine of deliveries, replays and refunds in any order."""
    flows = make_flows()
    customer_id = flows.register().customer.id
    recorded: dict[str, Decimal] = {}
    refunded: set[str] = set()
    for action, number, total in steps:
        order_id = f"A-{number}"
        if action == "record":
            try:
                flows.service.record_order(customer_id, order(order_id, total))
                recorded.setdefault(order_id, total)
            except OrderConflict:
                assert recorded[order_id] != total
        elif order_id in recorded:
            flows.service.refund_order(customer_id, order_id)
            refunded.add(order_id)
    kept = [total for order_id, total in recorded.items() if order_id not in refunded]
    customer = flows.service.directory.by_id(customer_id)
    assert customer.total_orders == len(kept)
    assert customer.total_spent == sum(kept, Decimal(0))
    assert customer.loyalty_points == sum(int(total) for total in kept)


def test_an_order_id_belongs_to_one_customer(flows, customer_id):
    other = flows.register().customer.id
    flows.service.record_order(customer_id, order("A-1"))

    with pytest.raises(OrderConflict):
        flows.service.record_order(other, order("A-1"))
    with pytest.raises(NotFound):
        flows.service.refund_order(other, "A-1")
    assert flows.service.directory.by_id(other).total_orders == 0


def test_a_replay_with_microseconds_is_the_same_order(flows, customer_id):
    sent = CompletedOrder(
        order_id="A-1", total="1.00", currency=Currency("USD"), completed_at=COMPLETED.replace(microsecond=123456)
    )

    first = flows.service.record_order(customer_id, sent)

    assert flows.service.record_order(customer_id, sent) == first
    assert sent.completed_at.microsecond == 123000  # as MongoDB keeps it


@pytest.mark.parametrize("order_id", ["", " A-1 ", "a/b", "a%2Fb", "a b", "x" * 101, "ä"])
def test_an_order_id_is_url_safe_as_given(order_id):
    with pytest.raises(ValueError, match="letters, digits"):
        order(order_id)


class SlowOrders(InMemoryOrders):
    """Takes its time over each write, as a remote store would: racing
    deliveries overlap."""

    def add(self, order: Order) -> None:
        time.sleep(random.uniform(0, 0.02))
        super().add(order)

    def mark_refunded(self, order_id: str, *, now: dt.datetime) -> bool:
        time.sleep(random.uniform(0, 0.02))
        return super().mark_refunded(order_id, now=now)


def test_concurrent_deliveries_and_refunds_count_once_without_transactions(tmp_path):
    """The in-memory store has no transactions: the order, and then its
    refund, are claimed before the totals change, so racing deliveries
    neither count twice nor answer totals another delivery added."""
    clock = ManualClock(COMPLETED)
    service = CustomerService.assemble(memory_ports(clock, tmp_path, orders=SlowOrders()), policies())
    customer_id = service.register(
        Registration(email=Email("ada@example.com"), password=PASSWORD, first_name="Ada", last_name="Lovelace")
    ).customer.id

    delivered = run_together(lambda _: service.record_order(customer_id, order("A-1", "3.00")), 8)
    refunded = run_together(lambda _: service.refund_order(customer_id, "A-1"), 8)

    assert all(isinstance(answer, OrderTotals | ConcurrentUpdate) for answer in delivered + refunded)
    assert {answer for answer in delivered if isinstance(answer, OrderTotals)} == {totals(1, "3.00", 3)}
    assert {answer for answer in refunded if isinstance(answer, OrderTotals)} == {totals(0, "0.00", 0)}
    customer = service.directory.by_id(customer_id)
    assert (customer.total_orders, customer.total_spent, customer.loyalty_points) == (0, Decimal("0.00"), 0)
