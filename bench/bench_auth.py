"""Logins use every core; profile reads stay fast while logins run.

Starts the real service (`customer-service serve`, embedded store, production
bcrypt cost 12) as a separate process on a loopback port and drives it over
HTTP from threads. Prints ratios measured in this one run:

- login parallelism: logins/s with N concurrent clients / logins/s with one
  (ideal: the number of cores);
- profile reads under login load: p50 and p95 latency of GET /me while N
  clients log in continuously / the same with no load.
"""

from __future__ import annotations

import os
import shutil
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import httpx

CLIENTS = int(os.environ.get("BENCH_CLIENTS", "8"))
LOGINS_PER_CLIENT = int(os.environ.get("BENCH_LOGINS", "6"))
READS = int(os.environ.get("BENCH_READS", "300"))
PASSWORD = "benchmark password 2026"


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def start_service(data_dir: Path) -> tuple[subprocess.Popen[bytes], str]:
    port = free_port()
    env = {
        **os.environ,
        "CS_DATA_DIR": str(data_dir),
        "CS_PORT": str(port),
        "CS_LOG_LEVEL": "WARNING",
        "CS_LOGIN_RATE_LIMIT": "1000000",
    }  # one client address logs in all the time here
    env.pop("CS_MONGODB_URI", None)
    executable = Path(sys.executable).parent / "customer-service"
    process = subprocess.Popen(
        [str(executable), "serve"], env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL
    )
    url = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        try:
            if httpx.get(f"{url}/health/ready", timeout=1).status_code == 200:
                return process, url
        except httpx.HTTPError:
            pass
        time.sleep(0.2)
    process.terminate()
    raise SystemExit("service did not start")


def login(client: httpx.Client, email: str) -> None:
    response = client.post("/api/v1/customers/auth/login", json={"email": email, "password": PASSWORD})
    response.raise_for_status()


def logins_per_second(url: str, emails: list[str], clients: int) -> float:
    def work(email: str) -> None:
        with httpx.Client(base_url=url, timeout=120) as client:
            for _ in range(LOGINS_PER_CLIENT):
                login(client, email)

    started = time.perf_counter()
    with ThreadPoolExecutor(clients) as pool:
        list(pool.map(work, emails[:clients]))
    return clients * LOGINS_PER_CLIENT / (time.perf_counter() - started)


def read_latencies(url: str, token: str) -> list[float]:
    latencies = []
    with httpx.Client(base_url=url, headers={"Authorization": f"Bearer {token}"}) as client:
        for _ in range(READS):
            started = time.perf_counter()
            client.get("/api/v1/customers/me").raise_for_status()
            latencies.append((time.perf_counter() - started) * 1000)
    return latencies


def percentile(values: list[float], p: float) -> float:
    return statistics.quantiles(values, n=100)[int(p) - 1]


def main() -> None:
    data_dir = Path(tempfile.mkdtemp(prefix="cs-bench-"))
    process, url = start_service(data_dir)
    try:
        emails = [f"bench{i}@example.com" for i in range(CLIENTS)]
        with httpx.Client(base_url=url, timeout=60) as client:
            tokens = []
            for email in emails:
                body = {"email": email, "password": PASSWORD, "firstName": "Bench", "lastName": "Mark"}
                response = client.post("/api/v1/customers/auth/register", json=body)
                response.raise_for_status()
                tokens.append(response.json()["tokens"]["accessToken"])

        sequential = logins_per_second(url, emails, 1)
        concurrent = logins_per_second(url, emails, CLIENTS)
        print(f"cores: {os.cpu_count()}, bcrypt cost 12, {CLIENTS} clients x {LOGINS_PER_CLIENT} logins")
        print(f"logins/s  1 client: {sequential:6.2f}   {CLIENTS} clients: {concurrent:6.2f}")
        print(f"login parallelism ratio: {concurrent / sequential:.2f} (ideal {os.cpu_count()})")

        read_latencies(url, tokens[0])  # warm up
        idle = read_latencies(url, tokens[0])
        stop = threading.Event()

        def keep_logging_in(email: str) -> None:
            with httpx.Client(base_url=url, timeout=120) as client:
                while not stop.is_set():
                    login(client, email)

        load = [threading.Thread(target=keep_logging_in, args=(email,)) for email in emails]
        for thread in load:
            thread.start()
        time.sleep(1)
        loaded = read_latencies(url, tokens[0])
        stop.set()
        for thread in load:
            thread.join()
        for label, p in (("p50", 50), ("p95", 95)):
            quiet, busy = percentile(idle, p), percentile(loaded, p)
            print(
                f"GET /me {label}: idle {quiet:6.2f} ms   under {CLIENTS} logging-in clients {busy:6.2f} ms   "
                f"ratio {busy / quiet:.2f}"
            )
    finally:
        process.terminate()
        process.wait(30)
        shutil.rmtree(data_dir, ignore_errors=True)


if __name__ == "__main__":
    main()
