import json
import re
import time

import httpx
import pytest
from hypothesis import given
from hypothesis import settings as hypothesis_settings
from hypothesis import strategies as st
from pymongo import MongoClient

from adapters.embedded_store import EmbeddedStore
from customer_core.errors import DependencyUnavailable
from tests.support import API, PASSWORD, assert_problem, bearer, free_port, register, unique_email

AUTH = f"{API}/auth"
JSON = {"Content-Type": "application/json"}
LIMIT = 64 * 1024
GENERATED_ID = re.compile(r"^[0-9a-f]{32}$")


@pytest.fixture
def db(settings):
    client = MongoClient(settings.mongodb_uri)
    yield client[settings.db_name]
    client.close()


def snapshot(db):
    return {name: sorted(db[name].find(), key=lambda d: str(d["_id"])) for name in ("customers", "sessions")}


def login_body(email, password=PASSWORD):
    return {"email": email, "password": password}


@pytest.mark.parametrize(
    "content",
    [
        b'{"email": "a@example.com",',
        b"{",
        b"not json",
        b'{"email": "a@example.com",}',
        b"\xff\xfe{}",
        b'{"email": "a\xc3@example.com", "password": "x"}',
        b'{"email": "a@example.com", "email": "b@example.com", "password": "x"}',
        b"",
    ],
    ids=["truncated", "brace", "words", "trailing-comma", "bad-utf8", "bad-utf8-in-a-string", "duplicate-key", "empty"],
)
@pytest.mark.parametrize("route", ["login", "register"])
def test_a_body_that_is_not_json_is_a_400_problem(client, content, route):
    assert_problem(client.post(f"{AUTH}/{route}", content=content, headers=JSON), 400, "BAD_REQUEST")


def test_malformed_json_on_an_authenticated_route_is_a_400_problem(client):
    tokens = register(client)["tokens"]

    response = client.patch(f"{API}/me", content=b'{"firstName": ', headers={**JSON, **bearer(tokens)})

    assert_problem(response, 400, "BAD_REQUEST")


@pytest.mark.parametrize(
    "headers",
    [
        {"Content-Type": "text/plain"},
        {"Content-Type": "application/x-www-form-urlencoded"},
        {"Content-Type": "application/xml"},
        {"Content-Type": "multipart/form-data; boundary=x"},
        {},
    ],
    ids=["text", "form", "xml", "multipart", "none"],
)
def test_a_body_that_is_not_declared_json_is_a_415_problem(client, db, headers):
    before = snapshot(db)
    body = json.dumps({"email": unique_email(), "password": PASSWORD, "firstName": "A", "lastName": "B"})

    response = client.post(f"{AUTH}/register", content=body.encode(), headers=headers)

    assert_problem(response, 415, "UNSUPPORTED_MEDIA_TYPE")
    assert snapshot(db) == before


def test_a_json_media_type_with_parameters_or_a_json_suffix_is_accepted(client):
    email = unique_email()
    body = json.dumps({"email": email, "password": PASSWORD, "firstName": "A", "lastName": "B"}).encode()

    registered = client.post(
        f"{AUTH}/register", content=body, headers={"Content-Type": "Application/JSON; charset=utf-8"}
    )
    logged_in = client.post(
        f"{AUTH}/login",
        content=json.dumps(login_body(email)).encode(),
        headers={"Content-Type": "application/vnd.api+json"},
    )

    assert registered.status_code == 201, registered.text
    assert logged_in.status_code == 200, logged_in.text


def oversized_body():
    padding = "x" * (LIMIT + 1)
    return json.dumps({"email": unique_email(), "password": padding, "firstName": "A", "lastName": "B"}).encode()


def test_a_body_over_64_kib_with_content_length_is_a_413_problem(client, db):
    before = snapshot(db)

    response = client.post(f"{AUTH}/register", content=oversized_body(), headers=JSON)

    assert_problem(response, 413, "PAYLOAD_TOO_LARGE")
    assert snapshot(db) == before


def test_a_chunked_body_over_64_kib_is_a_413_problem(client, db):
    before = snapshot(db)
    body = oversized_body()

    def chunks():
        for start in range(0, len(body), 4096):
            yield body[start : start + 4096]

    request = client.build_request("POST", f"{AUTH}/register", content=chunks(), headers=JSON)
    assert "content-length" not in request.headers
    assert request.headers["transfer-encoding"] == "chunked"

    assert_problem(client.send(request), 413, "PAYLOAD_TOO_LARGE")
    assert snapshot(db) == before


def test_a_body_just_under_the_limit_is_read_and_validated(client):
    body = {"email": unique_email(), "password": PASSWORD, "firstName": "A", "lastName": "x" * (LIMIT - 200)}
    content = json.dumps(body).encode()
    assert len(content) < LIMIT

    response = client.post(f"{AUTH}/register", content=content, headers=JSON)

    problem = assert_problem(response, 422, "VALIDATION_ERROR")
    assert [e["field"] for e in problem["errors"]] == ["lastName"]


def test_a_small_chunked_body_is_accepted(client):
    body = json.dumps({"email": unique_email(), "password": PASSWORD, "firstName": "A", "lastName": "B"}).encode()

    response = client.post(f"{AUTH}/register", content=iter([body[:10], body[10:]]), headers=JSON)

    assert response.status_code == 201, response.text


@pytest.mark.parametrize("name", ["Ada\x00", "\x00", "A\u202eecalevol", "\u202e", "Ada\x1b[31m", "Ada\u200b"])
@pytest.mark.parametrize("field", ["firstName", "lastName"])
def test_control_and_format_characters_in_names_are_rejected(client, db, field, name):
    before = snapshot(db)
    body = {"email": unique_email(), "password": PASSWORD, "firstName": "Ada", "lastName": "Lovelace", field: name}

    problem = assert_problem(client.post(f"{AUTH}/register", json=body), 422, "VALIDATION_ERROR")

    assert [e["field"] for e in problem["errors"]] == [field]
    assert snapshot(db) == before


@pytest.mark.parametrize("name", ["Ada\x00", "\u202eecalevoL"])
def test_control_characters_in_a_profile_update_are_rejected(client, name):
    registered = register(client)

    response = client.patch(f"{API}/me", json={"lastName": name}, headers=bearer(registered["tokens"]))

    assert_problem(response, 422, "VALIDATION_ERROR")
    assert client.get(f"{API}/me", headers=bearer(registered["tokens"])).json() == registered["customer"]


def test_a_nul_byte_in_an_email_is_rejected(client, db):
    before = snapshot(db)
    body = {"email": "ada\x00@example.com", "password": PASSWORD, "firstName": "A", "lastName": "B"}

    assert_problem(client.post(f"{AUTH}/register", json=body), 422, "VALIDATION_ERROR")
    assert snapshot(db) == before


OPERATORS = [{"$ne": None}, {"$gt": ""}, {"$regex": ".*"}, {"$exists": True}]


@pytest.mark.parametrize("operator", OPERATORS)
@pytest.mark.parametrize("field", ["email", "password"])
def test_operator_objects_in_login_are_rejected(client, db, field, operator):
    registered = register(client)
    before = snapshot(db)
    body = {**login_body(registered["customer"]["email"]), field: operator}

    problem = assert_problem(client.post(f"{AUTH}/login", json=body), 422, "VALIDATION_ERROR")

    assert [e["field"] for e in problem["errors"]] == [field]
    assert snapshot(db) == before


@pytest.mark.parametrize("operator", OPERATORS[:2])
@pytest.mark.parametrize("field", ["email", "password", "firstName", "lastName", "phone", "dateOfBirth", "gender"])
def test_operator_objects_in_registration_are_rejected(client, db, field, operator):
    before = snapshot(db)
    body = {"email": unique_email(), "password": PASSWORD, "firstName": "A", "lastName": "B", field: operator}

    problem = assert_problem(client.post(f"{AUTH}/register", json=body), 422, "VALIDATION_ERROR")

    assert [e["field"] for e in problem["errors"]] == [field]
    assert snapshot(db) == before


@pytest.mark.parametrize("operator", OPERATORS)
def test_operator_objects_as_a_refresh_token_are_rejected(client, db, operator):
    registered = register(client)
    before = snapshot(db)

    response = client.post(f"{AUTH}/refresh", json={"refreshToken": operator})

    problem = assert_problem(response, 422, "VALIDATION_ERROR")
    assert [e["field"] for e in problem["errors"]] == ["refreshToken"]
    assert snapshot(db) == before
    refreshed = client.post(f"{AUTH}/refresh", json={"refreshToken": registered["tokens"]["refreshToken"]})
    assert refreshed.status_code == 200, refreshed.text


@pytest.mark.parametrize("value", [[], [1, 2], 5, "en", True])
def test_a_non_object_where_preferences_are_expected_is_rejected(client, db, value):
    before = snapshot(db)
    body = {"email": unique_email(), "password": PASSWORD, "firstName": "A", "lastName": "B", "preferences": value}

    problem = assert_problem(client.post(f"{AUTH}/register", json=body), 422, "VALIDATION_ERROR")

    assert [e["field"] for e in problem["errors"]] == ["preferences"]
    assert snapshot(db) == before


@pytest.mark.parametrize("value", [["Ada"], 42, 4.2, True])
def test_an_array_or_number_where_a_string_is_expected_is_rejected(client, value):
    body = {"email": unique_email(), "password": PASSWORD, "firstName": value, "lastName": "B"}

    problem = assert_problem(client.post(f"{AUTH}/register", json=body), 422, "VALIDATION_ERROR")

    assert [e["field"] for e in problem["errors"]] == ["firstName"]


@pytest.mark.parametrize("body", [[], [{"email": "a@example.com", "password": PASSWORD}], 5, "text", None, True])
@pytest.mark.parametrize("route", ["register", "login", "refresh"])
def test_a_body_that_is_not_an_object_is_rejected(client, db, route, body):
    before = snapshot(db)

    response = client.post(f"{AUTH}/{route}", content=json.dumps(body).encode(), headers=JSON)

    problem = assert_problem(response, 422, "VALIDATION_ERROR")
    assert [e["field"] for e in problem["errors"]] == ["body"]
    assert snapshot(db) == before


@pytest.mark.parametrize("body", [[{"firstName": "Eve"}], "Eve", 7])
def test_a_profile_update_that_is_not_an_object_is_rejected(client, body):
    tokens = register(client)["tokens"]

    assert_problem(client.patch(f"{API}/me", json=body, headers=bearer(tokens)), 422, "VALIDATION_ERROR")
    assert_problem(client.patch(f"{API}/me/preferences", json=body, headers=bearer(tokens)), 422, "VALIDATION_ERROR")


@pytest.mark.parametrize(
    "session_id",
    [
        "not-an-id",
        "0123456789abcdef0123456",
        "0123456789abcdef012345678",
        "zzzzzzzzzzzzzzzzzzzzzzzz",
        "%7B%22%24ne%22%3Anull%7D",
        "%00",
        "x" * 2000,
        "0123456789abcdef01234567",
    ],
    ids=["words", "short", "long", "non-hex", "operator", "nul", "huge", "absent"],
)
def test_an_invalid_or_unknown_session_id_is_a_404(client, db, session_id):
    tokens = register(client)["tokens"]
    before = snapshot(db)

    response = client.delete(f"{AUTH}/sessions/{session_id}", headers=bearer(tokens))

    assert_problem(response, 404, "NOT_FOUND")
    assert snapshot(db) == before


def test_another_customers_session_id_is_a_404(client, db):
    mine = register(client)["tokens"]
    theirs = register(client)["tokens"]
    their_session = client.get(f"{AUTH}/sessions", headers=bearer(theirs)).json()["items"][0]["id"]

    assert_problem(client.delete(f"{AUTH}/sessions/{their_session}", headers=bearer(mine)), 404, "NOT_FOUND")
    assert client.get(f"{API}/me", headers=bearer(theirs)).status_code == 200


@pytest.mark.parametrize(
    "path",
    [
        "/nope",
        f"{API}/unknown",
        f"{AUTH}/nope",
        f"{API}/me/nope",
        "/api/v2/customers/me",
        "/schema/nope",
        "/schema/x.yaml",
    ],
)
def test_an_unknown_route_is_a_404_problem(client, path):
    assert_problem(client.get(path), 404, "NOT_FOUND")


@pytest.mark.parametrize(
    ("method", "path"),
    [
        ("GET", f"{AUTH}/login"),
        ("PUT", f"{AUTH}/register"),
        ("DELETE", f"{API}/me/preferences"),
        ("POST", f"{API}/me"),
        ("POST", "/health/live"),
        ("DELETE", f"{AUTH}/sessions"),
    ],
)
def test_a_wrong_method_is_a_405_problem(client, method, path):
    assert_problem(client.request(method, path), 405, "METHOD_NOT_ALLOWED")


def exchanges(client):
    """One request of each kind of answer: successes, and errors from the
    domain, from the framework and from routing."""
    email = unique_email()
    body = {"email": email, "password": PASSWORD, "firstName": "A", "lastName": "B"}
    registered = client.post(f"{AUTH}/register", json=body)
    tokens = registered.json()["tokens"]
    return [
        registered,
        client.post(f"{AUTH}/login", json=login_body(email)),
        client.get(f"{API}/me", headers=bearer(tokens)),
        client.get("/health/live"),
        client.get("/health/ready"),
        client.get("/.well-known/jwks.json"),
        client.get("/schema/openapi.json"),
        client.post(f"{AUTH}/logout", headers=bearer(tokens)),
        client.post(f"{AUTH}/register", json=body),
        client.post(f"{AUTH}/login", json=login_body(email, "wrong password!")),
        client.get(f"{API}/me"),
        client.post(f"{AUTH}/login", content=b"{", headers=JSON),
        client.post(f"{AUTH}/login", content=b"x", headers={"Content-Type": "text/plain"}),
        client.post(f"{AUTH}/login", content=b"x" * (LIMIT + 1), headers=JSON),
        client.post(f"{AUTH}/login", json={"email": 1}),
        client.get("/nope"),
        client.get(f"{AUTH}/login"),
    ]


def test_every_response_carries_a_fresh_request_id(client):
    responses = exchanges(client)

    statuses = {r.status_code for r in responses}
    assert {200, 201, 204, 400, 401, 404, 405, 409, 413, 415, 422} <= statuses
    ids = [r.headers.get("x-request-id") for r in responses]
    assert all(ids) and all(GENERATED_ID.match(i) for i in ids)
    assert len(set(ids)) == len(ids)
    for response in responses:
        if response.status_code >= 400:
            assert response.json()["requestId"] == response.headers["x-request-id"]


@pytest.mark.parametrize("request_id", ["abc-123", "trace:4bf92f35.77-x_y", "A" * 128])
def test_a_sane_caller_request_id_is_echoed(client, request_id):
    headers = {"X-Request-ID": request_id}

    success = client.get("/health/live", headers=headers)
    error = client.get("/nope", headers=headers)
    domain_error = client.get(f"{API}/me", headers=headers)

    assert success.headers["x-request-id"] == request_id
    assert assert_problem(error, 404, "NOT_FOUND")["requestId"] == request_id
    assert assert_problem(domain_error, 401, "UNAUTHENTICATED")["requestId"] == request_id


@pytest.mark.parametrize(
    "request_id",
    ["A" * 129, "has space", "naïve".encode(), "a/b", "<script>", "id\tx", "a,b"],
    ids=["too-long", "space", "non-ascii", "slash", "markup", "tab", "comma"],
)
def test_an_insane_caller_request_id_is_replaced(client, request_id):
    response = client.get("/nope", headers={"X-Request-ID": request_id})

    body = assert_problem(response, 404, "NOT_FOUND")
    assert GENERATED_ID.match(response.headers["x-request-id"])
    assert body["requestId"] == response.headers["x-request-id"]


def test_the_response_has_exactly_one_request_id(client):
    response = client.get("/health/live", headers={"X-Request-ID": "abc"})

    assert response.headers.get_list("x-request-id") == ["abc"]


def test_liveness_answers_ok(client):
    response = client.get("/health/live")

    assert response.status_code == 200
    assert response.json() == {"status": "ok"}


def test_readiness_reports_the_database_up(client):
    response = client.get("/health/ready")

    assert response.status_code == 200
    body = response.json()
    assert body["status"] == "ok"
    database = body["dependencies"]["database"]
    assert database["status"] == "up"
    assert isinstance(database["latencyMs"], int | float) and database["latencyMs"] >= 0


def test_readiness_is_503_and_requests_get_503_when_the_store_is_unreachable(make_app, tmp_path):
    """A store of its own, stopped while the app runs: the app's client then
    finds nothing at the address, as when the database goes away."""
    pytest.importorskip("secantus")
    store = EmbeddedStore(tmp_path / "doomed-store")
    uri = store.start()
    try:
        running = make_app(settings_changes={"mongodb_uri": f"{uri}&serverSelectionTimeoutMS=300"})
        registered = register(running.client)
        assert running.client.get("/health/ready").status_code == 200
    finally:
        store.stop()

    started = time.monotonic()
    ready = running.client.get("/health/ready")
    login = running.client.post(f"{AUTH}/login", json=login_body(registered["customer"]["email"]))
    me = running.client.get(f"{API}/me", headers=bearer(registered["tokens"]))

    assert ready.status_code == 503
    assert ready.json()["status"] == "unavailable"
    assert ready.json()["dependencies"]["database"]["status"] == "down"
    assert isinstance(ready.json()["dependencies"]["database"]["latencyMs"], int | float)
    assert_problem(login, 503, "DEPENDENCY_UNAVAILABLE")
    assert_problem(me, 503, "DEPENDENCY_UNAVAILABLE")
    assert time.monotonic() - started < 15


def test_an_app_cannot_start_without_its_store(make_app):
    port = free_port()

    with pytest.raises(DependencyUnavailable):
        make_app(settings_changes={"mongodb_uri": f"mongodb://127.0.0.1:{port}/?serverSelectionTimeoutMS=300"})


json_values = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats(allow_nan=False, allow_infinity=False) | st.text(),
    lambda children: st.lists(children, max_size=4) | st.dictionaries(st.text(max_size=12), children, max_size=4),
    max_leaves=12,
)


def objects_with(*fields):
    """Objects using the route's own field names (and a few others), so the
    values reach validation rather than stopping at an unknown key."""
    keys = st.sampled_from(fields) | st.sampled_from(["$ne", "$gt", "id", "__proto__"]) | st.text(max_size=8)
    return st.dictionaries(keys, json_values, max_size=len(fields) + 1)


FUZZ = hypothesis_settings(max_examples=50)
REGISTER_FIELDS = ("email", "password", "firstName", "lastName", "phone", "dateOfBirth", "gender", "preferences")
PROFILE_FIELDS = ("firstName", "lastName", "phone", "dateOfBirth", "gender", "profileImage")


def post_raw(client, method, path, value, headers=None):
    content = json.dumps(value).encode()
    return client.request(method, path, content=content, headers={**JSON, **(headers or {})})


def assert_answered_4xx_or_success(response):
    assert response.status_code < 500, response.text
    if response.status_code >= 400:
        assert response.headers["content-type"].startswith("application/problem+json")
        assert response.json()["status"] == response.status_code


@pytest.mark.parametrize(
    ("route", "fields"),
    [("register", REGISTER_FIELDS), ("login", ("email", "password")), ("refresh", ("refreshToken",))],
)
def test_random_json_never_causes_a_server_error_in_auth_routes(client, route, fields):
    @FUZZ
    @given(value=json_values | objects_with(*fields))
    def check(value):
        assert_answered_4xx_or_success(post_raw(client, "POST", f"{AUTH}/{route}", value))

    check()


def test_random_json_never_causes_a_server_error_in_a_profile_update(client):
    tokens = register(client)["tokens"]

    @FUZZ
    @given(value=json_values | objects_with(*PROFILE_FIELDS))
    def check(value):
        assert_answered_4xx_or_success(post_raw(client, "PATCH", f"{API}/me", value, bearer(tokens)))

    check()
    assert client.get(f"{API}/me", headers=bearer(tokens)).status_code == 200


def test_random_json_never_causes_a_server_error_in_a_preferences_update(client):
    tokens = register(client)["tokens"]
    fields = ("newsletter", "smsNotifications", "language", "currency")

    @FUZZ
    @given(value=json_values | objects_with(*fields))
    def check(value):
        assert_answered_4xx_or_success(post_raw(client, "PATCH", f"{API}/me/preferences", value, bearer(tokens)))

    check()


def test_a_closed_connection_mid_body_does_not_break_the_app(app):
    def slow_then_gone():
        yield b'{"email": "'
        raise httpx.ReadError("client went away")

    with pytest.raises(httpx.HTTPError):
        app.client.post(f"{AUTH}/login", content=slow_then_gone(), headers=JSON)

    assert app.client.get("/health/live").status_code == 200
