import base64
import datetime as dt
import hashlib
import hmac
import json

import jwt
import pytest
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey
from hypothesis import given
from hypothesis import strategies as st

from adapters.security import key_files
from adapters.security.access_tokens import JwtAccessTokens
from adapters.security.keys import KeyRing
from customer_core.errors import TokenInvalid

NOW = dt.datetime(2026, 1, 1, 12, tzinfo=dt.UTC)
TTL = dt.timedelta(minutes=15)
ISSUER = "https://issuer.test"
AUDIENCE = "customer-service"
MISSING = object()


@pytest.fixture(scope="module")
def ring(tmp_path_factory):
    ring = KeyRing(tmp_path_factory.mktemp("keys"))
    ring.ensure_key(NOW)
    return ring


@pytest.fixture(scope="module")
def tokens(ring):
    return JwtAccessTokens(keys=ring, issuer=ISSUER, audience=AUDIENCE, ttl=TTL)


def _claims(**changes) -> dict:
    issued_at = int(NOW.timestamp())
    claims = {
        "iss": ISSUER,
        "sub": "customer-1",
        "aud": AUDIENCE,
        "iat": issued_at,
        "exp": issued_at + int(TTL.total_seconds()),
        "jti": "token-1",
        "sid": "session-1",
    }
    claims.update(changes)
    return {name: value for name, value in claims.items() if value is not MISSING}


def _sign(ring: KeyRing, claims: dict, *, key=None, kid=None, **header) -> str:
    signing = ring.signing_key()
    headers = {"kid": kid or signing.kid, "typ": "at+jwt", **header}
    return jwt.encode(claims, key or signing.private_key, algorithm="EdDSA", headers=headers)


def _b64(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode("ascii")


def _hs256(header: dict, claims: dict, secret: bytes) -> str:
    signing_input = _b64(json.dumps(header).encode()) + "." + _b64(json.dumps(claims).encode())
    return signing_input + "." + _b64(hmac.new(secret, signing_input.encode(), hashlib.sha256).digest())


def _rejects(tokens: JwtAccessTokens, token: str, now: dt.datetime = NOW) -> None:
    with pytest.raises(TokenInvalid):
        tokens.verify(token, now=now)


def test_valid_token_gives_its_claims(tokens):
    issued = tokens.issue(customer_id="customer-1", session_id="session-1", now=NOW)
    claims = tokens.verify(issued.token, now=NOW)
    assert (claims.subject, claims.session_id) == ("customer-1", "session-1")
    assert claims.expires_at == int((NOW + TTL).timestamp())
    assert issued.expires_in == TTL.total_seconds()
    assert claims.token_id


def test_issued_token_carries_the_rfc_9068_header_and_claims(ring, tokens):
    token = tokens.issue(customer_id="customer-1", session_id="session-1", now=NOW).token
    header = jwt.get_unverified_header(token)
    assert header == {"alg": "EdDSA", "typ": "at+jwt", "kid": ring.signing_key().kid}
    payload = jwt.decode(token, options={"verify_signature": False})
    assert payload.keys() == {"iss", "sub", "aud", "iat", "exp", "jti", "sid"}
    assert (payload["iss"], payload["aud"]) == (ISSUER, AUDIENCE)


def test_each_token_has_its_own_id(tokens):
    first, second = (tokens.issue(customer_id="c", session_id="s", now=NOW).token for _ in range(2))
    assert tokens.verify(first, now=NOW).token_id != tokens.verify(second, now=NOW).token_id


def test_token_signed_by_hand_with_the_ring_key_is_accepted(ring, tokens):
    assert tokens.verify(_sign(ring, _claims()), now=NOW).subject == "customer-1"


def test_verification_uses_the_given_time_not_the_wall_clock(tokens):
    long_ago = dt.datetime(2001, 1, 1, tzinfo=dt.UTC)
    token = tokens.issue(customer_id="c", session_id="s", now=long_ago).token
    assert tokens.verify(token, now=long_ago + TTL - dt.timedelta(seconds=1)).subject == "c"


def test_expired_token_is_rejected(tokens):
    token = tokens.issue(customer_id="c", session_id="s", now=NOW).token
    _rejects(tokens, token, now=NOW + TTL + dt.timedelta(minutes=1))
    _rejects(tokens, token, now=NOW + dt.timedelta(days=365))


def test_token_issued_in_the_future_is_rejected(tokens):
    token = tokens.issue(customer_id="c", session_id="s", now=NOW + dt.timedelta(minutes=5)).token
    _rejects(tokens, token, now=NOW)


@pytest.mark.parametrize(("nbf", "accepted"), [(-60, True), (20, True), (3600, False), ("0", False), (1.5, False)])
def test_a_not_before_claim_is_honoured(ring, tokens, nbf, accepted):
    token = _sign(ring, {**_claims(), "nbf": int(NOW.timestamp()) + nbf if isinstance(nbf, int) else nbf})
    if accepted:
        assert tokens.verify(token, now=NOW).subject == "customer-1"
    else:
        _rejects(tokens, token)


def test_small_clock_difference_between_issuer_and_verifier_is_tolerated(tokens):
    token = tokens.issue(customer_id="c", session_id="s", now=NOW + dt.timedelta(seconds=10)).token
    assert tokens.verify(token, now=NOW).subject == "c"
    assert tokens.verify(token, now=NOW + TTL + dt.timedelta(seconds=15)).subject == "c"


def test_alg_none_is_rejected(ring, tokens):
    token = jwt.encode(_claims(), None, algorithm="none", headers={"kid": ring.signing_key().kid, "typ": "at+jwt"})
    _rejects(tokens, token)
    _rejects(tokens, token.rsplit(".", 1)[0] + ".")


@pytest.mark.parametrize("encoding", ["pem", "raw"])
def test_hs256_signed_with_the_public_key_bytes_is_rejected(ring, tokens, encoding):
    public = ring.signing_key().public_key
    secret = (
        public.public_bytes(serialization.Encoding.PEM, serialization.PublicFormat.SubjectPublicKeyInfo)
        if encoding == "pem"
        else public.public_bytes(serialization.Encoding.Raw, serialization.PublicFormat.Raw)
    )
    header = {"alg": "HS256", "typ": "at+jwt", "kid": ring.signing_key().kid}
    _rejects(tokens, _hs256(header, _claims(), secret))


def test_token_signed_by_an_unknown_key_is_rejected(ring, tokens):
    _rejects(tokens, _sign(ring, _claims(), key=Ed25519PrivateKey.generate(), kid="20260101T000000Z-deadbeef"))


def test_token_with_a_known_key_id_but_signed_by_another_key_is_rejected(ring, tokens):
    _rejects(tokens, _sign(ring, _claims(), key=Ed25519PrivateKey.generate()))


def test_token_without_a_key_id_is_rejected(ring, tokens):
    key = ring.signing_key().private_key
    _rejects(tokens, jwt.encode(_claims(), key, algorithm="EdDSA", headers={"typ": "at+jwt"}))


@pytest.mark.parametrize("claim", ["iss", "sub", "aud", "exp", "iat", "jti", "sid"])
def test_token_missing_a_required_claim_is_rejected(ring, tokens, claim):
    _rejects(tokens, _sign(ring, _claims(**{claim: MISSING})))


@pytest.mark.parametrize(
    "changes",
    [
        {"iss": "https://elsewhere.test"},
        {"iss": ISSUER + "/"},
        {"aud": "another-service"},
        {"aud": ["another-service"]},
    ],
)
def test_token_for_another_issuer_or_audience_is_rejected(ring, tokens, changes):
    _rejects(tokens, _sign(ring, _claims(**changes)))


@pytest.mark.parametrize(
    "changes",
    [
        {"exp": str(int(NOW.timestamp()) + 900)},
        {"exp": None},
        {"iat": "now"},
        {"sub": 42},
        {"sid": None},
        {"jti": ["token-1"]},
    ],
)
def test_token_with_a_claim_of_the_wrong_type_is_rejected(ring, tokens, changes):
    _rejects(tokens, _sign(ring, _claims(**changes)))


@pytest.mark.parametrize("typ", ["at+jwt", "application/at+jwt", "AT+JWT", "Application/At+Jwt"])
def test_the_access_token_type_is_accepted_short_or_as_its_full_media_type_in_any_case(ring, tokens, typ):
    key = ring.signing_key()
    token = jwt.encode(_claims(), key.private_key, algorithm="EdDSA", headers={"kid": key.kid, "typ": typ})
    assert tokens.verify(token, now=NOW).subject == _claims()["sub"]


@pytest.mark.parametrize("typ", ["JWT", "jwt", "at+jwt+extra", "application/jwt", "text/at+jwt", None, 1])
def test_token_with_another_type_header_is_rejected(ring, tokens, typ):
    key = ring.signing_key()
    token = jwt.encode(_claims(), key.private_key, algorithm="EdDSA", headers={"kid": key.kid, "typ": typ})
    assert jwt.get_unverified_header(token).get("typ") == typ
    _rejects(tokens, token)


def test_token_with_a_tampered_payload_is_rejected(ring, tokens):
    header, _, signature = _sign(ring, _claims()).split(".")
    forged_payload = _b64(json.dumps(_claims(sub="someone-else")).encode())
    _rejects(tokens, f"{header}.{forged_payload}.{signature}")


def test_token_with_a_tampered_signature_is_rejected(ring, tokens):
    token = _sign(ring, _claims())
    flipped = "A" if token[-2] != "A" else "B"
    _rejects(tokens, token[:-2] + flipped + token[-1])


@pytest.mark.parametrize("garbage", ["", "garbage", "a.b.c", "..", "Bearer x", "é.é.é", "x" * 10_000])
def test_garbage_is_rejected(tokens, garbage):
    _rejects(tokens, garbage)


@given(st.text(alphabet=st.characters(exclude_categories=())))
def test_any_text_is_rejected_with_token_invalid(tokens, garbage):
    _rejects(tokens, garbage)


@given(st.lists(st.binary(max_size=200), min_size=3, max_size=3))
def test_any_three_base64_segments_are_rejected_with_token_invalid(tokens, segments):
    _rejects(tokens, ".".join(_b64(segment) for segment in segments))


@given(st.dictionaries(st.text(max_size=5), st.none() | st.integers() | st.text(max_size=5), max_size=5))
def test_any_header_is_rejected_unless_it_names_eddsa_at_jwt_and_a_known_key(tokens, header):
    _rejects(tokens, _b64(json.dumps(header).encode()) + "." + _b64(json.dumps(_claims()).encode()) + ".c2ln")


def test_a_token_seen_before_is_not_checked_again_but_its_times_are(tokens, monkeypatch):
    token = tokens.issue(customer_id="c", session_id="s", now=NOW).token
    tokens.verify(token, now=NOW)
    decodes = []
    monkeypatch.setattr(jwt, "decode", lambda *args, **kwargs: decodes.append(1))

    assert tokens.verify(token, now=NOW).subject == "c"
    _rejects(tokens, token, now=NOW + TTL + dt.timedelta(minutes=1))
    assert decodes == []


def test_a_token_seen_before_stops_verifying_once_its_key_is_retired(tmp_path, monkeypatch):
    monkeypatch.setattr(key_files, "RESCAN_SECONDS", 0)
    ring = KeyRing(tmp_path)
    ring.ensure_key(NOW)
    tokens = JwtAccessTokens(keys=ring, issuer=ISSUER, audience=AUDIENCE, ttl=TTL)
    token = tokens.issue(customer_id="c", session_id="s", now=NOW).token
    tokens.verify(token, now=NOW)

    ring.rotate(NOW + dt.timedelta(minutes=1), retire_after=dt.timedelta(0))

    _rejects(tokens, token, now=NOW + dt.timedelta(minutes=2))


def test_only_so_many_tokens_are_remembered(ring, monkeypatch):
    monkeypatch.setattr(JwtAccessTokens, "REMEMBERED", 2)
    tokens = JwtAccessTokens(keys=ring, issuer=ISSUER, audience=AUDIENCE, ttl=TTL)
    issued = [tokens.issue(customer_id=f"c{n}", session_id="s", now=NOW).token for n in range(3)]
    for token in issued:
        tokens.verify(token, now=NOW)

    assert list(tokens._checked) == issued[1:]
