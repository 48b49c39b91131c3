"""Login latency does not tell whether an account exists: at production cost,
the medians of unknown-email and wrong-password logins are within 10% of
each other. It takes about two minutes, so ``make timing`` runs it, not
``make test``."""

import statistics
import time

import pytest

from tests.support import API, register, unique_email

pytestmark = [pytest.mark.timing, pytest.mark.timeout(900)]

TRIES = 200


def test_unknown_email_and_wrong_password_take_the_same_time(make_app):
    app = make_app(
        settings_changes={"bcrypt_rounds": 12, "lockout_threshold": 1_000_000, "login_rate_limit": 1_000_000}
    )
    known = unique_email("known")
    register(app.client, email=known)
    unknown = unique_email("nobody")

    def login_ms(email: str) -> float:
        started = time.perf_counter()
        answer = app.client.post(f"{API}/auth/login", json={"email": email, "password": "not the password 9"})
        elapsed = (time.perf_counter() - started) * 1000
        assert answer.status_code == 401
        return elapsed

    timings: dict[str, list[float]] = {known: [], unknown: []}
    for n in range(TRIES):
        # Alternating which goes first keeps drift (CPU frequency, caches) out of the comparison.
        for email in (known, unknown) if n % 2 else (unknown, known):
            timings[email].append(login_ms(email))

    known_median, unknown_median = statistics.median(timings[known]), statistics.median(timings[unknown])
    difference = abs(known_median - unknown_median) / max(known_median, unknown_median)
    print(f"median login: wrong password {known_median:.1f} ms, unknown email {unknown_median:.1f} ms")
    assert difference < 0.10, f"wrong password {known_median:.1f} ms, unknown email {unknown_median:.1f} ms"
