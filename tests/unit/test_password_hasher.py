import bcrypt
import pytest
from hypothesis import assume, given, settings
from hypothesis import strategies as st

from adapters.security.passwords import BcryptHasher

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
        "bcrypt of the raw password": bcrypt.hashpw(b"correct horse", bcrypt.gensalt(4)).decode(),
        "argon2": "$argon2id$v=19$m=65536,t=3,p=4$c29tZXNhbHQ$RdescudvJCsgt3ub+b+dWRWJTmaaJObG",
        "pbkdf2": "pbkdf2_sha256$600000$salt$hash",
    }


@pytest.mark.parametrize("stored", list(_stored_hashes().values()), ids=list(_stored_hashes()))
def test_malformed_or_foreign_stored_hash_verifies_false(stored):
    assert HASHER.verify("correct horse", stored) is False


@pytest.mark.parametrize("rounds", [3, 32, 0, -1])
def test_cost_outside_bcrypt_range_is_refused(rounds):
    with pytest.raises(ValueError, match="between 4 and 31"):
        BcryptHasher(rounds=rounds)
