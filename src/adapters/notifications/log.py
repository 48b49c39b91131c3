"""A notifier that writes each message as one structured log line, for
development without a Notifications Service."""

from __future__ import annotations

import json
import logging
from collections.abc import Mapping
from typing import Any

from customer_core.values import Email

logger = logging.getLogger("customer_service.notifications")


class LogNotifier:
    def send(self, *, template: str, to: Email, locale: str, data: Mapping[str, Any]) -> None:
        logger.info(
            "notification %s",
            json.dumps({"template": template, "to": str(to), "locale": locale, "data": dict(data)}, default=str),
        )
