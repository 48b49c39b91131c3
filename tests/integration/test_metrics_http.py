"""/metrics after each outcome has happened: events by type and reason,
requests by route and status, the outbox by status, database calls and
the waits at the hashing gate."""

from __future__ import annotations

from prometheus_client.parser import text_string_to_metric_families

from tests.support import API, PASSWORD, register, unique_email

AUTH = f"{API}/auth"


def samples(client) -> dict[tuple[str, frozenset[tuple[str, str]]], float]:
    answer = client.get("/metrics")
    assert answer.status_code == 200
    return {
        (sample.name, frozenset(sample.labels.items())): sample.value
        for family in text_string_to_metric_families(answer.text)
        for sample in family.samples
    }


def value(scraped, name: str, **labels: str) -> float:
    return scraped.get((name, frozenset(labels.items())), 0.0)


def test_each_outcome_shows_in_the_metrics(make_app):
    app = make_app(settings_changes={"lockout_threshold": 2, "login_rate_limit": 3})
    client = app.client
    before = samples(client)
    email = unique_email()
    tokens = register(client, email=email)["tokens"]
    assert client.post(f"{AUTH}/login", json={"email": email, "password": PASSWORD}).status_code == 200
    first = client.post(f"{AUTH}/refresh", json={"refreshToken": tokens["refreshToken"]})
    assert client.post(f"{AUTH}/refresh", json={"refreshToken": tokens["refreshToken"]}).status_code == 401  # reuse
    for _ in range(2):
        client.post(f"{AUTH}/login", json={"email": email, "password": "not the password"})
    assert client.post(f"{AUTH}/login", json={"email": email, "password": PASSWORD}).status_code == 429

    after = samples(client)

    def grew(name: str, **labels: str) -> float:
        return value(after, name, **labels) - value(before, name, **labels)

    assert first.status_code == 200
    assert grew("customer_service_events_total", event="registered", reason="") == 1
    assert grew("customer_service_events_total", event="login_succeeded", reason="") == 1
    assert grew("customer_service_events_total", event="login_failed", reason="invalid_credentials") == 2
    assert grew("customer_service_events_total", event="account_locked", reason="") == 1
    assert grew("customer_service_events_total", event="refresh_token_reused", reason="") == 1
    login = f"{AUTH}/login"
    assert grew("customer_service_requests_total", method="POST", path=login, status_code="429") == 1
    assert grew("customer_service_requests_total", method="POST", path=f"{AUTH}/refresh", status_code="200") == 1
    assert grew("customer_service_hashing_wait_seconds_count") >= 4  # register and 3 logins waited their turn
    assert grew("customer_service_db_operation_seconds_count", collection="sessions", operation="insert_one") == 2
    statuses = {dict(labels)["status"] for name, labels in after if name == "customer_service_outbox_messages"}
    assert statuses == {"pending", "in_flight", "delivered", "dead"}


def test_requests_for_unknown_routes_and_methods_are_counted_too(client):
    before = samples(client)

    client.get("/no/such/route")
    client.request("PROPFIND", f"{API}/me")

    after = samples(client)
    grew = value(after, "customer_service_requests_total", method="GET", path="unmatched", status_code="404")
    assert (
        grew - value(before, "customer_service_requests_total", method="GET", path="unmatched", status_code="404") == 1
    )
    assert value(after, "customer_service_requests_total", method="PROPFIND", path="unmatched", status_code="405") >= 1
