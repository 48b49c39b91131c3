import os
import sys
import threading
import time

import bcrypt
import pytest
from hypothesis import assume, given, settings
from hypothesis import strategies as st

from adapters.security.passwords import BcryptHasher
from tests.support import legacy_hash

HASHER = BcryptHasher(rounds=4)
ANY_TEXT = st.text(alphabet=st.characters(exclude_categories=()), max_size=300)


@settings(max_examples=50)
@given(ANY_TEXT, ANY_TEXT)
def test_a_password_verifies_against_its_own_hash_and_no_other_password_does(password, other):
    stored = HASHER.hash(password)
    assert HASHER.verify(password, stored)
    assert HASHER.verify(other, stored) is (other == password)


@settings(max_examples=50)
@given(
    st.text(alphabet=st.characters(exclude_categories=()), min_size=72, max_size=200),
    st.text(max_size=20),
    st.text(max_size=20),
)
def test_passwords_sharing_their_first_72_bytes_do_not_verify_against_each_other(prefix, suffix, other_suffix):
    assume(suffix != other_suffix)
    password, other = prefix + suffix, prefix + other_suffix
    assert len(prefix.encode("utf-8", "surrogatepass")) >= 72
    assert not HASHER.verify(other, HASHER.hash(password))
    assert not HASHER.verify(password, HASHER.hash(other))


def test_a_long_password_differing_only_in_its_last_character_does_not_verify():
    password = "p" * 255 + "a"
    stored = HASHER.hash(password)
    assert HASHER.verify(password, stored)
    assert not HASHER.verify("p" * 255 + "b", stored)
    assert not HASHER.verify("p" * 255, stored)


@pytest.mark.parametrize(
    "password",
    ["x" * 256, "é" * 256, "😀" * 256, "пароль-секрет", "密码密码密码密码", "pass\ud800word", "\udfff" * 8, "\x00" * 8],
)
def test_long_non_ascii_and_lone_surrogate_passwords_hash_and_verify(password):
    stored = HASHER.hash(password)
    assert HASHER.verify(password, stored)
    assert not HASHER.verify(password[:-1], stored)


def test_lone_surrogates_are_not_confused_with_each_other():
    assert not HASHER.verify("pass\ud801word", HASHER.hash("pass\ud800word"))


def test_same_password_hashed_twice_gives_two_different_hashes_that_both_verify():
    first, second = HASHER.hash("correct horse"), HASHER.hash("correct horse")
    assert first != second
    assert HASHER.verify("correct horse", first)
    assert HASHER.verify("correct horse", second)


def test_hash_records_the_configured_cost():
    assert "$2b$04$" in HASHER.hash("correct horse")
    assert "$2b$05$" in BcryptHasher(rounds=5).hash("correct horse")


def _stored_hashes() -> dict[str, str]:
    real = HASHER.hash("correct horse")
    return {
        "empty": "",
        "plain password": "correct horse",
        "scheme only": "bcrypt-hmac-sha256$",
        "garbage": "bcrypt-hmac-sha256$garbage",
        "not ascii": "bcrypt-hmac-sha256$é",
        "truncated": real[:-10],
        "impossible cost": real.replace("$04$", "$99$"),
        "bcrypt without the pre-hash": real.removeprefix("bcrypt-hmac-sha256$"),
        "legacy bcrypt of another password": bcrypt.hashpw(b"correct horsf", bcrypt.gensalt(4)).decode(),
        "legacy bcrypt of the $2x$ kind": bcrypt.hashpw(b"correct horse", bcrypt.gensalt(4))
        .decode()
        .replace("2b", "2x"),
        "legacy bcrypt with a bad cost": bcrypt.hashpw(b"correct horse", bcrypt.gensalt(4))
        .decode()
        .replace("04", "99"),
        "argon2": "$argon2id$v=19$m=65536,t=3,p=4$c29tZXNhbHQ$RdescudvJCsgt3ub+b+dWRWJTmaaJObG",
        "pbkdf2": "pbkdf2_sha256$600000$salt$hash",
    }


@pytest.mark.parametrize("stored", list(_stored_hashes().values()), ids=list(_stored_hashes()))
def test_malformed_or_foreign_stored_hash_verifies_false(stored):
    assert HASHER.verify("correct horse", stored) is False


# Made by the previous implementation's libraries on Node.js 20: bcryptjs
# 2.4.3 ($2a$) and bcrypt 6.0.0 ($2b$), as (password, hash).
NODE_HASHES = [
    ("Legacy-Pass-1", "$2a$04$kVshcREVq7v2Y0iicZk/z.tmYzdDp/ohUlFNJmaoxp9JasAlDUx0W"),
    ("été à Zürich 2019", "$2a$05$bPLFKkoZBbXxAaYCsw3Jcepd7rgNS143jj/TBqaCz7543Wwe9bj26"),
    ("x" * 80, "$2a$06$vX7fN5d8Z6tbEdHKaY3jvOG/HmjsgCpnt/cl.UIEcsIH5AnnMdHIe"),
    ("Native-Pass-2", "$2b$04$Oj18WpBeXnAWxdHihaZpZeW0tllOqvZBiH5GoIhLf3.hR5R1ib46C"),
    ("naïve-password", "$2b$05$84ytxFhw6VXd.cWUrlQ8A.i0fRFJJsdkylS0Y0dEcTLy7uOAoQR52"),
    ("pass\ud800word", "$2b$04$5BN0OBNbFx.8BeluJhWcRuGGCX6751N65jK0uOx5jhntQbn8NfJ1q"),
    ("ab\x00cd", "$2b$04$NkgC7lNsAjLBdXk8Boi.feqJCiCVjc4/I8ZQZ/0CevvfeTHJqydZW"),
]


@pytest.mark.parametrize(("password", "stored"), NODE_HASHES, ids=[stored[:7] for _, stored in NODE_HASHES])
def test_hashes_made_on_node_verify_their_password_only(password, stored):
    assert HASHER.verify(password, stored)
    assert not HASHER.verify("!" + password[1:], stored)


@pytest.mark.parametrize("kind", ["2a", "2b", "2y"])
@pytest.mark.parametrize("cost", [4, 5, 6])
def test_legacy_hashes_of_each_kind_and_cost_verify_and_are_replaced_by_ours(kind, cost):
    stored = legacy_hash(kind, cost, "Legacy-Pass-1")
    assert stored.startswith(f"${kind}${cost:02d}$")

    assert HASHER.verify("Legacy-Pass-1", stored)
    assert not HASHER.verify("Legacy-Pass-2", stored)
    replacement = HASHER.rehash("Legacy-Pass-1", stored)
    assert replacement.startswith("bcrypt-hmac-sha256$$2b$04$")
    assert HASHER.verify("Legacy-Pass-1", replacement)


def test_legacy_hashes_read_the_first_72_bytes_as_bcrypt_on_node_did():
    stored = legacy_hash("2b", 4, "y" * 72)
    assert HASHER.verify("y" * 72 + "anything after", stored)
    assert not HASHER.verify("y" * 71, stored)


@pytest.mark.parametrize(
    ("rounds", "stored_with", "replaced"), [(4, 4, False), (4, 5, True), (5, 4, True), (6, 6, False)]
)
def test_a_hash_of_another_cost_is_replaced_at_this_hashers_cost(rounds, stored_with, replaced):
    stored = BcryptHasher(rounds=stored_with).hash("correct horse")
    replacement = BcryptHasher(rounds=rounds).rehash("correct horse", stored)
    assert (replacement is not None) is replaced
    assert replacement is None or f"$2b${rounds:02d}$" in replacement


def test_a_legacy_hash_of_a_password_longer_than_72_bytes_is_kept():
    password = "p" * 72 + "and more"
    assert HASHER.rehash(password, legacy_hash("2b", 4, password)) is None
    assert HASHER.rehash("p" * 72, legacy_hash("2b", 4, "p" * 72)) is not None


def test_a_cheap_legacy_hash_takes_as_long_to_check_as_one_of_ours():
    hasher = BcryptHasher(rounds=10)
    ours = hasher.hash("correct horse")
    started = time.perf_counter()
    hasher.verify("wrong horse", ours)
    our_check = time.perf_counter() - started

    started = time.perf_counter()
    hasher.verify("wrong horse", legacy_hash("2b", 4, "correct horse"))
    legacy_check = time.perf_counter() - started

    assert legacy_check >= 0.5 * our_check


@pytest.mark.parametrize("rounds", [3, 32, 0, -1])
def test_cost_outside_bcrypt_range_is_refused(rounds):
    with pytest.raises(ValueError, match="between 4 and 31"):
        BcryptHasher(rounds=rounds)


@pytest.mark.skipif(sys.platform != "linux", reason="thread priorities are per thread on Linux")
def test_hashes_run_on_threads_that_yield_the_cpu_to_the_rest():
    hasher = BcryptHasher(rounds=4, parallelism=1)

    hasher.verify("a password", hasher.hash("a password"))

    hashing = [thread for thread in threading.enumerate() if thread.name.startswith("bcrypt")]
    assert hashing and all(os.getpriority(os.PRIO_PROCESS, thread.native_id) == 10 for thread in hashing)
