"""Reads stay fast while a registration flood saturates password hashing.

Starts the real service (embedded store, production bcrypt cost 12) as its own
process; FLOOD_CONNECTIONS clients register new accounts back to back while
one client reads GET /me. Prints, from this one run, the read latencies idle
and under the flood (target: p99 under 100 ms), and how the flood was
answered (201 admitted, 503 OVERLOADED turned away).
"""

from __future__ import annotations

import itertools
import os
import threading
import time
from collections import Counter

import httpx
from service import PASSWORD, percentile, read_latencies, register, running_service

CONNECTIONS = int(os.environ.get("BENCH_FLOOD_CONNECTIONS", "100"))
READS = int(os.environ.get("BENCH_READS", "300"))


def main() -> None:
    # Every request comes from one address here, so its registration limit is lifted.
    with running_service(CS_REGISTER_RATE_LIMIT="1000000", CS_BCRYPT_ROUNDS="12") as service:
        url = service.url
        with httpx.Client(base_url=url, timeout=60) as client:
            token = register(client, "reader@example.com")
        read_latencies(url, token, READS)  # warm up
        idle = read_latencies(url, token, READS)

        answers: Counter[int] = Counter()
        counting = threading.Lock()
        numbers = itertools.count()
        stop = threading.Event()

        def keep_registering() -> None:
            with httpx.Client(base_url=url, timeout=120) as client:
                while not stop.is_set():
                    body = {
                        "email": f"flood{next(numbers)}@example.com",
                        "password": PASSWORD,
                        "firstName": "Flood",
                        "lastName": "Load",
                    }
                    status = client.post("/api/v1/customers/auth/register", json=body).status_code
                    with counting:
                        answers[status] += 1

        flood = [threading.Thread(target=keep_registering) for _ in range(CONNECTIONS)]
        started = time.perf_counter()
        for thread in flood:
            thread.start()
        time.sleep(5)  # until the hashing queue is full and turning requests away
        loaded = read_latencies(url, token, READS)
        stop.set()
        for thread in flood:
            thread.join()
        elapsed = time.perf_counter() - started

        print(f"cores: {os.cpu_count()}, bcrypt cost 12, {CONNECTIONS} connections registering for {elapsed:.0f} s")
        print("register answers: " + ", ".join(f"{status}: {n}" for status, n in sorted(answers.items())))
        for label, p in (("p50", 50), ("p99", 99)):
            quiet, busy = percentile(idle, p), percentile(loaded, p)
            print(f"GET /me {label}: idle {quiet:6.2f} ms   under the flood {busy:6.2f} ms   ratio {busy / quiet:.2f}")
        print(f"GET /me p99 under the flood < 100 ms: {'yes' if percentile(loaded, 99) < 100 else 'NO'}")


if __name__ == "__main__":
    main()
