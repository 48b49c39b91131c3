from tests.support import API, bearer, register

ADDRESSES = f"{API}/addresses"
HOME = {"firstName": "Ada", "lastName": "Lovelace", "street": "1600 Amphitheatre Pkwy", "city": "Mountain View",
        "state": "california", "postalCode": "94043", "country": "us"}  # fmt: skip


def test_first_address_becomes_both_defaults_and_is_normalised(client):
    headers = bearer(register(client)["tokens"])
    created = client.post(ADDRESSES, json=HOME, headers=headers)

    assert created.status_code == 201, created.text
    body = created.json()
    assert (body["country"], body["state"], body["postalCode"]) == ("US", "CA", "94043")
    assert body["isDefaultShipping"] and body["isDefaultBilling"]
    assert client.get(ADDRESSES, headers=headers).json()["items"] == [body]
