"""Settings from ``CS_*`` environment variables (see the README's table)."""

from __future__ import annotations

import datetime as dt
import ipaddress
import logging
import os
from collections.abc import Callable, Mapping
from decimal import Decimal, InvalidOperation
from pathlib import Path
from typing import Any, TypeVar
from urllib.parse import urlsplit

import attrs

from adapters.notifications.webhooks import signing_key
from customer_core.values import Currency
from entrypoints.logs import FORMATS

T = TypeVar("T")
IPNetwork = ipaddress.IPv4Network | ipaddress.IPv6Network


MAX_WORKERS = 64


class SettingsError(ValueError):
    pass


@attrs.frozen(kw_only=True)
class Settings:
    host: str = "127.0.0.1"
    port: int = 3001
    workers: int = 1
    mongodb_uri: str | None = None
    data_dir: Path = Path("var")
    db_name: str = "customer_service"
    notifications_url: str | None = None
    media_url: str | None = None
    events_url: str | None = None
    events_secret: str | None = attrs.field(default=None, repr=False)
    public_url: str = "http://localhost:3001"
    bcrypt_rounds: int = 12
    lockout_threshold: int = 5
    lockout_seconds: int = 900
    access_token_ttl: int = 24 * 3600
    refresh_token_ttl: int = 7 * 24 * 3600
    token_issuer: str | None = None
    token_audience: str = "customer-service"
    keys_dir: Path | None = None
    data_keys_dir: Path | None = None
    log_level: str = "INFO"
    log_format: str = "json"
    require_verified_email: bool = False
    outbox_max_attempts: int = 12
    outbox_dispatcher: bool = True
    outbox_retry_base_seconds: float = 2.0
    outbox_retry_max_seconds: float = 900.0
    outbox_lease_seconds: float = 30.0
    notifications_timeout_seconds: float = 5.0
    media_timeout_seconds: float = 3.0
    login_rate_limit: int = 60
    reset_request_rate_limit: int = 10
    register_rate_limit: int = 10
    session_max_seconds: int = 30 * 24 * 3600
    trusted_proxies: tuple[IPNetwork, ...] = ()
    forwarded_header: str = "x-forwarded-for"
    hashing_queue_seconds: float = 3.0
    audit_retention_days: int = 365
    consent_policy_version: str = "1"
    base_currency: str = "USD"
    loyalty_points_per_unit: Decimal = Decimal(1)

    @property
    def issuer(self) -> str:
        return self.token_issuer or self.public_url

    @property
    def cores(self) -> int:
        """This process's share of the machine's cores (for password hashing)."""
        return max(1, (os.cpu_count() or 1) // self.workers)

    def public_url_mismatch(self) -> str | None:
        """A warning when CS_PUBLIC_URL names this machine on another port
        than CS_PORT: emailed links and the token issuer would point there."""
        public = urlsplit(self.public_url)
        if public.hostname not in ("localhost", "127.0.0.1", "::1") or public.port in (None, self.port):
            return None
        return (
            f"CS_PUBLIC_URL is {self.public_url} but the service listens on port {self.port}: "
            "emailed links and the token issuer point at the other port; set CS_PUBLIC_URL too"
        )

    @property
    def signing_keys_dir(self) -> Path:
        return self.keys_dir or self.data_dir / "keys"

    @property
    def data_keys_directory(self) -> Path:
        return self.data_keys_dir or self.data_dir / "data-keys"

    @property
    def access_ttl(self) -> dt.timedelta:
        return dt.timedelta(seconds=self.access_token_ttl)

    @property
    def refresh_ttl(self) -> dt.timedelta:
        return dt.timedelta(seconds=self.refresh_token_ttl)

    @property
    def audit_retention(self) -> dt.timedelta:
        return dt.timedelta(days=self.audit_retention_days)

    @classmethod
    def from_env(cls, env: Mapping[str, str]) -> Settings:
        values: dict[str, Any] = {}
        for field in attrs.fields(cls):
            raw = env.get("CS_" + field.name.upper())
            if raw is None or raw.strip() == "":
                continue
            values[field.name] = _convert(field.name, _PARSERS.get(field.name, str), raw.strip())
        settings = cls(**values)
        if settings.notifications_timeout_seconds >= settings.outbox_lease_seconds:
            # Else a slow delivery outlives its lease and another dispatcher sends the message again.
            raise SettingsError("CS_NOTIFICATIONS_TIMEOUT_SECONDS must be shorter than CS_OUTBOX_LEASE_SECONDS")
        if (settings.events_url is None) != (settings.events_secret is None):
            raise SettingsError(
                "CS_EVENTS_URL and CS_EVENTS_SECRET go together: set both to send customer events, or neither"
            )
        return settings


def _positive_int(raw: str) -> int:
    value = int(raw)
    if value < 1:
        raise ValueError("must be a positive whole number")
    return value


def _port(raw: str) -> int:
    value = int(raw)
    if not 0 <= value <= 65535:
        raise ValueError("must be a port number")
    return value


def _workers(raw: str) -> int:
    value = int(raw)
    if not 1 <= value <= MAX_WORKERS:
        raise ValueError(f"must be a number of processes between 1 and {MAX_WORKERS}")
    return value


def _bcrypt_rounds(raw: str) -> int:
    value = int(raw)
    if not 4 <= value <= 31:
        raise ValueError("must be a bcrypt cost between 4 and 31")
    return value


def log_levels(spec: str) -> tuple[str, dict[str, str]]:
    """'DEBUG,pymongo.command=DEBUG' -> ('DEBUG', {'pymongo.command': 'DEBUG'}):
    the level of everything, then of loggers named one by one."""
    known = logging.getLevelNamesMapping()
    root, *named = (part.strip() for part in spec.split(","))
    levels = {}
    for item in named:
        name, _, level = item.partition("=")
        levels[name.strip()] = level.strip().upper()
    if root.upper() not in known or not all(name and level in known for name, level in levels.items()):
        raise ValueError("must be a logging level such as INFO or DEBUG, then any logger=LEVEL, comma-separated")
    return root.upper(), levels


def _log_level(raw: str) -> str:
    root, named = log_levels(raw)
    return ",".join([root, *(f"{name}={level}" for name, level in named.items())])


def _log_format(raw: str) -> str:
    if raw.lower() not in FORMATS:
        raise ValueError(f"must be one of {', '.join(FORMATS)}")
    return raw.lower()


def _positive_seconds(raw: str) -> float:
    value = float(raw)
    if not value > 0:
        raise ValueError("must be a positive number of seconds")
    return value


def _boolean(raw: str) -> bool:
    if raw.lower() in ("1", "true", "yes", "on"):
        return True
    if raw.lower() in ("0", "false", "no", "off"):
        return False
    raise ValueError("must be true or false")


def _networks(raw: str) -> tuple[IPNetwork, ...]:
    try:
        return tuple(ipaddress.ip_network(part.strip(), strict=False) for part in raw.split(",") if part.strip())
    except ValueError:
        raise ValueError("must be IP addresses or CIDR networks, comma-separated") from None


def _forwarded_header(raw: str) -> str:
    if raw.lower() not in ("x-forwarded-for", "forwarded"):
        raise ValueError("must be X-Forwarded-For or Forwarded")
    return raw.lower()


def _currency(raw: str) -> str:
    return Currency(raw).value


# A billion-unit order then earns at most 10^12 points: far inside MongoDB's 64-bit integers.
MAX_POINTS_PER_UNIT = 1000


def _points_per_unit(raw: str) -> Decimal:
    try:
        value = Decimal(raw.strip())
    except InvalidOperation:
        raise ValueError("must be a number of points, 0 or more") from None
    if not value.is_finite() or not 0 <= value <= MAX_POINTS_PER_UNIT:
        raise ValueError(f"must be a number of points from 0 to {MAX_POINTS_PER_UNIT}")
    return value


def _events_url(raw: str) -> str:
    """Kept as given (a receiver may care about a trailing slash)."""
    parts = urlsplit(raw)
    if parts.scheme not in ("http", "https") or not parts.hostname:
        raise ValueError("must be an http(s) URL")
    return raw


def _events_secret(raw: str) -> str:
    signing_key(raw)
    return raw


def _url(raw: str) -> str:
    if not raw.startswith(("http://", "https://")):
        raise ValueError("must be an http(s) URL")
    return raw.rstrip("/")


_PARSERS: dict[str, Callable[[str], Any]] = {
    "port": _port,
    "workers": _workers,
    "data_dir": Path,
    "keys_dir": Path,
    "data_keys_dir": Path,
    "notifications_url": _url,
    "media_url": _url,
    "events_url": _events_url,
    "events_secret": _events_secret,
    "public_url": _url,
    "bcrypt_rounds": _bcrypt_rounds,
    "lockout_threshold": _positive_int,
    "lockout_seconds": _positive_int,
    "access_token_ttl": _positive_int,
    "refresh_token_ttl": _positive_int,
    "log_level": _log_level,
    "log_format": _log_format,
    "require_verified_email": _boolean,
    "outbox_max_attempts": _positive_int,
    "outbox_dispatcher": _boolean,
    "outbox_retry_base_seconds": _positive_seconds,
    "outbox_retry_max_seconds": _positive_seconds,
    "outbox_lease_seconds": _positive_seconds,
    "notifications_timeout_seconds": _positive_seconds,
    "media_timeout_seconds": _positive_seconds,
    "login_rate_limit": _positive_int,
    "reset_request_rate_limit": _positive_int,
    "register_rate_limit": _positive_int,
    "session_max_seconds": _positive_int,
    "trusted_proxies": _networks,
    "forwarded_header": _forwarded_header,
    "hashing_queue_seconds": _positive_seconds,
    "audit_retention_days": _positive_int,
    "base_currency": _currency,
    "loyalty_points_per_unit": _points_per_unit,
}


# Settings whose values an error message never shows.
_SECRET = frozenset({"events_secret"})


def _convert(name: str, parser: Callable[[str], T], raw: str) -> T:
    try:
        return parser(raw)
    except ValueError as error:
        message = str(error) if "must" in str(error) else "has an invalid value"
        shown = "" if name in _SECRET else f"={raw!r}"
        raise SettingsError(f"CS_{name.upper()}{shown} {message}") from None
