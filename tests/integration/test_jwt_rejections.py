"""Access tokens that must not get in, as a client sends them over HTTP,
and the published keys that verify the ones that should. Tokens are minted
here the way the app mints them: EdDSA over the claims, headers kid and typ
at+jwt. These are a few representatives: the adapter refuses many more
forgeries in tests/unit/test_access_tokens.py and
test_access_token_rejections.py, and which sessions a genuine token may name
is tested in tests/unit/test_session_flows.py."""

from __future__ import annotations

import base64
import datetime as dt
import json
import secrets
from typing import Any

import jwt
import pytest

from adapters.security import key_files
from adapters.security.keys import KeyRing, SigningKey
from tests.support import API, PASSWORD, assert_problem, bearer, register

ME = f"{API}/me"


def b64(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode()


def segment(value: dict[str, Any]) -> str:
    return b64(json.dumps(value).encode())


def unverified_claims(token: str) -> dict[str, Any]:
    return jwt.decode(token, options={"verify_signature": False})


def mint(claims: dict[str, Any], key: SigningKey) -> str:
    return jwt.encode(claims, key.private_key, algorithm="EdDSA", headers={"kid": key.kid, "typ": "at+jwt"})


def get_me(client, token: str):
    return client.get(ME, headers={"Authorization": f"Bearer {token}"})


@pytest.fixture
def key(app) -> SigningKey:
    return KeyRing(app.wiring.settings.signing_keys_dir).signing_key()


@pytest.fixture
def tokens(client) -> dict[str, Any]:
    return register(client)["tokens"]


@pytest.fixture
def claims(tokens) -> dict[str, Any]:
    """Claims of a live session, freshly timed."""
    now = int(dt.datetime.now(dt.UTC).timestamp())
    return {**unverified_claims(tokens["accessToken"]), "iat": now, "exp": now + 600, "jti": secrets.token_urlsafe(16)}


def assert_rejected(client, token: str) -> None:
    response = get_me(client, token)
    assert_problem(response, 401, "UNAUTHENTICATED")
    assert response.headers["www-authenticate"].startswith("Bearer ")


def test_a_token_minted_with_the_apps_key_for_a_live_session_is_accepted(client, key, claims):
    response = get_me(client, mint(claims, key))

    assert response.status_code == 200, response.text
    assert response.json()["id"] == claims["sub"]


def test_alg_none_is_a_401(client, key, claims):
    header = {"alg": "none", "typ": "at+jwt", "kid": key.kid}

    assert_rejected(client, f"{segment(header)}.{segment(claims)}.")


def test_a_tampered_payload_is_a_401_and_the_genuine_token_still_works(client, tokens):
    other_customer = register(client)["customer"]["id"]
    header, payload, signature = tokens["accessToken"].split(".")
    claims = {**unverified_claims(tokens["accessToken"]), "sub": other_customer}

    assert_rejected(client, f"{header}.{segment(claims)}.{signature}")
    assert get_me(client, tokens["accessToken"]).status_code == 200


def test_an_expired_token_is_a_401(client, key, claims):
    now = int(dt.datetime.now(dt.UTC).timestamp())

    assert_rejected(client, mint({**claims, "iat": now - 7200, "exp": now - 120}, key))


# --- JWKS -------------------------------------------------------------------


def verify_with_jwks(client, settings, token: str) -> dict[str, Any]:
    response = client.get("/.well-known/jwks.json")
    assert response.status_code == 200
    keys = {jwk["kid"]: jwk for jwk in response.json()["keys"]}
    jwk = jwt.PyJWK(keys[jwt.get_unverified_header(token)["kid"]])
    return jwt.decode(token, jwk.key, algorithms=["EdDSA"], audience=settings.token_audience, issuer=settings.issuer)


def test_the_published_key_verifies_a_real_access_token(app, key, tokens):
    response = app.client.get("/.well-known/jwks.json")

    assert response.status_code == 200
    [jwk] = response.json()["keys"]
    assert {k: jwk[k] for k in ("kty", "crv", "kid", "alg", "use")} == {
        "kty": "OKP",
        "crv": "Ed25519",
        "kid": key.kid,
        "alg": "EdDSA",
        "use": "sig",
    }
    assert "d" not in jwk
    claims = verify_with_jwks(app.client, app.wiring.settings, tokens["accessToken"])
    assert claims == unverified_claims(tokens["accessToken"])


def test_after_rotation_both_keys_are_published_and_old_and_new_tokens_work(app, key, tokens, monkeypatch):
    monkeypatch.setattr(key_files, "RESCAN_SECONDS", 0)  # rotations are otherwise seen within a second
    settings = app.wiring.settings
    # One second on, so the new kid sorts after the first one.
    later = dt.datetime.now(dt.UTC) + dt.timedelta(seconds=1)
    rotated = KeyRing(settings.signing_keys_dir).rotate(later, retire_after=dt.timedelta(days=1))

    published = [jwk["kid"] for jwk in app.client.get("/.well-known/jwks.json").json()["keys"]]
    assert sorted(published) == sorted([key.kid, rotated.kid])

    customer = app.client.get(ME, headers=bearer(tokens)).json()
    new = app.client.post(f"{API}/auth/login", json={"email": customer["email"], "password": PASSWORD}).json()["tokens"]
    assert jwt.get_unverified_header(new["accessToken"])["kid"] == rotated.kid
    for token in (tokens["accessToken"], new["accessToken"]):
        assert get_me(app.client, token).json()["id"] == customer["id"]
        verify_with_jwks(app.client, settings, token)


def test_a_retired_key_no_longer_verifies_its_tokens(app, key, tokens, monkeypatch):
    monkeypatch.setattr(key_files, "RESCAN_SECONDS", 0)  # rotations are otherwise seen within a second
    later = dt.datetime.now(dt.UTC) + dt.timedelta(seconds=1)
    KeyRing(app.wiring.settings.signing_keys_dir).rotate(later, retire_after=dt.timedelta(0))

    published = [jwk["kid"] for jwk in app.client.get("/.well-known/jwks.json").json()["keys"]]
    assert key.kid not in published
    assert_rejected(app.client, tokens["accessToken"])
