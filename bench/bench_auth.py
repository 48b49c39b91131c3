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
import threading
import time
from concurrent.futures import ThreadPoolExecutor

import httpx
from service import PASSWORD, percentile, read_latencies, register, running_service

CLIENTS = int(os.environ.get("BENCH_CLIENTS", "8"))
LOGINS_PER_CLIENT = int(os.environ.get("BENCH_LOGINS", "6"))
READS = int(os.environ.get("BENCH_READS", "300"))


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


def main() -> None:
    # One client address logs in all the time here.
    with running_service(CS_LOGIN_RATE_LIMIT="1000000") as service:
        url = service.url
        emails = [f"bench{i}@example.com" for i in range(CLIENTS)]
        with httpx.Client(base_url=url, timeout=60) as client:
            tokens = [register(client, email) for email in emails]

        sequential = logins_per_second(url, emails, 1)
        concurrent = logins_per_second(url, emails, CLIENTS)
        print(f"cores: {os.cpu_count()}, bcrypt cost 12, {CLIENTS} clients x {LOGINS_PER_CLIENT} logins")
        print(f"logins/s  1 client: {sequential:6.2f}   {CLIENTS} clients: {concurrent:6.2f}")
        print(f"login parallelism ratio: {concurrent / sequential:.2f} (ideal {os.cpu_count()})")

        read_latencies(url, tokens[0], READS)  # warm up
        idle = read_latencies(url, tokens[0], READS)
        stop = threading.Event()

        def keep_logging_in(email: str) -> None:
            with httpx.Client(base_url=url, timeout=120) as client:
                while not stop.is_set():
                    login(client, email)

        load = [threading.Thread(target=keep_logging_in, args=(email,)) for email in emails]
        for thread in load:
            thread.start()
        time.sleep(1)
        loaded = read_latencies(url, tokens[0], READS)
        stop.set()
        for thread in load:
            thread.join()
        for label, p in (("p50", 50), ("p95", 95)):
            quiet, busy = percentile(idle, p), percentile(loaded, p)
            print(
                f"GET /me {label}: idle {quiet:6.2f} ms   under {CLIENTS} logging-in clients {busy:6.2f} ms   "
                f"ratio {busy / quiet:.2f}"
            )


if __name__ == "__main__":
    main()
