from __future__ import annotations

import re

_OBJECT_ID = re.compile(r"^[0-9a-fA-F]{24}$")


def require_object_id(raw: str, missing: Exception) -> str:
    """A malformed id names nothing: answer as for a missing one."""
    if not _OBJECT_ID.fullmatch(raw):
        raise missing
    return raw.lower()
