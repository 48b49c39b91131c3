"""Schemathesis with all its checks against the live app, as a customer (and
as a service client on the internal routes): no
5xx, every response as documented, schema-valid requests accepted and
invalid ones refused, 405 with ``Allow``. ``make fuzz`` runs it longer, with
a new seed each time (``CS_TEST_FUZZ_EXAMPLES``)."""

import os
import subprocess
import sys
from pathlib import Path

from customer_core.clients import Scope
from tests.support import API, PASSWORD, register, unique_email

ROOT = Path(__file__).resolve().parents[2]
SEED = "20261126"


def test_schemathesis_finds_nothing(make_app, tmp_path):
    app = make_app(
        settings_changes={
            # Generated requests come from one address and guess passwords: limits would stop the run.
            "login_rate_limit": 1_000_000,
            "register_rate_limit": 1_000_000,
            "reset_request_rate_limit": 1_000_000,
            "lockout_threshold": 1_000_000,
        }
    )
    email = unique_email("schemathesis")
    register(app.client, email=email)
    created = app.wiring.service.clients.create("schemathesis", frozenset(Scope), operator="test")
    form = {"grant_type": "client_credentials"}
    client_token = app.client.post(f"{API}/oauth/token", data=form, auth=(created.client.id, created.secret))
    fuzz_examples = os.environ.get("CS_TEST_FUZZ_EXAMPLES")
    sampling = ["--max-examples", fuzz_examples] if fuzz_examples else ["--seed", SEED]

    run = subprocess.run(
        [
            str(Path(sys.executable).with_name("st")),
            "--config-file",
            str(ROOT / "tests" / "schemathesis.toml"),
            "--no-color",
            "run",
            f"{app.url}/schema/openapi.json",
            "--checks",
            "all",
            *sampling,
        ],
        env={
            **os.environ,
            "CS_ST_EMAIL": email,
            "CS_ST_PASSWORD": PASSWORD,
            "CS_ST_CLIENT_TOKEN": client_token.json()["access_token"],
        },
        cwd=tmp_path,  # where it keeps its cache
        capture_output=True,
        text=True,
    )

    assert run.returncode == 0, run.stdout[-20_000:] + run.stderr[-5_000:]
