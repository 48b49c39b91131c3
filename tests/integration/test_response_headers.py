"""Headers that only HTTP shows: no caching of what carries tokens or
personal data, no content sniffing, Allow on what a path does not answer,
and a docs page that needs no internet access."""

import re

import pytest

from tests.support import API, bearer, register

PERSONAL = [
    ("POST", f"{API}/auth/login", {"email": "nobody@example.com", "password": "wrong password"}),
    ("POST", f"{API}/auth/register", {"email": "not an email"}),
    ("GET", f"{API}/me", None),
    ("GET", f"{API}/addresses", None),
    ("GET", f"{API}/no-such-route", None),
]


@pytest.mark.parametrize(("method", "path", "body"), PERSONAL)
def test_answers_under_the_api_are_never_cached(client, method, path, body):
    response = client.request(method, path, json=body)

    assert response.headers["cache-control"] == "no-store"
    assert response.headers["x-content-type-options"] == "nosniff"


def test_answers_that_carry_tokens_or_a_profile_are_never_cached(client):
    registered = client.post(
        f"{API}/auth/register",
        json={
            "email": "cache@example.com",
            "password": "correct horse battery staple",
            "firstName": "A",
            "lastName": "B",
        },
    )
    me = client.get(f"{API}/me", headers=bearer(registered.json()["tokens"]))

    assert (registered.status_code, me.status_code) == (201, 200)
    assert registered.headers["cache-control"] == me.headers["cache-control"] == "no-store"


@pytest.mark.parametrize("path", ["/health/live", "/.well-known/jwks.json", "/schema/openapi.json", "/nowhere"])
def test_every_answer_refuses_content_sniffing(client, path):
    response = client.get(path)

    assert response.headers["x-content-type-options"] == "nosniff"
    assert "no-store" not in response.headers.get("cache-control", "")


@pytest.mark.parametrize(
    ("path", "allowed"),
    [
        (f"{API}/me", {"GET", "PATCH", "DELETE", "OPTIONS"}),
        (f"{API}/addresses/0123456789abcdef01234567", {"GET", "PATCH", "DELETE", "OPTIONS"}),
        (f"{API}/auth/login", {"POST", "OPTIONS"}),
    ],
)
def test_options_and_405_name_every_method_of_the_path(client, path, allowed):
    options = client.options(path)
    wrong = client.put(path, json={})

    assert options.status_code == 204
    assert set(options.headers["allow"].split(", ")) == allowed
    assert wrong.status_code == 405
    assert set(wrong.headers["allow"].split(", ")) == allowed


def test_the_docs_page_loads_every_asset_from_the_service_itself(client):
    page = client.get("/schema/swagger")
    assets = re.findall(r"""(?:src|href)=["']([^"']+)["']""", page.text)

    assert page.status_code == 200
    assert {asset.rsplit("/", 1)[-1] for asset in assets} >= {"swagger-ui-bundle.js", "swagger-ui.css"}
    for asset in assets:
        assert asset.startswith("/schema/assets/"), asset
        assert client.get(asset).status_code == 200, asset


def test_a_token_is_not_needed_to_ask_what_a_path_allows(client):
    tokens = register(client)["tokens"]

    assert client.options(f"{API}/me").status_code == 204
    assert client.options(f"{API}/me", headers=bearer(tokens)).status_code == 204
