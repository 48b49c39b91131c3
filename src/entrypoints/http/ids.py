from __future__ import annotations

from customer_core.values import is_id


def require_object_id(raw: str, missing: Exception) -> str:
    """A malformed id names nothing: answer as for a missing one."""
    if not is_id(raw.lower()):
        raise missing
    return raw.lower()
