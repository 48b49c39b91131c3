"""Without a Notifications Service, messages go to a mail log file for the
developer, and the service's own log says only that they were written."""

import datetime as dt
import json
import logging
import stat

import pytest

from adapters.notifications.transports import MailLogTransport
from customer_core.errors import DeliveryFailed
from customer_core.outbox import OutboxMessage
from customer_core.values import Id

SECRET = "s3cr3t-emailed-token-value"


def a_message(n: int = 1) -> OutboxMessage:
    return OutboxMessage.new(
        id=Id(f"{n:024x}"),
        template="password_reset",
        to="ada@example.com",
        locale="en",
        data={"firstName": "Ada", "url": f"http://localhost:3001/reset-password?token={SECRET}", "token": SECRET},
        now=dt.datetime(2026, 1, 1, tzinfo=dt.UTC),
    )


def test_each_message_is_one_json_line_only_its_owner_may_read(tmp_path):
    transport = MailLogTransport(tmp_path / "var" / "mail.log")

    transport.deliver(a_message(1))
    transport.deliver(a_message(2))

    lines = [json.loads(line) for line in (tmp_path / "var" / "mail.log").read_text().splitlines()]
    assert [line["id"] for line in lines] == [f"{1:024x}", f"{2:024x}"]
    assert lines[0] == {
        "id": f"{1:024x}",
        "template": "password_reset",
        "channel": "email",
        "to": "ada@example.com",
        "locale": "en",
        "data": dict(a_message().data),
    }
    assert stat.S_IMODE((tmp_path / "var" / "mail.log").stat().st_mode) == 0o600


def test_the_service_log_names_the_message_but_carries_no_token(tmp_path, caplog):
    caplog.set_level(logging.DEBUG)

    MailLogTransport(tmp_path / "mail.log").deliver(a_message())

    assert "password_reset" in caplog.text
    assert SECRET not in caplog.text


def test_a_mail_log_that_cannot_be_written_fails_the_delivery_to_retry_it(tmp_path):
    (tmp_path / "mail.log").mkdir()

    with pytest.raises(DeliveryFailed, match="cannot write"):
        MailLogTransport(tmp_path / "mail.log").deliver(a_message())
