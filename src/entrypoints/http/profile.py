"""/api/v1/customers/me: one's own profile and preferences."""

from __future__ import annotations

from litestar import Controller, get, patch
from litestar.di import NamedDependency
from litestar.params import JSONBody

from customer_core import CustomerService, Principal
from entrypoints.http.dependencies import AUTHENTICATED, BEARER
from entrypoints.http.errors import BODY_ERRORS, problem_responses
from entrypoints.http.schemas import CustomerOut, PreferencesOut, PreferencesPatch, ProfilePatch


class ProfileController(Controller):
    path = "/api/v1/customers/me"
    tags = ["profile"]
    dependencies = AUTHENTICATED
    security = BEARER

    @get("", sync_to_thread=True, responses=problem_responses(401), summary="The authenticated customer")
    def me(self, principal: NamedDependency[Principal], service: NamedDependency[CustomerService]) -> CustomerOut:
        return CustomerOut.of(service.get_profile(principal.customer_id))

    @patch(
        "",
        sync_to_thread=True,
        responses=problem_responses(*BODY_ERRORS, 401),
        summary="Change profile fields; null clears an optional one",
    )
    def update_me(
        self,
        data: JSONBody[ProfilePatch],
        principal: NamedDependency[Principal],
        service: NamedDependency[CustomerService],
    ) -> CustomerOut:
        return CustomerOut.of(service.update_profile(principal.customer_id, data.changes()))

    @get("/preferences", sync_to_thread=True, responses=problem_responses(401))
    def preferences(
        self, principal: NamedDependency[Principal], service: NamedDependency[CustomerService]
    ) -> PreferencesOut:
        return PreferencesOut.of(service.get_preferences(principal.customer_id))

    @patch("/preferences", sync_to_thread=True, responses=problem_responses(*BODY_ERRORS, 401))
    def update_preferences(
        self,
        data: JSONBody[PreferencesPatch],
        principal: NamedDependency[Principal],
        service: NamedDependency[CustomerService],
    ) -> PreferencesOut:
        return PreferencesOut.of(service.update_preferences(principal.customer_id, data.changes()))
