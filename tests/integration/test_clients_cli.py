"""`customer-service clients ...` and `customers metrics`: what an operator
does for the services around this one, end to end with the HTTP API."""

from __future__ import annotations

import json

from tests.support import API, cli_error, register

TOKEN = f"{API}/oauth/token"
INTERNAL = f"{API}/internal/customers"


def run_json(cli, *args):
    result = cli(*args, "--json")
    assert result.exit_code == 0, result.output
    return json.loads(result.stdout)


def token(client, created, **form):
    return client.post(
        TOKEN,
        data={"grant_type": "client_credentials", **form},
        auth=(created["clientId"], created["clientSecret"]),
    )


def test_a_created_client_gets_tokens_for_its_scopes_and_is_listed_without_its_secret(client, cli, db):
    created = run_json(cli, "clients", "create", "orders-service", "--scope", "orders:write", "--operator", "ops")

    answered = token(client, created)
    listed = run_json(cli, "clients", "list")

    assert answered.status_code == 200 and answered.json()["scope"] == "orders:write"
    assert listed["items"] == [
        {
            "clientId": created["clientId"],
            "name": "orders-service",
            "scopes": ["orders:write"],
            "createdAt": listed["items"][0]["createdAt"],
            "revokedAt": None,
        }
    ]
    stored = db.service_clients.find_one()
    assert created["clientSecret"] not in json.dumps(stored, default=str)
    assert db.audit.find_one({"type": "client_created"})["operator"] == "ops"


def test_create_prints_the_secret_once_for_humans(cli):
    result = cli("clients", "create", "support-tool", "--scope", "customers:read", "--scope", "orders:write")

    assert result.exit_code == 0, result.output
    lines = dict(line.split(":", 1) for line in result.stdout.splitlines())
    assert set(lines) == {"clientId", "clientSecret"} and len(lines["clientSecret"].strip()) >= 43
    assert "not shown again" in result.stderr


def test_revoking_a_client_stops_its_tokens_at_once(client, cli):
    created = run_json(cli, "clients", "create", "support", "--scope", "customers:read")
    headers = {"Authorization": f"Bearer {token(client, created).json()['access_token']}"}
    customer = register(client)["customer"]
    assert client.get(f"{INTERNAL}/{customer['id']}", headers=headers).status_code == 200

    revoked = cli("clients", "revoke", created["clientId"])

    assert revoked.exit_code == 0, revoked.output
    assert client.get(f"{INTERNAL}/{customer['id']}", headers=headers).status_code == 401
    assert token(client, created).status_code == 401
    assert run_json(cli, "clients", "list")["items"][0]["revokedAt"] is not None


def test_client_command_errors_have_their_exit_codes(cli):
    no_scope = cli("clients", "create", "nameless")
    unknown_scope = cli("clients", "create", "x", "--scope", "customers:write")
    blank_name = cli("clients", "create", "  ", "--scope", "customers:read")
    unknown_client = cli("clients", "revoke", "000000000000000000000000")
    malformed = cli("clients", "revoke", "nope")

    assert no_scope.exit_code == unknown_scope.exit_code == blank_name.exit_code == 2
    assert "name" in blank_name.stderr
    assert unknown_client.exit_code == malformed.exit_code == 3
    assert cli_error(unknown_client) == "error: No active client with this id"


def test_revoking_twice_is_not_found(cli):
    created = run_json(cli, "clients", "create", "support", "--scope", "customers:read")
    cli("clients", "revoke", created["clientId"])

    assert cli("clients", "revoke", created["clientId"]).exit_code == 3


def test_customer_metrics_show_the_totals_the_orders_added_up_to(client, cli):
    created = run_json(cli, "clients", "create", "orders", "--scope", "orders:write")
    headers = {"Authorization": f"Bearer {token(client, created).json()['access_token']}"}
    customer = register(client)["customer"]
    for number, total in enumerate(["0.10", "0.20", "12.00"]):
        order = {"orderId": f"A-{number}", "total": total, "currency": "USD", "completedAt": "2026-11-26T10:00:00Z"}
        assert client.post(f"{INTERNAL}/{customer['id']}/orders", json=order, headers=headers).status_code == 200

    by_email = run_json(cli, "customers", "metrics", customer["email"])
    for_humans = cli("customers", "metrics", customer["id"])

    assert by_email == {"id": customer["id"], "totalOrders": 3, "totalSpent": 12.3, "loyaltyPoints": 12}
    assert for_humans.exit_code == 0 and "totalSpent: 12.30" in for_humans.stdout
    assert cli("customers", "metrics", "nobody@example.com").exit_code == 3
