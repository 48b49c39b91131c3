"""Per-address rate limits on login, registration and forgot-password (429
RATE_LIMITED), on top of the per-account lockout; and whose address counts."""

from ipaddress import ip_network

from tests.support import API, PASSWORD, assert_problem, bearer, register, unique_email

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


def test_registrations_beyond_the_limit_get_429_with_retry_after(make_app):
    app = make_app(settings_changes={"register_rate_limit": 2})

    created = [register(app.client)["customer"]["email"] for _ in range(2)]
    body = {"email": unique_email(), "password": PASSWORD, "firstName": "Ada", "lastName": "Lovelace"}
    limited = app.client.post(f"{AUTH}/register", json=body)

    assert len(set(created)) == 2
    assert_problem(limited, 429, "RATE_LIMITED")
    assert 1 <= int(limited.headers["retry-after"]) <= 60


def test_forwarding_headers_from_a_client_do_not_give_it_new_addresses(make_app):
    app = make_app(settings_changes={"login_rate_limit": 3})
    unknown = {"email": unique_email(), "password": PASSWORD}

    answers = [app.client.post(f"{AUTH}/login", json=unknown, headers=spoofed(n)).status_code for n in range(5)]

    assert answers == [401, 401, 401, 429, 429]


def test_behind_a_trusted_proxy_each_forwarded_client_has_its_own_limit_and_address(make_app):
    app = make_app(settings_changes={"login_rate_limit": 2, "trusted_proxies": (ip_network("127.0.0.1/32"),)})
    email = unique_email()
    register(app.client, email=email)
    right = {"email": email, "password": PASSWORD}

    first = [app.client.post(f"{AUTH}/login", json=right, headers=spoofed(1)).status_code for _ in range(3)]
    second = app.client.post(f"{AUTH}/login", json=right, headers=spoofed(2))

    assert first == [200, 200, 429]
    assert second.status_code == 200
    sessions = app.client.get(f"{AUTH}/sessions", headers=bearer(second.json()["tokens"])).json()["items"]
    assert {session["ipAddress"] for session in sessions} >= {"203.0.113.1", "203.0.113.2"}


def test_behind_a_proxy_only_the_header_it_writes_is_read_every_line_of_it(make_app):
    app = make_app(settings_changes={"login_rate_limit": 2, "trusted_proxies": (ip_network("127.0.0.1/32"),)})
    unknown = {"email": unique_email(), "password": PASSWORD}

    def attempt(n: int) -> int:
        # The client's own Forwarded and first X-Forwarded-For line vary; the proxy's line does not.
        headers = [("Forwarded", f"for=198.51.100.{n}"), ("X-Forwarded-For", f"198.51.100.{n}")]
        headers.append(("X-Forwarded-For", "203.0.113.50"))
        return app.client.post(f"{AUTH}/login", json=unknown, headers=headers).status_code

    assert [attempt(n) for n in range(4)] == [401, 401, 429, 429]


def test_a_proxy_that_writes_forwarded_is_read_from_it(make_app):
    trusted = (ip_network("127.0.0.1/32"),)
    app = make_app(settings_changes={"trusted_proxies": trusted, "forwarded_header": "forwarded"})
    email = unique_email()
    register(app.client, email=email)

    answer = app.client.post(
        f"{AUTH}/login",
        json={"email": email, "password": PASSWORD},
        headers={"Forwarded": 'for="[2001:db8::9]:443"', "X-Forwarded-For": "203.0.113.8"},
    )

    sessions = app.client.get(f"{AUTH}/sessions", headers=bearer(answer.json()["tokens"])).json()["items"]
    assert "2001:db8::9" in {session["ipAddress"] for session in sessions}
    assert "203.0.113.8" not in {session["ipAddress"] for session in sessions}


def spoofed(n: int) -> dict[str, str]:
    return {"X-Forwarded-For": f"203.0.113.{n}"}
