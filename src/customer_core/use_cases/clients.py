"""Service clients: created and revoked by operators, authenticated at the
token endpoint, and checked on every internal request."""

from __future__ import annotations

import attrs

from customer_core.clients import (
    ClientPrincipal,
    ClientToken,
    NewClient,
    Scope,
    ServiceClient,
    new_client_secret,
    secret_digest,
)
from customer_core.errors import (
    Forbidden,
    InsufficientScope,
    InvalidClient,
    InvalidScope,
    NotFound,
    TokenInvalid,
    Unauthenticated,
    ValidationFailed,
)
from customer_core.ports import AccessTokenIssuer, Clock, IdGenerator, ServiceClientRepository, UnitOfWork
from customer_core.records import Event, Origin
from customer_core.use_cases.recording import Recorder
from customer_core.values import as_id


@attrs.frozen(kw_only=True)
class ServiceClients:
    """What operators do with clients; each action is audited under their name."""

    service_clients: ServiceClientRepository
    recorder: Recorder
    ids: IdGenerator
    clock: Clock
    uow: UnitOfWork

    def create(self, name: str, scopes: frozenset[Scope], *, operator: str) -> NewClient:
        if not scopes:
            raise ValidationFailed.single("scope", "give at least one scope")
        secret = new_client_secret()
        try:
            client = ServiceClient(
                id=self.ids.new_id(),
                name=name,
                secret_digest=secret_digest(secret),
                scopes=scopes,
                created_at=self.clock.now(),
            )
        except ValueError as error:
            raise ValidationFailed.single("name", str(error)) from None

        def add() -> None:
            self.service_clients.add(client)
            self.recorder.event(Event.CLIENT_CREATED, None, Origin.admin(operator), client_id=client.id)

        self.uow.run(add)
        return NewClient(client=client, secret=secret)

    def list(self) -> list[ServiceClient]:
        return self.service_clients.list()

    def revoke(self, client_id: str, *, operator: str) -> None:
        """Its tokens stop working at once. Raise ``NotFound`` unless an
        active client of that id was revoked."""
        key = as_id(client_id)
        if key is None:
            raise NotFound("No active client with this id")

        def revoke() -> None:
            if not self.service_clients.revoke(key, now=self.clock.now()):
                raise NotFound("No active client with this id")
            self.recorder.event(Event.CLIENT_REVOKED, None, Origin.admin(operator), client_id=key)

        self.uow.run(revoke)


@attrs.frozen(kw_only=True)
class IssueClientToken:
    """The client-credentials grant (RFC 6749 §4.4)."""

    service_clients: ServiceClientRepository
    access_tokens: AccessTokenIssuer
    clock: Clock

    def __call__(self, client_id: str, secret: str, requested: frozenset[str] | None = None) -> ClientToken:
        """``requested``: the scope names asked for; None or empty for all the client has."""
        key = as_id(client_id)
        client = self.service_clients.get(key) if key else None
        if client is None or not client.active or not client.has_secret(secret):
            raise InvalidClient()
        if requested and not requested <= set(client.scopes):
            raise InvalidScope()
        scopes = frozenset(Scope(name) for name in requested) if requested else client.scopes
        issued = self.access_tokens.issue_for_client(client_id=client.id, scopes=scopes, now=self.clock.now())
        return ClientToken(access_token=issued.token, expires_in=issued.expires_in, scopes=scopes)


@attrs.frozen(kw_only=True)
class AuthenticateClient:
    """A client token is accepted only while its client is not revoked; a
    customer's token is told apart, to answer it with 403 rather than 401."""

    service_clients: ServiceClientRepository
    access_tokens: AccessTokenIssuer
    clock: Clock

    def __call__(self, token: str, scope: Scope) -> ClientPrincipal:
        if not token:
            raise Unauthenticated()
        now = self.clock.now()
        try:
            claims = self.access_tokens.verify_client(token, now=now)
        except TokenInvalid:
            try:
                self.access_tokens.verify(token, now=now)
            except TokenInvalid:
                raise Unauthenticated("Access token is invalid or expired") from None
            raise Forbidden() from None
        client = self.service_clients.get(claims.client_id)
        if client is None or not client.active:
            raise Unauthenticated("This client has been revoked")
        if scope not in claims.scopes:
            raise InsufficientScope(scope)
        return ClientPrincipal(client_id=client.id, scopes=claims.scopes)
