"""More access tokens the adapter (adapters/security/access_tokens.py) must
refuse, beyond those of test_access_tokens.py: forgeries a client could
send with a real token in hand. Which tokens the service accepts for a
live session is in test_session_flows.py; a few of these are also sent over
HTTP in tests/integration/test_jwt_rejections.py."""

from __future__ import annotations

import base64
import datetime as dt
import hashlib
import hmac
import json

import jwt
import pytest

from adapters.security import key_files
from adapters.security.access_tokens import JwtAccessTokens
from adapters.security.keys import KeyRing
from customer_core.clients import Scope
from customer_core.errors import TokenInvalid
from customer_core.sessions import new_secret

NOW = dt.datetime(2026, 1, 1, 12, tzinfo=dt.UTC)
TTL = dt.timedelta(minutes=15)
ISSUER = "https://issuer.test"
AUDIENCE = "customer-service"


@pytest.fixture
def ring(tmp_path):
    ring = KeyRing(tmp_path / "keys")
    ring.ensure_key(NOW)
    return ring


@pytest.fixture
def tokens(ring):
    return JwtAccessTokens(keys=ring, issuer=ISSUER, audience=AUDIENCE, ttl=TTL)


@pytest.fixture
def claims(tokens):
    """The claims of a genuine token, to forge others from."""
    token = tokens.issue(customer_id="customer-1", session_id="session-1", now=NOW).token
    return jwt.decode(token, options={"verify_signature": False})


def b64(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode()


def segment(value: dict) -> str:
    return b64(json.dumps(value).encode())


def sign(ring, claims, **header) -> str:
    """Signed by the ring's key; ``header`` entries replace the genuine ones."""
    key = ring.signing_key()
    return jwt.encode(claims, key.private_key, algorithm="EdDSA", headers={"kid": key.kid, "typ": "at+jwt", **header})


def assert_refused(tokens, token, now=NOW):
    with pytest.raises(TokenInvalid):
        tokens.verify(token, now=now)


def test_the_genuine_claims_signed_again_are_accepted(ring, tokens, claims):
    assert tokens.verify(sign(ring, claims), now=NOW).subject == "customer-1"


def test_alg_none_with_any_signature_is_refused(ring, tokens, claims):
    header = {"alg": "none", "typ": "at+jwt", "kid": ring.signing_key().kid}

    for signature in ["", b64(b"anything")]:
        assert_refused(tokens, f"{segment(header)}.{segment(claims)}.{signature}")


def test_hs256_keyed_with_the_published_jwk_is_refused(ring, tokens, claims):
    key = ring.signing_key()
    header = {"alg": "HS256", "typ": "at+jwt", "kid": key.kid}
    signing_input = f"{segment(header)}.{segment(claims)}"
    signature = hmac.new(key.public_jwk()["x"].encode(), signing_input.encode(), hashlib.sha256).digest()

    assert_refused(tokens, f"{signing_input}.{b64(signature)}")


@pytest.mark.parametrize("kid", ["unknown-kid", "", "../keys/x"])
def test_the_right_key_under_a_kid_the_ring_does_not_have_is_refused(ring, tokens, claims, kid):
    assert_refused(tokens, sign(ring, claims, kid=kid))


@pytest.mark.parametrize(
    "changes",
    [{"exp": "never"}, {"sid": 12345}],
    ids=["exp-not-a-number", "sid-not-a-string"],
)
def test_a_claim_of_the_wrong_type_is_refused(ring, tokens, claims, changes):
    assert_refused(tokens, sign(ring, {**claims, **changes}))


@pytest.mark.parametrize("typ", ["at+JWT ", "refresh"])
def test_another_type_header_is_refused(ring, tokens, claims, typ):
    assert_refused(tokens, sign(ring, claims, typ=typ))


def test_a_refresh_token_is_not_an_access_token(tokens):
    assert_refused(tokens, new_secret())


def test_a_token_whose_key_another_process_retired_is_refused(ring, tokens, monkeypatch):
    monkeypatch.setattr(key_files, "RESCAN_SECONDS", 0)  # rotations are otherwise seen within a second
    token = tokens.issue(customer_id="customer-1", session_id="session-1", now=NOW).token
    later = NOW + dt.timedelta(seconds=1)

    KeyRing(ring.directory).rotate(later, retire_after=dt.timedelta(0))

    assert_refused(tokens, token, now=later)
    assert tokens.verify(tokens.issue(customer_id="c", session_id="s", now=later).token, now=later)


# --- customer and client tokens never pass for each other -------------------


def test_a_customer_token_with_client_claims_added_passes_as_neither(ring, tokens, claims):
    both = sign(ring, {**claims, "client_id": claims["sub"], "scope": "customers:read"})

    assert_refused(tokens, both)
    with pytest.raises(TokenInvalid):
        tokens.verify_client(both, now=NOW)


def test_a_client_token_is_no_customer_token_and_a_customer_token_no_client_token(tokens):
    client_token = tokens.issue_for_client(client_id="c" * 24, scopes=frozenset({Scope.ORDERS_WRITE}), now=NOW).token
    customer_token = tokens.issue(customer_id="customer-1", session_id="session-1", now=NOW).token

    assert tokens.verify_client(client_token, now=NOW).scopes == {Scope.ORDERS_WRITE}
    assert_refused(tokens, client_token)
    with pytest.raises(TokenInvalid):
        tokens.verify_client(customer_token, now=NOW)


@pytest.mark.parametrize(
    "changes",
    [{"scope": "customers:write"}, {"scope": ["orders:write"]}, {"client_id": "someone-else"}, {"client_id": 7}],
)
def test_a_client_token_with_forged_claims_is_refused(ring, tokens, changes):
    genuine = tokens.issue_for_client(client_id="c" * 24, scopes=frozenset({Scope.ORDERS_WRITE}), now=NOW).token
    forged = sign(ring, {**jwt.decode(genuine, options={"verify_signature": False}), **changes})

    with pytest.raises(TokenInvalid):
        tokens.verify_client(forged, now=NOW)
