"""Two API instances on one database, as behind a load balancer: whatever
one of them counts or ends, the other sees at once. (The outbox shared by
two dispatching instances: ``test_outbox_reliability.py``.)"""

from __future__ import annotations

import pytest

from tests.support import API, PASSWORD, assert_problem, bearer, register, unique_email

AUTH = f"{API}/auth"


@pytest.fixture
def pair(make_app):
    changes = {"lockout_threshold": 3, "login_rate_limit": 6}
    return make_app(settings_changes=changes).client, make_app(settings_changes=changes).client


def test_a_lockout_counts_wrong_passwords_sent_to_either_instance(pair):
    email = unique_email()
    register(pair[0], email=email)

    for n in range(3):
        pair[n % 2].post(f"{AUTH}/login", json={"email": email, "password": "not the password"})

    for instance in pair:
        locked = instance.post(f"{AUTH}/login", json={"email": email, "password": PASSWORD})
        assert_problem(locked, 401, "INVALID_CREDENTIALS")


def test_a_rate_limit_counts_requests_to_either_instance(pair):
    email = unique_email()
    register(pair[0], email=email)

    answers = [pair[n % 2].post(f"{AUTH}/login", json={"email": email, "password": PASSWORD}) for n in range(7)]

    assert [answer.status_code for answer in answers] == [200] * 6 + [429]


def test_a_session_from_one_instance_works_on_the_other_until_a_logout_on_either(pair):
    tokens = register(pair[0])["tokens"]

    read_elsewhere = pair[1].get(f"{API}/me", headers=bearer(tokens))
    refreshed = pair[1].post(f"{AUTH}/refresh", json={"refreshToken": tokens["refreshToken"]}).json()["tokens"]
    logged_out = pair[1].post(f"{AUTH}/logout", headers=bearer(refreshed))

    assert read_elsewhere.status_code == 200 and logged_out.status_code == 204
    assert_problem(pair[0].get(f"{API}/me", headers=bearer(refreshed)), 401, "UNAUTHENTICATED")
    assert_problem(pair[0].get(f"{API}/me", headers=bearer(tokens)), 401, "UNAUTHENTICATED")
