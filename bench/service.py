"""What the benchmarks share: the real service started as its own process."""

from __future__ import annotations

import json
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
from typing import Any

import attrs
import httpx

PASSWORD = "benchmark password 2026"


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


@attrs.frozen
class Service:
    url: str
    data_dir: Path
    process: subprocess.Popen[bytes]

    def store_uri(self) -> str:
        """The embedded store the service started (it notes its port)."""
        [marker] = self.data_dir.glob("**/embedded.json")
        return f"mongodb://127.0.0.1:{json.loads(marker.read_text())['port']}/?directConnection=true"


@contextmanager
def running_service(*arguments: str, data_dir: Path | None = None, **settings: str) -> Iterator[Service]:
    """`customer-service serve` as the README starts it, with the embedded
    store in a fresh directory and production bcrypt cost unless ``settings``
    say otherwise."""
    data_dir = data_dir or Path(tempfile.mkdtemp(prefix="cs-bench-"))
    port = free_port()
    env = {**os.environ, "CS_DATA_DIR": str(data_dir), "CS_PORT": str(port), "CS_LOG_LEVEL": "WARNING", **settings}
    env.pop("CS_MONGODB_URI", None)
    executable = Path(sys.executable).parent / "customer-service"
    process = subprocess.Popen(
        [str(executable), "serve", *arguments], env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL
    )
    url = f"http://127.0.0.1:{port}"
    try:
        _wait_until_ready(url)
        yield Service(url, data_dir, process)
    finally:
        process.terminate()
        process.wait(30)
        shutil.rmtree(data_dir, ignore_errors=True)


def start_load(url: str, *options: str) -> subprocess.Popen[str]:
    """Start ``bench/load.py`` against ``url`` in its own process."""
    command = [sys.executable, str(Path(__file__).with_name("load.py")), url, *options]
    return subprocess.Popen(command, stdout=subprocess.PIPE, text=True)


def figures(load_process: subprocess.Popen[str]) -> dict[str, Any]:
    """What a load process started by ``start_load`` measured, once it ends."""
    output, _ = load_process.communicate()
    if load_process.returncode != 0:
        raise SystemExit(f"load.py failed with exit code {load_process.returncode}")
    return dict(json.loads(output))


def load(url: str, *options: str) -> dict[str, Any]:
    """Run ``bench/load.py`` against ``url`` in its own process; its figures."""
    return figures(start_load(url, *options))


def peak_rss_mb(pid: int) -> float:
    """The most memory the process has held, in MB (Linux)."""
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmHWM:"):
            return int(line.split()[1]) / 1024
    return float("nan")


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
