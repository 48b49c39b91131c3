"""/api/v1/customers/me/activity, /consents and /export: what is kept about
the authenticated customer. (Erasing the account is DELETE /me, with the
profile's routes.)"""

from __future__ import annotations

from typing import Annotated

import attrs
from litestar import Controller, Response, get
from litestar.params import Parameter

from customer_core import CustomerService, Principal
from customer_core.errors import Unauthenticated
from customer_core.records import Consent
from customer_core.use_cases.privacy import ActivityPage, CustomerExport
from customer_core.values import ID_PATTERN, as_id
from entrypoints.http.dependencies import AUTHENTICATED, Injected
from entrypoints.http.errors import answers
from entrypoints.shapes import to_json


@attrs.frozen
class Consents:
    items: list[Consent]


class PrivacyController(Controller):
    path = "/me"
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

    @get(
        "/export",
        sync_to_thread=True,
        responses=answers(Unauthenticated),
        summary="Everything held about one, as a JSON file (GDPR articles 15 and 20)",
    )
    def export(self, principal: Injected[Principal], service: Injected[CustomerService]) -> Response[CustomerExport]:
        document = service.export(principal.customer_id, principal.origin)
        filename = f"customer-{principal.customer_id}-{document.exported_at:%Y%m%dT%H%M%SZ}.json"
        # Encoded here: a Response's content does not pass through the shapes plugin.
        return Response(to_json(document), headers={"Content-Disposition": f'attachment; filename="{filename}"'})
