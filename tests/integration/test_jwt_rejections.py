"""Access tokens that must not get in, and the published keys that verify
the ones that should. Tokens are minted here the way the app mints them:
EdDSA over the claims, headers kid and typ at+jwt."""

from __future__ import annotations

import base64
import datetime as dt
import hashlib
import hmac
import json
import secrets
from typing import Any

import jwt
import pytest
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey

from adapters.security.keys import KeyRing, SigningKey
from tests.support import API, PASSWORD, assert_problem, bearer, register

ME = f"{API}/me"


def b64(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode()


def segment(value: dict[str, Any]) -> str:
    return b64(json.dumps(value).encode())


def unverified_claims(token: str) -> dict[str, Any]:
    return jwt.decode(token, options={"verify_signature": False})


def mint(
    claims: dict[str, Any],
    key: SigningKey,
    *,
    private_key: Ed25519PrivateKey | None = None,
    headers: dict[str, Any] | None = None,
) -> str:
    """``headers`` override the app's; a kid of None leaves kid out, a typ of None leaves typ out."""
    header = {"kid": key.kid, "typ": "at+jwt", **(headers or {})}
    if header["kid"] is None:
        del header["kid"]
    return jwt.encode(claims, private_key or key.private_key, algorithm="EdDSA", headers=header)


def hs256(header: dict[str, Any], claims: dict[str, Any], secret: bytes) -> str:
    signing_input = f"{segment(header)}.{segment(claims)}"
    signature = hmac.new(secret, signing_input.encode(), hashlib.sha256).digest()
    return f"{signing_input}.{b64(signature)}"


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


def test_issued_access_tokens_carry_the_expected_header_and_claims(app, key, tokens):
    token = tokens["accessToken"]
    settings = app.wiring.settings

    assert jwt.get_unverified_header(token) == {"alg": "EdDSA", "typ": "at+jwt", "kid": key.kid}
    claims = unverified_claims(token)
    assert set(claims) == {"iss", "sub", "aud", "exp", "iat", "jti", "sid"}
    assert (claims["iss"], claims["aud"]) == (settings.issuer, settings.token_audience)
    assert claims["exp"] - claims["iat"] == 86400


def test_alg_none_is_rejected(client, key, claims):
    header = {"alg": "none", "typ": "at+jwt", "kid": key.kid}

    for signature in ["", b64(b"anything")]:
        assert_rejected(client, f"{segment(header)}.{segment(claims)}.{signature}")


@pytest.mark.parametrize(
    "secret",
    [
        lambda key: key.public_key.public_bytes(
            serialization.Encoding.PEM, serialization.PublicFormat.SubjectPublicKeyInfo
        ),
        lambda key: key.public_key.public_bytes(serialization.Encoding.Raw, serialization.PublicFormat.Raw),
        lambda key: key.public_jwk()["x"].encode(),
    ],
    ids=["pem", "raw", "jwk-x"],
)
def test_hs256_signed_with_the_public_key_is_rejected(client, key, claims, secret):
    header = {"alg": "HS256", "typ": "at+jwt", "kid": key.kid}

    assert_rejected(client, hs256(header, claims, secret(key)))


def test_a_token_signed_by_another_key_under_the_real_kid_is_rejected(client, key, claims):
    assert_rejected(client, mint(claims, key, private_key=Ed25519PrivateKey.generate()))


@pytest.mark.parametrize("kid", ["unknown-kid", "", "../keys/" + "x", None])
def test_a_token_with_an_unknown_or_missing_kid_is_rejected(client, key, claims, kid):
    assert_rejected(client, mint(claims, key, headers={"kid": kid}))


def test_an_expired_token_is_rejected(client, key, claims):
    now = int(dt.datetime.now(dt.UTC).timestamp())

    assert_rejected(client, mint({**claims, "iat": now - 7200, "exp": now - 120}, key))


def test_a_token_issued_in_the_future_is_rejected(client, key, claims):
    now = int(dt.datetime.now(dt.UTC).timestamp())

    assert_rejected(client, mint({**claims, "iat": now + 3600, "exp": now + 7200}, key))


@pytest.mark.parametrize("missing", ["iss", "sub", "aud", "exp", "iat", "jti", "sid"])
def test_a_token_missing_a_required_claim_is_rejected(client, key, claims, missing):
    del claims[missing]

    assert_rejected(client, mint(claims, key))


@pytest.mark.parametrize(
    "changes",
    [
        {"iss": "https://evil.example.com"},
        {"aud": "some-other-service"},
        {"aud": ["some-other-service"]},
        {"exp": "never"},
        {"sid": 12345},
    ],
    ids=["wrong-iss", "wrong-aud", "wrong-aud-list", "exp-not-a-number", "sid-not-a-string"],
)
def test_a_token_with_a_wrong_claim_is_rejected(client, key, claims, changes):
    assert_rejected(client, mint({**claims, **changes}, key))


@pytest.mark.parametrize("typ", ["JWT", "at+JWT ", "refresh", None])
def test_a_token_with_the_wrong_typ_header_is_rejected(client, key, claims, typ):
    assert_rejected(client, mint(claims, key, headers={"typ": typ}))


def test_a_refresh_token_is_not_an_access_token(client, tokens):
    assert_rejected(client, tokens["refreshToken"])


def test_a_tampered_payload_is_rejected(client, tokens):
    other_customer = register(client)["customer"]["id"]
    header, payload, signature = tokens["accessToken"].split(".")
    claims = {**unverified_claims(tokens["accessToken"]), "sub": other_customer}

    assert_rejected(client, f"{header}.{segment(claims)}.{signature}")
    assert get_me(client, tokens["accessToken"]).status_code == 200


def test_a_genuine_token_naming_another_customers_session_is_rejected(client, key, claims):
    other = register(client)["tokens"]

    assert_rejected(client, mint({**claims, "sid": unverified_claims(other["accessToken"])["sid"]}, key))


def test_a_token_for_a_session_that_was_logged_out_is_rejected(client, key, tokens, claims):
    assert client.post(f"{API}/auth/logout", headers=bearer(tokens)).status_code == 204

    assert_rejected(client, tokens["accessToken"])
    assert_rejected(client, mint(claims, key))


def test_a_token_for_a_session_that_never_existed_is_rejected(client, key, claims):
    assert_rejected(client, mint({**claims, "sid": secrets.token_hex(12)}, key))


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


def test_after_rotation_both_keys_are_published_and_old_and_new_tokens_work(app, key, tokens):
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


def test_a_retired_key_no_longer_verifies_its_tokens(app, key, tokens):
    later = dt.datetime.now(dt.UTC) + dt.timedelta(seconds=1)
    KeyRing(app.wiring.settings.signing_keys_dir).rotate(later, retire_after=dt.timedelta(0))

    published = [jwk["kid"] for jwk in app.client.get("/.well-known/jwks.json").json()["keys"]]
    assert key.kid not in published
    assert_rejected(app.client, tokens["accessToken"])
