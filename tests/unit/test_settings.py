import base64
import datetime as dt
from decimal import Decimal
from ipaddress import ip_network
from pathlib import Path

import pytest

from entrypoints.settings import Settings, SettingsError


def test_defaults_without_environment():
    settings = Settings.from_env({})
    assert settings == Settings()
    assert (settings.host, settings.port) == ("127.0.0.1", 3001)
    assert settings.mongodb_uri is None
    assert settings.data_dir == Path("var")
    assert settings.db_name == "customer_service"
    assert (settings.notifications_url, settings.media_url) == (None, None)
    assert settings.public_url == "http://localhost:3001"
    assert settings.bcrypt_rounds == 12
    assert (settings.lockout_threshold, settings.lockout_seconds) == (5, 900)
    assert settings.access_ttl == dt.timedelta(hours=24)
    assert settings.refresh_ttl == dt.timedelta(days=7)
    assert settings.token_audience == "customer-service"
    assert settings.log_level == "INFO"
    assert (settings.login_rate_limit, settings.reset_request_rate_limit, settings.register_rate_limit) == (60, 10, 10)
    assert settings.session_max_seconds == 30 * 24 * 3600
    assert settings.trusted_proxies == ()


def test_issuer_defaults_to_the_public_url_and_keys_live_in_the_data_dir():
    settings = Settings.from_env({"CS_PUBLIC_URL": "https://shop.example", "CS_DATA_DIR": "/srv/cs"})
    assert settings.issuer == "https://shop.example"
    assert settings.signing_keys_dir == Path("/srv/cs/keys")


@pytest.mark.parametrize(
    ("variable", "raw", "attribute", "expected"),
    [
        ("CS_HOST", "0.0.0.0", "host", "0.0.0.0"),
        ("CS_PORT", "8080", "port", 8080),
        ("CS_MONGODB_URI", "mongodb://db:27017/?replicaSet=rs0", "mongodb_uri", "mongodb://db:27017/?replicaSet=rs0"),
        ("CS_DATA_DIR", "/srv/customer-service", "data_dir", Path("/srv/customer-service")),
        ("CS_DB_NAME", "customers_test", "db_name", "customers_test"),
        ("CS_NOTIFICATIONS_URL", "http://notifications:4000/", "notifications_url", "http://notifications:4000"),
        ("CS_MEDIA_URL", "https://media.internal", "media_url", "https://media.internal"),
        ("CS_PUBLIC_URL", "https://shop.example/", "public_url", "https://shop.example"),
        ("CS_BCRYPT_ROUNDS", "10", "bcrypt_rounds", 10),
        ("CS_WORKERS", "4", "workers", 4),
        ("CS_LOCKOUT_THRESHOLD", "3", "lockout_threshold", 3),
        ("CS_LOCKOUT_SECONDS", "60", "lockout_seconds", 60),
        ("CS_ACCESS_TOKEN_TTL", "600", "access_token_ttl", 600),
        ("CS_REFRESH_TOKEN_TTL", "86400", "refresh_token_ttl", 86400),
        ("CS_TOKEN_ISSUER", "https://auth.example", "issuer", "https://auth.example"),
        ("CS_TOKEN_AUDIENCE", "shop-api", "token_audience", "shop-api"),
        ("CS_KEYS_DIR", "/run/secrets/keys", "signing_keys_dir", Path("/run/secrets/keys")),
        ("CS_LOG_LEVEL", "debug", "log_level", "DEBUG"),
        ("CS_LOG_FORMAT", "TEXT", "log_format", "text"),
        ("CS_LOG_LEVEL", "info, pymongo.command=debug", "log_level", "INFO,pymongo.command=DEBUG"),
        ("CS_REGISTER_RATE_LIMIT", "25", "register_rate_limit", 25),
        ("CS_SESSION_MAX_SECONDS", "86400", "session_max_seconds", 86400),
        ("CS_FORWARDED_HEADER", "Forwarded", "forwarded_header", "forwarded"),
        ("CS_AUDIT_RETENTION_DAYS", "30", "audit_retention_days", 30),
        ("CS_CONSENT_POLICY_VERSION", "2026-11", "consent_policy_version", "2026-11"),
        (
            "CS_TRUSTED_PROXIES",
            "10.0.0.1, 192.168.0.0/16,2001:db8::/32",
            "trusted_proxies",
            (ip_network("10.0.0.1/32"), ip_network("192.168.0.0/16"), ip_network("2001:db8::/32")),
        ),
    ],
)
def test_each_variable_is_parsed(variable, raw, attribute, expected):
    assert getattr(Settings.from_env({variable: raw}), attribute) == expected


def test_durations_are_given_as_timedeltas():
    settings = Settings.from_env({"CS_ACCESS_TOKEN_TTL": "600", "CS_REFRESH_TOKEN_TTL": "3600"})
    assert (settings.access_ttl, settings.refresh_ttl) == (dt.timedelta(minutes=10), dt.timedelta(hours=1))


def test_values_are_trimmed_and_blank_values_mean_the_default():
    settings = Settings.from_env({"CS_PORT": " 8080 ", "CS_DB_NAME": "  ", "CS_MONGODB_URI": ""})
    assert settings.port == 8080
    assert settings.db_name == "customer_service"
    assert settings.mongodb_uri is None


def test_variables_without_the_prefix_are_ignored():
    assert Settings.from_env({"PORT": "9000", "cs_port": "9000", "CS_UNKNOWN": "x"}) == Settings()


@pytest.mark.parametrize(
    ("variable", "raw"),
    [
        ("CS_PORT", "abc"),
        ("CS_PORT", "-1"),
        ("CS_PORT", "65536"),
        ("CS_PORT", "80.5"),
        ("CS_BCRYPT_ROUNDS", "-4"),
        ("CS_WORKERS", "0"),
        ("CS_WORKERS", "65"),
        ("CS_WORKERS", "two"),
        ("CS_BCRYPT_ROUNDS", "0"),
        ("CS_BCRYPT_ROUNDS", "3"),
        ("CS_BCRYPT_ROUNDS", "32"),
        ("CS_BCRYPT_ROUNDS", "twelve"),
        ("CS_LOCKOUT_THRESHOLD", "0"),
        ("CS_LOCKOUT_SECONDS", "-900"),
        ("CS_ACCESS_TOKEN_TTL", "1h"),
        ("CS_REFRESH_TOKEN_TTL", "0"),
        ("CS_PUBLIC_URL", "localhost:3001"),
        ("CS_PUBLIC_URL", "ftp://files.example"),
        ("CS_NOTIFICATIONS_URL", "notifications:4000"),
        ("CS_MEDIA_URL", "//media"),
        ("CS_LOG_LEVEL", "verbose"),
        ("CS_LOG_FORMAT", "yaml"),
        ("CS_LOG_LEVEL", "DEBUG,pymongo"),
        ("CS_LOG_LEVEL", "DEBUG,=INFO"),
        ("CS_LOG_LEVEL", "DEBUG,pymongo=LOUD"),
        ("CS_TRUSTED_PROXIES", "10.0.0.1,proxy.internal"),
        ("CS_TRUSTED_PROXIES", "10.0.0.0/33"),
        ("CS_REGISTER_RATE_LIMIT", "0"),
        ("CS_SESSION_MAX_SECONDS", "-1"),
        ("CS_FORWARDED_HEADER", "X-Real-IP"),
        ("CS_AUDIT_RETENTION_DAYS", "0"),
        ("CS_EVENTS_URL", "receiver.internal/hooks"),
        ("CS_EVENTS_URL", "https:///hooks"),
        ("CS_BASE_CURRENCY", "dollars"),
        ("CS_LOYALTY_POINTS_PER_UNIT", "-1"),
        ("CS_LOYALTY_POINTS_PER_UNIT", "1001"),
        ("CS_LOYALTY_POINTS_PER_UNIT", "NaN"),
        ("CS_LOYALTY_POINTS_PER_UNIT", "lots"),
    ],
)
def test_invalid_value_is_refused_naming_the_variable(variable, raw):
    with pytest.raises(SettingsError) as error:
        Settings.from_env({variable: raw})
    message = str(error.value)
    assert message.startswith(f"{variable}=")
    assert raw in message
    assert "must" in message or "invalid" in message


EVENTS_SECRET = "whsec_" + base64.b64encode(bytes(range(32))).decode()


def test_customer_events_take_a_url_kept_as_given_and_a_secret_never_shown():
    settings = Settings.from_env(
        {"CS_EVENTS_URL": "https://receiver.internal/hooks/", "CS_EVENTS_SECRET": EVENTS_SECRET}
    )

    assert (settings.events_url, settings.events_secret) == ("https://receiver.internal/hooks/", EVENTS_SECRET)
    assert EVENTS_SECRET not in repr(settings)


@pytest.mark.parametrize(
    "environment", [{"CS_EVENTS_URL": "https://receiver.internal/hooks"}, {"CS_EVENTS_SECRET": EVENTS_SECRET}]
)
def test_an_events_url_without_a_secret_or_a_secret_without_a_url_is_refused(environment):
    with pytest.raises(SettingsError) as error:
        Settings.from_env(environment)

    assert "CS_EVENTS_URL and CS_EVENTS_SECRET" in str(error.value)
    assert EVENTS_SECRET not in str(error.value)


@pytest.mark.parametrize("secret", ["a passphrase, not base64", "whsec_" + base64.b64encode(b"too short").decode()])
def test_an_events_secret_that_is_not_a_standard_webhooks_secret_is_refused_without_showing_it(secret):
    with pytest.raises(SettingsError) as error:
        Settings.from_env({"CS_EVENTS_URL": "https://receiver.internal/hooks", "CS_EVENTS_SECRET": secret})

    assert str(error.value).startswith("CS_EVENTS_SECRET must be")
    assert secret.removeprefix("whsec_") not in str(error.value)


def test_unparseable_number_is_reported_without_python_internals():
    with pytest.raises(SettingsError) as error:
        Settings.from_env({"CS_PORT": "abc"})
    assert str(error.value) == "CS_PORT='abc' has an invalid value"


@pytest.mark.parametrize(
    ("public_url", "port", "warned"),
    [
        ("http://localhost:3001", 3001, False),
        ("http://localhost:3001", 4000, True),
        ("http://127.0.0.1:8080", 3001, True),
        ("http://localhost", 4000, False),  # no port given: a proxy's business
        ("https://shop.example.com:8443", 4000, False),  # another host: a proxy in front
    ],
)
def test_a_public_url_on_this_machine_but_another_port_is_warned_about(public_url, port, warned):
    warning = Settings(public_url=public_url, port=port).public_url_mismatch()

    assert (warning is not None) == warned
    if warned:
        assert "CS_PUBLIC_URL" in warning and str(port) in warning


def test_the_base_currency_and_points_per_unit_are_read_exactly():
    settings = Settings.from_env({"CS_BASE_CURRENCY": "eur", "CS_LOYALTY_POINTS_PER_UNIT": "0.5"})

    assert (settings.base_currency, settings.loyalty_points_per_unit) == ("EUR", Decimal("0.5"))
    assert (Settings().base_currency, Settings().loyalty_points_per_unit) == ("USD", Decimal(1))
