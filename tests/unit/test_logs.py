"""Log lines as JSON objects or as text, with their structured fields."""

import json
import logging

from entrypoints.logs import JsonLines, TextLines, fields


def a_record(message: str = "login %s", *args: object, **extra: object) -> logging.LogRecord:
    record = logging.LogRecord("customer_service.events", logging.INFO, __file__, 1, message, args, None)
    record.request_id = "req-1"
    record.__dict__.update(extra)
    return record


def test_a_json_line_is_one_object_with_the_fields_of_the_record():
    line = JsonLines().format(a_record("login %s", "succeeded", **fields(event="login_succeeded", customerId="c1")))

    entry = json.loads(line)

    assert "\n" not in line
    assert entry["message"] == "login succeeded" and entry["level"] == "INFO"
    assert (entry["logger"], entry["requestId"]) == ("customer_service.events", "req-1")
    assert (entry["event"], entry["customerId"]) == ("login_succeeded", "c1")
    assert entry["time"].endswith("+00:00")


def test_a_json_line_carries_an_exception_inside_the_object():
    try:
        raise RuntimeError("store gone")
    except RuntimeError:
        import sys

        record = a_record("failed")
        record.exc_info = sys.exc_info()

    entry = json.loads(JsonLines().format(record))

    assert "RuntimeError: store gone" in entry["exception"]


def test_a_text_line_ends_with_its_fields_as_pairs():
    line = TextLines().format(a_record("login %s", "succeeded", **fields(customerId="c1", status=200)))

    assert line.endswith("[request req-1] login succeeded customerId=c1 status=200")
