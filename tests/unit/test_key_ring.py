import datetime as dt
import stat

import jwt
import pytest

from adapters.security import key_files
from adapters.security.access_tokens import JwtAccessTokens
from adapters.security.keys import KeyRing
from customer_core.errors import TokenInvalid

START = dt.datetime(2026, 1, 1, tzinfo=dt.UTC)
TTL = dt.timedelta(hours=1)


@pytest.fixture
def keys_dir(tmp_path):
    return tmp_path / "keys"


@pytest.fixture
def ring(keys_dir):
    ring = KeyRing(keys_dir)
    ring.ensure_key(START)
    return ring


def _tokens(ring: KeyRing) -> JwtAccessTokens:
    return JwtAccessTokens(keys=ring, issuer="https://issuer.test", audience="customer-service", ttl=TTL)


def _issue(ring: KeyRing, now: dt.datetime) -> str:
    return _tokens(ring).issue(customer_id="c1", session_id="s1", now=now).token


def _verifies(ring: KeyRing, token: str, now: dt.datetime) -> bool:
    try:
        _tokens(ring).verify(token, now=now)
    except TokenInvalid:
        return False
    return True


def _kid(token: str) -> str:
    return jwt.get_unverified_header(token)["kid"]


def test_ensure_key_creates_one_private_key_file_readable_by_the_owner_only(keys_dir, ring):
    files = list(keys_dir.iterdir())
    assert [path.suffix for path in files] == [".pem"]
    assert stat.S_IMODE(files[0].stat().st_mode) == 0o600
    assert stat.S_IMODE(keys_dir.stat().st_mode) & 0o077 == 0


def test_ensure_key_keeps_an_existing_key(keys_dir, ring):
    kid = ring.signing_key().kid
    ring.ensure_key(START + dt.timedelta(days=1))
    KeyRing(keys_dir).ensure_key(START + dt.timedelta(days=2))
    assert [key.kid for key in KeyRing(keys_dir).all()] == [kid]
    assert len(list(keys_dir.iterdir())) == 1


def test_empty_ring_has_no_signing_key(keys_dir):
    ring = KeyRing(keys_dir)
    assert ring.all() == []
    assert ring.find("anything") is None
    with pytest.raises(RuntimeError, match="no signing key"):
        ring.signing_key()


def test_new_key_signs_after_rotation_and_older_tokens_still_verify(ring):
    before = _issue(ring, START)
    rotated_at = START + dt.timedelta(minutes=10)
    new_key = ring.rotate(rotated_at, retire_after=TTL)
    after = _issue(ring, rotated_at)
    assert ring.signing_key().kid == new_key.kid == _kid(after)
    assert _kid(before) != new_key.kid
    assert _verifies(ring, before, rotated_at)
    assert _verifies(ring, after, rotated_at)


def test_keys_are_listed_oldest_first(ring):
    second = ring.rotate(START + dt.timedelta(seconds=1), retire_after=TTL)
    third = ring.rotate(START + dt.timedelta(seconds=2), retire_after=TTL)
    assert [key.kid for key in ring.all()][1:] == [second.kid, third.kid]
    assert [key.created_at for key in ring.all()] == [START, second.created_at, third.created_at]


def test_rotation_leaves_no_temporary_files(keys_dir, ring):
    ring.rotate(START + dt.timedelta(minutes=1), retire_after=TTL)
    assert all(path.suffix == ".pem" and not path.name.startswith(".") for path in keys_dir.iterdir())


def test_key_replaced_longer_than_retire_after_ago_is_removed_by_the_next_rotation(keys_dir, ring):
    first = ring.signing_key()
    old_token = _issue(ring, START)
    replaced_at = START + dt.timedelta(hours=2)
    second = ring.rotate(replaced_at, retire_after=TTL)

    third = ring.rotate(replaced_at + TTL - dt.timedelta(seconds=1), retire_after=TTL)
    assert [key.kid for key in ring.all()] == [first.kid, second.kid, third.kid]

    fourth = ring.rotate(replaced_at + TTL, retire_after=TTL)
    assert [key.kid for key in ring.all()] == [second.kid, third.kid, fourth.kid]
    assert not (keys_dir / f"{first.kid}.pem").exists()
    assert not _verifies(ring, old_token, START)


def test_signing_key_is_never_removed_by_rotation(ring):
    new_key = ring.rotate(START + dt.timedelta(days=30), retire_after=dt.timedelta(0))
    assert [key.kid for key in ring.all()] == [new_key.kid]


def test_second_ring_on_the_same_directory_sees_a_rotation(keys_dir, ring, monkeypatch):
    monkeypatch.setattr(key_files, "RESCAN_SECONDS", 0)
    other = KeyRing(keys_dir)
    old_token = _issue(other, START)
    rotated_at = START + dt.timedelta(minutes=5)
    new_key = ring.rotate(rotated_at, retire_after=TTL)
    assert other.signing_key().kid == new_key.kid
    assert _verifies(other, _issue(ring, rotated_at), rotated_at)
    assert _verifies(ring, old_token, rotated_at)


def test_second_ring_forgets_a_key_the_first_retired(keys_dir, ring, monkeypatch):
    monkeypatch.setattr(key_files, "RESCAN_SECONDS", 0)
    other = KeyRing(keys_dir)
    first = other.signing_key()
    ring.rotate(START + dt.timedelta(hours=1), retire_after=dt.timedelta(0))
    assert other.find(first.kid) is None


def test_public_jwk_describes_the_verification_key(ring):
    key = ring.signing_key()
    jwk = key.public_jwk()
    assert {k: jwk[k] for k in ("kty", "crv", "kid", "alg", "use")} == {
        "kty": "OKP",
        "crv": "Ed25519",
        "kid": key.kid,
        "alg": "EdDSA",
        "use": "sig",
    }
    assert "d" not in jwk
    claims = jwt.decode(
        _issue(ring, START),
        jwt.PyJWK(jwk).key,
        algorithms=["EdDSA"],
        audience="customer-service",
        options={"verify_exp": False},
    )
    assert claims["sub"] == "c1"


def test_a_ring_lists_its_directory_at_most_once_a_second_but_finds_a_new_key_at_once(keys_dir, ring, monkeypatch):
    clock = [1000.0]
    monkeypatch.setattr(key_files.time, "monotonic", lambda: clock[0])
    other = KeyRing(keys_dir)
    before = other.signing_key()

    new = ring.rotate(START + dt.timedelta(hours=1), retire_after=dt.timedelta(days=1))

    assert other.signing_key() == before  # listed less than a second ago
    clock[0] += key_files.RESCAN_ON_MISS_SECONDS
    assert other.find(new.kid) is not None  # an unknown id is looked for at once
    clock[0] += key_files.RESCAN_SECONDS
    assert other.signing_key().kid == new.kid
