"""Where a read's time goes: py-spy samples the service's thread holding the
GIL while bench/load.py sends `GET /me` (or another path) on 32
connections, and the frames most often on the stack are printed.

    python bench/profile_reads.py [/addresses]

Needs py-spy (the `bench` extra) and permission to trace a process of your
own (Linux: kernel.yama.ptrace_scope 0, or root). Not part of `make bench`:
a profiler slows what it measures.
"""

from __future__ import annotations

import subprocess
import sys
import tempfile
import time
from collections import Counter
from pathlib import Path

from bench_throughput import add_address, bearer, duration, registered
from service import load, running_service

API = "/api/v1/customers"
SECONDS = 7
SHOWN = 30
# Frames every sample has under it (the CLI, the event loop, thread start): not worth a line.
SCAFFOLDING = (
    "typer/",
    "_click/",
    "asyncio/",
    "threading.py",
    "concurrent/futures",
    "customer-service:",
    "uvicorn/_compat",
    "uvicorn/server.py",
    "uvicorn/main.py",
    "cli/main.py",
)


def main() -> None:
    path = sys.argv[1] if len(sys.argv) > 1 else "/me"
    samples = Path(tempfile.mkdtemp()) / "samples.txt"
    with running_service() as service:
        reader = registered(service.url, "profiled@example.com")
        for _ in range(3):
            add_address(service.url, reader["accessToken"])
        load(f"{service.url}{API}{path}", *bearer(reader), *duration(2))  # warm up
        spy = Path(sys.executable).parent / "py-spy"
        command = [str(spy), "record", "--gil", "-r", "200", "-d", str(SECONDS), "-f", "raw", "-o", str(samples)]
        profiler = subprocess.Popen([*command, "-p", str(service.process.pid)], stdout=subprocess.DEVNULL)
        time.sleep(0.5)
        measured = load(f"{service.url}{API}{path}", *bearer(reader), *duration(SECONDS - 1))
        profiler.wait()
    print(f"GET {path}: {measured['per_second']:.0f} requests/s while profiled")
    for frame, share in top_frames(samples):
        print(f"{share:6.1f}%  {frame}")


def top_frames(samples: Path) -> list[tuple[str, float]]:
    """Each frame's share of the samples it was on the stack of (inclusive)."""
    on_stack: Counter[str] = Counter()
    total = 0
    for line in samples.read_text().splitlines():
        stack, _, count = line.rpartition(" ")
        total += int(count)
        for frame in set(stack.split(";")):
            if not any(part in frame for part in SCAFFOLDING):
                on_stack[frame] += int(count)
    return [(frame, 100 * count / total) for frame, count in on_stack.most_common(SHOWN)]


if __name__ == "__main__":
    main()
