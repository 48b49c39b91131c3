"""The address book, driven through the real AddressBook by a hypothesis state
machine and checked against a small model: the addresses with their fields,
and which one is the default for each usage.

The limit is the real MAX_ADDRESSES: a rule fills the book in one go and tries
one more, so that adding to a full book, and adding again after a delete, are
reached often."""

from __future__ import annotations

import datetime as dt
import json
from contextlib import ExitStack
from typing import Any

import attrs
import pytest
from hypothesis import settings
from hypothesis import strategies as st
from hypothesis.stateful import RuleBasedStateMachine, invariant, precondition, rule

from adapters.camel_case import camel
from adapters.memory import (
    InMemoryAddressRepository,
    InMemoryCustomerRepository,
    InMemoryUnitOfWork,
    ManualClock,
    RandomIds,
)
from adapters.postal import I18nPostalRules
from customer_core.addresses import MAX_ADDRESSES, Address, AddressChanges, AddressFields, AddressType, Usage
from customer_core.errors import AddressLimitReached, NotFound, ValidationFailed
from customer_core.ports import AddressRepository, UnitOfWork
from customer_core.testing.contracts.repositories import a_customer
from customer_core.use_cases.addresses import AddressBook
from customer_core.values import CountryCode, Phone, as_id
from entrypoints.shapes import BodyInvalid, decode
from tests.support import acting, memory_recorder

START = dt.datetime(2100, 1, 1, 12, 0, 0, 123000, tzinfo=dt.UTC)
TICK = dt.timedelta(seconds=1, milliseconds=1)
MODELLED = ("id", "customer_id", "is_default_shipping", "is_default_billing")
BLANK: dict[str, Any] = dict(type=AddressType.HOME, label=None, company=None, street2=None, phone=None)


@attrs.frozen
class Location:
    """What a client sends for where an address is, and its normal form."""

    raw: dict[str, Any]
    normal: dict[str, Any]


def location(street: str, city: str, state: str | None, postal_code: str | None, country: str, **normal) -> Location:
    """``normal`` gives the state and postal code where they are stored in
    another form than sent."""
    raw = dict(street=street, city=city, state=state, postal_code=postal_code, country=country)
    normal = {name.removeprefix("normal_"): value for name, value in normal.items()}
    return Location(raw=raw, normal={**raw, "country": CountryCode(country), **normal})


LOCATIONS = [
    location("1600 Amphitheatre Pkwy", "Mountain View", "california", "94043-1351", "us", normal_state="CA"),
    location("10 Downing Street", "London", None, "sw1a 2aa", "GB", normal_postal_code="SW1A 2AA"),
    location("Unter den Linden 1", "Berlin", None, "10117", "de"),
    location(
        "111 Wellington St", "Ottawa", "ontario", "k1a 0b1", "CA", normal_state="ON", normal_postal_code="K1A 0B1"
    ),
    location("1-2-3 Jingumae", "Shibuya", "Tokyo", "150-0001", "JP"),
    location("1 Sheikh Zayed Rd", "Dubai", "Dubai", None, "AE"),
]
# attribute -> (what a client sends, what is stored)
DETAILS: dict[str, list[tuple[Any, Any]]] = {
    "first_name": [("Ada", "Ada"), ("  Grace ", "Grace")],
    "last_name": [("Lovelace", "Lovelace"), ("Hopper", "Hopper")],
    "type": [("home", AddressType.HOME), ("work", AddressType.WORK), ("other", AddressType.OTHER)],
    "label": [(None, None), ("Office", "Office"), (" Mum's ", "Mum's")],
    "company": [(None, None), ("Analytical Engines", "Analytical Engines")],
    "street2": [(None, None), ("Flat 2", "Flat 2")],
    "phone": [(None, None), ("+44 20 7946 0958", Phone("+442079460958")), ("+1 (415) 555-0123", Phone("+14155550123"))],
}
NAMES = ("first_name", "last_name")
NEW_DETAILS = st.fixed_dictionaries(
    {name: st.sampled_from(DETAILS[name]) for name in NAMES},
    optional={name: st.sampled_from(options) for name, options in DETAILS.items() if name not in NAMES},
)
CHANGED_DETAILS = st.fixed_dictionaries({}, optional={name: st.sampled_from(DETAILS[name]) for name in DETAILS})
FLAGS = st.fixed_dictionaries({}, optional={usage.flag: st.booleans() for usage in Usage})
# Refused by the country's postal rules (a well-formed change that does not fit).
INVALID_CHANGES = [{"postal_code": "ABC"}]
# Refused as a client sends them, before the address book sees them.
MALFORMED_CHANGES = [
    {"country": "USA"},
    {"country": "XX"},
    {"phone": "12"},
    {"type": "castle"},
    {"first_name": None},
    {"street": "   "},
    {"label": "x" * 51},
    {"city": "Bad\x00City"},
    {"is_default_shipping": "yes"},
    {"is_default_billing": None},
]


def command(cls: type, raw: dict[str, Any]) -> Any:
    """The command a client's values (by attribute name) make, as the HTTP edge makes it."""
    return decode(json.dumps({camel(name): value for name, value in raw.items()}).encode(), cls)


def new(raw: dict[str, Any]) -> AddressFields:
    return command(AddressFields, raw)


def change(raw: dict[str, Any]) -> AddressChanges:
    return command(AddressChanges, raw)


def details(address: Address) -> dict[str, Any]:
    return {name: value for name, value in attrs.asdict(address, recurse=False).items() if name not in MODELLED}


class AddressBookMachine(RuleBasedStateMachine):
    def __init__(self) -> None:
        super().__init__()
        self.resources = ExitStack()
        self.clock = ManualClock(START)
        self.ids = RandomIds()
        addresses, uow = self.stores()
        customers = InMemoryCustomerRepository()
        self.book = AddressBook(
            addresses=addresses,
            postal_rules=I18nPostalRules(),
            uow=uow,
            ids=self.ids,
            clock=self.clock,
            recorder=memory_recorder(self.clock, customers),
        )
        ada, grace = a_customer(self.ids, self.clock), a_customer(self.ids, self.clock, "grace@example.com")
        customers.add(ada)
        customers.add(grace)
        self.customer_id, self.other_id = ada.id, grace.id
        self.model: dict[str, dict[str, Any]] = {}
        self.default: dict[Usage, str | None] = dict.fromkeys(Usage)
        self.gone: list[str] = []
        self.book.add(acting(self.other_id), new({**LOCATIONS[1].raw, "first_name": "Grace", "last_name": "Hopper"}))
        self.book.add(acting(self.other_id), new({**LOCATIONS[2].raw, "first_name": "Grace", "last_name": "Hopper"}))
        self.others_book = self.book.list(self.other_id)

    def stores(self) -> tuple[AddressRepository, UnitOfWork]:
        """Subclasses swap the store; resources go on ``self.resources``."""
        return InMemoryAddressRepository(), InMemoryUnitOfWork()

    def teardown(self) -> None:
        self.resources.close()

    def tick(self) -> dt.datetime:
        self.clock.advance(TICK)
        return self.clock.now()

    def has_addresses(self) -> bool:
        return bool(self.model)

    def has_room(self) -> bool:
        return len(self.model) < MAX_ADDRESSES

    def pick(self, data: st.DataObject) -> str:
        return data.draw(st.sampled_from(list(self.model)), label="address")

    def apply_flags(self, address_id: str, flags: dict[str, bool]) -> None:
        for usage in Usage:
            if flags.get(usage.flag) is True:
                self.default[usage] = address_id
            elif flags.get(usage.flag) is False and self.default[usage] == address_id:
                self.default[usage] = None

    def added(self, raw: dict[str, Any], expected: dict[str, Any], flags: dict[str, bool]) -> None:
        was_empty = not self.model
        now = self.tick()
        address = self.book.add(acting(self.customer_id), new({**raw, **flags}))
        expected = {**BLANK, **expected, "created_at": now, "updated_at": now}
        assert details(address) == expected
        if was_empty:
            assert address.is_default_shipping and address.is_default_billing, "the first address is not both defaults"
            flags = dict.fromkeys((usage.flag for usage in Usage), True)
        self.model[address.id] = expected
        self.apply_flags(address.id, flags)

    def changed(self, address_id: str, raw: dict[str, Any], expected: dict[str, Any]) -> None:
        now = self.tick()
        updated = self.book.update(acting(self.customer_id), address_id, change(raw))
        self.model[address_id] = {**self.model[address_id], **expected, "updated_at": now}
        assert details(updated) == self.model[address_id]
        self.apply_flags(address_id, {flag: raw[flag] for flag in (usage.flag for usage in Usage) if flag in raw})
        assert updated == self.book.get(self.customer_id, address_id)

    @rule(where=st.sampled_from(LOCATIONS), chosen=NEW_DETAILS, flags=FLAGS)
    def add(self, where: Location, chosen: dict[str, tuple[Any, Any]], flags: dict[str, bool]) -> None:
        raw = {**where.raw, **{name: sent for name, (sent, _) in chosen.items()}}
        expected = {**where.normal, **{name: stored for name, (_, stored) in chosen.items()}}
        if self.has_room():
            self.added(raw, expected, flags)
            return
        with pytest.raises(AddressLimitReached):
            self.book.add(acting(self.customer_id), new({**raw, **flags}))

    @precondition(has_room)
    @rule()
    def fill_the_book(self) -> None:
        raw = {**LOCATIONS[0].raw, "first_name": "Ada", "last_name": "Lovelace"}
        while self.has_room():
            self.added(raw, {**LOCATIONS[0].normal, "first_name": "Ada", "last_name": "Lovelace"}, {})
        with pytest.raises(AddressLimitReached):
            self.book.add(
                acting(self.customer_id), new({**raw, "is_default_shipping": True, "is_default_billing": True})
            )

    @precondition(has_addresses)
    @rule(data=st.data(), where=st.none() | st.sampled_from(LOCATIONS), chosen=CHANGED_DETAILS, flags=FLAGS)
    def update(
        self, data: st.DataObject, where: Location | None, chosen: dict[str, tuple[Any, Any]], flags: dict[str, bool]
    ) -> None:
        address_id = self.pick(data)
        raw = {**(where.raw if where else {}), **{name: sent for name, (sent, _) in chosen.items()}, **flags}
        expected = {**(where.normal if where else {}), **{name: stored for name, (_, stored) in chosen.items()}}
        if not raw:
            with pytest.raises(ValidationFailed):
                self.book.update(acting(self.customer_id), address_id, change(raw))
            return
        self.changed(address_id, raw, expected)

    @precondition(has_addresses)
    @rule(data=st.data(), usage=st.sampled_from(Usage))
    def make_default(self, data: st.DataObject, usage: Usage) -> None:
        self.changed(self.pick(data), {usage.flag: True}, {})

    @rule(usage=st.sampled_from(Usage))
    def unset_the_default(self, usage: Usage) -> None:
        address_id = self.default[usage]
        if address_id is not None:
            self.changed(address_id, {usage.flag: False}, {})

    @precondition(has_addresses)
    @rule(data=st.data())
    def delete(self, data: st.DataObject) -> None:
        address_id = self.pick(data)
        self.book.delete(acting(self.customer_id), address_id)
        del self.model[address_id]
        self.gone.append(address_id)
        for usage in Usage:
            if self.default[usage] == address_id:
                self.default[usage] = None

    @precondition(has_addresses)
    @rule(data=st.data(), changes=st.sampled_from(INVALID_CHANGES))
    def invalid_update_changes_nothing(self, data: st.DataObject, changes: dict[str, Any]) -> None:
        with pytest.raises(ValidationFailed):
            self.book.update(acting(self.customer_id), self.pick(data), change(changes))

    @rule(changes=st.sampled_from(MALFORMED_CHANGES))
    def malformed_changes_never_reach_the_book(self, changes: dict[str, Any]) -> None:
        with pytest.raises(BodyInvalid):
            change(changes)

    @rule(data=st.data())
    def missing_addresses_are_not_found(self, data: st.DataObject) -> None:
        candidates = [*self.gone, *(address.id for address in self.others_book), self.ids.new_id(), "f" * 24]
        address_id = as_id(data.draw(st.sampled_from(candidates), label="missing address"))
        with pytest.raises(NotFound):
            self.book.get(self.customer_id, address_id)
        with pytest.raises(NotFound):
            self.book.update(
                acting(self.customer_id), address_id, change({"label": "Mine now", "is_default_shipping": True})
            )
        with pytest.raises(NotFound):
            self.book.delete(acting(self.customer_id), address_id)

    @precondition(has_addresses)
    @rule(data=st.data())
    def another_customer_cannot_reach_our_addresses(self, data: st.DataObject) -> None:
        address_id = self.pick(data)
        with pytest.raises(NotFound):
            self.book.get(self.other_id, address_id)
        with pytest.raises(NotFound):
            self.book.update(
                acting(self.other_id), address_id, change({"label": "Mine now", "is_default_billing": True})
            )
        with pytest.raises(NotFound):
            self.book.delete(acting(self.other_id), address_id)

    @invariant()
    def listing_matches_the_model(self) -> None:
        listed = self.book.list(self.customer_id)
        assert sorted(address.id for address in listed) == sorted(self.model)
        for address in listed:
            assert address.customer_id == self.customer_id
            assert details(address) == self.model[address.id]
            for usage in Usage:
                assert address.is_default_for(usage) == (self.default[usage] == address.id), f"default {usage}"

    @invariant()
    def at_most_one_default_per_usage(self) -> None:
        listed = self.book.list(self.customer_id)
        for usage in Usage:
            assert sum(address.is_default_for(usage) for address in listed) <= 1

    @invariant()
    def defaults_come_first_then_oldest_first(self) -> None:
        defaults = list(dict.fromkeys(d for d in (self.default[Usage.SHIPPING], self.default[Usage.BILLING]) if d))
        others = [address_id for address_id in self.model if address_id not in defaults]
        assert [address.id for address in self.book.list(self.customer_id)] == defaults + others

    @invariant()
    def another_customers_book_is_untouched(self) -> None:
        assert self.book.list(self.other_id) == self.others_book


TestAddressBook = AddressBookMachine.TestCase
TestAddressBook.settings = settings(max_examples=50, stateful_step_count=30, deadline=None)
