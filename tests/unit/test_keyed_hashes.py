"""Keyed digests under the data keys: only the key directory checks them,
and a rotation leaves earlier digests valid."""

import datetime as dt
import hashlib

import pytest

from adapters.security.data_keys import DataKeys
from adapters.security.keyed_hashes import DataKeyHasher

START = dt.datetime(2026, 1, 1, tzinfo=dt.UTC)
MESSAGE = "phone-code\x00665f1c2e8b1d4a0012345678\x00+441234567890\x00042917"


def keys_in(directory):
    keys = DataKeys(directory)
    keys.ensure_key(START)
    return keys


@pytest.fixture
def keys(tmp_path):
    return keys_in(tmp_path / "data-keys")


def test_a_digest_matches_its_message_only(keys):
    hasher = DataKeyHasher(keys)
    digest = hasher.digest(MESSAGE)

    assert hasher.matches(MESSAGE, digest)
    assert not hasher.matches(MESSAGE.replace("042917", "042918"), digest)


def test_a_digest_is_neither_the_message_nor_its_plain_digest(keys):
    digest = DataKeyHasher(keys).digest(MESSAGE)

    assert "042917" not in digest
    assert hashlib.sha256(MESSAGE.encode()).hexdigest() not in digest
    assert digest.startswith(keys.current().kid + ":")


def test_another_key_directory_cannot_check_a_digest(keys, tmp_path):
    digest = DataKeyHasher(keys).digest(MESSAGE)

    assert not DataKeyHasher(keys_in(tmp_path / "elsewhere")).matches(MESSAGE, digest)


def test_a_digest_made_before_a_rotation_still_matches(keys):
    hasher = DataKeyHasher(keys)
    before = hasher.digest(MESSAGE)

    keys.rotate(START + dt.timedelta(days=1))

    assert hasher.matches(MESSAGE, before)
    assert hasher.digest(MESSAGE) != before


@pytest.mark.parametrize("digest", ["", ":", "nokey", "unknown-kid:00ff", "kid:"])
def test_a_malformed_digest_matches_nothing(keys, digest):
    assert not DataKeyHasher(keys).matches(MESSAGE, digest)
