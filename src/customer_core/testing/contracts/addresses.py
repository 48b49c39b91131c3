"""The AddressRepository contract: subclass ``AddressRepositoryContract`` and
provide the ``addresses`` fixture."""

from __future__ import annotations

import datetime as dt

import attrs
import pytest

from customer_core.addresses import Address, AddressChanges, AddressType, Usage
from customer_core.errors import ConcurrentUpdate
from customer_core.testing.contracts.port_contract import PortContract
from customer_core.values import CountryCode, Phone

__all__ = ["AddressRepositoryContract", "a_fully_populated_address", "an_address"]

MALFORMED_IDS = ["", "not-an-id", "1234", "g" * 24, "0" * 25]


def an_address(ids, clock, customer_id: str, **fields) -> Address:
    now = clock.now()
    defaults = dict(
        id=ids.new_id(),
        customer_id=customer_id,
        first_name="Ada",
        last_name="Lovelace",
        street="1600 Amphitheatre Pkwy",
        city="Mountain View",
        state="CA",
        country=CountryCode("US"),
        postal_code="94043",
        created_at=now,
        updated_at=now,
    )
    return Address(**{**defaults, **fields})


def a_fully_populated_address(ids, clock, customer_id: str, **fields) -> Address:
    now = clock.now()
    populated = dict(
        type=AddressType.WORK,
        label="Office",
        company="Analytical Engines Ltd",
        street="10 Downing Street",
        street2="Flat 2",
        city="London",
        state="Greater London",
        country=CountryCode("GB"),
        postal_code="SW1A 2AA",
        phone=Phone("+441234567890"),
        is_default_shipping=True,
        is_default_billing=True,
        created_at=now - dt.timedelta(days=30, milliseconds=7),
        updated_at=now - dt.timedelta(hours=2, milliseconds=451),
    )
    return an_address(ids, clock, customer_id, **{**populated, **fields})


def by_id(addresses: list[Address]) -> list[Address]:
    return sorted(addresses, key=lambda a: a.id)


# --- slots -------------------------------------------------------------------


class AddressRepositoryContract(PortContract):
    """The AddressRepository contract: a subclass provides the ``addresses`` fixture."""

    def test_slots_are_reserved_one_by_one_up_to_the_limit(self, addresses, ids):
        customer_id = ids.new_id()

        assert [addresses.reserve_slot(customer_id, limit=3) for _ in range(3)] == [1, 2, 3]
        assert addresses.reserve_slot(customer_id, limit=3) is None
        assert addresses.reserve_slot(customer_id, limit=3) is None

    def test_a_released_slot_can_be_reserved_again(self, addresses, ids):
        customer_id = ids.new_id()
        for _ in range(3):
            addresses.reserve_slot(customer_id, limit=3)

        addresses.release_slot(customer_id)

        assert addresses.reserve_slot(customer_id, limit=3) == 3
        assert addresses.reserve_slot(customer_id, limit=3) is None

    def test_releasing_never_takes_the_count_below_zero(self, addresses, ids):
        customer_id = ids.new_id()
        addresses.release_slot(customer_id)
        addresses.reserve_slot(customer_id, limit=2)
        addresses.release_slot(customer_id)
        addresses.release_slot(customer_id)

        assert [addresses.reserve_slot(customer_id, limit=2) for _ in range(3)] == [1, 2, None]

    def test_slots_are_counted_per_customer(self, addresses, ids):
        full, other = ids.new_id(), ids.new_id()
        for _ in range(2):
            addresses.reserve_slot(full, limit=2)

        assert addresses.reserve_slot(other, limit=2) == 1
        assert addresses.reserve_slot(full, limit=2) is None

    def test_added_address_reads_back_with_every_field(self, addresses, ids, clock):
        customer_id = ids.new_id()
        address = a_fully_populated_address(ids, clock, customer_id)
        addresses.add(address)

        assert addresses.get(customer_id, address.id) == address
        assert addresses.find(address.id) == address
        assert addresses.list(customer_id) == [address]

    def test_timestamps_read_back_in_utc(self, addresses, ids, clock):
        customer_id = ids.new_id()
        address = a_fully_populated_address(ids, clock, customer_id)
        addresses.add(address)

        found = addresses.get(customer_id, address.id)
        assert (found.created_at, found.updated_at) == (address.created_at, address.updated_at)
        assert found.created_at.utcoffset() == found.updated_at.utcoffset() == dt.timedelta(0)

    def test_address_with_only_required_fields_reads_back_with_defaults(self, addresses, ids, clock):
        customer_id = ids.new_id()
        address = an_address(ids, clock, customer_id, state=None, postal_code=None, country=CountryCode("AE"))
        addresses.add(address)

        found = addresses.get(customer_id, address.id)
        assert found == address
        assert found.type is AddressType.HOME
        assert (found.label, found.company, found.street2, found.phone) == (None, None, None, None)
        assert not found.is_default_shipping and not found.is_default_billing

    def test_another_customers_address_is_not_found_by_id(self, addresses, ids, clock):
        owner, other = ids.new_id(), ids.new_id()
        address = an_address(ids, clock, owner)
        addresses.add(address)

        assert addresses.get(other, address.id) is None
        assert addresses.find(address.id) == address

    def test_unknown_address_id_finds_nothing(self, addresses, ids, clock):
        customer_id = ids.new_id()
        addresses.add(an_address(ids, clock, customer_id))
        unknown = ids.new_id()

        assert addresses.get(customer_id, unknown) is None
        assert addresses.find(unknown) is None

    @pytest.mark.parametrize("malformed", MALFORMED_IDS)
    def test_malformed_ids_find_change_and_delete_nothing(self, addresses, ids, clock, malformed):
        customer_id = ids.new_id()
        address = an_address(ids, clock, customer_id)
        addresses.add(address)

        assert addresses.get(customer_id, malformed) is None
        assert addresses.get(malformed, address.id) is None
        assert addresses.find(malformed) is None
        assert addresses.list(malformed) == []
        assert addresses.update(customer_id, malformed, AddressChanges(label="X"), now=clock.now()) is None
        assert addresses.update(malformed, address.id, AddressChanges(label="X"), now=clock.now()) is None
        assert addresses.delete(customer_id, malformed) is False
        assert addresses.delete(malformed, address.id) is False
        assert addresses.list(customer_id) == [address]

    def test_list_holds_only_that_customers_addresses(self, addresses, ids, clock):
        ada, grace = ids.new_id(), ids.new_id()
        adas = [an_address(ids, clock, ada, label=f"Ada {n}") for n in range(3)]
        graces = [an_address(ids, clock, grace, label="Grace")]
        for address in [*adas, *graces]:
            addresses.add(address)

        assert by_id(addresses.list(ada)) == by_id(adas)
        assert addresses.list(grace) == graces
        assert addresses.list(ids.new_id()) == []

    def test_update_changes_only_the_given_fields(self, addresses, ids, clock):
        customer_id = ids.new_id()
        address = a_fully_populated_address(ids, clock, customer_id)
        bystander = an_address(ids, clock, customer_id)
        addresses.add(address)
        addresses.add(bystander)
        clock.advance(dt.timedelta(seconds=5, milliseconds=250))
        changes = AddressChanges(
            type=AddressType.OTHER,
            label="Studio",
            phone=None,
            street2=None,
            postal_code="SW1A 1AA",
            is_default_billing=False,
        )

        updated = addresses.update(customer_id, address.id, changes, now=clock.now())

        expected = attrs.evolve(address, **changes.given(), updated_at=clock.now())
        assert updated == expected
        assert addresses.get(customer_id, address.id) == expected
        assert addresses.get(customer_id, bystander.id) == bystander

    def test_update_can_set_a_phone(self, addresses, ids, clock):
        customer_id = ids.new_id()
        address = an_address(ids, clock, customer_id)
        addresses.add(address)

        updated = addresses.update(
            customer_id, address.id, AddressChanges(phone=Phone("+14155550123")), now=clock.now()
        )

        assert updated == attrs.evolve(address, phone=Phone("+14155550123"), updated_at=clock.now())
        assert addresses.get(customer_id, address.id).phone == Phone("+14155550123")

    def test_update_of_another_customers_address_changes_nothing(self, addresses, ids, clock):
        owner, other = ids.new_id(), ids.new_id()
        address = a_fully_populated_address(ids, clock, owner)
        addresses.add(address)

        changes = AddressChanges(label="Mine now", is_default_shipping=False)
        assert addresses.update(other, address.id, changes, now=clock.now()) is None
        assert addresses.get(owner, address.id) == address
        assert addresses.list(other) == []

    def test_update_of_unknown_address_returns_none_and_adds_nothing(self, addresses, ids, clock):
        customer_id = ids.new_id()

        assert addresses.update(customer_id, ids.new_id(), AddressChanges(label="Ghost"), now=clock.now()) is None
        assert addresses.list(customer_id) == []

    def test_delete_removes_only_that_address(self, addresses, ids, clock):
        customer_id = ids.new_id()
        gone, kept = an_address(ids, clock, customer_id), an_address(ids, clock, customer_id)
        addresses.add(gone)
        addresses.add(kept)

        assert addresses.delete(customer_id, gone.id) is True

        assert addresses.get(customer_id, gone.id) is None
        assert addresses.find(gone.id) is None
        assert addresses.list(customer_id) == [kept]
        assert addresses.delete(customer_id, gone.id) is False

    def test_delete_of_another_customers_address_changes_nothing(self, addresses, ids, clock):
        owner, other = ids.new_id(), ids.new_id()
        address = an_address(ids, clock, owner)
        addresses.add(address)

        assert addresses.delete(other, address.id) is False
        assert addresses.get(owner, address.id) == address

    def test_delete_of_unknown_address_returns_false(self, addresses, ids, clock):
        customer_id = ids.new_id()
        address = an_address(ids, clock, customer_id)
        addresses.add(address)

        assert addresses.delete(customer_id, ids.new_id()) is False
        assert addresses.list(customer_id) == [address]

    @pytest.mark.parametrize("usage", list(Usage))
    def test_clear_default_clears_only_that_usage_for_only_that_customer(self, addresses, ids, clock, usage):
        ada, grace = ids.new_id(), ids.new_id()
        adas = an_address(ids, clock, ada, is_default_shipping=True, is_default_billing=True)
        graces = an_address(ids, clock, grace, is_default_shipping=True, is_default_billing=True)
        addresses.add(adas)
        addresses.add(graces)

        addresses.clear_default(ada, usage)

        assert addresses.get(ada, adas.id) == attrs.evolve(adas, **{usage.flag: False})
        assert addresses.get(grace, graces.id) == graces

    def test_clear_default_without_a_default_changes_nothing(self, addresses, ids, clock):
        customer_id = ids.new_id()
        address = an_address(ids, clock, customer_id)
        addresses.add(address)

        addresses.clear_default(customer_id, Usage.SHIPPING)
        addresses.clear_default(ids.new_id(), Usage.BILLING)

        assert addresses.list(customer_id) == [address]

    @pytest.mark.parametrize("usage", list(Usage))
    def test_a_second_default_for_a_usage_is_refused_on_add(self, addresses, ids, clock, usage):
        customer_id = ids.new_id()
        first = an_address(ids, clock, customer_id, **{usage.flag: True})
        addresses.add(first)

        with pytest.raises(ConcurrentUpdate):
            addresses.add(an_address(ids, clock, customer_id, **{usage.flag: True}))

        assert addresses.list(customer_id) == [first]

    @pytest.mark.parametrize("usage", list(Usage))
    def test_a_second_default_for_a_usage_is_refused_on_update(self, addresses, ids, clock, usage):
        customer_id = ids.new_id()
        default = an_address(ids, clock, customer_id, **{usage.flag: True})
        other = an_address(ids, clock, customer_id)
        addresses.add(default)
        addresses.add(other)

        with pytest.raises(ConcurrentUpdate):
            addresses.update(
                customer_id, other.id, AddressChanges(**{usage.flag: True, "label": "Sneaky"}), now=clock.now()
            )

        assert by_id(addresses.list(customer_id)) == by_id([default, other])

    @pytest.mark.parametrize("usage", list(Usage))
    def test_a_default_can_move_once_the_old_one_is_cleared(self, addresses, ids, clock, usage):
        customer_id = ids.new_id()
        old = an_address(ids, clock, customer_id, **{usage.flag: True})
        new = an_address(ids, clock, customer_id)
        addresses.add(old)
        addresses.add(new)

        addresses.clear_default(customer_id, usage)
        moved = addresses.update(customer_id, new.id, AddressChanges(**{usage.flag: True}), now=clock.now())

        assert moved == attrs.evolve(new, **{usage.flag: True}, updated_at=clock.now())
        assert addresses.get(customer_id, old.id) == attrs.evolve(old, **{usage.flag: False})

    def test_shipping_and_billing_defaults_may_be_different_addresses(self, addresses, ids, clock):
        customer_id = ids.new_id()
        shipping = an_address(ids, clock, customer_id, is_default_shipping=True)
        billing = an_address(ids, clock, customer_id, is_default_billing=True)
        addresses.add(shipping)
        addresses.add(billing)

        assert by_id(addresses.list(customer_id)) == by_id([shipping, billing])

    def test_many_addresses_may_be_no_default(self, addresses, ids, clock):
        customer_id = ids.new_id()
        plain = [an_address(ids, clock, customer_id) for _ in range(3)]
        for address in plain:
            addresses.add(address)

        assert by_id(addresses.list(customer_id)) == by_id(plain)

    def test_another_customer_may_have_their_own_defaults(self, addresses, ids, clock):
        ada, grace = ids.new_id(), ids.new_id()
        adas = an_address(ids, clock, ada, is_default_shipping=True, is_default_billing=True)
        graces = an_address(ids, clock, grace, is_default_shipping=True, is_default_billing=True)
        graces_other = an_address(ids, clock, grace)
        addresses.add(adas)
        addresses.add(graces)
        addresses.add(graces_other)
        addresses.clear_default(grace, Usage.BILLING)

        moved = addresses.update(grace, graces_other.id, AddressChanges(is_default_billing=True), now=clock.now())

        assert moved.is_default_billing
        assert addresses.list(ada) == [adas]


# --- reading -----------------------------------------------------------------


# --- changing ----------------------------------------------------------------


# --- defaults ----------------------------------------------------------------
