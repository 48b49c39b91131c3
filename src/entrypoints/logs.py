"""Log lines: one JSON object each (CS_LOG_FORMAT=json, the default) or
text for humans. Structured fields ride on a record as ``extra=fields(...)``
and become keys of the object (or ``key=value`` pairs after the text)."""

from __future__ import annotations

import datetime as dt
import json
import logging
from typing import Any

FORMATS = ("json", "text")
TEXT_FORMAT = "%(asctime)s %(levelname)s %(name)s [request %(request_id)s] %(message)s"


def fields(**values: Any) -> dict[str, Any]:
    """``logger.info("...", extra=fields(customerId=...))``"""
    return {"fields": values}


class JsonLines(logging.Formatter):
    def format(self, record: logging.LogRecord) -> str:
        entry: dict[str, Any] = {
            "time": dt.datetime.fromtimestamp(record.created, dt.UTC).isoformat(timespec="milliseconds"),
            "level": record.levelname,
            "logger": record.name,
            "message": record.getMessage(),
            "requestId": getattr(record, "request_id", None),
            **getattr(record, "fields", {}),
        }
        if record.exc_info:
            entry["exception"] = self.formatException(record.exc_info)
        return json.dumps(entry, default=str, ensure_ascii=False)


class TextLines(logging.Formatter):
    def __init__(self) -> None:
        super().__init__(TEXT_FORMAT)

    def format(self, record: logging.LogRecord) -> str:
        line = super().format(record)
        extra = getattr(record, "fields", {})
        if not extra:
            return line
        head, newline, rest = line.partition("\n")  # a traceback stays below
        pairs = " ".join(f"{name}={value}" for name, value in extra.items() if value is not None)
        return f"{head} {pairs}{newline}{rest}"


def formatter(log_format: str) -> logging.Formatter:
    return JsonLines() if log_format == "json" else TextLines()
