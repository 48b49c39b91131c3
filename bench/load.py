"""A small HTTP/1.1 load generator, run as its own process so that it does
not share the service's interpreter: N keep-alive connections, each sending
the next request as soon as the last answer is in, for a given time.

    python bench/load.py http://127.0.0.1:3001/api/v1/customers/me \\
        --connections 32 --seconds 10 --header "Authorization: Bearer ..."

Prints one JSON object: requests, requests per second, latency percentiles
(ms) and the count of each status. ``--body`` may hold ``{n}``, replaced by
a number unique to each request (for registrations). ``--tokens FILE`` (a
JSON list) gives connection i the bearer token i (modulo their number).
``--chain FILE`` (a JSON list of refresh tokens) gives connection i refresh
token i for ``{chain}`` in the body, then the ``tokens.refreshToken`` of
each answer: a chain of refreshes, as a client keeping a session does."""

from __future__ import annotations

import argparse
import asyncio
import itertools
import json
import statistics
import time
from collections import Counter
from pathlib import Path
from urllib.parse import urlsplit


async def connection(
    host: str,
    port: int,
    request: tuple[str, str, list[str], str | None],
    until: float,
    numbers: itertools.count[int],
    chain: str | None,
) -> tuple[list[float], Counter[int]]:
    method, path, headers, body = request
    latencies: list[float] = []
    statuses: Counter[int] = Counter()
    reader, writer = await asyncio.open_connection(host, port)
    try:
        while time.perf_counter() < until:
            text = body.replace("{n}", str(next(numbers))).replace("{chain}", chain or "") if body else None
            payload = text.encode() if text is not None else b""
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
            answer = await reader.readexactly(length) if length else b""
            if chain is not None and status == 200:
                chain = json.loads(answer)["tokens"]["refreshToken"]
            latencies.append((time.perf_counter() - started) * 1000)
            statuses[status] += 1
            if close:
                writer.close()
                reader, writer = await asyncio.open_connection(host, port)
    finally:
        writer.close()
    return latencies, statuses


async def run(
    url: str,
    connections: int,
    seconds: float,
    method: str,
    headers: list[str],
    body: str | None,
    tokens: list[str],
    chains: list[str],
) -> dict:
    parts = urlsplit(url)
    path = parts.path + (f"?{parts.query}" if parts.query else "")
    numbers = itertools.count(int(time.time() * 1000) % 10**9)
    until = time.perf_counter() + seconds
    started = time.perf_counter()

    def headers_of(i: int) -> list[str]:
        return [*headers, f"Authorization: Bearer {tokens[i % len(tokens)]}"] if tokens else headers

    results = await asyncio.gather(
        *(
            connection(
                parts.hostname or "127.0.0.1",
                parts.port or 80,
                (method, path, headers_of(i), body),
                until,
                numbers,
                chains[i] if chains else None,
            )
            for i in range(connections)
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
    parser.add_argument("--tokens", type=Path)
    parser.add_argument("--chain", type=Path)
    args = parser.parse_args()
    tokens = json.loads(args.tokens.read_text()) if args.tokens else []
    chains = json.loads(args.chain.read_text()) if args.chain else []
    if chains and len(chains) < args.connections:
        parser.error("--chain needs a refresh token for each connection")
    result = asyncio.run(
        run(args.url, args.connections, args.seconds, args.method, args.header, args.body, tokens, chains)
    )
    print(json.dumps(result))


if __name__ == "__main__":
    main()
