"""The OpenAPI document against what the routes really return, so the
schema cannot drift from the responses."""

import json
import time
import uuid

import pytest

from customer_core.clients import Scope
from entrypoints.http import create_app
from tests.support import API, PASSWORD, bearer, register, unique_email

AUTH = f"{API}/auth"
PROBLEM_JSON = "application/problem+json"
CONTRACT_ROUTES = {
    (f"{AUTH}/register", "post"),
    (f"{AUTH}/login", "post"),
    (f"{AUTH}/refresh", "post"),
    (f"{AUTH}/logout", "post"),
    (f"{AUTH}/logout-all", "post"),
    (f"{AUTH}/sessions", "get"),
    (f"{AUTH}/sessions/{{session_id}}", "delete"),
    (f"{AUTH}/verify-email", "post"),
    (f"{AUTH}/verify-email/resend", "post"),
    (f"{AUTH}/password/forgot", "post"),
    (f"{AUTH}/password/reset", "post"),
    (f"{AUTH}/password/change", "post"),
    (f"{AUTH}/email/change", "post"),
    (f"{AUTH}/email/confirm", "post"),
    (f"{API}/addresses", "get"),
    (f"{API}/addresses", "post"),
    (f"{API}/addresses/{{address_id}}", "get"),
    (f"{API}/addresses/{{address_id}}", "patch"),
    (f"{API}/addresses/{{address_id}}", "delete"),
    (f"{API}/me", "get"),
    (f"{API}/me", "patch"),
    (f"{API}/me/preferences", "get"),
    (f"{API}/me/preferences", "patch"),
    (f"{API}/me/phone/verify", "post"),
    (f"{API}/me/phone/confirm", "post"),
    (f"{API}/me/activity", "get"),
    (f"{API}/me/consents", "get"),
    (f"{API}/me/export", "get"),
    (f"{API}/me", "delete"),
    ("/health/live", "get"),
    ("/health/ready", "get"),
    ("/.well-known/jwks.json", "get"),
    ("/metrics", "get"),
    (f"{API}/oauth/token", "post"),
    (f"{API}/internal/customers", "get"),
    (f"{API}/internal/customers/{{customer_id}}", "get"),
    (f"{API}/internal/customers/{{customer_id}}/orders", "post"),
    (f"{API}/internal/customers/{{customer_id}}/orders/{{order_id}}/refund", "post"),
}
JSON_TYPES = {
    "string": str,
    "integer": int,
    "number": (int, float),
    "boolean": bool,
    "null": type(None),
    "object": dict,
    "array": list,
}


@pytest.fixture
def document(client):
    response = client.get("/schema/openapi.json")
    assert response.status_code == 200
    return json.loads(response.content)


def operations(document):
    return {
        (path, method): operation
        for path, item in document["paths"].items()
        for method, operation in item.items()
        if isinstance(operation, dict) and "responses" in operation
    }


def resolve(schema, document):
    while "$ref" in schema:
        schema = document["components"]["schemas"][schema["$ref"].removeprefix("#/components/schemas/")]
    return schema


def assert_conforms(value, schema, document, where="$"):
    """Every key of every object in ``value`` is a documented property, every
    required property is present, and each value has the documented type."""
    schema = resolve(schema, document)
    branches = schema.get("oneOf") or schema.get("anyOf")
    if branches:
        failures = []
        for branch in branches:
            try:
                assert_conforms(value, branch, document, where)
                return
            except AssertionError as failure:
                failures.append(str(failure))
        raise AssertionError(f"{where}: {value!r} matches no documented alternative: {failures}")
    kind = schema.get("type")
    if kind:
        expected = JSON_TYPES[kind]
        assert isinstance(value, expected), f"{where}: {value!r} is not {kind}"
        assert not (isinstance(value, bool) and kind in ("integer", "number")), f"{where}: {value!r} is not {kind}"
    if isinstance(value, dict) and "properties" in schema:
        properties = schema["properties"]
        assert value.keys() <= properties.keys(), f"{where}: undocumented {sorted(value.keys() - properties.keys())}"
        missing = set(schema.get("required", [])) - value.keys()
        assert not missing, f"{where}: documented but missing {sorted(missing)}"
        for key, item in value.items():
            assert_conforms(item, properties[key], document, f"{where}.{key}")
    elif isinstance(value, dict) and isinstance(schema.get("additionalProperties"), dict):
        for key, item in value.items():
            assert_conforms(item, schema["additionalProperties"], document, f"{where}.{key}")
    if isinstance(value, list) and "items" in schema:
        for index, item in enumerate(value):
            assert_conforms(item, schema["items"], document, f"{where}[{index}]")


def assert_documented(document, path, method, response):
    """The response's status is documented for the operation, with the
    response's media type, and the body conforms to the documented schema."""
    documented = operations(document)[(path, method)]["responses"]
    assert str(response.status_code) in documented, f"{method} {path} answers {response.status_code}, not documented"
    entry = documented[str(response.status_code)]
    if response.status_code == 204:
        assert not response.content and "content" not in entry
        return
    media_type = response.headers["content-type"].split(";")[0]
    assert list(entry["content"]) == [media_type]
    assert_conforms(response.json(), entry["content"][media_type]["schema"], document)


def test_the_document_lists_every_route_the_app_serves(app, document):
    served = {
        (route.path_format, method.lower())
        for route in create_app(app.wiring).routes
        for method in route.methods - {"OPTIONS", "HEAD"}
        if not route.path.startswith("/schema")
    }

    assert set(operations(document)) == served
    assert served == CONTRACT_ROUTES


def test_every_documented_operation_is_answered(client, document):
    for path, method in operations(document):
        response = client.request(method.upper(), path.replace("{session_id}", "0" * 24))
        assert response.status_code not in (404, 405), f"{method} {path}: {response.status_code}"


def test_every_documented_error_is_problem_details(document):
    problem = resolve({"$ref": "#/components/schemas/Problem"}, document)
    errors = [
        (path, method, status, response)
        for (path, method), operation in operations(document).items()
        for status, response in operation["responses"].items()
        if int(status) >= 400 and path not in ("/health/ready", f"{API}/oauth/token")
    ]

    assert {status for *_, status, _ in errors} >= {"400", "401", "404", "409", "413", "415", "422"}
    for path, method, status, response in errors:
        assert list(response["content"]) == [PROBLEM_JSON], f"{method} {path} {status}"
        assert resolve(response["content"][PROBLEM_JSON]["schema"], document) == problem


INTERNAL = f"{API}/internal/customers"
PUBLIC = {(f"{API}/oauth/token", "post")} | {
    (f"{AUTH}/{route}", "post")
    for route in (
        "register",
        "login",
        "refresh",
        "verify-email",
        "password/forgot",
        "password/reset",
        "email/confirm",
    )
}


def test_authenticated_operations_document_401(document):
    public = PUBLIC
    for (path, method), operation in operations(document).items():
        if path.startswith(API) and (path, method) not in public:
            assert "401" in operation["responses"], f"{method} {path}"


def test_auth_responses_match_the_document(client, document):
    email = unique_email()
    body = {"email": email, "password": PASSWORD, "firstName": "Ada", "lastName": "Lovelace", "phone": "+441234567890"}
    registered = client.post(f"{AUTH}/register", json=body)
    logged_in = client.post(f"{AUTH}/login", json={"email": email, "password": PASSWORD})
    refreshed = client.post(f"{AUTH}/refresh", json={"refreshToken": logged_in.json()["tokens"]["refreshToken"]})
    sessions = client.get(f"{AUTH}/sessions", headers=bearer(refreshed.json()["tokens"]))
    logged_out = client.post(f"{AUTH}/logout", headers=bearer(refreshed.json()["tokens"]))

    assert [r.status_code for r in (registered, logged_in, refreshed, sessions, logged_out)] == [
        201,
        200,
        200,
        200,
        204,
    ]
    assert len(sessions.json()["items"]) == 2
    assert_documented(document, f"{AUTH}/register", "post", registered)
    assert_documented(document, f"{AUTH}/login", "post", logged_in)
    assert_documented(document, f"{AUTH}/refresh", "post", refreshed)
    assert_documented(document, f"{AUTH}/sessions", "get", sessions)
    assert_documented(document, f"{AUTH}/logout", "post", logged_out)


def test_profile_responses_match_the_document(client, document):
    tokens = register(client)["tokens"]
    changes = {"phone": "+441234567890", "dateOfBirth": "1990-05-01", "gender": "female"}
    patched = client.patch(f"{API}/me", json={**changes, "profileImage": str(uuid.uuid4())}, headers=bearer(tokens))
    cleared = client.patch(f"{API}/me", json={"phone": None}, headers=bearer(tokens))
    me = client.get(f"{API}/me", headers=bearer(tokens))
    preferences = client.get(f"{API}/me/preferences", headers=bearer(tokens))
    changed = client.patch(f"{API}/me/preferences", json={"newsletter": True}, headers=bearer(tokens))

    assert [r.status_code for r in (patched, cleared, me, preferences, changed)] == [200] * 5
    assert patched.json()["profileImage"] is not None and cleared.json()["phone"] is None
    assert_documented(document, f"{API}/me", "patch", patched)
    assert_documented(document, f"{API}/me", "patch", cleared)
    assert_documented(document, f"{API}/me", "get", me)
    assert_documented(document, f"{API}/me/preferences", "get", preferences)
    assert_documented(document, f"{API}/me/preferences", "patch", changed)


def test_phone_verification_responses_match_the_document(client, document, settings):
    verify, confirm = f"{API}/me/phone/verify", f"{API}/me/phone/confirm"
    without_phone = bearer(register(client)["tokens"])
    with_phone = bearer(register(client, phone="+441234567890")["tokens"])
    answers = [
        (verify, client.post(verify, headers=without_phone)),
        (verify, client.post(verify, headers=with_phone)),
        (verify, client.post(verify, headers=with_phone)),
        (confirm, client.post(confirm, json={"code": "12345"}, headers=with_phone)),
        (confirm, client.post(confirm, json={"code": "000000"}, headers=without_phone)),
    ]
    answers.append((confirm, client.post(confirm, json={"code": mailed_code(settings)}, headers=with_phone)))

    assert [r.status_code for _, r in answers] == [409, 202, 429, 422, 400, 200]
    for path, response in answers:
        assert_documented(document, path, "post", response)


def mailed_code(settings):
    """The code of the one SMS the mail log holds (without a Notifications Service)."""
    mail_log = settings.data_dir / "mail.log"
    for _ in range(300):
        lines = mail_log.read_text().splitlines() if mail_log.exists() else []
        sms = [json.loads(line) for line in lines if '"phone_verification"' in line]
        if sms:
            return sms[0]["data"]["code"]
        time.sleep(0.05)
    raise AssertionError("no phone_verification message in the mail log")


def test_operations_responses_match_the_document(client, document):
    for path in ("/health/live", "/health/ready"):
        response = client.get(path)
        assert response.status_code == 200
        assert_documented(document, path, "get", response)


def test_error_responses_match_the_document(client, document):
    taken = register(client)["customer"]["email"]
    body = {"email": taken, "password": PASSWORD, "firstName": "A", "lastName": "B"}
    answers = [
        (f"{AUTH}/register", "post", client.post(f"{AUTH}/register", json={**body, "email": "nope"})),
        (f"{AUTH}/register", "post", client.post(f"{AUTH}/register", json=body)),
        (
            f"{AUTH}/register",
            "post",
            client.post(f"{AUTH}/register", content=b"{", headers={"content-type": "application/json"}),
        ),
        (
            f"{AUTH}/register",
            "post",
            client.post(f"{AUTH}/register", content=b"x", headers={"content-type": "text/plain"}),
        ),
        (f"{AUTH}/login", "post", client.post(f"{AUTH}/login", json={"email": taken, "password": "wrong password"})),
        (f"{AUTH}/refresh", "post", client.post(f"{AUTH}/refresh", json={"refreshToken": "used"})),
        (f"{API}/me", "get", client.get(f"{API}/me")),
        (f"{API}/me", "patch", client.patch(f"{API}/me", json={"email": "x@example.com"})),
        (
            f"{AUTH}/register",
            "post",
            client.post(f"{AUTH}/register", content=b"{" * 70_000, headers={"content-type": "application/json"}),
        ),
    ]

    assert [r.status_code for *_, r in answers] == [422, 409, 400, 415, 401, 401, 401, 401, 413]
    assert answers[0][2].json()["errors"]
    for path, method, response in answers:
        assert response.headers["content-type"].startswith(PROBLEM_JSON)
        assert_documented(document, path, method, response)


def test_a_session_revoked_twice_is_a_documented_404(client, document):
    tokens = register(client)["tokens"]
    other = client.post(
        f"{AUTH}/login",
        json={"email": client.get(f"{API}/me", headers=bearer(tokens)).json()["email"], "password": PASSWORD},
    )
    session_id = next(
        s["id"] for s in client.get(f"{AUTH}/sessions", headers=bearer(tokens)).json()["items"] if not s["current"]
    )
    path = f"{AUTH}/sessions/{{session_id}}"

    first = client.delete(f"{AUTH}/sessions/{session_id}", headers=bearer(tokens))
    second = client.delete(f"{AUTH}/sessions/{session_id}", headers=bearer(tokens))

    assert other.status_code == 200
    assert_documented(document, path, "delete", first)
    assert_documented(document, path, "delete", second)
    assert second.status_code == 404


def test_the_conformance_check_rejects_undocumented_shapes():
    document = {
        "components": {
            "schemas": {"Thing": {"type": "object", "properties": {"a": {"type": "string"}}, "required": ["a"]}}
        }
    }
    thing = {"$ref": "#/components/schemas/Thing"}

    assert_conforms({"a": "x"}, thing, document)
    for wrong in ({}, {"a": 1}, {"a": "x", "b": 2}, {"a": True}, []):
        with pytest.raises(AssertionError):
            assert_conforms(wrong, thing, document)


def test_exactly_the_authenticated_operations_declare_bearer_security(document):
    assert document["components"]["securitySchemes"]["accessToken"]["scheme"] == "bearer"
    for (path, method), operation in operations(document).items():
        needs_token = path.startswith(API) and (path, method) not in PUBLIC and not path.startswith(INTERNAL)
        declared = operation.get("security") == [{"accessToken": []}]
        assert declared == needs_token, f"{method} {path}"


def test_internal_operations_declare_the_client_credentials_scope_they_need(document):
    flow = document["components"]["securitySchemes"]["clientCredentials"]["flows"]["clientCredentials"]
    assert flow["tokenUrl"] == f"{API}/oauth/token"
    assert set(flow["scopes"]) == {"customers:read", "orders:write"}
    scopes = {
        (path, method): operation.get("security")
        for (path, method), operation in operations(document).items()
        if path.startswith(INTERNAL)
    }
    assert scopes == {
        (INTERNAL, "get"): [{"clientCredentials": ["customers:read"]}],
        (f"{INTERNAL}/{{customer_id}}", "get"): [{"clientCredentials": ["customers:read"]}],
        (f"{INTERNAL}/{{customer_id}}/orders", "post"): [{"clientCredentials": ["orders:write"]}],
        (f"{INTERNAL}/{{customer_id}}/orders/{{order_id}}/refund", "post"): [{"clientCredentials": ["orders:write"]}],
    }


def test_internal_responses_match_the_document(app, client, document):
    created = app.wiring.service.clients.create("docs", frozenset(Scope), operator="test")
    form = {"grant_type": "client_credentials"}
    token = client.post(f"{API}/oauth/token", data=form, auth=(created.client.id, created.secret))
    refused = client.post(f"{API}/oauth/token", data=form, auth=(created.client.id, "wrong"))
    headers = {"Authorization": f"Bearer {token.json()['access_token']}"}
    customer = register(client)["customer"]
    order = {"orderId": "A-1", "total": "9.99", "currency": "USD", "completedAt": "2026-11-26T10:00:00Z"}
    found = client.get(f"{INTERNAL}/{customer['id']}", headers=headers)
    by_email = client.get(INTERNAL, params={"email": customer["email"]}, headers=headers)
    recorded = client.post(f"{INTERNAL}/{customer['id']}/orders", json=order, headers=headers)
    refunded = client.post(f"{INTERNAL}/{customer['id']}/orders/A-1/refund", headers=headers)

    assert [r.status_code for r in (token, refused, found, by_email, recorded, refunded)] == [200, 401] + [200] * 4
    assert_documented(document, f"{API}/oauth/token", "post", token)
    assert_documented(document, f"{API}/oauth/token", "post", refused)
    assert_documented(document, f"{INTERNAL}/{{customer_id}}", "get", found)
    assert_documented(document, INTERNAL, "get", by_email)
    assert_documented(document, f"{INTERNAL}/{{customer_id}}/orders", "post", recorded)
    assert_documented(document, f"{INTERNAL}/{{customer_id}}/orders/{{order_id}}/refund", "post", refunded)
