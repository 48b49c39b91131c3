import datetime as dt
import json
import os
import subprocess
import sys
from pathlib import Path

import jwt
import pytest

from adapters.security import key_files
from tests.support import (
    API,
    LEGACY_PASSWORD,
    PASSWORD,
    assert_problem,
    bearer,
    cli_error,
    free_port,
    legacy_export_line,
    legacy_hash,
    register,
    unique_email,
)

AUTH = f"{API}/auth"


def run_json(cli, *args):
    result = cli(*args, "--json")
    assert result.exit_code == 0, result.output
    return json.loads(result.stdout)


def login(client, email, password=PASSWORD):
    return client.post(f"{AUTH}/login", json={"email": email, "password": password})


def test_list_prints_each_customer_with_its_state(client, cli):
    customers = [register(client)["customer"] for _ in range(3)]

    result = cli("customers", "list")

    assert result.exit_code == 0, result.output
    lines = result.stdout.splitlines()
    assert len(lines) == 3
    for customer, line in zip(customers, lines, strict=True):
        assert line.split() == [customer["id"], customer["email"], "active"]


def test_list_as_json_gives_items_and_no_next_page_when_all_fit(client, cli):
    registered = [register(client)["customer"] for _ in range(2)]

    listed = run_json(cli, "customers", "list")

    assert listed["nextAfter"] is None
    assert [item["id"] for item in listed["items"]] == [c["id"] for c in registered]
    first = listed["items"][0]
    assert first["email"] == registered[0]["email"]
    assert first["firstName"] == "Ada" and first["isActive"] is True and first["lockedUntil"] is None
    assert "passwordHash" not in first and "password_hash" not in first


def test_list_of_no_customers_is_empty(cli):
    assert run_json(cli, "customers", "list") == {"items": [], "nextAfter": None}
    assert cli("customers", "list").stdout == "no customers\n"
    assert cli("customers", "list", "--email-prefix", "zed").stdout == "no customers with an email starting 'zed'\n"


def test_list_filters_by_email_prefix_in_any_case(client, cli):
    alphas = {register(client, email=unique_email("alpha"))["customer"]["id"] for _ in range(2)}
    register(client, email=unique_email("beta"))

    listed = run_json(cli, "customers", "list", "--email-prefix", "ALPHA")

    assert {item["id"] for item in listed["items"]} == alphas


def test_paging_walks_every_customer_exactly_once(client, cli):
    ids = [register(client)["customer"]["id"] for _ in range(5)]
    seen, after, pages = [], None, 0

    while True:
        args = ["customers", "list", "--limit", "2"] + (["--after", after] if after else [])
        page = run_json(cli, *args)
        pages += 1
        seen += [item["id"] for item in page["items"]]
        after = page["nextAfter"]
        if after is None:
            break
        assert after == page["items"][-1]["id"]

    assert seen == sorted(ids)
    assert pages == 3


def test_text_listing_tells_how_to_get_the_next_page(client, cli):
    first = register(client)["customer"]
    register(client)

    result = cli("customers", "list", "--limit", "1")

    assert result.exit_code == 0
    assert result.stdout.splitlines()[-1] == f"-- more: --after {first['id']}"


@pytest.mark.parametrize("limit", ["0", "1001", "many"])
def test_an_invalid_limit_is_a_usage_error(cli, limit):
    result = cli("customers", "list", "--limit", limit)

    assert result.exit_code == 2
    assert "--limit" in result.stderr


def test_a_malformed_after_id_is_a_usage_error(cli):
    result = cli("customers", "list", "--after", "not-an-id")

    assert result.exit_code == 2
    assert "after: must be a customer id" in result.stderr


def test_show_finds_a_customer_by_id_or_email_in_any_case(client, cli):
    customer = register(client, email=unique_email("show"))["customer"]

    by_id = run_json(cli, "customers", "show", customer["id"])
    by_email = run_json(cli, "customers", "show", customer["email"].upper())
    by_padded_email = run_json(cli, "customers", "show", f"  {customer['email'].title()} ")

    assert by_id == by_email == by_padded_email
    assert by_id["id"] == customer["id"]
    assert by_id["email"] == customer["email"]
    assert by_id["isActive"] is True
    assert by_id["lastLogin"] is None


def test_show_prints_fields_as_text(client, cli):
    customer = register(client)["customer"]

    result = cli("customers", "show", customer["id"])

    assert result.exit_code == 0
    assert f"email: {customer['email']}" in result.stdout
    assert f"id: {customer['id']}" in result.stdout


@pytest.mark.parametrize("command", ["show", "disable", "enable"])
@pytest.mark.parametrize(
    "who", ["0123456789abcdef01234567", "nobody@example.com", "not-an-id-or-email", "bad@@example"]
)
def test_an_unknown_customer_exits_3_with_a_message(client, cli, command, who):
    register(client)

    result = cli("customers", command, who)

    assert result.exit_code == 3
    assert result.stdout == ""
    assert who in cli_error(result)


def test_revoking_the_sessions_of_an_unknown_customer_exits_3(cli):
    result = cli("sessions", "revoke", "nobody@example.com")

    assert result.exit_code == 3
    assert "nobody@example.com" in result.stderr


def test_disable_locks_the_customer_out_at_once(client, cli):
    registered = register(client)
    email = registered["customer"]["email"]

    result = cli("customers", "disable", email.upper())

    assert result.exit_code == 0, result.output
    assert registered["customer"]["id"] in result.stdout
    assert_problem(client.get(f"{API}/me", headers=bearer(registered["tokens"])), 401, "UNAUTHENTICATED")
    refresh = client.post(f"{AUTH}/refresh", json={"refreshToken": registered["tokens"]["refreshToken"]})
    assert_problem(refresh, 401, "TOKEN_INVALID")
    assert_problem(login(client, email), 403, "ACCOUNT_DISABLED")
    assert_problem(login(client, email, "not the password"), 401, "INVALID_CREDENTIALS")
    assert run_json(cli, "customers", "show", email)["isActive"] is False
    assert cli("customers", "list").stdout.split()[-1] == "DISABLED"


def test_disable_leaves_other_customers_alone(client, cli):
    disabled = register(client)
    other = register(client)

    assert cli("customers", "disable", disabled["customer"]["id"]).exit_code == 0

    assert client.get(f"{API}/me", headers=bearer(other["tokens"])).status_code == 200
    assert login(client, other["customer"]["email"]).status_code == 200


def test_enable_lets_a_disabled_customer_log_in_again(client, cli):
    registered = register(client)
    email = registered["customer"]["email"]
    assert cli("customers", "disable", email).exit_code == 0

    result = cli("customers", "enable", registered["customer"]["id"])

    assert result.exit_code == 0, result.output
    assert "enabled" in result.stdout
    logged_in = login(client, email)
    assert logged_in.status_code == 200, logged_in.text
    assert client.get(f"{API}/me", headers=bearer(logged_in.json()["tokens"])).status_code == 200
    assert run_json(cli, "customers", "show", email)["isActive"] is True


def test_enable_lifts_a_lockout(make_app, settings, cli):
    app = make_app(settings_changes={"lockout_threshold": 2})
    email = register(app.client)["customer"]["email"]
    for _ in range(2):
        app.client.post(f"{API}/auth/login", json={"email": email, "password": "not the password"})
    assert run_json(cli, "customers", "show", email)["lockedUntil"] is not None

    assert cli("customers", "enable", email).exit_code == 0

    assert run_json(cli, "customers", "show", email)["lockedUntil"] is None
    assert login(app.client, email).status_code == 200


def test_revoking_sessions_ends_every_session_and_counts_them(client, cli):
    registered = register(client)
    email = registered["customer"]["email"]
    tokens = [registered["tokens"], login(client, email).json()["tokens"], login(client, email).json()["tokens"]]
    bystander = register(client)

    result = cli("sessions", "revoke", email)

    assert result.exit_code == 0, result.output
    assert result.stdout.strip() == "ended 3 session(s)"
    for pair in tokens:
        assert_problem(client.get(f"{API}/me", headers=bearer(pair)), 401, "UNAUTHENTICATED")
    assert client.get(f"{API}/me", headers=bearer(bystander["tokens"])).status_code == 200
    assert login(client, email).status_code == 200
    assert cli("sessions", "revoke", registered["customer"]["id"]).stdout.strip() == "ended 1 session(s)"


def test_keys_list_shows_the_one_signing_key(app, client, cli):
    keys = run_json(cli, "keys", "list")

    assert len(keys) == 1
    assert keys[0]["status"] == "signing"
    assert keys[0]["retiresAt"] is None
    served = client.get("/.well-known/jwks.json").json()["keys"]
    assert [key["kid"] for key in served] == [keys[0]["kid"]]


def test_rotating_keys_keeps_the_old_one_verifying_until_tokens_expire(app, client, cli, settings, monkeypatch):
    monkeypatch.setattr(key_files, "RESCAN_SECONDS", 0)  # the service sees a rotation within a second
    before = register(client)
    old_kid = run_json(cli, "keys", "list")[0]["kid"]

    result = cli("keys", "rotate")

    assert result.exit_code == 0, result.output
    keys = run_json(cli, "keys", "list")
    assert [key["kid"] for key in keys][0] == old_kid
    assert [key["status"] for key in keys] == ["verifying", "signing"]
    new_kid = keys[1]["kid"]
    assert new_kid in result.stdout
    retires = dt.datetime.fromisoformat(keys[0]["retiresAt"])
    assert retires == dt.datetime.fromisoformat(keys[1]["createdAt"]) + settings.access_ttl
    assert keys[1]["retiresAt"] is None
    assert client.get(f"{API}/me", headers=bearer(before["tokens"])).status_code == 200
    after = register(client)["tokens"]["accessToken"]
    assert jwt.get_unverified_header(after)["kid"] == new_kid
    assert {key["kid"] for key in client.get("/.well-known/jwks.json").json()["keys"]} == {old_kid, new_kid}


def test_keys_list_without_keys_says_how_to_make_one(cli, tmp_path):
    empty = str(tmp_path / "empty")

    result = cli("keys", "list", CS_DATA_DIR=empty)
    as_json = cli("keys", "list", "--json", CS_DATA_DIR=empty)

    assert result.exit_code == 0
    assert "no keys yet" in result.stdout
    assert json.loads(as_json.stdout) == []


@pytest.mark.parametrize(
    ("variable", "value"),
    [("CS_PORT", "abc"), ("CS_PORT", "70000"), ("CS_BCRYPT_ROUNDS", "0"), ("CS_PUBLIC_URL", "ftp://x")],
)
@pytest.mark.parametrize("command", [["customers", "list"], ["keys", "list"], ["sessions", "revoke", "a@example.com"]])
def test_an_invalid_setting_exits_2_naming_the_variable(cli, command, variable, value):
    result = cli(*command, **{variable: value})

    assert result.exit_code == 2
    assert variable in result.stderr
    assert result.stdout == ""


def test_an_unreachable_store_exits_4_with_a_message(cli):
    uri = f"mongodb://127.0.0.1:{free_port()}/?serverSelectionTimeoutMS=300&connectTimeoutMS=300"

    result = cli("customers", "list", CS_MONGODB_URI=uri)

    assert result.exit_code == 4, result.output
    assert cli_error(result)
    assert "Traceback" not in result.output


def test_the_installed_console_script_shows_help():
    script = Path(sys.executable).parent / "customer-service"

    completed = subprocess.run([str(script), "--help"], capture_output=True, text=True, timeout=60, check=False)

    assert completed.returncode == 0, completed.stderr
    for command in ("serve", "customers", "sessions", "keys"):
        assert command in completed.stdout


def test_each_command_says_on_stderr_which_store_it_uses(cli):
    result = cli("customers", "list", "--json")

    assert result.stderr.startswith("store: MongoDB at mongodb://127.0.0.1:")
    assert json.loads(result.stdout) == {"items": [], "nextAfter": None}


def test_a_command_where_no_store_is_refuses_to_start_an_empty_one(cli, tmp_path):
    elsewhere = tmp_path / "elsewhere"

    result = cli("customers", "show", "ada@example.com", CS_MONGODB_URI="", CS_DATA_DIR=str(elsewhere))

    assert result.exit_code == 4
    assert f"store: the embedded store in {elsewhere.resolve()}" in result.stderr
    assert "no store in" in cli_error(result) and "CS_DATA_DIR" in cli_error(result)
    assert not (elsewhere / "db").exists()


@pytest.mark.slow
@pytest.mark.skipif(bool(os.environ.get("CS_TEST_MONGODB_URI")), reason="runs the embedded store itself")
def test_an_import_starts_a_new_store_where_there_is_none(cli, tmp_path):
    export = tmp_path / "customers.json"
    export.write_bytes(legacy_export_line(1, "first@example.com", legacy_hash("2b", 4, LEGACY_PASSWORD)))
    fresh = {"CS_MONGODB_URI": "", "CS_DATA_DIR": str(tmp_path / "new")}

    imported = cli("customers", "import", str(export), **fresh)
    listed = cli("customers", "list", "--json", **fresh)

    assert imported.exit_code == 0, imported.output
    assert [item["email"] for item in json.loads(listed.stdout)["items"]] == ["first@example.com"]


def test_the_store_named_for_a_replica_set_address_has_no_credentials(cli, settings):
    uri = "mongodb://ada:secret@127.0.0.1:1,127.0.0.1:2/?replicaSet=rs0&serverSelectionTimeoutMS=200"

    result = cli("customers", "list", CS_MONGODB_URI=uri)

    assert result.stderr.startswith("store: MongoDB at mongodb://127.0.0.1:1,127.0.0.1:2, database ")
    assert "secret" not in result.output and "Traceback" not in result.output
    assert result.exit_code == 4


@pytest.mark.parametrize(
    ("env", "said"),
    [
        ({"CS_EVENTS_URL": "https://receiver.internal/hooks"}, "CS_EVENTS_URL and CS_EVENTS_SECRET go together"),
        (
            {"CS_EVENTS_URL": "https://receiver.internal/hooks", "CS_EVENTS_SECRET": "whsec_bm90IGEga2V5"},
            "CS_EVENTS_SECRET must be 24 to 64 random bytes",
        ),
    ],
)
def test_customer_events_half_configured_or_with_a_weak_secret_stop_with_exit_code_2(cli, env, said):
    result = cli("outbox", "status", **env)

    assert result.exit_code == 2
    assert said in cli_error(result)
    assert "bm90IGEga2V5" not in result.output + result.stderr
