"""OWASP ASVS 5.0.0, V8 Authorization, over real HTTP.

The authorization model: a customer's access token reaches that customer's own data only
(profile, preferences, sessions, addresses); a handful of operations are public; operator
functions exist only in the admin CLI, never over HTTP.

Not applicable to this service (not tested):

- V8.2.4  adaptive (context- and risk-based) controls at session start and during a session:
          the service makes no adaptive decisions; its only contextual input, the client
          address, feeds fixed anti-automation limits (V6.3.1, V8.1.3, V8.1.4).
- V8.3.3  decisions on the originating subject's permissions, not an intermediary's: the
          service calls no other service on a customer's behalf (CS_MEDIA_URL is unused).
- V8.4.1  cross-tenant controls: not a multi-tenant application (each customer's own data is
          V8.2.2).
- V8.4.2  layered security for administrative interfaces: the only administrative interface is
          the local admin CLI, run with the operator's own OS account and database credentials;
          none is reachable over the network (V8.2.1 checks that none is routed over HTTP).
"""

from __future__ import annotations

import re
import secrets
from typing import Any

from tests.integration.asvs import (
    API,
    AUTH,
    ME,
    README,
    claims_of,
    documented_defaults,
    error_fields,
    get_me,
    login,
    login_tokens,
    openapi,
    operations,
    setting_default,
)
from tests.support import assert_problem, bearer, register, unique_email

ADDRESSES = f"{API}/addresses"
PUBLIC_OPERATIONS = {
    f"POST {AUTH}/register",
    f"POST {AUTH}/login",
    f"POST {AUTH}/refresh",
    f"POST {AUTH}/verify-email",
    f"POST {AUTH}/password/forgot",
    f"POST {AUTH}/password/reset",
    f"POST {AUTH}/email/confirm",
    "GET /health/live",
    "GET /health/ready",
    "GET /.well-known/jwks.json",
    "GET /metrics",
    f"POST {API}/oauth/token",  # a service client authenticates there with its own credentials
}
# What the server alone decides about a customer, and secrets no client may see.
SERVER_MANAGED = {
    "id",
    "email",
    "password",
    "isActive",
    "isVerified",
    "emailVerified",
    "phoneVerified",
    "totalOrders",
    "totalSpent",
    "loyaltyPoints",
    "createdAt",
    "updatedAt",
    "lastLogin",
}
SECRETS = {"password", "passwordHash", "hash", "failedLogins", "lockedUntil", "refreshToken", "tokenDigest"}
ADDRESS = {
    "type": "home",
    "firstName": "Ada",
    "lastName": "Lovelace",
    "street": "10 Downing St",
    "city": "London",
    "postalCode": "SW1A 2AA",
    "country": "GB",
}


def security_of(document: dict[str, Any]) -> dict[str, bool]:
    """'METHOD path' -> whether the OpenAPI document says it needs a bearer token."""
    return {f"{method} {path}": bool(operation.get("security")) for method, path, operation in operations(document)}


def concrete(path: str) -> str:
    return re.sub(r"\{[^}]+\}", "a" * 24, path)


def add_address(client, tokens: dict[str, Any], **changes: Any) -> dict[str, Any]:
    response = client.post(ADDRESSES, json={**ADDRESS, **changes}, headers=bearer(tokens))
    assert response.status_code == 201, response.text
    address: dict[str, Any] = response.json()
    return address


# --- V8.1 Authorization Documentation ---------------------------------------------


def test_v8_1_1_the_api_documents_which_operations_need_which_consumer(client):
    """V8.1.1: "authorization documentation defines rules for restricting function-level and
    data-specific access based on consumer permissions and resource attributes."

    Function level: the OpenAPI document marks every operation public or bearer-only, and the
    public ones are exactly the contract's. Data level: the README states that another
    customer's ids answer like unknown ones."""
    declared = security_of(openapi(client))

    assert {operation for operation, needs_token in declared.items() if not needs_token} == PUBLIC_OPERATIONS
    assert sum(declared.values()) >= 15
    readme = README.read_text()
    assert "Another customer's address id, a malformed id and an unknown id all answer the" in readme


def test_v8_1_2_the_api_documents_which_fields_a_customer_may_read_and_write(client):
    """V8.1.2: "authorization documentation defines rules for field-level access restrictions
    (both read and write) based on consumer permissions and resource attributes."

    The OpenAPI schemas are the field-level rules: request bodies list the writable fields and
    allow no others; answers list the readable fields and no secret."""
    schemas = openapi(client)["components"]["schemas"]
    writable = set(schemas["ProfileChanges"]["properties"]) | set(schemas["PreferenceChanges"]["properties"])

    assert writable & SERVER_MANAGED == set()
    for name in ("Registration", "ProfileChanges", "PreferenceChanges", "AddressFields", "AddressChanges"):
        assert schemas[name]["additionalProperties"] is False, name
    for name in ("Customer", "Address", "SessionView"):
        assert set(schemas[name]["properties"]) & SECRETS == set(), name
    assert "customerId" not in schemas["Address"]["properties"]


def test_v8_1_3_the_client_address_is_documented_and_derived_as_documented(client):
    """V8.1.3: "the application's documentation defines the environmental and contextual
    attributes (including but not limited to, time of day, user location, IP address, or device)
    that are used in the application to make security decisions."

    The one such attribute is the client address (per-address limits); the README says it comes
    from the connection unless CS_TRUSTED_PROXIES names the proxy, and a client's own
    X-Forwarded-For is not believed."""
    readme = README.read_text()
    assert "`CS_TRUSTED_PROXIES`" in readme and "X-Forwarded-For" in readme
    assert "from one client address" in readme
    email = unique_email()
    register(client, email=email)

    tokens = login(client, email, headers={"X-Forwarded-For": "203.0.113.7"}).json()["tokens"]

    addresses = {
        session["ipAddress"] for session in client.get(f"{AUTH}/sessions", headers=bearer(tokens)).json()["items"]
    }
    assert addresses == {"127.0.0.1"}


def test_v8_1_4_thresholds_and_actions_of_the_contextual_limits_are_documented():
    """V8.1.4: "authentication and authorization documentation defines how environmental and
    contextual factors are used in decision-making ... This should include the attributes
    evaluated, thresholds for risk, and actions taken (e.g., allow, challenge, deny, step-up
    authentication)."

    Per client address: the thresholds (settings with their defaults as in code) and the action,
    429 RATE_LIMITED with Retry-After."""
    documented = documented_defaults()
    limits = ["CS_LOGIN_RATE_LIMIT", "CS_RESET_REQUEST_RATE_LIMIT", "CS_REGISTER_RATE_LIMIT"]

    assert {name: documented.get(name) for name in limits} == {name: setting_default(name) for name in limits}
    readme = README.read_text()
    assert "429 `RATE_LIMITED`" in readme and "Retry-After" in readme


# --- V8.2 General Authorization Design ---------------------------------------------


def test_v8_2_1_every_customer_operation_needs_a_live_customer_token(client):
    """V8.2.1: "the application ensures that function-level access is restricted to consumers with
    explicit permissions."

    Every operation the API documents as needing a bearer token refuses a request without one,
    with a malformed one and with one whose session has ended; no operator function is routed
    over HTTP."""
    document = openapi(client)
    email = unique_email()
    ended = register(client, email=email)["tokens"]
    assert client.post(f"{AUTH}/logout", headers=bearer(ended)).status_code == 204
    protected = [(method, path) for method, path, operation in operations(document) if operation.get("security")]

    for method, path in protected:
        for headers in ({}, {"Authorization": "Bearer not-a-token"}, bearer(ended)):
            response = client.request(method, concrete(path), headers=headers)
            if path.startswith(f"{API}/internal/") and headers == bearer(ended):
                assert_problem(response, 403, "FORBIDDEN")  # a customer's token, even a live one
                continue
            assert_problem(response, 401, "UNAUTHENTICATED")
            assert response.headers["www-authenticate"].startswith("Bearer "), (method, path)
    for path in document["paths"]:
        assert not re.search(r"admin|operator|import|disable|enable|keys/rotate", path), path


def test_v8_2_2_a_customer_cannot_reach_another_customers_addresses_or_sessions(client):
    """V8.2.2: "the application ensures that data-specific access is restricted to consumers with
    explicit permissions to specific data items to mitigate insecure direct object reference
    (IDOR) and broken object level authorization (BOLA)." """
    owner, intruder = register(client)["tokens"], register(client)["tokens"]
    address = add_address(client, owner)
    target = f"{ADDRESSES}/{address['id']}"
    unknown = f"{ADDRESSES}/{secrets.token_hex(12)}"

    attempts = [
        client.get(target, headers=bearer(intruder)),
        client.patch(target, json={"city": "Paris"}, headers=bearer(intruder)),
        client.delete(target, headers=bearer(intruder)),
        client.delete(f"{AUTH}/sessions/{claims_of(owner['accessToken'])['sid']}", headers=bearer(intruder)),
    ]

    for response in attempts:
        assert_problem(response, 404, "NOT_FOUND")
    assert attempts[0].json()["detail"] == client.get(unknown, headers=bearer(intruder)).json()["detail"]
    assert client.get(ADDRESSES, headers=bearer(intruder)).json()["items"] == []
    assert client.get(target, headers=bearer(owner)).json() == address
    assert get_me(client, owner).status_code == 200


def test_v8_2_3_server_managed_fields_cannot_be_written_and_secrets_are_never_read(client):
    """V8.2.3: "the application ensures that field-level access is restricted to consumers with
    explicit permissions to specific fields to mitigate broken object property level
    authorization (BOPLA)." """
    tokens = register(client)["tokens"]
    before = get_me(client, tokens).json()
    address = add_address(client, tokens)
    attempts = {
        "isVerified": True,
        "emailVerified": True,
        "isActive": True,
        "loyaltyPoints": 10_000,
        "totalSpent": 1e6,
        "totalOrders": 99,
        "id": "a" * 24,
        "email": unique_email(),
        "password": "a brand new passphrase",
        "createdAt": "2000-01-01T00:00:00Z",
    }

    for field, value in attempts.items():
        response = client.patch(ME, json={field: value}, headers=bearer(tokens))
        assert_problem(response, 422, "VALIDATION_ERROR")
        assert error_fields(response) == {field}, field
    registering = client.post(
        f"{AUTH}/register",
        json={
            "email": unique_email(),
            "password": "a long passphrase",
            "firstName": "A",
            "lastName": "B",
            "isVerified": True,
        },
    )
    moving = client.patch(f"{ADDRESSES}/{address['id']}", json={"customerId": "a" * 24}, headers=bearer(tokens))

    assert error_fields(registering) == {"isVerified"}
    assert error_fields(moving) == {"customerId"}
    after = get_me(client, tokens).json()
    assert after == before
    assert set(after) & SECRETS == set()


# --- V8.3 Operation Level Authorization ---------------------------------------------


def test_v8_3_1_whose_data_is_served_comes_only_from_the_verified_token(client):
    """V8.3.1: "the application enforces authorization rules at a trusted service layer and
    doesn't rely on controls that an untrusted consumer could manipulate, such as client-side
    JavaScript."

    Naming another customer in the query, a header or the body changes nothing: the customer is
    the one the verified token names."""
    tokens = register(client)["tokens"]
    victim = register(client)
    victim_id = victim["customer"]["id"]
    mine = claims_of(tokens["accessToken"])["sub"]

    by_query = client.get(ME, params={"id": victim_id, "customerId": victim_id}, headers=bearer(tokens))
    by_header = client.get(ME, headers={**bearer(tokens), "X-Customer-Id": victim_id, "X-User-Id": victim_id})
    by_body = client.post(ADDRESSES, json={**ADDRESS, "customerId": victim_id}, headers=bearer(tokens))

    assert by_query.json()["id"] == mine and by_header.json()["id"] == mine
    assert_problem(by_body, 422, "VALIDATION_ERROR")
    assert client.get(ADDRESSES, headers=bearer(victim["tokens"])).json()["items"] == []


def test_v8_3_2_ending_a_session_or_disabling_an_account_takes_effect_at_once(app):
    """V8.3.2: "changes to values on which authorization decisions are made are applied
    immediately. Where changes cannot be applied immediately, (such as when relying on data in
    self-contained tokens), there must be mitigating controls ..."

    An access JWT stays cryptographically valid for a day, yet the service refuses it on the
    very next request once its session is ended or its account disabled."""
    email = unique_email()
    here = register(app.client, email=email)["tokens"]
    elsewhere = login_tokens(app.client, email)
    other_sid = claims_of(elsewhere["accessToken"])["sid"]

    assert get_me(app.client, elsewhere).status_code == 200
    assert app.client.delete(f"{AUTH}/sessions/{other_sid}", headers=bearer(here)).status_code == 204
    assert_problem(get_me(app.client, elsewhere), 401, "UNAUTHENTICATED")

    assert get_me(app.client, here).status_code == 200
    app.wiring.service.admin.set_active(email, False, operator="test")
    assert_problem(get_me(app.client, here), 401, "UNAUTHENTICATED")
