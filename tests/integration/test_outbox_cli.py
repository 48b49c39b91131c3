"""The outbox commands of the admin CLI, against messages an app left dead
after a failing Notifications Service."""

from __future__ import annotations

import json
import time
from typing import Any

import attrs
import pytest

from customer_core.outbox import OutboxMessage, Status
from tests.support import cli_error, register, unique_email

USAGE = "give one message id, or --all-dead"


def run_json(cli, *args):
    result = cli(*args, "--json")
    assert result.exit_code == 0, result.output
    return json.loads(result.stdout)


def status(cli) -> dict[str, int]:
    return run_json(cli, "outbox", "status")


@attrs.frozen
class DeadMessages:
    app: Any
    email: str
    messages: list[OutboxMessage]


@pytest.fixture
def dead(make_app, notifications) -> DeadMessages:
    """A customer's welcome and verification messages, dead after one failed
    attempt each; the app's dispatcher is stopped so they stay so."""
    notifications.mode = "fail"
    app = make_app(
        settings_changes={
            "notifications_url": notifications.url,
            "outbox_max_attempts": 1,
            "outbox_retry_base_seconds": 0.1,
            "outbox_retry_max_seconds": 1.0,
        }
    )
    email = unique_email("dead")
    register(app.client, email=email)
    deadline = time.monotonic() + 15
    while app.wiring.outbox.counts()[Status.DEAD] < 2:
        assert time.monotonic() < deadline, "the messages did not end dead"
        time.sleep(0.05)
    app.wiring.outbox_worker.stop()
    return DeadMessages(app=app, email=email, messages=app.wiring.outbox.list(Status.DEAD))


def test_status_of_an_empty_outbox_counts_zero_of_every_status(cli):
    assert status(cli) == {"pending": 0, "in_flight": 0, "delivered": 0, "dead": 0}


def test_status_counts_dead_messages_as_json_and_text(dead, cli):
    assert status(cli) == {"pending": 0, "in_flight": 0, "delivered": 0, "dead": 2}

    result = cli("outbox", "status")

    assert result.exit_code == 0, result.output
    rows = dict(line.replace(" ", "").split(":") for line in result.stdout.splitlines())
    assert rows == {"pending": "0", "in_flight": "0", "delivered": "0", "dead": "2"}


def test_dead_lists_each_dead_message_with_its_last_error(dead, cli):
    rows = run_json(cli, "outbox", "dead")

    assert sorted(row["id"] for row in rows) == sorted(m.id for m in dead.messages)
    assert {row["template"]: row["requeueable"] for row in rows} == {"email_verification": False, "welcome": True}
    assert all(row["to"] == dead.email and row["attempts"] == 1 and row["lastError"] == "HTTP 500" for row in rows)
    text = cli("outbox", "dead")
    assert text.exit_code == 0, text.output
    lines = text.stdout.splitlines()
    assert len(lines) == 2
    assert all(line.split()[0] in {row["id"] for row in rows} and "attempts: HTTP 500" in line for line in lines)
    [verification] = [line for line in lines if "email_verification" in line]
    assert verification.endswith("(its link was removed: the customer must ask for a new one)")


def test_dead_lists_at_most_the_limit_oldest_first(dead, cli):
    [row] = run_json(cli, "outbox", "dead", "--limit", "1")

    assert row["id"] == dead.messages[0].id
    assert cli("outbox", "dead", "--limit", "0").exit_code == 2


def test_dead_of_an_empty_outbox_lists_nothing(cli):
    assert run_json(cli, "outbox", "dead") == []
    assert cli("outbox", "dead").stdout == ""


def test_requeueing_one_message_makes_only_it_pending_and_it_is_then_delivered(dead, cli, notifications):
    [revived] = [message for message in dead.messages if message.template == "welcome"]
    [left] = [message for message in dead.messages if message is not revived]

    result = cli("outbox", "requeue", revived.id)

    assert result.exit_code == 0, result.output
    assert result.stdout.strip() == "requeued 1 message(s)"
    assert status(cli) == {"pending": 1, "in_flight": 0, "delivered": 0, "dead": 1}
    assert [row["id"] for row in run_json(cli, "outbox", "dead")] == [left.id]
    notifications.mode = "ok"
    dead.app.wiring.outbox_worker.start()
    delivered = notifications.wait_for(revived.template, dead.email)
    assert delivered.idempotency_key == revived.id


def test_requeueing_all_dead_messages_makes_every_one_pending_but_those_whose_link_was_removed(dead, cli):
    result = cli("outbox", "requeue", "--all-dead")

    assert result.exit_code == 0, result.output
    assert result.stdout.strip() == "requeued 1 message(s)"
    assert status(cli) == {"pending": 1, "in_flight": 0, "delivered": 0, "dead": 1}
    assert [row["template"] for row in run_json(cli, "outbox", "dead")] == ["email_verification"]


def test_requeueing_a_message_whose_link_was_removed_exits_3(dead, cli):
    [verification] = [message for message in dead.messages if message.template == "email_verification"]

    result = cli("outbox", "requeue", verification.id)

    assert result.exit_code == 3
    assert "that can be requeued" in result.stderr


def test_requeueing_all_dead_when_none_is_dead_requeues_nothing(cli):
    result = cli("outbox", "requeue", "--all-dead")

    assert result.exit_code == 0, result.output
    assert result.stdout.strip() == "requeued 0 message(s)"


@pytest.mark.parametrize("both", [False, True], ids=["neither", "both"])
def test_requeue_needs_exactly_one_of_a_message_id_or_all_dead(dead, cli, both):
    args = [dead.messages[0].id, "--all-dead"] if both else []

    result = cli("outbox", "requeue", *args)

    assert result.exit_code == 2
    assert USAGE in result.stderr
    assert status(cli)["dead"] == 2


@pytest.mark.parametrize("unknown", ["0123456789abcdef01234567", "not-an-id"])
def test_requeueing_an_unknown_message_exits_3_naming_it(dead, cli, unknown):
    result = cli("outbox", "requeue", unknown)

    assert result.exit_code == 3
    assert unknown in cli_error(result)
    assert status(cli)["dead"] == 2


def test_requeueing_a_message_that_is_no_longer_dead_exits_3(dead, cli):
    message = dead.messages[0]
    assert cli("outbox", "requeue", message.id).exit_code == 0

    result = cli("outbox", "requeue", message.id)

    assert result.exit_code == 3
    assert message.id in result.stderr
    assert status(cli) == {"pending": 1, "in_flight": 0, "delivered": 0, "dead": 1}
