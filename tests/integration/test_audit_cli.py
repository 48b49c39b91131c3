"""``audit list`` against the store, and the operator's name on what the CLI does."""

import json

from tests.support import register, unique_email


def audit(cli, *args):
    result = cli("audit", "list", "--json", *args)
    assert result.exit_code == 0, result.output
    return json.loads(result.stdout)


def test_audit_list_shows_a_customers_entries_and_the_operator_of_cli_actions(client, cli):
    email = unique_email()
    register(client, email=email)
    assert cli("customers", "disable", email, "--operator", "alice").exit_code == 0

    listed = audit(cli, "--customer", email, "--operator", "bob")

    types = [(item["type"], item["actor"], item["operator"]) for item in listed["items"]]
    assert types[0] == ("audit_viewed", "admin", "bob")
    assert ("account_disabled", "admin", "alice") in types
    assert ("registered", "customer", None) in types
    assert {item["customerId"] for item in listed["items"]} == {listed["items"][0]["customerId"]}


def test_audit_list_filters_by_type_and_time_and_pages(client, cli):
    for _ in range(3):
        register(client)

    page = audit(cli, "--type", "registered", "--limit", "2", "--since", "2000-01-01")
    rest = audit(cli, "--type", "registered", "--before", page["nextBefore"])

    assert [item["type"] for item in page["items"] + rest["items"]] == ["registered"] * 3
    assert audit(cli, "--type", "registered", "--since", "2999-01-01T00:00Z")["items"] == []


def test_audit_list_refuses_unknown_types_and_times(cli):
    for args in (["--type", "nope"], ["--since", "yesterday"], ["--before", "x"]):
        result = cli("audit", "list", *args)
        assert result.exit_code == 2, result.output


def test_the_text_form_is_one_line_an_entry(client, cli):
    register(client)

    lines = cli("audit", "list", "--type", "registered").stdout.splitlines()

    assert len(lines) == 1 and "registered" in lines[0] and "customer" in lines[0]


def test_key_and_outbox_commands_are_recorded_with_their_operator(cli):
    commands = [
        ("keys", "rotate"),
        ("keys", "rotate-data-key"),
        ("outbox", "status"),
        ("outbox", "dead"),
    ]
    for command in commands:
        result = cli(*command, "--operator", "carol")
        assert result.exit_code == 0, result.output

    recorded = [(item["type"], item["operator"]) for item in audit(cli, "--operator", "dave")["items"]]

    assert recorded[1:5] == [
        ("outbox_viewed", "carol"),
        ("outbox_viewed", "carol"),
        ("data_key_rotated", "carol"),
        ("signing_key_rotated", "carol"),
    ]
