"""What a customer may see of the records kept about them."""

from __future__ import annotations

import datetime as dt

import attrs

from customer_core.ports import AuditLog, ConsentLog
from customer_core.records import ACTIVITY, Consent, Detail, Event
from customer_core.values import Id


@attrs.frozen(kw_only=True)
class ActivityEntry:
    type: Event
    at: dt.datetime
    ip_address: str | None
    user_agent: str | None
    detail: Detail


@attrs.frozen(kw_only=True)
class ActivityPage:
    items: list[ActivityEntry]
    # Give it as ``before`` for the next, older page; None on the last one.
    next_before: Id | None


@attrs.frozen(kw_only=True)
class Activity:
    """The customer's own security events, newest first."""

    audit_log: AuditLog

    def __call__(self, customer_id: Id, *, limit: int = 20, before: Id | None = None) -> ActivityPage:
        entries = self.audit_log.list(customer_id=customer_id, types=ACTIVITY, before=before, limit=limit + 1)
        page = entries[:limit]
        return ActivityPage(
            items=[
                ActivityEntry(
                    type=entry.type,
                    at=entry.at,
                    ip_address=entry.ip_address,
                    user_agent=entry.user_agent,
                    detail=entry.detail,
                )
                for entry in page
            ],
            next_before=page[-1].id if len(entries) > limit else None,
        )


@attrs.frozen(kw_only=True)
class ConsentHistory:
    """Every consent given or withdrawn, newest first."""

    consents: ConsentLog

    def __call__(self, customer_id: Id) -> list[Consent]:
        return self.consents.list(customer_id)
