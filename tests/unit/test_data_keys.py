"""Data keys seal values with AES-256-GCM, bound to their context, and open
what any of their keys sealed."""

import datetime as dt
import stat

import pytest
from hypothesis import given
from hypothesis import strategies as st

from adapters.security import key_files
from adapters.security.data_keys import DataKeys, SealedValueInvalid, is_sealed, key_id

START = dt.datetime(2026, 1, 1, tzinfo=dt.UTC)


@pytest.fixture
def keys(tmp_path):
    keys = DataKeys(tmp_path / "data-keys")
    keys.ensure_key(START)
    return keys


@given(st.binary(max_size=2000), st.text(max_size=40))
def test_a_sealed_value_opens_in_its_context_to_what_was_sealed(tmp_path_factory, plaintext, context):
    keys = DataKeys(tmp_path_factory.mktemp("keys"))
    keys.ensure_key(START)
    sealed = keys.seal(plaintext, context=context)

    assert is_sealed(sealed) and key_id(sealed) == keys.current().kid
    assert keys.open(sealed, context=context) == plaintext


def test_sealing_twice_gives_two_different_values(keys):
    assert keys.seal(b"+441234567890", context="c") != keys.seal(b"+441234567890", context="c")


def test_the_plaintext_does_not_show_in_the_sealed_value(keys):
    assert "4412345" not in keys.seal(b"+441234567890", context="customers.phone:1")


def test_a_value_moved_to_another_context_does_not_open(keys):
    sealed = keys.seal(b"secret", context="customers.phone:1")

    with pytest.raises(SealedValueInvalid):
        keys.open(sealed, context="customers.phone:2")


@pytest.mark.parametrize("where", [-1, -10, len("enc:v1:") + 3])
def test_a_value_altered_anywhere_does_not_open(keys, where):
    sealed = keys.seal(b"secret", context="c")
    altered = sealed[:where] + ("A" if sealed[where] != "A" else "B") + sealed[where + 1 :]

    with pytest.raises(SealedValueInvalid):
        keys.open(altered, context="c")


@pytest.mark.parametrize("junk", ["enc:v1:", "enc:v1:nokey", "enc:v1:kid:!!!", "plain text"])
def test_junk_is_not_a_sealed_value(keys, junk):
    with pytest.raises(SealedValueInvalid):
        keys.open(junk, context="c")


def test_after_a_rotation_the_new_key_seals_and_the_old_one_still_opens(keys):
    old = keys.seal(b"before", context="c")

    new_key = keys.rotate(START + dt.timedelta(days=1))
    new = keys.seal(b"after", context="c")

    assert key_id(new) == new_key.kid != key_id(old)
    assert keys.open(old, context="c") == b"before"
    assert keys.open(new, context="c") == b"after"


def test_another_process_sees_a_rotation_and_a_value_sealed_with_an_unknown_key_does_not_open(tmp_path, monkeypatch):
    monkeypatch.setattr(key_files, "RESCAN_SECONDS", 0)
    first, second = DataKeys(tmp_path), DataKeys(tmp_path)
    first.ensure_key(START)
    second.ensure_key(START)
    assert second.current() == first.current()

    first.rotate(START + dt.timedelta(days=1))

    assert second.current() == first.current()
    with pytest.raises(SealedValueInvalid, match="no data key"):
        DataKeys(tmp_path / "elsewhere").open(first.seal(b"x", context="c"), context="c")


def test_key_files_are_readable_by_their_owner_only(keys):
    [key_file] = keys.directory.glob("*.key")
    assert stat.S_IMODE(key_file.stat().st_mode) == 0o600
    assert stat.S_IMODE(keys.directory.stat().st_mode) == 0o700


def test_a_rotation_on_a_machine_whose_clock_is_behind_still_makes_the_newest_key(keys):
    before = keys.current()

    rotated = keys.rotate(dt.datetime(2001, 1, 1, tzinfo=dt.UTC))

    assert keys.current() == rotated and rotated.kid > before.kid
