"""``customer-service serve`` as an operator runs it. With ``--workers 2``: two
processes on one port sharing the embedded store, started once; a logout
answered by one process holds in the other; SIGTERM stops everything. A
busy port is an error before anything starts."""

from __future__ import annotations

import os
import signal
import socket
import subprocess
import sys
import time
from pathlib import Path

import httpx
import pytest

from tests.support import API, PASSWORD, bearer, free_port, unique_email

pytestmark = [
    pytest.mark.slow,
    pytest.mark.skipif(bool(os.environ.get("CS_TEST_MONGODB_URI")), reason="runs the embedded store itself"),
]


def children(pid: int) -> list[int]:
    found = Path(f"/proc/{pid}/task/{pid}/children").read_text().split()
    return [int(child) for child in found]


def command_line(pid: int) -> str:
    return Path(f"/proc/{pid}/cmdline").read_text().replace("\0", " ")


def fresh(url: str) -> httpx.Client:
    """A client on a new connection, which either worker may take."""
    return httpx.Client(base_url=url, timeout=10, headers={"Connection": "close"})


def test_two_workers_share_one_store_and_one_logout_and_stop_on_sigterm(tmp_path):
    port = free_port()
    url = f"http://127.0.0.1:{port}"
    env = {
        **{name: value for name, value in os.environ.items() if not name.startswith("CS_")},
        "CS_DATA_DIR": str(tmp_path / "var"),
        "CS_PORT": str(port),
        "CS_BCRYPT_ROUNDS": "4",
        "CS_LOG_LEVEL": "WARNING",
    }
    script = Path(sys.executable).parent / "customer-service"
    server = subprocess.Popen([str(script), "serve", "--workers", "2"], env=env, stderr=subprocess.PIPE)
    try:
        deadline = time.monotonic() + 60
        while True:
            try:
                if httpx.get(f"{url}/health/ready", timeout=1).status_code == 200:
                    break
            except httpx.TransportError:
                pass
            assert time.monotonic() < deadline and server.poll() is None, "serve did not become ready"
            time.sleep(0.2)
        processes = [command_line(child) for child in children(server.pid)]
        email = unique_email("workers")
        with fresh(url) as client:
            body = {"email": email, "password": PASSWORD, "firstName": "Ada", "lastName": "Lovelace"}
            tokens = client.post(f"{API}/auth/register", json=body).json()["tokens"]
        reads = []
        for _ in range(10):
            with fresh(url) as client:
                reads.append(client.get(f"{API}/me", headers=bearer(tokens)).status_code)
        with fresh(url) as client:
            assert client.post(f"{API}/auth/logout", headers=bearer(tokens)).status_code == 204
        after_logout = []
        for _ in range(10):
            with fresh(url) as client:
                after_logout.append(client.get(f"{API}/me", headers=bearer(tokens)).status_code)
    finally:
        started = time.monotonic()
        server.send_signal(signal.SIGTERM)
        _, errors = server.communicate(timeout=30)
        stopped_in = time.monotonic() - started

    assert sum("secantus" in process for process in processes) == 1  # the store, started once
    assert sum("multiprocessing" in process for process in processes) >= 2  # the workers
    assert reads == [200] * 10
    assert after_logout == [401] * 10
    assert server.returncode == 0 and stopped_in < 10, errors.decode()
    assert b"Traceback" not in errors
    assert not (tmp_path / "var" / "embedded.json").exists()  # the store stopped too


@pytest.mark.parametrize("workers", ["1", "2"])
def test_a_busy_port_exits_5_at_once_saying_so(tmp_path, workers):
    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen()
        port = taken.getsockname()[1]
        env = {
            **{name: value for name, value in os.environ.items() if not name.startswith("CS_")},
            "CS_DATA_DIR": str(tmp_path / "var"),
            "CS_PORT": str(port),
        }
        script = Path(sys.executable).parent / "customer-service"

        completed = subprocess.run(
            [str(script), "serve", "--workers", workers], env=env, capture_output=True, text=True, timeout=30
        )

    assert completed.returncode == 5, completed.stderr
    assert f"cannot listen on 127.0.0.1:{port}" in completed.stderr
    assert "Traceback" not in completed.stderr
    assert not (tmp_path / "var" / "db").exists()  # nothing was started
