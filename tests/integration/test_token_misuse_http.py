"""Emailed tokens misused, as a client sees it over real HTTP: a token that
is no good is a 400 TOKEN_INVALID on every route that takes one (not the
401 of a bad refresh token), and a token that is not a string a 422. Which
tokens are no good (replayed, for another purpose, superseded, outdated by
a password change, expired, ...) is tested at service level in
tests/unit/test_emailed_token_misuse.py; how the bodies are decoded in
tests/unit/test_auth_request_bodies.py."""

from __future__ import annotations

import secrets

from tests.support import API, assert_problem

AUTH = f"{API}/auth"
BODIES = {
    "/verify-email": {},
    "/password/reset": {"newPassword": "a brand new passphrase"},
    "/email/confirm": {},
}


def test_a_token_that_is_no_good_is_a_400_token_invalid_on_every_route(client):
    for route, body in BODIES.items():
        response = client.post(f"{AUTH}{route}", json={**body, "token": secrets.token_urlsafe(32)})

        assert_problem(response, 400, "TOKEN_INVALID")
        assert "www-authenticate" not in response.headers, route


def test_a_token_that_is_not_a_string_is_a_422_naming_it(client):
    response = client.post(f"{AUTH}/verify-email", json={"token": {"$ne": None}})

    problem = assert_problem(response, 422, "VALIDATION_ERROR")
    assert [error["field"] for error in problem["errors"]] == ["token"]
