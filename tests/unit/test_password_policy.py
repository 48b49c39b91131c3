import pytest
from hypothesis import assume, given
from hypothesis import strategies as st

from adapters.security.passwords import common_passwords
from customer_core.passwords import PasswordLength, PasswordPolicy
from customer_core.values import Email

COMMON = common_passwords()
POLICY = PasswordPolicy(common=COMMON)
EMAIL = Email("ada.lovelace@example.com")
TOO_COMMON = "is too common; choose a less guessable password"
CONTAINS_EMAIL = "must not contain the part of your email address before the @"
ANY_CHARACTER = st.characters(exclude_categories=())


def _uncommon(length: int) -> str:
    password = ("Zq8#vK2!mW" * 26)[:length]
    assert password.casefold() not in COMMON
    return password


def test_common_password_list_has_at_least_10000_entries():
    assert len(COMMON) >= 10_000


def test_common_password_list_is_stored_case_folded():
    assert all(word == word.casefold() for word in COMMON)


@pytest.mark.parametrize(("length", "problems"), [(7, ["must be at least 8 characters"]), (8, [])])
def test_minimum_length_is_8_characters(length, problems):
    assert POLICY.problems(_uncommon(length), email=EMAIL) == problems


@pytest.mark.parametrize(("length", "problems"), [(256, []), (257, ["must be at most 256 characters"])])
def test_maximum_length_is_256_characters(length, problems):
    assert POLICY.problems(_uncommon(length), email=EMAIL) == problems


def test_length_is_counted_in_characters_not_bytes():
    assert POLICY.problems("é" * 256, email=EMAIL) == []
    assert POLICY.problems("😀" * 7) == ["must be at least 8 characters"]


@given(st.text(alphabet=ANY_CHARACTER, min_size=8, max_size=256))
def test_any_characters_are_allowed(password):
    folded = password.casefold()
    assume(folded not in COMMON and EMAIL.local_part not in folded)
    assert POLICY.problems(password, email=EMAIL) == []
    assert POLICY.problems(password) == []


@given(st.text(max_size=7))
def test_passwords_under_8_characters_are_rejected(password):
    assert POLICY.problems(password, email=EMAIL) == ["must be at least 8 characters"]


@given(st.text(min_size=257, max_size=400))
def test_passwords_over_256_characters_are_rejected(password):
    assert POLICY.problems(password, email=EMAIL) == ["must be at most 256 characters"]


@pytest.mark.parametrize("password", ["Password1", "PASSWORD1", "password1", "QwertyUIOP", "qwertyuiop"])
def test_common_passwords_are_rejected_in_any_case(password):
    assert password.lower() in COMMON
    assert POLICY.problems(password) == [TOO_COMMON]


COMMON_ASCII = sorted(word for word in COMMON if word.isascii() and 8 <= len(word) <= 256)


@given(st.sampled_from(COMMON_ASCII), st.data())
def test_every_common_password_is_rejected_whatever_its_case(word, data):
    flips = data.draw(st.lists(st.booleans(), min_size=len(word), max_size=len(word)))
    password = "".join(ch.upper() if flip else ch for ch, flip in zip(word, flips, strict=True))
    assert TOO_COMMON in POLICY.problems(password)


@pytest.mark.parametrize("password", ["ada.lovelace-rocks", "my ADA.LOVELACE pass", "xx Ada.Lovelace", "ADA.LOVELACE"])
def test_password_containing_the_email_local_part_is_rejected_in_any_case(password):
    assert POLICY.problems(password, email=EMAIL) == [CONTAINS_EMAIL]


@given(st.text(max_size=100), st.text(max_size=100))
def test_local_part_anywhere_in_the_password_is_rejected(before, after):
    password = before + "Ada.Lovelace" + after
    assume(len(password) <= 256)
    assert CONTAINS_EMAIL in POLICY.problems(password, email=EMAIL)


def test_local_part_is_only_checked_when_an_email_is_given():
    assert POLICY.problems("ada.lovelace-rocks") == []


def test_local_part_shorter_than_3_characters_is_not_checked():
    assert POLICY.problems("jo-fancy-password", email=Email("jo@example.com")) == []
    assert POLICY.problems("bob-fancy-password", email=Email("bob@example.com")) == [CONTAINS_EMAIL]


def test_common_password_that_contains_the_local_part_gets_both_problems():
    email = Email("dragon@example.com")
    assert "dragon12" in COMMON
    assert POLICY.problems("Dragon12", email=email) == [TOO_COMMON, CONTAINS_EMAIL]


def test_too_short_is_the_only_problem_reported_for_a_short_common_password():
    assert "dragon" in COMMON
    assert POLICY.problems("dragon", email=Email("dragon@example.com")) == ["must be at least 8 characters"]


def test_lengths_follow_the_policy_settings():
    policy = PasswordPolicy(common=frozenset(), length=PasswordLength(min_length=12, max_length=20))
    assert policy.problems("a" * 11) == ["must be at least 12 characters"]
    assert policy.problems("a" * 21) == ["must be at most 20 characters"]
    assert policy.problems("a" * 12) == []
