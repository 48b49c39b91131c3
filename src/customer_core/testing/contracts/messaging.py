"""The outbox (Notifier + MessageQueue) and EmailedTokenRepository contracts:
subclass ``MessagingContract`` and provide the ``outbox`` and ``tokens``
fixtures."""

from __future__ import annotations

import datetime as dt

import pytest

from customer_core.emailed_tokens import LIFETIMES, EmailedToken, Purpose
from customer_core.outbox import Channel, OutboxMessage, Status
from customer_core.sessions import new_secret, token_digest
from customer_core.testing.contracts.port_contract import PortContract
from customer_core.values import Email

__all__ = ["MessagingContract", "a_token", "claim", "send"]

LEASE = dt.timedelta(seconds=30)
MS = dt.timedelta(milliseconds=1)
DATA = {"firstName": "Ada", "url": "https://shop.example.com/verify-email?token=abc", "token": "abc"}
WITHOUT_SECRETS = {"firstName": "Ada", "newEmail": "new@example.com"}


def send(outbox, to: str = "ada@example.com", template: str = "welcome", data=DATA, customer_id=None) -> None:
    outbox.send(template=template, to=Email(to), locale="pt-BR", data=data, customer_id=customer_id)


def claim(outbox, clock, owner: str = "worker-a") -> OutboxMessage | None:
    now = clock.now()
    return outbox.claim(owner=owner, now=now, lease_until=now + LEASE)


def sent_and_claimed(outbox, clock, owner: str = "worker-a", **fields) -> OutboxMessage:
    send(outbox, **fields)
    message = claim(outbox, clock, owner)
    assert message is not None
    return message


def dead_message(
    outbox, clock, to: str = "ada@example.com", error: str = "HTTP 500", data=WITHOUT_SECRETS
) -> OutboxMessage:
    message = sent_and_claimed(outbox, clock, to=to, data=data)
    outbox.mark_dead(message.id, owner="worker-a", error=error, now=clock.now())
    return message


def statuses(outbox) -> dict[Status, int]:
    return {status: count for status, count in outbox.counts().items() if count}


# --- outbox ------------------------------------------------------------------


FINISHERS = {
    "mark_delivered": lambda outbox, message_id, owner, clock: outbox.mark_delivered(
        message_id, owner=owner, now=clock.now()
    ),
    "retry_later": lambda outbox, message_id, owner, clock: outbox.retry_later(
        message_id, owner=owner, at=clock.now(), error="HTTP 500"
    ),
    "mark_dead": lambda outbox, message_id, owner, clock: outbox.mark_dead(
        message_id, owner=owner, error="HTTP 500", now=clock.now()
    ),
}
FINISHED_AS = {"mark_delivered": Status.DELIVERED, "retry_later": Status.PENDING, "mark_dead": Status.DEAD}


# --- action tokens -----------------------------------------------------------


def a_token(clock, customer_id: str, purpose: Purpose = Purpose.VERIFY_EMAIL, **fields) -> EmailedToken:
    now = clock.now()
    defaults = dict(
        digest=token_digest(new_secret()),
        customer_id=customer_id,
        purpose=purpose,
        created_at=now,
        expires_at=now + LIFETIMES[purpose],
        stamp="0123456789abcdef0123456789abcdef",
    )
    return EmailedToken(**{**defaults, **fields})


class MessagingContract(PortContract):
    """The EmailedTokenRepository and outbox contracts: a subclass provides
    the ``tokens`` and ``outbox`` fixtures."""

    def test_empty_outbox_has_nothing_to_claim_and_counts_zero_of_every_status(self, outbox, clock):
        assert claim(outbox, clock) is None
        assert outbox.counts() == dict.fromkeys(Status, 0)

    def test_sent_message_is_claimed_in_flight_with_its_content_and_first_attempt(self, outbox, clock):
        send(outbox, to="grace@example.com", template="email_verification")

        message = claim(outbox, clock)

        assert message is not None
        assert (message.template, message.to, message.locale, dict(message.data)) == (
            "email_verification",
            "grace@example.com",
            "pt-BR",
            DATA,
        )
        assert message.status == Status.IN_FLIGHT and message.attempts == 1
        assert message.lease_owner == "worker-a" and message.lease_until == clock.now() + LEASE
        assert message.created_at == clock.now() and message.last_error is None and message.delivered_at is None
        assert outbox.counts()[Status.IN_FLIGHT] == 1
        assert message.channel == Channel.EMAIL

    def test_a_message_keeps_its_channel(self, outbox, clock):
        outbox.send(
            template="phone_verification",
            to="+441234567890",
            locale="en",
            data={},
            customer_id=None,
            channel=Channel.SMS,
        )

        message = claim(outbox, clock)

        assert message is not None and (message.channel, message.to) == (Channel.SMS, "+441234567890")

    def test_claimed_message_is_not_claimable_again_until_its_lease_expires(self, outbox, clock):
        first = sent_and_claimed(outbox, clock, owner="worker-a")

        assert claim(outbox, clock, "worker-b") is None
        clock.advance(LEASE - MS)
        assert claim(outbox, clock, "worker-b") is None
        clock.advance(MS)
        again = claim(outbox, clock, "worker-b")

        assert again is not None and again.id == first.id
        assert again.attempts == 2 and again.lease_owner == "worker-b" and again.lease_until == clock.now() + LEASE

    def test_messages_are_claimed_oldest_first_each_once(self, outbox, clock):
        for name in ("first", "second", "third"):
            send(outbox, to=f"{name}@example.com")
            clock.advance(dt.timedelta(seconds=1))

        claimed = [claim(outbox, clock, f"worker-{n}") for n in range(4)]

        assert [m.to for m in claimed[:3]] == ["first@example.com", "second@example.com", "third@example.com"]
        assert len({m.id for m in claimed[:3]}) == 3
        assert claimed[3] is None

    def test_delivered_message_is_never_claimed_again_and_keeps_no_data(self, outbox, clock):
        message = sent_and_claimed(outbox, clock)
        clock.advance(dt.timedelta(seconds=2))

        outbox.mark_delivered(message.id, owner="worker-a", now=clock.now())
        clock.advance(dt.timedelta(days=1))

        assert claim(outbox, clock, "worker-b") is None
        assert statuses(outbox) == {Status.DELIVERED: 1}
        [delivered] = outbox.list(Status.DELIVERED)
        assert delivered.id == message.id and delivered.delivered_at == clock.now() - dt.timedelta(days=1)
        assert delivered.lease_owner is None and dict(delivered.data) == {} and delivered.to == ""

    def test_forgetting_a_customer_drops_their_messages_in_every_state_and_no_one_elses(self, outbox, clock, ids):
        ada, grace = ids.new_id(), ids.new_id()
        send(outbox, customer_id=ada)
        delivered = sent_and_claimed(outbox, clock, customer_id=ada)
        outbox.mark_delivered(delivered.id, owner="worker-a", now=clock.now())
        send(outbox, to="grace@example.com", customer_id=grace)
        send(outbox, to="nobody@example.com")

        outbox.forget(ada)

        remaining = [m for status in Status for m in outbox.list(status)]
        assert sorted((m.to, m.customer_id) for m in remaining) == [
            ("grace@example.com", grace),
            ("nobody@example.com", None),
        ]

    @pytest.mark.parametrize("finisher", FINISHERS)
    def test_only_the_lease_owner_can_finish_a_message(self, outbox, clock, finisher):
        message = sent_and_claimed(outbox, clock, owner="worker-a")

        FINISHERS[finisher](outbox, message.id, "worker-b", clock)

        assert statuses(outbox) == {Status.IN_FLIGHT: 1}
        assert claim(outbox, clock, "worker-b") is None
        FINISHERS[finisher](outbox, message.id, "worker-a", clock)
        assert statuses(outbox) == {FINISHED_AS[finisher]: 1}

    @pytest.mark.parametrize("finisher", FINISHERS)
    def test_a_worker_whose_lease_expired_cannot_finish_a_message_claimed_by_another(self, outbox, clock, finisher):
        message = sent_and_claimed(outbox, clock, owner="worker-a")
        clock.advance(LEASE)
        assert claim(outbox, clock, "worker-b") is not None

        FINISHERS[finisher](outbox, message.id, "worker-a", clock)

        assert statuses(outbox) == {Status.IN_FLIGHT: 1}
        outbox.mark_delivered(message.id, owner="worker-b", now=clock.now())
        assert statuses(outbox) == {Status.DELIVERED: 1}

    def test_finishing_an_unknown_message_changes_nothing(self, outbox, clock, ids):
        sent_and_claimed(outbox, clock, owner="worker-a")

        for finish in FINISHERS.values():
            finish(outbox, ids.new_id(), "worker-a", clock)

        assert statuses(outbox) == {Status.IN_FLIGHT: 1}

    def test_a_message_to_retry_is_due_again_only_at_the_given_time(self, outbox, clock):
        message = sent_and_claimed(outbox, clock)
        retry_at = clock.now() + dt.timedelta(seconds=10)

        outbox.retry_later(message.id, owner="worker-a", at=retry_at, error="HTTP 503")

        assert statuses(outbox) == {Status.PENDING: 1}
        clock.advance(dt.timedelta(seconds=10) - MS)
        assert claim(outbox, clock, "worker-b") is None
        clock.advance(MS)
        again = claim(outbox, clock, "worker-b")
        assert again is not None and again.id == message.id
        assert again.attempts == 2 and again.last_error == "HTTP 503" and dict(again.data) == DATA

    def test_counts_tell_how_many_messages_have_each_status(self, outbox, clock):
        for n in range(5):
            send(outbox, to=f"user{n}@example.com")
            clock.advance(MS)
        delivered, dead, retried, _in_flight = (claim(outbox, clock) for _ in range(4))
        outbox.mark_delivered(delivered.id, owner="worker-a", now=clock.now())
        outbox.mark_dead(dead.id, owner="worker-a", error="HTTP 500", now=clock.now())
        outbox.retry_later(retried.id, owner="worker-a", at=clock.now() + dt.timedelta(minutes=1), error="timeout")

        assert outbox.counts() == {Status.PENDING: 2, Status.IN_FLIGHT: 1, Status.DELIVERED: 1, Status.DEAD: 1}

    def test_dead_messages_are_listed_oldest_first_with_their_last_error_and_never_claimed(self, outbox, clock):
        first = dead_message(outbox, clock, "first@example.com", error="HTTP 500")
        clock.advance(dt.timedelta(seconds=1))
        second = dead_message(outbox, clock, "second@example.com", error="ReadTimeout: timed out")
        clock.advance(dt.timedelta(seconds=1))
        send(outbox, to="pending@example.com")

        dead = outbox.list(Status.DEAD)

        assert [(m.id, m.to, m.last_error, m.attempts) for m in dead] == [
            (first.id, "first@example.com", "HTTP 500", 1),
            (second.id, "second@example.com", "ReadTimeout: timed out", 1),
        ]
        assert all(m.status == Status.DEAD and m.lease_owner is None for m in dead)
        assert [m.id for m in outbox.list(Status.DEAD, limit=1)] == [first.id]
        assert [m.to for m in outbox.list(Status.PENDING)] == ["pending@example.com"]
        pending = claim(outbox, clock, "worker-b")
        assert pending.to == "pending@example.com"
        outbox.mark_delivered(pending.id, owner="worker-b", now=clock.now())
        clock.advance(dt.timedelta(days=1))
        assert claim(outbox, clock, "worker-c") is None

    def test_requeueing_one_dead_message_makes_it_due_with_fresh_attempts(self, outbox, clock):
        revived = dead_message(outbox, clock, "revived@example.com")
        left = dead_message(outbox, clock, "left@example.com")
        clock.advance(dt.timedelta(minutes=5))

        assert outbox.requeue(revived.id, now=clock.now()) == 1

        assert statuses(outbox) == {Status.PENDING: 1, Status.DEAD: 1}
        assert [m.id for m in outbox.list(Status.DEAD)] == [left.id]
        again = claim(outbox, clock, "worker-b")
        assert again is not None and again.id == revived.id and again.attempts == 1
        assert dict(again.data) == WITHOUT_SECRETS

    def test_a_dead_message_loses_its_secrets_keeps_the_rest_and_is_not_requeued(self, outbox, clock):
        dead = dead_message(outbox, clock, "link@example.com", data=DATA)

        [listed] = outbox.list(Status.DEAD)
        assert (listed.id, listed.secrets_removed) == (dead.id, True)
        assert dict(listed.data) == {"firstName": "Ada"}
        assert outbox.requeue(dead.id, now=clock.now()) == 0
        assert outbox.requeue(None, now=clock.now()) == 0
        assert statuses(outbox) == {Status.DEAD: 1}

    def test_requeueing_all_dead_messages_leaves_the_others_alone(self, outbox, clock):
        dead_message(outbox, clock, "one@example.com")
        dead_message(outbox, clock, "two@example.com")
        delivered = sent_and_claimed(outbox, clock, to="delivered@example.com")
        outbox.mark_delivered(delivered.id, owner="worker-a", now=clock.now())
        sent_and_claimed(outbox, clock, to="in-flight@example.com")

        assert outbox.requeue(None, now=clock.now()) == 2

        assert outbox.counts() == {Status.PENDING: 2, Status.IN_FLIGHT: 1, Status.DELIVERED: 1, Status.DEAD: 0}
        revived = [claim(outbox, clock, f"worker-{n}") for n in range(2)]
        assert sorted(m.to for m in revived) == ["one@example.com", "two@example.com"]
        assert all(m.attempts == 1 for m in revived)
        assert outbox.requeue(None, now=clock.now()) == 0

    @pytest.mark.parametrize("unknown", ["", "not-an-id", "0" * 25, None])
    def test_requeueing_an_unknown_message_requeues_nothing(self, outbox, clock, ids, unknown):
        dead_message(outbox, clock)

        assert outbox.requeue(unknown if unknown is not None else ids.new_id(), now=clock.now()) == 0

        assert statuses(outbox) == {Status.DEAD: 1}

    def test_requeueing_a_message_that_is_not_dead_changes_nothing(self, outbox, clock):
        in_flight = sent_and_claimed(outbox, clock, to="in-flight@example.com")
        delivered = sent_and_claimed(outbox, clock, to="delivered@example.com")
        outbox.mark_delivered(delivered.id, owner="worker-a", now=clock.now())

        assert outbox.requeue(in_flight.id, now=clock.now()) == 0
        assert outbox.requeue(delivered.id, now=clock.now()) == 0

        assert statuses(outbox) == {Status.IN_FLIGHT: 1, Status.DELIVERED: 1}

    def test_stored_token_is_found_and_left_in_place(self, tokens, clock, ids):
        token = a_token(clock, ids.new_id())
        tokens.replace(token)

        assert tokens.find(token.digest, Purpose.VERIFY_EMAIL, now=clock.now()) == token
        assert tokens.find(token.digest, Purpose.VERIFY_EMAIL, now=clock.now()) == token

    def test_token_for_a_new_email_reads_back_with_it(self, tokens, clock, ids):
        token = a_token(clock, ids.new_id(), Purpose.CHANGE_EMAIL, new_email=Email("new@example.com"))
        tokens.replace(token)

        assert tokens.find(token.digest, Purpose.CHANGE_EMAIL, now=clock.now()) == token

    def test_a_token_is_redeemed_once(self, tokens, clock, ids):
        token = a_token(clock, ids.new_id())
        tokens.replace(token)

        assert tokens.redeem(token.digest, Purpose.VERIFY_EMAIL, now=clock.now()) == token
        assert tokens.redeem(token.digest, Purpose.VERIFY_EMAIL, now=clock.now()) is None
        assert tokens.find(token.digest, Purpose.VERIFY_EMAIL, now=clock.now()) is None

    def test_replacing_removes_only_the_customers_older_tokens_of_that_purpose(self, tokens, clock, ids):
        ada, grace = ids.new_id(), ids.new_id()
        older = a_token(clock, ada)
        other_purpose = a_token(clock, ada, Purpose.RESET_PASSWORD)
        other_customer = a_token(clock, grace)
        for token in (older, other_purpose, other_customer):
            tokens.replace(token)
        clock.advance(dt.timedelta(minutes=1))
        newer = a_token(clock, ada)

        tokens.replace(newer)

        now = clock.now()
        assert tokens.find(older.digest, Purpose.VERIFY_EMAIL, now=now) is None
        assert tokens.find(newer.digest, Purpose.VERIFY_EMAIL, now=now) == newer
        assert tokens.find(other_purpose.digest, Purpose.RESET_PASSWORD, now=now) == other_purpose
        assert tokens.find(other_customer.digest, Purpose.VERIFY_EMAIL, now=now) == other_customer

    def test_expired_token_is_neither_found_nor_redeemed(self, tokens, clock, ids):
        token = a_token(clock, ids.new_id(), Purpose.RESET_PASSWORD)
        tokens.replace(token)

        clock.advance(LIFETIMES[Purpose.RESET_PASSWORD] - MS)
        assert tokens.find(token.digest, Purpose.RESET_PASSWORD, now=clock.now()) == token
        clock.advance(MS)
        assert tokens.find(token.digest, Purpose.RESET_PASSWORD, now=clock.now()) is None
        assert tokens.redeem(token.digest, Purpose.RESET_PASSWORD, now=clock.now()) is None

    def test_token_presented_for_another_purpose_is_neither_found_nor_used_up(self, tokens, clock, ids):
        token = a_token(clock, ids.new_id(), Purpose.VERIFY_EMAIL)
        tokens.replace(token)

        assert tokens.find(token.digest, Purpose.RESET_PASSWORD, now=clock.now()) is None
        assert tokens.redeem(token.digest, Purpose.RESET_PASSWORD, now=clock.now()) is None
        assert tokens.redeem(token.digest, Purpose.VERIFY_EMAIL, now=clock.now()) == token

    def test_unknown_digest_is_neither_found_nor_redeemed(self, tokens, clock, ids):
        tokens.replace(a_token(clock, ids.new_id()))
        unknown = token_digest(new_secret())

        assert tokens.find(unknown, Purpose.VERIFY_EMAIL, now=clock.now()) is None
        assert tokens.redeem(unknown, Purpose.VERIFY_EMAIL, now=clock.now()) is None

    def test_latest_is_the_newest_token_of_the_customer_and_purpose(self, tokens, clock, ids):
        ada, grace = ids.new_id(), ids.new_id()
        tokens.replace(a_token(clock, ada))
        clock.advance(dt.timedelta(minutes=1))
        newest = a_token(clock, ada)
        tokens.replace(newest)
        tokens.replace(a_token(clock, grace))

        assert tokens.latest(ada, Purpose.VERIFY_EMAIL) == newest
        assert tokens.latest(ada, Purpose.RESET_PASSWORD) is None
        assert tokens.latest(ids.new_id(), Purpose.VERIFY_EMAIL) is None
        assert tokens.latest("not-an-id", Purpose.VERIFY_EMAIL) is None

    def test_remove_all_removes_only_that_customers_tokens_of_that_purpose(self, tokens, clock, ids):
        ada, grace = ids.new_id(), ids.new_id()
        doomed = a_token(clock, ada)
        other_purpose = a_token(clock, ada, Purpose.CHANGE_EMAIL, new_email=Email("new@example.com"))
        other_customer = a_token(clock, grace)
        for token in (doomed, other_purpose, other_customer):
            tokens.replace(token)

        tokens.remove_all(ada, Purpose.VERIFY_EMAIL)
        tokens.remove_all(ada, Purpose.RESET_PASSWORD)

        now = clock.now()
        assert tokens.find(doomed.digest, Purpose.VERIFY_EMAIL, now=now) is None
        assert tokens.latest(ada, Purpose.VERIFY_EMAIL) is None
        assert tokens.find(other_purpose.digest, Purpose.CHANGE_EMAIL, now=now) == other_purpose
        assert tokens.find(other_customer.digest, Purpose.VERIFY_EMAIL, now=now) == other_customer
