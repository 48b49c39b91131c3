"""Access tokens as JWTs (RFC 9068 profile) signed with Ed25519."""

from __future__ import annotations

import datetime as dt
import secrets
import threading
from collections import OrderedDict
from typing import Any

import jwt

from adapters.security.keys import KeyRing
from customer_core.clients import CLIENT_TOKEN_TTL, ClientClaims, Scope, scope_text
from customer_core.errors import TokenInvalid
from customer_core.tokens import AccessClaims, IssuedAccessToken
from customer_core.values import Id

ALGORITHM = "EdDSA"
TOKEN_TYPE = "at+jwt"
REQUIRED_CLAIMS = ["iss", "sub", "aud", "exp", "iat", "jti", "sid"]
# A service client's token (client-credentials grant) has no session.
REQUIRED_CLIENT_CLAIMS = ["iss", "sub", "aud", "exp", "iat", "jti", "client_id", "scope"]
# Tolerated clock difference between this service and its peers.
_LEEWAY = dt.timedelta(seconds=30)


def _is_access_token_type(typ: object) -> bool:
    """RFC 9068: 'at+jwt', or its full media type; media types ignore case."""
    return isinstance(typ, str) and typ.lower().removeprefix("application/") == TOKEN_TYPE


class JwtAccessTokens:
    """A client presents the same access token many times: its header and
    signature are checked once and remembered (the last ``REMEMBERED``
    tokens) while its key is on the ring; its times are checked every time."""

    REMEMBERED = 4096

    def __init__(self, *, keys: KeyRing, issuer: str, audience: str, ttl: dt.timedelta) -> None:
        self._keys = keys
        self._issuer = issuer
        self._audience = audience
        self._ttl = ttl
        self._checked: OrderedDict[str, tuple[str, dict[str, Any]]] = OrderedDict()
        self._lock = threading.Lock()

    def issue(self, *, customer_id: Id, session_id: Id, now: dt.datetime) -> IssuedAccessToken:
        return self._issue(customer_id, self._ttl, now, sid=session_id)

    def issue_for_client(self, *, client_id: Id, scopes: frozenset[Scope], now: dt.datetime) -> IssuedAccessToken:
        return self._issue(client_id, CLIENT_TOKEN_TTL, now, client_id=client_id, scope=scope_text(scopes))

    def _issue(self, subject: Id, ttl: dt.timedelta, now: dt.datetime, **extra: str) -> IssuedAccessToken:
        key = self._keys.signing_key()
        issued_at = int(now.timestamp())
        expires_in = int(ttl.total_seconds())
        claims = {
            "iss": self._issuer,
            "sub": subject,
            "aud": self._audience,
            "iat": issued_at,
            "exp": issued_at + expires_in,
            "jti": secrets.token_urlsafe(16),
            **extra,
        }
        token = jwt.encode(claims, key.private_key, algorithm=ALGORITHM, headers={"kid": key.kid, "typ": TOKEN_TYPE})
        return IssuedAccessToken(token=token, expires_in=expires_in)

    def verify(self, token: str, *, now: dt.datetime) -> AccessClaims:
        claims = self._current_claims(token, now, REQUIRED_CLAIMS)
        if "client_id" in claims or not isinstance(claims["sid"], str):
            raise TokenInvalid()
        return AccessClaims(
            subject=Id(claims["sub"]), session_id=Id(claims["sid"]), token_id=claims["jti"], expires_at=claims["exp"]
        )

    def verify_client(self, token: str, *, now: dt.datetime) -> ClientClaims:
        claims = self._current_claims(token, now, REQUIRED_CLIENT_CLAIMS)
        client_id, scope = claims["client_id"], claims["scope"]
        if (
            "sid" in claims
            or not isinstance(client_id, str)
            or client_id != claims["sub"]
            or not isinstance(scope, str)
        ):
            raise TokenInvalid()
        try:
            scopes = frozenset(Scope(name) for name in scope.split())
        except ValueError:
            raise TokenInvalid() from None
        return ClientClaims(client_id=Id(client_id), scopes=scopes, expires_at=claims["exp"])

    def _current_claims(self, token: str, now: dt.datetime, required: list[str]) -> dict[str, Any]:
        """The claims of a genuine token that has ``required`` and is current at ``now``."""
        claims = self._signed_claims(token)
        if any(name not in claims for name in required):
            raise TokenInvalid()
        exp, iat, sub, jti = (claims[name] for name in ("exp", "iat", "sub", "jti"))
        nbf = claims.get("nbf", iat)  # ours never carry one; another issuer's might
        timestamp = now.timestamp()
        if not all(isinstance(v, int) for v in (exp, iat, nbf)) or not all(isinstance(v, str) for v in (sub, jti)):
            raise TokenInvalid()
        leeway = _LEEWAY.total_seconds()
        if exp <= timestamp - leeway or iat > timestamp + leeway or nbf > timestamp + leeway:
            raise TokenInvalid()
        return claims

    def _signed_claims(self, token: str) -> dict[str, Any]:
        """The claims of a token whose header, signature, issuer and audience
        are right; raise ``TokenInvalid`` otherwise."""
        with self._lock:
            remembered = self._checked.get(token)
            if remembered is not None:
                self._checked.move_to_end(token)
        if remembered is not None and self._keys.find(remembered[0]) is not None:
            return remembered[1]
        try:
            header = jwt.get_unverified_header(token)
            if not _is_access_token_type(header.get("typ")) or header.get("alg") != ALGORITHM:
                raise TokenInvalid()
            key = self._keys.find(header.get("kid", ""))
            if key is None:
                raise TokenInvalid()
            claims = jwt.decode(
                token,
                key.public_key,
                algorithms=[ALGORITHM],
                audience=self._audience,
                issuer=self._issuer,
                # Time claims are checked in verify, against the injected clock.
                options={"verify_exp": False, "verify_iat": False, "verify_nbf": False},
            )
        except (jwt.PyJWTError, ValueError, TypeError):
            raise TokenInvalid() from None
        with self._lock:
            self._checked[token] = (key.kid, claims)
            if len(self._checked) > self.REMEMBERED:
                self._checked.popitem(last=False)
        return claims
