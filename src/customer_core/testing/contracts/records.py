"""The AuditLog and ConsentLog contracts: subclass and provide the
``audit_log`` or ``consents`` fixture."""

from __future__ import annotations

import datetime as dt

import attrs

from customer_core.records import Actor, AuditEntry, Consent, ConsentSource, Event, Purpose
from customer_core.testing.contracts.port_contract import PortContract

__all__ = ["AuditLogContract", "ConsentLogContract", "a_consent", "an_entry"]


def an_entry(ids, at: dt.datetime, customer_id=None, event: Event = Event.LOGIN_SUCCEEDED, **fields) -> AuditEntry:
    return AuditEntry(
        id=ids.new_id(),
        at=at,
        type=event,
        actor=fields.pop("actor", Actor.CUSTOMER),
        customer_id=customer_id,
        **fields,
    )


class AuditLogContract(PortContract):
    """The AuditLog contract: a subclass provides ``audit_log``."""

    def test_an_entry_reads_back_with_every_field(self, audit_log, ids, clock):
        entry = an_entry(
            ids,
            clock.now(),
            ids.new_id(),
            Event.ADDRESS_CHANGED,
            actor=Actor.ADMIN,
            operator="alice",
            request_id="req-1",
            ip_address="192.0.2.1",
            user_agent="curl/8",
            detail={"address_id": "x", "fields": ["city", "street"], "all_sessions": True, "imported": 3},
        )
        audit_log.record(entry)

        assert audit_log.list() == [entry]

    def test_entries_come_newest_first_and_page_with_before(self, audit_log, ids, clock):
        customer = ids.new_id()
        entries = []
        for _ in range(5):
            clock.advance(dt.timedelta(seconds=1))
            entries.append(an_entry(ids, clock.now(), customer))
            audit_log.record(entries[-1])
        same_time = an_entry(ids, clock.now(), customer)  # two entries in one millisecond
        audit_log.record(same_time)
        newest_first = sorted([*entries, same_time], key=lambda e: (e.at, e.id), reverse=True)

        first = audit_log.list(customer_id=customer, limit=4)
        rest = audit_log.list(customer_id=customer, limit=4, before=first[-1].id)

        assert first + rest == newest_first
        assert audit_log.list(customer_id=customer, before=newest_first[-1].id) == []

    def test_entries_are_filtered_by_customer_type_and_time(self, audit_log, ids, clock):
        ada, grace = ids.new_id(), ids.new_id()
        early = an_entry(ids, clock.now(), ada, Event.LOGIN_FAILED)
        clock.advance(dt.timedelta(hours=1))
        late = an_entry(ids, clock.now(), ada, Event.LOGGED_OUT)
        other = an_entry(ids, clock.now(), grace, Event.LOGGED_OUT)
        for entry in (early, late, other):
            audit_log.record(entry)

        assert audit_log.list(customer_id=ada) == [late, early]
        assert audit_log.list(types=frozenset({Event.LOGGED_OUT})) == sorted(
            [late, other], key=lambda e: e.id, reverse=True
        )
        assert audit_log.list(customer_id=ada, since=clock.now()) == [late]
        assert audit_log.list(customer_id=ids.new_id()) == []

    def test_pseudonymising_renames_the_customer_and_drops_where_they_were(self, audit_log, ids, clock):
        ada, grace, pseudonym, new_id = ids.new_id(), ids.new_id(), ids.new_id(), ids.new_id()
        mine = an_entry(
            ids,
            clock.now(),
            ada,
            ip_address="192.0.2.1",
            user_agent="curl/8",
            request_id="r",
            detail={"address_id": ids.new_id(), "fields": ["city"]},
        )
        theirs = an_entry(ids, clock.now(), grace, ip_address="192.0.2.2")
        audit_log.record(mine)
        audit_log.record(theirs)

        audit_log.pseudonymise(ada, lambda entry: entry.pseudonymised(pseudonym, new_id))

        assert audit_log.list(customer_id=ada) == []
        assert audit_log.list(customer_id=pseudonym) == [
            attrs.evolve(
                mine,
                id=new_id,
                customer_id=pseudonym,
                request_id=None,
                ip_address=None,
                user_agent=None,
                detail={"fields": ["city"]},
            )
        ]
        assert audit_log.list(customer_id=grace) == [theirs]


def a_consent(ids, at: dt.datetime, customer_id, purpose=Purpose.NEWSLETTER, granted=True) -> Consent:
    return Consent(
        id=ids.new_id(),
        customer_id=customer_id,
        purpose=purpose,
        granted=granted,
        at=at,
        source=ConsentSource.PREFERENCES,
        policy_version="2",
    )


class ConsentLogContract(PortContract):
    """The ConsentLog contract: a subclass provides ``consents``."""

    def test_consents_come_back_newest_first_for_their_customer_only(self, consents, ids, clock):
        ada, grace = ids.new_id(), ids.new_id()
        given = a_consent(ids, clock.now(), ada)
        clock.advance(dt.timedelta(minutes=1))
        withdrawn = a_consent(ids, clock.now(), ada, granted=False)
        sms = a_consent(ids, clock.now(), grace, Purpose.SMS)
        for consent in (given, withdrawn, sms):
            consents.add(consent)

        assert consents.list(ada) == [withdrawn, given]
        assert consents.list(grace) == [sms]

    def test_erasing_removes_only_that_customers_consents(self, consents, ids, clock):
        ada, grace = ids.new_id(), ids.new_id()
        kept = a_consent(ids, clock.now(), grace)
        consents.add(a_consent(ids, clock.now(), ada))
        consents.add(kept)

        consents.erase(ada)

        assert consents.list(ada) == []
        assert consents.list(grace) == [kept]
