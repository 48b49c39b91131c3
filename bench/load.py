"""A small HTTP/1.1 load generator, run as its own process so that it does
not share the service's interpreter: N keep-alive connections, each sending
the next request as soon as the last answer is in, for a given time.

    python bench/load.py http://127.0.0.1:3001/api/v1/customers/me \\
        --connections 32 --seconds 10 --header "Authorization: Bearer ..."

Prints one JSON object: requests, requests per second, latency percentiles
(ms) and the count of each status. ``--body`` may hold ``{n}``, replaced by
a number unique to each request (for registrations)."""

from __future__ import annotations

import argparse
import asyncio
import itertools
import json
import statistics
import time
from collections import Counter
from urllib.parse import urlsplit


async def connection(
    host: str, port: int, request: tuple[str, str, list[str], str | None], until: float, numbers: itertools.count[int]
) -> tuple[list[float], Counter[int]]:
    method, path, headers, body = request
    latencies: list[float] = []
    statuses: Counter[int] = Counter()
    reader, writer = await asyncio.open_connection(host, port)
    try:
        while time.perf_counter() < until:
            payload = body.replace("{n}", str(next(numbers))).encode() if body is not None else b""
            lines = [f"{method} {path} HTTP/1.1", f"Host: {host}:{port}", *headers]
            if body is not None:
                lines += ["Content-Type: application/json", f"Content-Length: {len(payload)}"]
            started = time.perf_counter()
            writer.write(("\r\n".join(lines) + "\r\n\r\n").encode() + payload)
            head = await reader.readuntil(b"\r\n\r\n")
            status = int(head.split(b" ", 2)[1])
            length = 0
            close = False
            for line in head.split(b"\r\n")[1:]:
                name, _, value = line.partition(b":")
                if name.strip().lower() == b"content-length":
                    length = int(value)
                elif name.strip().lower() == b"connection" and value.strip().lower() == b"close":
                    close = True
            if length:
                await reader.readexactly(length)
            latencies.append((time.perf_counter() - started) * 1000)
            statuses[status] += 1
            if close:
                writer.close()
                reader, writer = await asyncio.open_connection(host, port)
    finally:
        writer.close()
    return latencies, statuses


async def run(url: str, connections: int, seconds: float, method: str, headers: list[str], body: str | None) -> dict:
    parts = urlsplit(url)
    path = parts.path + (f"?{parts.query}" if parts.query else "")
    numbers = itertools.count(int(time.time() * 1000) % 10**9)
    until = time.perf_counter() + seconds
    started = time.perf_counter()
    results = await asyncio.gather(
        *(
            connection(parts.hostname or "127.0.0.1", parts.port or 80, (method, path, headers, body), until, numbers)
            for _ in range(connections)
        )
    )
    elapsed = time.perf_counter() - started
    latencies = sorted(latency for result in results for latency in result[0])
    statuses: Counter[int] = sum((result[1] for result in results), Counter())
    quantiles = statistics.quantiles(latencies, n=100) if len(latencies) > 1 else latencies * 99
    return {
        "requests": len(latencies),
        "per_second": round(len(latencies) / elapsed, 1),
        "p50_ms": round(quantiles[49], 2),
        "p99_ms": round(quantiles[98], 2),
        "statuses": {str(status): count for status, count in sorted(statuses.items())},
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("url")
    parser.add_argument("--connections", type=int, default=32)
    parser.add_argument("--seconds", type=float, default=10.0)
    parser.add_argument("--method", default="GET")
    parser.add_argument("--header", action="append", default=[])
    parser.add_argument("--body")
    args = parser.parse_args()
    result = asyncio.run(run(args.url, args.connections, args.seconds, args.method, args.header, args.body))
    print(json.dumps(result))


if __name__ == "__main__":
    main()
