"""The one spelling rule of names outside Python: camelCase, as the HTTP
contract and the MongoDB documents both use."""

from __future__ import annotations


def camel(name: str) -> str:
    """'sms_notifications' -> 'smsNotifications'."""
    head, *rest = name.split("_")
    return head + "".join(part.title() for part in rest)
