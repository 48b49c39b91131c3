import json

import pytest

from tests.support import API, bearer, cli_error, register, unique_email

ADDRESSES = f"{API}/addresses"
US = {"firstName": "Ada", "lastName": "Lovelace", "street": "1600 Amphitheatre Pkwy", "city": "Mountain View",
      "state": "CA", "postalCode": "94043", "country": "US"}  # fmt: skip
GB = {"type": "work", "label": "Office", "firstName": "Grace", "lastName": "Hopper", "company": "ACME",
      "street": "10 Downing St", "street2": "Floor 2", "city": "London", "postalCode": "SW1A 2AA", "country": "GB",
      "phone": "+442079460958"}  # fmt: skip


def run_json(cli, *args):
    result = cli(*args, "--json")
    assert result.exit_code == 0, result.output
    return json.loads(result.stdout)


@pytest.fixture
def book(client):
    """A customer with three addresses: the first is the shipping default,
    the last the billing default, the middle one neither."""
    registered = register(client)
    auth = bearer(registered["tokens"])
    responses = [client.post(ADDRESSES, json=body, headers=auth) for body in (US, GB, US)]
    assert [r.status_code for r in responses] == [201] * 3
    created = [r.json() for r in responses]
    moved = client.patch(f"{ADDRESSES}/{created[2]['id']}", json={"isDefaultBilling": True}, headers=auth)
    assert moved.status_code == 200, moved.text
    items = client.get(ADDRESSES, headers=auth).json()["items"]
    return registered["customer"], items


def test_list_as_json_gives_the_api_representation_defaults_first_with_the_owner(cli, book):
    customer, items = book

    rows = run_json(cli, "addresses", "list", customer["email"])

    assert rows == [{"customerId": customer["id"], **item} for item in items]
    assert [(row["isDefaultShipping"], row["isDefaultBilling"]) for row in rows] == [
        (True, False),
        (False, True),
        (False, False),
    ]
    assert run_json(cli, "addresses", "list", customer["id"]) == rows
    assert run_json(cli, "addresses", "list", customer["email"].upper()) == rows


def test_list_prints_one_line_per_address_marking_defaults(cli, book):
    customer, items = book

    result = cli("addresses", "list", customer["email"])

    assert result.exit_code == 0, result.output
    lines = result.stdout.splitlines()
    assert [line.split()[0] for line in lines] == [item["id"] for item in items]
    assert lines[0].endswith("[default shipping]")
    assert lines[1].endswith("[default billing]")
    assert "[default" not in lines[2]
    assert "10 Downing St, London, SW1A 2AA, GB" in lines[2]
    assert lines[2].split()[1] == "work"


def test_a_customer_without_addresses_has_an_empty_list(client, cli):
    customer = register(client)["customer"]

    assert run_json(cli, "addresses", "list", customer["email"]) == []
    result = cli("addresses", "list", customer["id"])
    assert result.exit_code == 0
    assert result.stdout.strip() == "no addresses"


def test_show_as_json_gives_any_customers_address(cli, book):
    customer, items = book
    address = items[2]

    shown = run_json(cli, "addresses", "show", address["id"])

    assert shown == {"customerId": customer["id"], **address}
    assert run_json(cli, "addresses", "show", address["id"].upper()) == shown


def test_show_prints_each_field_on_its_own_line(cli, book):
    _, items = book
    address = items[0]

    result = cli("addresses", "show", address["id"])

    assert result.exit_code == 0, result.output
    lines = {key.strip(): value.strip() for key, value in (line.split(":", 1) for line in result.stdout.splitlines())}
    assert lines["id"] == address["id"]
    assert lines["street"] == address["street"]
    assert (lines["isDefaultShipping"], lines["isDefaultBilling"]) == ("true", "false")
    assert lines["street2"] == "null"


@pytest.mark.parametrize("who", ["nobody@example.com", "0123456789abcdef01234567", "not-a-customer"])
def test_listing_an_unknown_customer_exits_3(cli, who):
    result = cli("addresses", "list", who)

    assert result.exit_code == 3
    assert who in cli_error(result)


@pytest.mark.parametrize("address_id", ["0123456789abcdef01234567", "nope", "123"])
def test_showing_an_unknown_address_exits_3(cli, address_id):
    result = cli("addresses", "show", address_id)

    assert result.exit_code == 3
    assert address_id in cli_error(result)
    assert result.stdout == ""


def test_a_deleted_address_is_not_shown(client, cli):
    auth = bearer(register(client, email=unique_email())["tokens"])
    response = client.post(ADDRESSES, json=US, headers=auth)
    assert response.status_code == 201, response.text
    address = response.json()
    assert client.delete(f"{ADDRESSES}/{address['id']}", headers=auth).status_code == 204

    assert cli("addresses", "show", address["id"]).exit_code == 3
