"""Without transactions (in memory, or a standalone MongoDB), a unit of work
that fails undoes the writes that registered how to: a reserved address slot
is given back (so an add that loses a race for a default is retried with one
slot, not two), and a redeemed emailed token can be redeemed again."""

import pytest

from adapters.memory import InMemoryAddressRepository, InMemoryEmailedTokens, InMemoryUnitOfWork, ManualClock
from customer_core import CustomerService
from customer_core.addresses import Address, AddressFields
from customer_core.emailed_tokens import Purpose
from customer_core.errors import ConcurrentUpdate, EmailTaken
from customer_core.testing.contracts import CLOCK_START
from customer_core.testing.contracts.messaging import a_token
from customer_core.testing.contracts.repositories import a_customer
from customer_core.values import CountryCode, Id
from tests.support import acting, memory_ports, policies

ADDRESS = AddressFields(first_name="Ada", last_name="Lovelace", street="1 Main St", city="Berlin",
                        postal_code="10115", country=CountryCode("DE"), is_default_shipping=True)  # fmt: skip
CUSTOMER = Id("a" * 24)


class LosesTheFirstRace(InMemoryAddressRepository):
    """Refuses the first add as if another request had just set a default."""

    def __init__(self) -> None:
        super().__init__()
        self.lost = False

    def add(self, address: Address) -> None:
        if not self.lost:
            self.lost = True
            raise ConcurrentUpdate()
        super().add(address)


def slots_used(addresses: InMemoryAddressRepository) -> int:
    count = addresses.reserve_slot(CUSTOMER, limit=10_000)
    addresses.release_slot(CUSTOMER)
    return count - 1


def test_an_add_that_lost_a_race_is_retried_with_one_slot(tmp_path):
    addresses = LosesTheFirstRace()
    ports = memory_ports(ManualClock(), tmp_path, addresses=addresses)
    ports.customers.add(a_customer(ports.ids, ports.clock, id=CUSTOMER))
    service = CustomerService.assemble(ports, policies())

    added = service.address_book.add(acting(CUSTOMER), ADDRESS)

    assert addresses.lost
    assert [a.id for a in addresses.list(CUSTOMER)] == [added.id]
    assert slots_used(addresses) == 1


def test_a_failed_unit_of_work_gives_back_the_slot_it_reserved():
    addresses = InMemoryAddressRepository()

    def reserve_then_fail():
        addresses.reserve_slot(CUSTOMER, limit=5)
        raise RuntimeError("failed after reserving")

    with pytest.raises(RuntimeError):
        InMemoryUnitOfWork().run(reserve_then_fail)

    assert slots_used(addresses) == 0


def test_a_slot_reserved_by_a_unit_of_work_that_completes_stays_taken():
    addresses = InMemoryAddressRepository()

    InMemoryUnitOfWork().run(lambda: addresses.reserve_slot(CUSTOMER, limit=5))

    assert slots_used(addresses) == 1


def test_a_failed_unit_of_work_leaves_the_emailed_token_it_redeemed_usable():
    tokens = InMemoryEmailedTokens()
    token = a_token(ManualClock(CLOCK_START), CUSTOMER, Purpose.CHANGE_EMAIL)
    tokens.replace(token)

    def redeem_then_fail():
        assert tokens.redeem(token.digest, Purpose.CHANGE_EMAIL, now=CLOCK_START) == token
        raise EmailTaken()

    with pytest.raises(EmailTaken):
        InMemoryUnitOfWork().run(redeem_then_fail)

    assert tokens.redeem(token.digest, Purpose.CHANGE_EMAIL, now=CLOCK_START) == token


def test_what_waits_for_the_commit_runs_once_after_it_and_never_after_a_failure():
    uow, done = InMemoryUnitOfWork(), []

    def nested_work() -> None:
        uow.after_commit(lambda: done.append("inner"))
        assert done == []  # not before the outer unit of work commits

    def failing_work() -> None:
        uow.after_commit(lambda: done.append("failed"))
        raise RuntimeError("rolled back")

    uow.run(lambda: (uow.after_commit(lambda: done.append("outer")), uow.run(nested_work)))
    with pytest.raises(RuntimeError):
        uow.run(failing_work)
    uow.after_commit(lambda: done.append("outside"))

    assert done == ["outer", "inner", "outside"]
