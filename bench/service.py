"""What the benchmarks share: the real service started as its own process."""

from __future__ import annotations

import os
import shutil
import socket
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import httpx

PASSWORD = "benchmark password 2026"


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


@contextmanager
def running_service(**settings: str) -> Iterator[str]:
    """`customer-service serve` with the embedded store in a fresh directory,
    production bcrypt cost unless ``settings`` say otherwise; yields its URL."""
    data_dir = Path(tempfile.mkdtemp(prefix="cs-bench-"))
    port = free_port()
    env = {**os.environ, "CS_DATA_DIR": str(data_dir), "CS_PORT": str(port), "CS_LOG_LEVEL": "WARNING", **settings}
    env.pop("CS_MONGODB_URI", None)
    executable = Path(sys.executable).parent / "customer-service"
    process = subprocess.Popen(
        [str(executable), "serve"], env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL
    )
    url = f"http://127.0.0.1:{port}"
    try:
        _wait_until_ready(url)
        yield url
    finally:
        process.terminate()
        process.wait(30)
        shutil.rmtree(data_dir, ignore_errors=True)


def _wait_until_ready(url: str) -> None:
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        try:
            if httpx.get(f"{url}/health/ready", timeout=1).status_code == 200:
                return
        except httpx.HTTPError:
            pass
        time.sleep(0.2)
    raise SystemExit("service did not start")


def register(client: httpx.Client, email: str) -> str:
    """Register ``email``; its access token."""
    body = {"email": email, "password": PASSWORD, "firstName": "Bench", "lastName": "Mark"}
    response = client.post("/api/v1/customers/auth/register", json=body)
    response.raise_for_status()
    return str(response.json()["tokens"]["accessToken"])


def read_latencies(url: str, token: str, reads: int) -> list[float]:
    """Milliseconds of each of ``reads`` GET /me, one after another."""
    latencies = []
    with httpx.Client(base_url=url, headers={"Authorization": f"Bearer {token}"}) as client:
        for _ in range(reads):
            started = time.perf_counter()
            client.get("/api/v1/customers/me").raise_for_status()
            latencies.append((time.perf_counter() - started) * 1000)
    return latencies


def percentile(values: list[float], p: int) -> float:
    return statistics.quantiles(values, n=100)[p - 1]
