"""The order totals (``CustomerRepository.add_to_totals``), OrderRepository
and ServiceClientRepository contracts: subclass ``OrdersContract`` and
provide the ``customers``, ``orders``, ``service_clients`` and ``uow`` fixtures."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest

from customer_core.clients import Scope, ServiceClient, secret_digest
from customer_core.errors import ConcurrentUpdate
from customer_core.orders import Order, OrderTotals
from customer_core.testing.contracts.port_contract import PortContract
from customer_core.testing.contracts.repositories import MALFORMED_IDS, a_customer
from customer_core.values import Currency

__all__ = ["OrdersContract", "a_client", "an_order"]

NO_TOTALS = OrderTotals(total_orders=0, total_spent=Decimal(0), loyalty_points=0)
ANSWER = OrderTotals(total_orders=7, total_spent=Decimal("70.70"), loyalty_points=70)


def an_order(customer_id, clock, order_id: str = "A-1", total: str = "19.99", **fields) -> Order:
    defaults = dict(
        customer_id=customer_id,
        order_id=order_id,
        total=Decimal(total),
        currency=Currency("USD"),
        completed_at=clock.now() - dt.timedelta(minutes=5),
        points=int(Decimal(total)),
        recorded_at=clock.now(),
        totals_after=OrderTotals(total_orders=1, total_spent=Decimal(total), loyalty_points=int(Decimal(total))),
    )
    return Order(**{**defaults, **fields})


def a_client(ids, clock, name: str = "orders-service") -> ServiceClient:
    return ServiceClient(
        id=ids.new_id(),
        name=name,
        secret_digest=secret_digest("secret"),
        scopes=frozenset({Scope.ORDERS_WRITE, Scope.CUSTOMERS_READ}),
        created_at=clock.now(),
    )


def fail_after(uow, step) -> None:
    """Run ``step`` in a unit of work that then fails."""

    def work():
        step()
        raise RuntimeError("later in the same unit of work")

    with pytest.raises(RuntimeError):
        uow.run(work)


class OrdersContract(PortContract):
    """The order contracts: a subclass provides ``customers``, ``orders``,
    ``service_clients`` and ``uow``."""

    # --- the customer's totals -------------------------------------------------

    def test_totals_add_up_exactly_and_can_be_taken_away(self, customers, ids, clock):
        customer = a_customer(ids, clock)
        customers.add(customer)

        customers.add_to_totals(customer.id, orders=1, spent=Decimal("0.10"), points=0)
        added = customers.add_to_totals(customer.id, orders=1, spent=Decimal("0.20"), points=3)
        taken = customers.add_to_totals(customer.id, orders=-1, spent=Decimal("-0.10"), points=-1)

        assert added is not None and (added.total_orders, added.total_spent, added.loyalty_points) == (
            2,
            Decimal("0.30"),
            3,
        )
        stored = customers.get(customer.id)
        assert taken == stored
        assert (stored.total_orders, stored.total_spent, stored.loyalty_points) == (1, Decimal("0.20"), 2)
        assert str(stored.total_spent) == "0.20"

    @pytest.mark.parametrize("customer_id", ["0" * 24, *MALFORMED_IDS])
    def test_no_customer_has_no_totals_to_add_to(self, customers, customer_id):
        assert customers.add_to_totals(customer_id, orders=1, spent=Decimal(1), points=1) is None

    def test_a_failed_unit_of_work_takes_the_totals_back(self, customers, uow, ids, clock):
        customer = a_customer(ids, clock)
        customers.add(customer)

        def add_then_fail():
            customers.add_to_totals(customer.id, orders=1, spent=Decimal("5.00"), points=5)
            raise RuntimeError("later in the same unit of work")

        with pytest.raises(RuntimeError):
            uow.run(add_then_fail)

        stored = customers.get(customer.id)
        assert (stored.total_orders, stored.total_spent, stored.loyalty_points) == (0, Decimal("0.00"), 0)

    # --- orders ------------------------------------------------------------------

    def test_an_order_reads_back_exactly_by_its_id(self, orders, ids, clock):
        customer_id = ids.new_id()
        order = an_order(customer_id, clock, total="1000000000.00")
        orders.add(order)

        assert orders.get("A-1") == order
        assert orders.get("A-2") is None

    def test_an_order_id_is_recorded_once_whoever_the_customer(self, orders, ids, clock):
        customer_id, other = ids.new_id(), ids.new_id()
        orders.add(an_order(customer_id, clock))

        for again in (an_order(customer_id, clock, total="5.00"), an_order(other, clock)):
            with pytest.raises(ConcurrentUpdate):
                orders.add(again)

        assert orders.get("A-1").total == Decimal("19.99") and orders.get("A-1").customer_id == customer_id

    def test_an_order_claimed_without_its_answer_keeps_it_when_given(self, orders, ids, clock):
        orders.add(an_order(ids.new_id(), clock, totals_after=None))
        assert orders.get("A-1").totals_after is None

        orders.keep_answer("A-1", ANSWER, refund=False)

        assert orders.get("A-1").totals_after == ANSWER and orders.get("A-1").totals_after_refund is None

    def test_an_order_is_refunded_once_with_its_answer_kept(self, orders, ids, clock):
        orders.add(an_order(ids.new_id(), clock))

        first = orders.mark_refunded("A-1", now=clock.now())
        second = orders.mark_refunded("A-1", now=clock.now())
        orders.keep_answer("A-1", NO_TOTALS, refund=True)

        assert (first, second) == (True, False)
        refunded = orders.get("A-1")
        assert refunded.refunded_at == clock.now() and refunded.totals_after_refund == NO_TOTALS
        assert refunded.totals_after == an_order(refunded.customer_id, clock).totals_after
        assert orders.mark_refunded("nope", now=clock.now()) is False

    def test_a_failed_unit_of_work_undoes_an_order_and_its_refund(self, orders, uow, ids, clock):
        customer_id = ids.new_id()

        fail_after(uow, lambda: orders.add(an_order(customer_id, clock)))
        assert orders.get("A-1") is None
        orders.add(an_order(customer_id, clock))
        fail_after(uow, lambda: orders.mark_refunded("A-1", now=clock.now()))
        assert orders.get("A-1").refunded_at is None

    def test_orders_list_oldest_first_and_erase_with_their_customer(self, orders, ids, clock):
        customer_id, other = ids.new_id(), ids.new_id()
        for number in range(3):
            orders.add(an_order(customer_id, clock, order_id=f"A-{number}"))
            clock.advance(dt.timedelta(seconds=1))
        orders.add(an_order(other, clock, order_id="B-1"))

        assert [order.order_id for order in orders.list(customer_id)] == ["A-0", "A-1", "A-2"]
        orders.erase(customer_id)

        assert orders.list(customer_id) == [] and len(orders.list(other)) == 1

    # --- service clients ---------------------------------------------------------

    def test_clients_read_back_and_list_oldest_first(self, service_clients, ids, clock):
        first = a_client(ids, clock, "first")
        clock.advance(dt.timedelta(seconds=1))
        second = a_client(ids, clock, "second")
        service_clients.add(second)
        service_clients.add(first)

        assert service_clients.get(first.id) == first
        assert service_clients.list() == [first, second]

    @pytest.mark.parametrize("client_id", ["0" * 24, *MALFORMED_IDS])
    def test_an_unknown_client_is_none_and_cannot_be_revoked(self, service_clients, client_id, clock):
        assert service_clients.get(client_id) is None
        assert service_clients.revoke(client_id, now=clock.now()) is False

    def test_a_client_is_revoked_once(self, service_clients, ids, clock):
        client = a_client(ids, clock)
        service_clients.add(client)

        assert service_clients.revoke(client.id, now=clock.now()) is True
        assert service_clients.revoke(client.id, now=clock.now()) is False

        revoked = service_clients.get(client.id)
        assert revoked.revoked_at == clock.now() and not revoked.active

    def test_a_failed_unit_of_work_undoes_a_client_and_its_revocation(self, service_clients, uow, ids, clock):
        client = a_client(ids, clock)

        fail_after(uow, lambda: service_clients.add(client))
        assert service_clients.get(client.id) is None
        service_clients.add(client)
        fail_after(uow, lambda: service_clients.revoke(client.id, now=clock.now()))
        assert service_clients.get(client.id).active
