"""Throughput and latency of the service, each figure beside a reference
measured in the same run (`make bench`; docs/performance.md says what each
goal means).

Starts the real service as the README does (`customer-service serve`, the
embedded store, bcrypt cost 12) and a bare Litestar app on the same store
(bench/reference_app.py); bench/load.py drives them over loopback from its
own processes. Prints:

- GET /me and GET /addresses: requests/s, p50 and p99 at 32 connections,
  and the ratio to the reference (goal: /me at least 0.75);
- GET /me p99 while 100 connections log in and 100 register (goal: under
  100 ms), with how the floods were answered;
- logins/s and registrations/s against the bcrypt bound, cores divided by
  the time of one cost-12 check measured here (goal for logins: 0.9);
- refreshes/s per core (goal: 120), address creations/s;
- GET /me with 1 and 2 worker processes (`serve --workers 2`);
- peak RSS of each API process (goal: under 200 MB);
- GET /me and the reference at 1 to 64 connections, written to
  docs/performance-reads.json and, with matplotlib (the `bench` extra),
  drawn in docs/performance-reads.png.
"""

from __future__ import annotations

import json
import os
import resource
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import bcrypt
import httpx
from service import PASSWORD, Service, figures, free_port, load, peak_rss_mb, running_service, start_load

SECONDS = float(os.environ.get("BENCH_SECONDS", "8"))
CONNECTIONS = 32
CUSTOMERS = 32  # each with a session to refresh and room for addresses
SWEEP = (1, 2, 4, 8, 16, 32, 64)
API = "/api/v1/customers"
DOCS = Path(__file__).resolve().parent.parent / "docs"
ADDRESS = {
    "firstName": "Bench",
    "lastName": "Mark",
    "street": "1 Load Street",
    "city": "Springfield",
    "state": "IL",
    "country": "US",
    "postalCode": "62701",
}
CORES = os.cpu_count() or 1


def main() -> None:
    bound = CORES / bcrypt_check_seconds()
    print(f"cores: {CORES}; one bcrypt cost-12 check: {CORES / bound * 1000:.0f} ms; bound {bound:.2f} hashes/s")
    with running_service(CS_REGISTER_RATE_LIMIT="1000000", CS_LOGIN_RATE_LIMIT="1000000") as service:
        reader = registered(service.url, "bench0@example.com")
        for _ in range(3):
            add_address(service.url, reader["accessToken"])
        time.sleep(2)  # the welcome and verification emails are out of the outbox
        with reference(service) as reference_url:
            one_worker = reads(service.url, reference_url, reader["accessToken"])
            sweep = concurrency_sweep(service.url, reference_url, reader["accessToken"])
        with ThreadPoolExecutor(4) as pool:  # a few at a time: each hashes at cost 12
            others = list(pool.map(lambda n: registered(service.url, f"bench{n}@example.com"), range(1, CUSTOMERS)))
        writes(service.url, [reader, *others], bound)
        floods(service.url, reader["accessToken"])
        print(f"peak RSS, API process (1 worker): {peak_rss_mb(service.process.pid):.0f} MB (goal < 200)")
    several_workers(one_worker)
    chart(sweep)


def bcrypt_check_seconds() -> float:
    hashed = bcrypt.hashpw(b"benchmark password", bcrypt.gensalt(12))
    times = []
    for _ in range(5):
        started = time.perf_counter()
        bcrypt.checkpw(b"benchmark password", hashed)
        times.append(time.perf_counter() - started)
    return statistics.median(times)


def registered(url: str, email: str) -> dict[str, str]:
    body = {"email": email, "password": PASSWORD, "firstName": "Bench", "lastName": "Mark"}
    for _ in range(10):  # 503 OVERLOADED when the hashing queue is full: wait and retry
        answer = httpx.post(f"{url}{API}/auth/register", json=body, timeout=60)
        if answer.status_code != 503:
            answer.raise_for_status()
            return {**answer.json()["tokens"], "email": email}
        time.sleep(1)
    raise SystemExit("registration kept being refused")


def add_address(url: str, token: str) -> None:
    httpx.post(f"{url}{API}/addresses", json=ADDRESS, headers={"Authorization": f"Bearer {token}"}).raise_for_status()


def bearer(session: dict[str, str]) -> tuple[str, str]:
    return ("--header", f"Authorization: Bearer {session['accessToken']}")


def duration(seconds: float = SECONDS, connections: int = CONNECTIONS) -> tuple[str, ...]:
    return ("--seconds", str(seconds), "--connections", str(connections))


@contextmanager
def reference(service: Service) -> Iterator[str]:
    port = free_port()
    arguments = [service.store_uri(), "customer_service", str(service.data_dir / "keys")]
    process = subprocess.Popen(
        [sys.executable, str(Path(__file__).with_name("reference_app.py")), str(port), *arguments]
        + ["customer-service", "http://localhost:3001"],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    url = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 30
        while time.monotonic() < deadline:
            try:
                httpx.get(f"{url}/", timeout=1)
                break
            except httpx.TransportError:
                time.sleep(0.2)
        yield url
    finally:
        process.terminate()
        process.wait(30)


def row(
    label: str, measured: dict[str, Any], reference: dict[str, Any] | None = None, goal: float | None = None
) -> None:
    line = f"{label:<34} {measured['per_second']:8.1f}/s"
    line += f"  p50 {measured['p50_ms']:7.2f} ms  p99 {measured['p99_ms']:7.2f} ms"
    if reference is not None and set(reference["statuses"]) - {"200", "201"}:
        line += "  no ratio: the reference answered errors"
    elif reference is not None:
        ratio = measured["per_second"] / reference["per_second"]
        line += f"  ratio {ratio:.2f} to {reference['per_second']:.1f}/s"
        if goal is not None:
            line += f" (goal {goal}: {'met' if ratio >= goal else 'NOT met'})"
    statuses = measured["statuses"]
    if set(statuses) - {"200", "201"}:
        line += f"  answers {statuses}"
    print(line)


def reads(url: str, reference_url: str, token: str) -> float:
    """Prints the figures; GET /me requests/s."""
    header = ("--header", f"Authorization: Bearer {token}")
    load(f"{url}{API}/me", *header, *duration(2))  # warm up both
    load(f"{reference_url}{API}/me", *header, *duration(2))
    measured = {}
    for path, goal in (("/me", 0.75), ("/addresses", None)):
        expected = load(f"{reference_url}{API}{path}", *header, *duration())
        measured[path] = load(f"{url}{API}{path}", *header, *duration())
        print(f"GET {path}, {CONNECTIONS} connections:")
        row("  reference (bare Litestar)", expected)
        row("  customer-service", measured[path], expected, goal)
    return float(measured["/me"]["per_second"])


def concurrency_sweep(url: str, reference_url: str, token: str) -> dict[str, Any]:
    header = ("--header", f"Authorization: Bearer {token}")
    results: dict[str, Any] = {"connections": list(SWEEP), "service": [], "reference": []}
    for connections in SWEEP:
        for name, base in (("service", url), ("reference", reference_url)):
            measured = load(f"{base}{API}/me", *header, *duration(3, connections))
            results[name].append({key: measured[key] for key in ("per_second", "p50_ms", "p99_ms")})
    print(
        "GET /me by connections (req/s service / reference): "
        + ", ".join(
            f"{c}: {s['per_second']:.0f}/{r['per_second']:.0f}"
            for c, s, r in zip(SWEEP, results["service"], results["reference"], strict=True)
        )
    )
    return results


def writes(url: str, sessions: list[dict[str, str]], bound: float) -> None:
    with tempfile.TemporaryDirectory() as scratch:
        tokens, chain = Path(scratch, "tokens.json"), Path(scratch, "chain.json")
        tokens.write_text(json.dumps([session["accessToken"] for session in sessions[1:]]))
        chain.write_text(json.dumps([session["refreshToken"] for session in sessions]))
        created = load(
            f"{url}{API}/addresses",
            "--method",
            "POST",
            "--body",
            json.dumps(ADDRESS),
            "--tokens",
            str(tokens),
            *duration(4),
        )
        refreshed = load(
            f"{url}{API}/auth/refresh",
            "--method",
            "POST",
            "--body",
            '{"refreshToken": "{chain}"}',
            "--chain",
            str(chain),
            *duration(),
        )
    reader = sessions[0]
    login = json.dumps({"email": reader["email"], "password": PASSWORD})
    logins = load(f"{url}{API}/auth/login", "--method", "POST", "--body", login, *duration(10, 8))
    registration = registration_body("r")
    registrations = load(f"{url}{API}/auth/register", "--method", "POST", "--body", registration, *duration(10, 8))
    row(f"POST /addresses, {CONNECTIONS} connections", created)
    row(f"POST /auth/refresh, {CONNECTIONS} connections", refreshed)
    per_core = refreshed["per_second"] / CORES
    print(f"  refreshes per core: {per_core:.0f}/s (goal 120: {'met' if per_core >= 120 else 'NOT met'})")
    for label, measured, goal in (("POST /auth/login", logins, 0.9), ("POST /auth/register", registrations, None)):
        row(f"{label}, 8 connections", measured)
        ratio = measured["per_second"] / bound
        verdict = f" (goal {goal}: {'met' if ratio >= goal else 'NOT met'})" if goal else ""
        print(f"  ratio to the bcrypt bound {bound:.2f}/s: {ratio:.2f}{verdict}")


def registration_body(prefix: str) -> str:
    """A registration with an email unique to each request ({n}, see load.py)."""
    body = json.dumps({"email": f"{prefix}NUMBER@example.com", "password": PASSWORD, "firstName": "A", "lastName": "B"})
    return body.replace("NUMBER", "{n}")


def floods(url: str, token: str) -> None:
    login = json.dumps({"email": "bench0@example.com", "password": PASSWORD})
    registration = registration_body("f")
    logging_in = start_load(f"{url}{API}/auth/login", "--method", "POST", "--body", login, *duration(14, 100))
    registering = start_load(
        f"{url}{API}/auth/register", "--method", "POST", "--body", registration, *duration(14, 100)
    )
    time.sleep(4)  # until the hashing queue is full and turning requests away
    read = load(f"{url}{API}/me", "--header", f"Authorization: Bearer {token}", *duration(6, 4))
    login_answers, register_answers = figures(logging_in), figures(registering)
    print("GET /me while 100 connections log in and 100 register (4 reading connections):")
    row("  customer-service", read)
    print(f"  p99 under 100 ms: {'met' if read['p99_ms'] < 100 else 'NOT met'}")
    for label, answers in (("login", login_answers), ("register", register_answers)):
        took = f"p50 {answers['p50_ms']:.0f} ms, p99 {answers['p99_ms']:.0f} ms"
        print(f"  {label} flood answers: {answers['statuses']}, {took}")


def several_workers(one_worker: float) -> None:
    """GET /me with 2 worker processes, and where the machine's CPU went."""
    for workers in (1, 2):
        with running_service("--workers", str(workers)) as service:
            session = registered(service.url, f"workers{workers}@example.com")
            time.sleep(2)  # the registration's emails are out of the outbox
            load(f"{service.url}{API}/me", *bearer(session), *duration(2))
            before, generator, idle = cpu_by_role(service.process.pid), waited_children_cpu(), idle_seconds()
            measured = load(f"{service.url}{API}/me", *bearer(session), *duration())
            spent = {
                role: seconds - before.get(role, 0.0) for role, seconds in cpu_by_role(service.process.pid).items()
            }
            spent["load generator"] = waited_children_cpu() - generator
            spent["nothing (idle)"] = idle_seconds() - idle
            share = ", ".join(f"{role} {seconds / SECONDS:.2f}" for role, seconds in sorted(spent.items()))
            print(f"GET /me, {workers} worker(s): {measured['per_second']:.1f}/s; cores used by {share}")
            if workers == 2:
                print(f"  2 workers: {measured['per_second'] / one_worker:.2f}x 1 worker ({one_worker:.1f}/s)")
                for pid in workers_of(service.process.pid):
                    print(f"peak RSS, worker process {pid}: {peak_rss_mb(pid):.0f} MB (goal < 200)")


def children(pid: int) -> list[int]:
    return [int(child) for child in Path(f"/proc/{pid}/task/{pid}/children").read_text().split()]


def command_line(pid: int) -> bytes:
    return Path(f"/proc/{pid}/cmdline").read_bytes()


def workers_of(pid: int) -> list[int]:
    return [
        child
        for child in children(pid)
        if b"multiprocessing" in command_line(child) and b"resource_tracker" not in command_line(child)
    ]


def cpu_seconds(pid: int) -> float:
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def idle_seconds() -> float:
    """Core-seconds the whole machine has been idle (Linux)."""
    fields = Path("/proc/stat").read_text().splitlines()[0].split()
    return (int(fields[4]) + int(fields[5])) / os.sysconf("SC_CLK_TCK")


def waited_children_cpu() -> float:
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    return usage.ru_utime + usage.ru_stime


def cpu_by_role(pid: int) -> dict[str, float]:
    """CPU seconds so far of the API process(es) and of the embedded store."""
    spent = {"API": cpu_seconds(pid), "store": 0.0}
    for child in children(pid):
        role = "store" if b"secantus" in command_line(child) else "API"
        spent[role] += cpu_seconds(child)
    return spent


def chart(sweep: dict[str, Any]) -> None:
    (DOCS / "performance-reads.json").write_text(json.dumps(sweep, indent=2) + "\n")
    try:
        import matplotlib

        matplotlib.use("Agg")
        import matplotlib.pyplot as plt
    except ImportError:
        print("matplotlib is not installed (pip install -e '.[bench]'): no chart drawn")
        return
    figure, (throughput, latency) = plt.subplots(1, 2, figsize=(10, 4))
    for name, label in (("service", "customer-service GET /me"), ("reference", "bare Litestar reference")):
        throughput.plot(sweep["connections"], [r["per_second"] for r in sweep[name]], marker="o", label=label)
        latency.plot(sweep["connections"], [r["p99_ms"] for r in sweep[name]], marker="o", label=label)
    for axes, title in ((throughput, "requests/s"), (latency, "p99 latency, ms")):
        axes.set_xscale("log", base=2)
        axes.set_xlabel("connections")
        axes.set_title(title)
        axes.grid(True, alpha=0.3)
    throughput.legend()
    figure.tight_layout()
    figure.savefig(DOCS / "performance-reads.png", dpi=100)
    print("chart: docs/performance-reads.png")


if __name__ == "__main__":
    main()
