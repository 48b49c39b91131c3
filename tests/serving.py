"""``customer-service serve`` run as its own process, as an operator runs it
(the embedded store in a fresh directory, bcrypt at cost 4)."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import attrs
import httpx

from tests.support import API, PASSWORD, bearer, free_port


def children(pid: int) -> list[int]:
    found = Path(f"/proc/{pid}/task/{pid}/children").read_text().split()
    return [int(child) for child in found]


def command_line(pid: int) -> str:
    return Path(f"/proc/{pid}/cmdline").read_text().replace("\0", " ")


def fresh(url: str) -> httpx.Client:
    """A client on a new connection, which either worker may take."""
    return httpx.Client(base_url=url, timeout=10, headers={"Connection": "close"})


@attrs.define
class Served:
    url: str
    server: subprocess.Popen[bytes]
    stopped_in: float = 0.0
    errors: str = ""


@contextmanager
def serving(
    tmp_path: Path, *arguments: str, ctrl_c: bool = False, script: Path | None = None, **settings: str
) -> Iterator[Served]:
    """``customer-service serve`` in its own process, until it is ready; then
    SIGTERM, or with ``ctrl_c`` SIGINT to its whole process group, as a
    terminal sends it. ``script``: another installation's ``customer-service``."""
    port = free_port()
    env = {
        **{name: value for name, value in os.environ.items() if not name.startswith("CS_")},
        "CS_DATA_DIR": str(tmp_path / "var"),
        "CS_PORT": str(port),
        "CS_BCRYPT_ROUNDS": "4",
        **settings,
    }
    script = script or Path(sys.executable).parent / "customer-service"
    served = Served(
        f"http://127.0.0.1:{port}",
        subprocess.Popen([str(script), "serve", *arguments], env=env, stderr=subprocess.PIPE, start_new_session=True),
    )
    try:
        deadline = time.monotonic() + 60
        while True:
            try:
                if httpx.get(f"{served.url}/health/ready", timeout=1).status_code == 200:
                    break
            except httpx.TransportError:
                pass
            assert time.monotonic() < deadline and served.server.poll() is None, "serve did not become ready"
            time.sleep(0.2)
        yield served
    finally:
        started = time.monotonic()
        if ctrl_c:
            os.killpg(served.server.pid, signal.SIGINT)
        else:
            served.server.send_signal(signal.SIGTERM)
        served.errors = served.server.communicate(timeout=30)[1].decode()
        served.stopped_in = time.monotonic() - started


def register_then_read(url: str, email: str, reads: int) -> tuple[dict[str, str], list[int]]:
    with fresh(url) as client:
        body = {"email": email, "password": PASSWORD, "firstName": "Ada", "lastName": "Lovelace"}
        tokens = client.post(f"{API}/auth/register", json=body).json()["tokens"]
    return tokens, [read_me(url, tokens) for _ in range(reads)]


def read_me(url: str, tokens: dict[str, str]) -> int:
    with fresh(url) as client:
        return client.get(f"{API}/me", headers=bearer(tokens)).status_code
