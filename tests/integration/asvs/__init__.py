"""OWASP ASVS 5.0.0 over real HTTP: chapters V6 (Authentication), V7
(Session Management), V8 (Authorization) and V9 (Self-contained Tokens).

One test, or one parametrized case, per requirement that applies to this
service, named with the requirement's id; its docstring quotes the
requirement (wording from OWASP/ASVS, 5.0/docs_en/
OWASP_Application_Security_Verification_Standard_5.0.0_en.csv). Each
chapter's module lists, at its top, the requirements that do not apply and
why. Many rules are tested more thoroughly elsewhere (tests/unit, the other
integration tests); these cases are the auditor's map: short, over HTTP,
each one able to fail.

The helpers below are shared by the four modules."""

from __future__ import annotations

import datetime as dt
import re
from pathlib import Path
from typing import Any

import httpx
import jwt

from adapters.memory import ManualClock
from adapters.security.keys import KeyRing, SigningKey
from customer_core.outbox import Status
from entrypoints.settings import Settings
from tests.support import API, PASSWORD, assert_problem, bearer

AUTH = f"{API}/auth"
ME = f"{API}/me"
ROOT = Path(__file__).resolve().parents[3]
README = ROOT / "README.md"
# Far from the real date, so no TTL index of the store removes what the
# manual clock still considers alive.
FAR_FUTURE = dt.datetime(2100, 1, 1, tzinfo=dt.UTC)


def manual_clock() -> ManualClock:
    return ManualClock(FAR_FUTURE)


def quiet_app(make_app: Any, clock: Any = None, **settings_changes: Any) -> Any:
    """An app whose outgoing messages stay in the outbox (no dispatcher), so
    a test reads emailed links and notifications there, at once."""
    overrides = {"clock": clock} if clock is not None else {}
    return make_app(settings_changes={"outbox_dispatcher": False, **settings_changes}, **overrides)


def emails(app: Any, template: str | None = None, to: str | None = None) -> list[Any]:
    """Messages waiting in the outbox of a ``quiet_app``, oldest first."""
    return [
        message
        for message in app.wiring.outbox.list(Status.PENDING, limit=1000)
        if (template is None or message.template == template) and (to is None or message.to == to)
    ]


def emailed_token(app: Any, template: str, to: str) -> str:
    found = emails(app, template, to)
    assert found, f"no {template} message to {to}"
    token: str = found[-1].data["token"]
    return token


def login(client: httpx.Client, email: str, password: str = PASSWORD, **kwargs: Any) -> httpx.Response:
    return client.post(f"{AUTH}/login", json={"email": email, "password": password}, **kwargs)


def login_tokens(client: httpx.Client, email: str, password: str = PASSWORD) -> dict[str, Any]:
    response = login(client, email, password)
    assert response.status_code == 200, response.text
    tokens: dict[str, Any] = response.json()["tokens"]
    return tokens


def refresh(client: httpx.Client, refresh_token: str) -> httpx.Response:
    return client.post(f"{AUTH}/refresh", json={"refreshToken": refresh_token})


def get_me(client: httpx.Client, tokens: dict[str, Any]) -> httpx.Response:
    return client.get(ME, headers=bearer(tokens))


def with_token(client: httpx.Client, token: str) -> httpx.Response:
    return client.get(ME, headers={"Authorization": f"Bearer {token}"})


def change_password(
    client: httpx.Client, tokens: dict[str, Any], current: str = PASSWORD, new: str = "a brand new passphrase"
) -> httpx.Response:
    body = {"currentPassword": current, "newPassword": new}
    return client.post(f"{AUTH}/password/change", json=body, headers=bearer(tokens))


def change_email(
    client: httpx.Client, tokens: dict[str, Any], new_email: str, password: str = PASSWORD
) -> httpx.Response:
    body = {"newEmail": new_email, "password": password}
    return client.post(f"{AUTH}/email/change", json=body, headers=bearer(tokens))


def claims_of(token: str) -> dict[str, Any]:
    claims: dict[str, Any] = jwt.decode(token, options={"verify_signature": False})
    return claims


def signing_key(app: Any) -> SigningKey:
    return KeyRing(app.wiring.settings.signing_keys_dir).signing_key()


def mint(claims: dict[str, Any], key: SigningKey, **header: Any) -> str:
    """An access token made the way the app makes them (EdDSA, kid, typ
    at+jwt), with any header changed."""
    return jwt.encode(claims, key.private_key, algorithm="EdDSA", headers={"kid": key.kid, "typ": "at+jwt", **header})


def error_fields(response: httpx.Response) -> set[str]:
    """The fields a 422 VALIDATION_ERROR names."""
    return {error["field"] for error in assert_problem(response, 422, "VALIDATION_ERROR")["errors"]}


def openapi(client: httpx.Client) -> dict[str, Any]:
    response = client.get("/schema/openapi.json")
    assert response.status_code == 200
    document: dict[str, Any] = response.json()
    return document


def operations(document: dict[str, Any]) -> list[tuple[str, str, dict[str, Any]]]:
    """(method, path, operation) of every operation the OpenAPI document lists."""
    return [
        (method.upper(), path, operation)
        for path, item in document["paths"].items()
        for method, operation in item.items()
        if isinstance(operation, dict) and "responses" in operation
    ]


def documented_defaults() -> dict[str, str]:
    """The README's configuration table: ``CS_NAME`` -> its documented
    default, as written between backquotes."""
    found = {}
    for line in README.read_text().splitlines():
        cells = [cell.strip() for cell in line.strip().strip("|").split("|")]
        if len(cells) < 3 or "`CS_" not in cells[0]:
            continue
        names = re.findall(r"`(CS_[A-Z_]+)`", cells[0])
        defaults = re.findall(r"`([^`]*)`", cells[1])
        if len(names) == len(defaults):
            found.update(zip(names, defaults, strict=True))
    return found


def setting_default(variable: str) -> str:
    """A setting's default in code, written as the README writes it."""
    return str(getattr(Settings(), variable.removeprefix("CS_").lower()))
