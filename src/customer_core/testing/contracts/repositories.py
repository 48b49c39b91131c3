"""The CustomerRepository and SessionRepository contracts: subclass
``CustomerAndSessionContract`` and provide the ``customers`` and ``sessions``
fixtures."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import attrs
import pytest

from customer_core.customer import Customer, CustomerChanges, PreferenceChanges, Preferences
from customer_core.errors import EmailTaken
from customer_core.sessions import USED_TOKENS_KEPT, RefreshToken, Replayed, Session, new_secret, token_digest
from customer_core.testing.contracts.port_contract import PortContract
from customer_core.values import Currency, Email, Gender, Language, MediaId, Phone

__all__ = [
    "TTL",
    "CustomerAndSessionContract",
    "SignedInCustomersContract",
    "a_customer",
    "a_fully_populated_customer",
    "a_session",
]

TTL = dt.timedelta(days=7)
MALFORMED_IDS = ["", "not-an-id", "1234", "g" * 24, "0" * 25]


def a_customer(ids, clock, email: str = "ada@example.com", **fields) -> Customer:
    now = clock.now()
    defaults = dict(
        id=ids.new_id(),
        email=Email(email),
        password_hash="bcrypt-hmac-sha256$not-a-real-hash",
        first_name="Ada",
        last_name="Lovelace",
        created_at=now,
        updated_at=now,
    )
    return Customer(**{**defaults, **fields})


def a_fully_populated_customer(ids, clock, email: str = "grace@example.com") -> Customer:
    now = clock.now()
    return a_customer(
        ids,
        clock,
        email,
        phone=Phone("+441234567890"),
        date_of_birth=dt.date(1990, 12, 10),
        gender=Gender.NON_BINARY,
        profile_image=MediaId("3f0c8a52-7d1e-4b1a-9c55-0a1b2c3d4e5f"),
        preferences=Preferences(
            newsletter=True, sms_notifications=True, language=Language("pt-BR"), currency=Currency("EUR")
        ),
        is_active=False,
        email_verified=True,
        phone_verified=True,
        total_orders=3,
        total_spent=Decimal("129.95"),
        loyalty_points=40,
        created_at=now - dt.timedelta(days=30, milliseconds=7),
        updated_at=now - dt.timedelta(days=1),
        last_login=now - dt.timedelta(hours=2, milliseconds=451),
    )


def a_session(ids, clock, customer_id: str, **fields) -> tuple[Session, str]:
    """A session and the refresh token whose digest it holds."""
    now = clock.now()
    token = RefreshToken.new(fields.pop("id", ids.new_id()))
    defaults = dict(
        id=token.session_id,
        customer_id=customer_id,
        created_at=now,
        last_used_at=now,
        expires_at=now + TTL,
        current_token_digest=token.digest,
    )
    return Session(**{**defaults, **fields}), str(token)


def rotate(sessions, token: str, clock) -> tuple[Session | Replayed | None, str]:
    """Present ``token``; return the outcome and the token that replaces it."""
    presented, next_secret = RefreshToken.parse(token), new_secret()
    now = clock.now()
    outcome = sessions.rotate(
        session_id=presented.session_id,
        presented_digest=presented.digest,
        new_digest=token_digest(next_secret),
        now=now,
        expires_at=now + TTL,
    )
    return outcome, str(RefreshToken(presented.session_id, next_secret))


# --- customers ---------------------------------------------------------------


class CustomerAndSessionContract(PortContract):
    """The CustomerRepository and SessionRepository contracts: a subclass
    provides the ``customers`` and ``sessions`` fixtures."""

    def test_added_customer_reads_back_with_every_field_by_id_and_by_email(self, customers, ids, clock):
        customer = a_fully_populated_customer(ids, clock)
        customers.add(customer)

        assert customers.get(customer.id) == customer
        assert customers.get_by_email(Email("grace@example.com")) == customer

    def test_customer_with_only_required_fields_reads_back_with_defaults(self, customers, ids, clock):
        customer = a_customer(ids, clock)
        customers.add(customer)

        found = customers.get(customer.id)
        assert found == customer
        assert found.phone is None and found.last_login is None and found.preferences == Preferences()

    def test_second_account_with_the_same_email_is_refused(self, customers, ids, clock):
        first = a_customer(ids, clock, "ada@example.com")
        customers.add(first)

        with pytest.raises(EmailTaken):
            customers.add(a_customer(ids, clock, "ada@example.com", first_name="Imposter"))

        assert customers.get_by_email(Email("ada@example.com")) == first
        assert customers.list() == [first]

    def test_second_account_with_the_same_id_is_refused(self, customers, ids, clock):
        first = a_customer(ids, clock, "ada@example.com")
        customers.add(first)

        with pytest.raises(EmailTaken):
            customers.add(a_customer(ids, clock, "grace@example.com", id=first.id))

        assert customers.list() == [first]

    def test_password_hash_is_replaced_only_while_it_is_the_one_expected(self, customers, ids, clock):
        customer = a_customer(ids, clock)
        customers.add(customer)

        assert customers.replace_password_hash(customer.id, old=customer.password_hash, new="upgraded")
        assert not customers.replace_password_hash(customer.id, old=customer.password_hash, new="stale")
        assert not customers.replace_password_hash(ids.new_id(), old="upgraded", new="nobody's")

        assert customers.get(customer.id) == attrs.evolve(customer, password_hash="upgraded")

    def test_unknown_customer_id_finds_nothing(self, customers, ids, clock):
        customers.add(a_customer(ids, clock))
        assert customers.get(ids.new_id()) is None

    @pytest.mark.parametrize("malformed", MALFORMED_IDS)
    def test_malformed_customer_id_finds_nothing(self, customers, malformed):
        assert customers.get(malformed) is None
        assert customers.update(malformed, CustomerChanges(first_name="X")) is None
        assert customers.replace_password_hash(malformed, old="x", new="y") is False

    def test_unknown_email_finds_nothing(self, customers, ids, clock):
        customers.add(a_customer(ids, clock, "ada@example.com"))
        assert customers.get_by_email(Email("grace@example.com")) is None

    def test_update_sets_the_given_attributes_and_returns_the_updated_customer(self, customers, ids, clock):
        customer = a_fully_populated_customer(ids, clock)
        customers.add(customer)
        clock.advance(dt.timedelta(seconds=5, milliseconds=250))
        changes = CustomerChanges(first_name="Grace", phone=None, gender=Gender.FEMALE, updated_at=clock.now())

        updated = customers.update(customer.id, changes)

        expected = attrs.evolve(customer, first_name="Grace", phone=None, gender=Gender.FEMALE, updated_at=clock.now())
        assert updated == expected
        assert customers.get(customer.id) == expected

    def test_update_of_some_preferences_changes_only_those(self, customers, ids, clock):
        customer = a_fully_populated_customer(ids, clock)
        customers.add(customer)

        changes = CustomerChanges(preferences=PreferenceChanges(language=Language("en"), newsletter=False))
        updated = customers.update(customer.id, changes)

        expected_preferences = attrs.evolve(customer.preferences, language=Language("en"), newsletter=False)
        assert updated == attrs.evolve(customer, preferences=expected_preferences)
        assert customers.get(customer.id).preferences == expected_preferences

    def test_update_of_unknown_customer_returns_none_and_adds_nothing(self, customers, ids):
        assert customers.update(ids.new_id(), CustomerChanges(first_name="Ghost")) is None
        assert customers.list() == []

    def test_update_can_set_the_last_login(self, customers, ids, clock):
        customer = a_fully_populated_customer(ids, clock)
        customers.add(customer)
        clock.advance(dt.timedelta(minutes=20, milliseconds=3))

        recorded = customers.update(customer.id, CustomerChanges(last_login=clock.now()))

        expected = attrs.evolve(customer, last_login=clock.now())
        assert recorded == expected
        assert customers.get(customer.id) == expected

    def test_update_to_an_email_another_account_has_is_refused(self, customers, ids, clock):
        ada, grace = a_customer(ids, clock, "ada@example.com"), a_customer(ids, clock, "grace@example.com")
        customers.add(ada)
        customers.add(grace)

        with pytest.raises(EmailTaken):
            customers.update(grace.id, CustomerChanges(email=Email("ada@example.com")))

        assert customers.get(grace.id) == grace

    def test_list_orders_customers_by_id(self, customers, ids, clock):
        added = [a_customer(ids, clock, f"user{n}@example.com") for n in range(5)]
        for customer in added:
            customers.add(customer)

        assert customers.list() == sorted(added, key=lambda c: c.id)

    def test_list_filters_by_email_prefix_taken_literally(self, customers, ids, clock):
        matching = [a_customer(ids, clock, "ann.lee+1@example.com"), a_customer(ids, clock, "ann.lee+2@example.com")]
        others = [a_customer(ids, clock, "annxlee+3@example.com"), a_customer(ids, clock, "bob.ann.lee+@example.com")]
        for customer in [*matching, *others]:
            customers.add(customer)

        assert customers.list(email_prefix="ann.lee+") == sorted(matching, key=lambda c: c.id)
        assert customers.list(email_prefix="nobody") == []

    def test_list_pages_after_an_id_with_a_limit(self, customers, ids, clock):
        added = [a_customer(ids, clock, f"user{n}@example.com") for n in range(7)]
        for customer in added:
            customers.add(customer)
        ordered = sorted(added, key=lambda c: c.id)

        first = customers.list(limit=3)
        second = customers.list(after_id=first[-1].id, limit=3)
        third = customers.list(after_id=second[-1].id, limit=3)

        assert [first, second, third] == [ordered[:3], ordered[3:6], ordered[6:]]
        assert customers.list(after_id=ordered[-1].id) == []

    def test_list_pages_combine_with_the_email_prefix(self, customers, ids, clock):
        added = [a_customer(ids, clock, f"{prefix}{n}@example.com") for n in range(3) for prefix in ("a", "b")]
        for customer in added:
            customers.add(customer)
        wanted = sorted((c for c in added if c.email.value.startswith("a")), key=lambda c: c.id)

        first = customers.list(email_prefix="a", limit=2)
        rest = customers.list(email_prefix="a", after_id=first[-1].id, limit=2)

        assert first + rest == wanted

    def test_added_session_reads_back_with_every_field(self, sessions, ids, clock):
        session, _ = a_session(
            ids,
            clock,
            ids.new_id(),
            user_agent="Mozilla/5.0 (X11; Linux x86_64)",
            ip_address="2001:db8::1",
            used_token_digests=(token_digest("older"), token_digest("old")),
            last_used_at=clock.now() + dt.timedelta(milliseconds=5),
        )
        sessions.add(session)

        assert sessions.get(session.id) == session

    def test_unknown_session_id_finds_nothing(self, sessions, ids, clock):
        sessions.add(a_session(ids, clock, ids.new_id())[0])
        assert sessions.get(ids.new_id()) is None

    @pytest.mark.parametrize("malformed", MALFORMED_IDS)
    def test_malformed_session_id_finds_nothing(self, sessions, malformed):
        assert sessions.get(malformed) is None

    def test_rotating_the_current_token_swaps_it_for_the_new_one(self, sessions, ids, clock):
        session, token = a_session(ids, clock, ids.new_id(), used_token_digests=(token_digest("older"),))
        sessions.add(session)
        clock.advance(dt.timedelta(hours=1, milliseconds=17))

        rotated, next_token = rotate(sessions, token, clock)

        expected = attrs.evolve(
            session,
            current_token_digest=RefreshToken.parse(next_token).digest,
            used_token_digests=(token_digest("older"), RefreshToken.parse(token).digest),
            last_used_at=clock.now(),
            expires_at=clock.now() + TTL,
        )
        assert rotated == expected
        assert sessions.get(session.id) == expected

    def test_each_new_token_rotates_once_in_turn(self, sessions, ids, clock):
        session, token = a_session(ids, clock, ids.new_id())
        sessions.add(session)

        presented = [token]
        for _ in range(3):
            outcome, token = rotate(sessions, token, clock)
            assert isinstance(outcome, Session)
            presented.append(token)

        assert sessions.get(session.id).current_token_digest == RefreshToken.parse(presented[-1]).digest
        assert sessions.get(session.id).used_token_digests == tuple(
            RefreshToken.parse(t).digest for t in presented[:-1]
        )

    def test_presenting_a_used_token_ends_the_session_as_a_replay(self, sessions, ids, clock):
        customer_id = ids.new_id()
        session, token = a_session(ids, clock, customer_id)
        bystander, _ = a_session(ids, clock, customer_id)
        sessions.add(session)
        sessions.add(bystander)
        rotate(sessions, token, clock)

        outcome, _ = rotate(sessions, token, clock)

        assert outcome == Replayed(session.id, session.customer_id)
        assert sessions.get(session.id) is None
        assert sessions.get(bystander.id) == bystander

    def test_the_newer_token_of_a_replayed_session_no_longer_works(self, sessions, ids, clock):
        session, token = a_session(ids, clock, ids.new_id())
        sessions.add(session)
        _, newer = rotate(sessions, token, clock)
        rotate(sessions, token, clock)

        assert rotate(sessions, newer, clock)[0] is None

    def test_a_token_from_before_tokens_named_their_session_rotates_but_its_replay_is_not_recognised(
        self, sessions, ids, clock
    ):
        session, token = a_session(ids, clock, ids.new_id())
        sessions.add(session)
        legacy = RefreshToken.parse(token).secret

        outcome, next_token = rotate(sessions, legacy, clock)

        assert isinstance(outcome, Session) and outcome.id == session.id
        assert rotate(sessions, legacy, clock)[0] is None
        assert sessions.get(session.id) is not None

    def test_a_token_naming_another_session_rotates_and_revokes_nothing(self, sessions, ids, clock):
        customer_id = ids.new_id()
        mine, my_token = a_session(ids, clock, customer_id)
        theirs, their_token = a_session(ids, clock, ids.new_id())
        for session in (mine, theirs):
            sessions.add(session)
        _, my_next = rotate(sessions, my_token, clock)  # my_token is now a used token of mine
        secret = RefreshToken.parse(my_token).secret

        for forged in (f"{theirs.id}.{secret}", f"{theirs.id}.{RefreshToken.parse(my_next).secret}", f"nope.{secret}"):
            assert rotate(sessions, forged, clock)[0] is None
        assert sessions.get(theirs.id) == theirs
        assert isinstance(rotate(sessions, my_next, clock)[0], Session)

    def test_unknown_token_rotates_nothing(self, sessions, ids, clock):
        session, _ = a_session(ids, clock, ids.new_id())
        sessions.add(session)

        assert rotate(sessions, new_secret(), clock)[0] is None
        assert sessions.get(session.id) == session

    @pytest.mark.parametrize("past_expiry", [dt.timedelta(0), dt.timedelta(milliseconds=1), dt.timedelta(days=3)])
    def test_token_of_an_expired_session_rotates_nothing(self, sessions, ids, clock, past_expiry):
        session, token = a_session(ids, clock, ids.new_id())
        sessions.add(session)
        clock.advance(TTL + past_expiry)

        assert rotate(sessions, token, clock)[0] is None
        assert sessions.get(session.id) == session

    def test_token_rotates_until_the_last_millisecond_of_its_session(self, sessions, ids, clock):
        session, token = a_session(ids, clock, ids.new_id())
        sessions.add(session)
        clock.advance(TTL - dt.timedelta(milliseconds=1))

        assert isinstance(rotate(sessions, token, clock)[0], Session)

    def test_only_the_newest_used_tokens_are_remembered(self, sessions, ids, clock):
        session, token = a_session(ids, clock, ids.new_id())
        sessions.add(session)
        used = []
        for _ in range(USED_TOKENS_KEPT + 1):
            used.append(token)
            _, token = rotate(sessions, token, clock)

        assert len(sessions.get(session.id).used_token_digests) == USED_TOKENS_KEPT
        assert rotate(sessions, used[0], clock)[0] is None
        assert rotate(sessions, used[1], clock)[0] == Replayed(session.id, session.customer_id)

    def test_list_active_shows_only_the_customers_unexpired_sessions(self, sessions, ids, clock):
        customer_id = ids.new_id()
        expired, _ = a_session(ids, clock, customer_id, expires_at=clock.now())
        active = [a_session(ids, clock, customer_id)[0] for _ in range(2)]
        someone_elses, _ = a_session(ids, clock, ids.new_id())
        for session in [expired, *active, someone_elses]:
            sessions.add(session)

        listed = sessions.list_active(customer_id, now=clock.now())

        assert sorted(listed, key=lambda s: s.id) == sorted(active, key=lambda s: s.id)

    def test_list_active_of_a_customer_without_sessions_is_empty(self, sessions, ids, clock):
        sessions.add(a_session(ids, clock, ids.new_id())[0])
        assert sessions.list_active(ids.new_id(), now=clock.now()) == []

    def test_revoke_ends_a_session_only_for_its_owner(self, sessions, ids, clock):
        owner = ids.new_id()
        session, token = a_session(ids, clock, owner)
        sessions.add(session)

        assert sessions.revoke(session.id, customer_id=ids.new_id()) is False
        assert sessions.get(session.id) == session

        assert sessions.revoke(session.id, customer_id=owner) is True
        assert sessions.get(session.id) is None
        assert rotate(sessions, token, clock)[0] is None
        assert sessions.revoke(session.id, customer_id=owner) is False

    @pytest.mark.parametrize("malformed", MALFORMED_IDS)
    def test_revoke_with_a_malformed_id_ends_nothing(self, sessions, ids, clock, malformed):
        owner = ids.new_id()
        session, _ = a_session(ids, clock, owner)
        sessions.add(session)

        assert sessions.revoke(malformed, customer_id=owner) is False
        assert sessions.revoke(session.id, customer_id=malformed) is False
        assert sessions.get(session.id) == session

    def test_revoke_all_ends_every_session_of_the_customer(self, sessions, ids, clock):
        customer_id = ids.new_id()
        mine = [a_session(ids, clock, customer_id)[0] for _ in range(3)]
        someone_elses, _ = a_session(ids, clock, ids.new_id())
        for session in [*mine, someone_elses]:
            sessions.add(session)

        assert sessions.revoke_all(customer_id) == 3

        assert [sessions.get(s.id) for s in mine] == [None, None, None]
        assert sessions.get(someone_elses.id) == someone_elses
        assert sessions.revoke_all(customer_id) == 0

    def test_revoke_all_can_keep_one_session(self, sessions, ids, clock):
        customer_id = ids.new_id()
        kept, *others = [a_session(ids, clock, customer_id)[0] for _ in range(3)]
        for session in [kept, *others]:
            sessions.add(session)

        assert sessions.revoke_all(customer_id, keep=kept.id) == 2

        assert sessions.list_active(customer_id, now=clock.now()) == [kept]


# --- sessions ----------------------------------------------------------------


class SignedInCustomersContract(PortContract):
    """The SignedInCustomers contract: a subclass provides ``customers``,
    ``sessions`` and ``signed_in`` over the same store."""

    def test_the_customer_of_an_active_session_is_found(self, customers, sessions, signed_in, ids, clock):
        customer = a_fully_populated_customer(ids, clock)
        customers.add(customer)
        session, _ = a_session(ids, clock, customer.id)
        sessions.add(session)

        assert signed_in.get(customer.id, session.id, now=clock.now()) == customer

    def test_nothing_is_found_for_a_session_that_is_not_theirs_or_not_active(
        self, customers, sessions, signed_in, ids, clock
    ):
        ada, grace = a_customer(ids, clock, "ada@example.com"), a_customer(ids, clock, "grace@example.com")
        for customer in (ada, grace):
            customers.add(customer)
        graces, _ = a_session(ids, clock, grace.id)
        ended, _ = a_session(ids, clock, ada.id, ends_at=clock.now())
        revoked, _ = a_session(ids, clock, ada.id)
        for session in (graces, ended, revoked):
            sessions.add(session)
        sessions.revoke(revoked.id, customer_id=ada.id)

        now = clock.now()
        assert signed_in.get(ada.id, graces.id, now=now) is None
        assert signed_in.get(ada.id, ended.id, now=now) is None
        assert signed_in.get(ada.id, revoked.id, now=now) is None
        assert signed_in.get(ada.id, ids.new_id(), now=now) is None
        assert signed_in.get(grace.id, graces.id, now=now + TTL) is None  # expired
        for malformed in MALFORMED_IDS:
            assert signed_in.get(malformed, graces.id, now=now) is None
            assert signed_in.get(grace.id, malformed, now=now) is None
