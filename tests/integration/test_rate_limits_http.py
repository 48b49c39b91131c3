"""Per-address rate limits on login and forgot-password (429 RATE_LIMITED),
on top of the per-account lockout."""

from tests.support import API, PASSWORD, assert_problem, register, unique_email

AUTH = f"{API}/auth"


def test_logins_from_one_address_beyond_the_limit_get_429_with_retry_after(make_app):
    app = make_app(settings_changes={"login_rate_limit": 3, "lockout_threshold": 100})
    email = unique_email()
    register(app.client, email=email)
    right = {"email": email, "password": PASSWORD}

    answers = [app.client.post(f"{AUTH}/login", json=right).status_code for _ in range(3)]
    limited = app.client.post(f"{AUTH}/login", json=right)

    assert answers == [200, 200, 200]
    body = assert_problem(limited, 429, "RATE_LIMITED")
    assert "login attempts" in body["detail"]
    assert 1 <= int(limited.headers["retry-after"]) <= 60


def test_the_login_limit_counts_unknown_emails_too(make_app):
    app = make_app(settings_changes={"login_rate_limit": 2})
    unknown = {"email": unique_email(), "password": PASSWORD}

    assert [app.client.post(f"{AUTH}/login", json=unknown).status_code for _ in range(2)] == [401, 401]
    assert_problem(app.client.post(f"{AUTH}/login", json=unknown), 429, "RATE_LIMITED")


def test_forgot_password_requests_beyond_the_limit_get_429(make_app):
    app = make_app(settings_changes={"reset_request_rate_limit": 2})
    body = {"email": unique_email()}

    assert [app.client.post(f"{AUTH}/password/forgot", json=body).status_code for _ in range(2)] == [202, 202]
    limited = app.client.post(f"{AUTH}/password/forgot", json=body)

    assert_problem(limited, 429, "RATE_LIMITED")
    assert "retry-after" in limited.headers
