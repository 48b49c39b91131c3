"""Service clients on the whole core wired to in-memory storage: creating
and revoking them, the client-credentials grant, and which token opens
which door. The HTTP shapes of these (RFC 6749 errors, 401/403) are in
tests/integration/test_internal_api_http.py."""

from __future__ import annotations

import datetime as dt

import jwt
import pytest

from customer_core import Unauthenticated, ValidationFailed
from customer_core.clients import Scope, scope_text
from customer_core.errors import Forbidden, InsufficientScope, InvalidClient, InvalidScope, NotFound, TokenInvalid
from customer_core.records import Event

EVERY_SCOPE = frozenset(Scope)


def created(flows, *scopes: Scope, name: str = "orders-service"):
    return flows.service.clients.create(name, frozenset(scopes or Scope), operator="ops")


def test_a_client_is_created_with_a_secret_shown_once_and_kept_as_a_digest(flows):
    new = created(flows, Scope.ORDERS_WRITE)

    stored = flows.service.clients.list()
    assert [client.id for client in stored] == [new.client.id]
    assert new.secret not in repr(stored) and new.secret not in stored[0].secret_digest
    assert stored[0].has_secret(new.secret) and not stored[0].has_secret(new.secret + "x")
    entry = flows.wiring.service.admin.audit_log.list(types=frozenset({Event.CLIENT_CREATED}))[0]
    assert entry.operator == "ops" and entry.detail == {"client_id": new.client.id}


@pytest.mark.parametrize(("name", "scopes"), [("", EVERY_SCOPE), ("x" * 101, EVERY_SCOPE), ("ok", frozenset())])
def test_a_client_needs_a_name_and_a_scope(flows, name, scopes):
    with pytest.raises(ValidationFailed):
        flows.service.clients.create(name, scopes, operator="ops")


def test_the_token_carries_the_client_and_its_scopes_for_five_minutes(flows):
    new = created(flows, Scope.CUSTOMERS_READ, Scope.ORDERS_WRITE)

    token = flows.service.issue_client_token(new.client.id, new.secret)

    assert token.expires_in == 300 and token.scopes == EVERY_SCOPE
    claims = jwt.decode(token.access_token, options={"verify_signature": False})
    assert claims["client_id"] == new.client.id and claims["scope"] == scope_text(EVERY_SCOPE)
    assert "sid" not in claims


def test_a_client_may_ask_for_fewer_scopes_but_not_others(flows):
    new = created(flows, Scope.CUSTOMERS_READ)

    narrowed = flows.service.issue_client_token(new.client.id, new.secret, frozenset({"customers:read"}))

    assert narrowed.scopes == {Scope.CUSTOMERS_READ}
    for asked in ({"orders:write"}, {"customers:read", "nonsense"}):
        with pytest.raises(InvalidScope):
            flows.service.issue_client_token(new.client.id, new.secret, frozenset(asked))


@pytest.mark.parametrize("wrong", ["secret", "id", "malformed id"])
def test_wrong_credentials_are_invalid_client(flows, wrong):
    new = created(flows)
    client_id = {"id": "0" * 24, "malformed id": "nope"}.get(wrong, new.client.id)

    with pytest.raises(InvalidClient):
        flows.service.issue_client_token(client_id, new.secret + ("x" if wrong == "secret" else ""))


def test_a_revoked_client_gets_no_token_and_its_tokens_stop(flows):
    new = created(flows, Scope.CUSTOMERS_READ)
    token = flows.service.issue_client_token(new.client.id, new.secret).access_token
    assert flows.service.authenticate_client(token, Scope.CUSTOMERS_READ).client_id == new.client.id

    flows.service.clients.revoke(new.client.id, operator="ops")

    with pytest.raises(Unauthenticated):
        flows.service.authenticate_client(token, Scope.CUSTOMERS_READ)
    with pytest.raises(InvalidClient):
        flows.service.issue_client_token(new.client.id, new.secret)
    with pytest.raises(NotFound):
        flows.service.clients.revoke(new.client.id, operator="ops")


def test_a_token_without_the_scope_is_insufficient(flows):
    new = created(flows, Scope.CUSTOMERS_READ)
    token = flows.service.issue_client_token(new.client.id, new.secret).access_token

    with pytest.raises(InsufficientScope) as refused:
        flows.service.authenticate_client(token, Scope.ORDERS_WRITE)

    assert refused.value.scope == Scope.ORDERS_WRITE


def test_customer_and_client_tokens_never_cross(flows):
    customer_token = flows.register().tokens.access_token
    new = created(flows)
    client_token = flows.service.issue_client_token(new.client.id, new.secret).access_token

    with pytest.raises(Forbidden):
        flows.service.authenticate_client(customer_token, Scope.CUSTOMERS_READ)
    with pytest.raises(Unauthenticated):
        flows.service.authenticate(client_token)
    with pytest.raises(Unauthenticated):
        flows.service.authenticate.customer(client_token)


@pytest.mark.parametrize("token", ["", "garbage", "a.b.c"])
def test_no_token_or_a_bad_one_is_unauthenticated(flows, token):
    with pytest.raises(Unauthenticated):
        flows.service.authenticate_client(token, Scope.CUSTOMERS_READ)


def test_an_expired_client_token_is_refused(flows):
    new = created(flows)
    token = flows.service.issue_client_token(new.client.id, new.secret).access_token

    flows.clock.advance(dt.timedelta(minutes=5, seconds=31))  # past the 30 s leeway

    with pytest.raises(Unauthenticated):
        flows.service.authenticate_client(token, Scope.CUSTOMERS_READ)
    with pytest.raises(TokenInvalid):
        flows.service.authenticate_client.access_tokens.verify_client(token, now=flows.clock.now())
