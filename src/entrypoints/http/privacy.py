"""/api/v1/customers/me/activity and /consents: the records kept about the
authenticated customer."""

from __future__ import annotations

from typing import Annotated

import attrs
from litestar import Controller, get
from litestar.params import Parameter

from customer_core import CustomerService, Principal
from customer_core.errors import Unauthenticated
from customer_core.records import Consent
from customer_core.use_cases.privacy import ActivityPage
from customer_core.values import ID_PATTERN, as_id
from entrypoints.http.dependencies import AUTHENTICATED, Injected
from entrypoints.http.errors import answers


@attrs.frozen
class Consents:
    items: list[Consent]


class PrivacyController(Controller):
    path = "/api/v1/customers/me"
    tags = ["privacy"]
    guards = AUTHENTICATED["guards"]
    dependencies = AUTHENTICATED["dependencies"]
    security = AUTHENTICATED["security"]

    @get(
        "/activity",
        sync_to_thread=True,
        responses=answers(400, Unauthenticated),
        summary="One's own security events, newest first, a page at a time",
    )
    def activity(
        self,
        principal: Injected[Principal],
        service: Injected[CustomerService],
        limit: Annotated[int, Parameter(ge=1, le=100, description="Entries per page")] = 20,
        before: Annotated[
            str | None, Parameter(description="The nextBefore of the previous page", pattern=ID_PATTERN)
        ] = None,
    ) -> ActivityPage:
        return service.activity(principal.customer_id, limit=limit, before=as_id(before) if before else None)

    @get(
        "/consents",
        sync_to_thread=True,
        responses=answers(Unauthenticated),
        summary="Every consent given or withdrawn (newsletter, sms), newest first",
    )
    def consents(self, principal: Injected[Principal], service: Injected[CustomerService]) -> Consents:
        return Consents(service.consent_history(principal.customer_id))
