"""OWASP ASVS 5.0.0, V9 Self-contained Tokens, over real HTTP.

The self-contained tokens are the access tokens: JWTs (RFC 9068 profile) signed with Ed25519
(EdDSA), header typ at+jwt and kid, claims iss sub aud exp iat jti sid, published keys at
/.well-known/jwks.json. Tokens below are forged the way an attacker would: from a genuine
token's claims, re-signed, with the app's own key where the point is that the key alone is
not enough.

Every requirement of V9 applies; none is left out.
"""

from __future__ import annotations

import base64
import datetime as dt
import hashlib
import hmac
import json
import secrets
import time
from typing import Any

import jwt
import pytest
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import ec, ed25519

from tests.integration.asvs import (
    claims_of,
    emailed_token,
    get_me,
    manual_clock,
    mint,
    quiet_app,
    refresh,
    signing_key,
    with_token,
)
from tests.support import assert_problem, register, unique_email


def b64(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode()


def segment(value: dict[str, Any]) -> str:
    return b64(json.dumps(value).encode())


def assert_refused(client, token: str, why: str = "") -> None:
    response = with_token(client, token)
    assert_problem(response, 401, "UNAUTHENTICATED")
    assert response.headers["www-authenticate"].startswith("Bearer "), why


@pytest.fixture
def genuine(app) -> dict[str, Any]:
    """A live session's tokens, and fresh claims for that session."""
    tokens = register(app.client)["tokens"]
    now = int(time.time())
    claims = {**claims_of(tokens["accessToken"]), "iat": now, "exp": now + 600, "jti": secrets.token_urlsafe(16)}
    return {"tokens": tokens, "claims": claims}


# --- V9.1 Token source and integrity -------------------------------------------------


def test_v9_1_1_tokens_are_accepted_only_with_a_valid_signature(app, genuine):
    """V9.1.1: "self-contained tokens are validated using their digital signature or MAC to
    protect against tampering before accepting the token's contents." """
    client, token = app.client, genuine["tokens"]["accessToken"]
    header, payload, signature = token.split(".")
    other = register(client)["customer"]["id"]
    impostor = ed25519.Ed25519PrivateKey.generate()
    kid = signing_key(app).kid

    forgeries = {
        "tampered sub": f"{header}.{segment({**claims_of(token), 'sub': other})}.{signature}",
        "no signature": f"{header}.{payload}.",
        "truncated signature": f"{header}.{payload}.{signature[:-4]}",
        "another key, same kid": jwt.encode(
            genuine["claims"], impostor, algorithm="EdDSA", headers={"kid": kid, "typ": "at+jwt"}
        ),
    }
    for why, forged in forgeries.items():
        assert_refused(client, forged, why)
    assert with_token(client, mint(genuine["claims"], signing_key(app))).status_code == 200
    assert with_token(client, token).json()["id"] == claims_of(token)["sub"]


def test_v9_1_2_only_eddsa_is_accepted(app, genuine):
    """V9.1.2: "only algorithms on an allowlist can be used to create and verify self-contained
    tokens, for a given context. The allowlist must include the permitted algorithms, ideally only
    either symmetric or asymmetric algorithms, and must not include the 'None' algorithm. If both
    symmetric and asymmetric must be supported, additional controls will be needed to prevent key
    confusion." """
    client, claims = app.client, genuine["claims"]
    key = signing_key(app)
    public_pem = key.public_key.public_bytes(
        serialization.Encoding.PEM, serialization.PublicFormat.SubjectPublicKeyInfo
    )
    public_raw = key.public_key.public_bytes(serialization.Encoding.Raw, serialization.PublicFormat.Raw)

    def hs256(secret: bytes) -> str:
        signed = f"{segment({'alg': 'HS256', 'typ': 'at+jwt', 'kid': key.kid})}.{segment(claims)}"
        return f"{signed}.{b64(hmac.new(secret, signed.encode(), hashlib.sha256).digest())}"

    forgeries = {
        "alg none": f"{segment({'alg': 'none', 'typ': 'at+jwt', 'kid': key.kid})}.{segment(claims)}.",
        "alg None": f"{segment({'alg': 'None', 'typ': 'at+jwt', 'kid': key.kid})}.{segment(claims)}.",
        "HS256 keyed with the public PEM": hs256(public_pem),
        "HS256 keyed with the raw public key": hs256(public_raw),
        "ES256": jwt.encode(
            claims,
            ec.generate_private_key(ec.SECP256R1()),
            algorithm="ES256",
            headers={"kid": key.kid, "typ": "at+jwt"},
        ),
    }
    for why, forged in forgeries.items():
        assert_refused(client, forged, why)
    published = client.get("/.well-known/jwks.json").json()["keys"]
    assert {(jwk["alg"], jwk["kty"], jwk["crv"]) for jwk in published} == {("EdDSA", "OKP", "Ed25519")}


def test_v9_1_3_keys_come_only_from_the_services_own_key_ring(app, genuine):
    """V9.1.3: "key material that is used to validate self-contained tokens is from trusted
    pre-configured sources for the token issuer, preventing attackers from specifying untrusted
    sources and keys. For JWTs and other JWS structures, headers such as 'jku', 'x5u', and 'jwk'
    must be validated against an allowlist of trusted sources."

    Keys named or embedded by the token are ignored; the published set is the service's own."""
    client, claims = app.client, genuine["claims"]
    impostor = ed25519.Ed25519PrivateKey.generate()
    impostor_jwk = json.loads(jwt.algorithms.OKPAlgorithm.to_jwk(impostor.public_key()))
    real_kid = signing_key(app).kid

    def signed_by_impostor(**header: Any) -> str:
        return jwt.encode(claims, impostor, algorithm="EdDSA", headers={"typ": "at+jwt", **header})

    forgeries = {
        "embedded jwk, real kid": signed_by_impostor(kid=real_kid, jwk=impostor_jwk),
        "embedded jwk, own kid": signed_by_impostor(kid="impostor", jwk={**impostor_jwk, "kid": "impostor"}),
        "jku": signed_by_impostor(kid="impostor", jku="http://127.0.0.1:9/jwks.json"),
        "x5u": signed_by_impostor(kid="impostor", x5u="http://127.0.0.1:9/cert.pem"),
        "kid path traversal": signed_by_impostor(kid="../../../../tmp/impostor"),
        "no kid": signed_by_impostor(),
    }
    for why, forged in forgeries.items():
        assert_refused(client, forged, why)
    published = {jwk["kid"] for jwk in client.get("/.well-known/jwks.json").json()["keys"]}
    assert published == {real_kid}


# --- V9.2 Token content -----------------------------------------------------------------


def _an_expired_token_is_refused_while_its_session_lives(make_app):
    clock = manual_clock()
    app = make_app(settings_changes={"access_token_ttl": 300}, clock=clock)
    tokens = register(app.client)["tokens"]
    assert get_me(app.client, tokens).status_code == 200

    clock.advance(dt.timedelta(seconds=300 + 31))  # past exp and the 30 s leeway for clock skew

    assert_refused(app.client, tokens["accessToken"], "exp")
    renewed = refresh(app.client, tokens["refreshToken"])
    assert renewed.status_code == 200
    assert get_me(app.client, renewed.json()["tokens"]).status_code == 200


def _a_token_not_yet_valid_is_refused(make_app):
    app = make_app()
    tokens = register(app.client)["tokens"]
    now = int(time.time())
    claims = {**claims_of(tokens["accessToken"]), "iat": now, "exp": now + 7200, "jti": secrets.token_urlsafe(16)}
    key = signing_key(app)

    assert with_token(app.client, mint(claims, key)).status_code == 200
    assert_refused(app.client, mint({**claims, "nbf": now + 3600}, key), "nbf an hour ahead")


@pytest.mark.parametrize(
    "case",
    [_an_expired_token_is_refused_while_its_session_lives, _a_token_not_yet_valid_is_refused],
    ids=["V9.2.1-exp", "V9.2.1-nbf"],
)
def test_v9_2_1_tokens_are_accepted_only_within_their_validity_time_span(case, make_app):
    """V9.2.1: "if a validity time span is present in the token data, the token and its content
    are accepted only if the verification time is within this validity time span. For example,
    for JWTs, the claims 'nbf' and 'exp' must be verified." """
    case(make_app)


def test_v9_2_2_only_access_tokens_are_accepted_as_access_tokens(make_app):
    """V9.2.2: "the service receiving a token validates the token to be the correct type and is
    meant for the intended purpose before accepting the token's contents. For example, only access
    tokens can be accepted for authorization decisions ..."

    A JWT without typ at+jwt, a refresh token or an emailed token used as a bearer token is
    refused, and an access token is no refresh token."""
    app = quiet_app(make_app)
    client = app.client
    email = unique_email()
    tokens = register(client, email=email)["tokens"]
    now = int(time.time())
    claims = {**claims_of(tokens["accessToken"]), "iat": now, "exp": now + 600}
    key = signing_key(app)

    wrong_kinds = {
        "typ JWT": mint(claims, key, typ="JWT"),
        "typ id_token": mint(claims, key, typ="id_token+jwt"),
        "no typ": jwt.encode(claims, key.private_key, algorithm="EdDSA", headers={"kid": key.kid}),
        "refresh token": tokens["refreshToken"],
        "emailed token": emailed_token(app, "email_verification", email),
    }
    for why, token in wrong_kinds.items():
        assert_refused(client, token, why)
    assert_problem(refresh(client, tokens["accessToken"]), 401, "TOKEN_INVALID")
    assert get_me(client, tokens).status_code == 200


def test_v9_2_3_only_tokens_for_this_service_are_accepted(app, genuine):
    """V9.2.3: "the service only accepts tokens which are intended for use with that service
    (audience). For JWTs, this can be achieved by validating the 'aud' claim against an allowlist
    defined in the service." """
    client, claims = app.client, genuine["claims"]
    key = signing_key(app)
    audience = app.wiring.settings.token_audience
    without_aud = {name: value for name, value in claims.items() if name != "aud"}

    assert claims["aud"] == audience
    for why, token in {
        "another audience": mint({**claims, "aud": "orders-service"}, key),
        "audience list without ours": mint({**claims, "aud": ["orders-service", "media-service"]}, key),
        "no audience": mint(without_aud, key),
        "another issuer": mint({**claims, "iss": "https://evil.example"}, key),
    }.items():
        assert_refused(client, token, why)
    assert with_token(client, mint(claims, key)).status_code == 200


def test_v9_2_4_tokens_name_their_one_audience_and_are_refused_by_another(make_app):
    """V9.2.4: "if a token issuer uses the same private key for issuing tokens to different
    audiences, the issued tokens contain an audience restriction that uniquely identifies the
    intended audiences."

    Two deployments sharing one key ring (and store) but configured for different audiences:
    each one's tokens carry its own aud, and the other refuses them."""
    first = make_app()
    second = make_app(settings_changes={"token_audience": "customer-service-staging"})
    assert first.wiring.settings.signing_keys_dir == second.wiring.settings.signing_keys_dir

    from_first = register(first.client)["tokens"]
    from_second = register(second.client)["tokens"]

    assert claims_of(from_first["accessToken"])["aud"] == "customer-service"
    assert claims_of(from_second["accessToken"])["aud"] == "customer-service-staging"
    assert get_me(first.client, from_first).status_code == 200
    assert get_me(second.client, from_second).status_code == 200
    assert_refused(second.client, from_first["accessToken"], "first's token at second")
    assert_refused(first.client, from_second["accessToken"], "second's token at first")
