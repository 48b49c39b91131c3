"""Admission control for password hashing.

bcrypt at cost 12 takes a quarter of a second of a core, and the hasher runs
one per core at a time. Requests that hash (register, login, re-entering a
password) are let through to the worker threads a few at a time; the rest
wait on the event loop, holding no thread, and after CS_HASHING_QUEUE_SECONDS
get 503 OVERLOADED with Retry-After, or within a second when the queue is
already longer than that. So a flood of logins or registrations gets quick refusals
instead of queueing for seconds, and never takes the threads that token
checks, profile and address requests run on."""

from __future__ import annotations

import asyncio
import math
import time
from typing import Any

from litestar.exceptions import HTTPException
from litestar.types import ASGIApp, HTTPRequestEvent, Receive, ReceiveMessage, Scope, Send

from customer_core.errors import Overloaded
from entrypoints.metrics import HASHING_WAIT

REFUSAL_PAUSE_SECONDS = 1.0
BODY_SECONDS = 5.0
MAX_BODY_BYTES = 64 * 1024  # the largest request body the service reads


class HashingGate:
    """Lets ``capacity`` requests through at a time. One that arrives when
    the queue ahead of it would take longer than the patience to drain (at
    the pace requests have been leaving) is refused within a second; one
    admitted to the queue is refused when its patience runs out."""

    def __init__(self, *, capacity: int, patience_seconds: float) -> None:
        self.capacity = capacity
        self.patience_seconds = patience_seconds
        self._slots: asyncio.Semaphore | None = None
        self._waiting = 0
        self._seconds_held = 0.25  # a running average: about one bcrypt check at cost 12

    async def enter(self) -> float:
        """When the slot was taken; give it back to ``leave``."""
        if self._slots is None:  # made on first use, in the serving event loop
            self._slots = asyncio.Semaphore(self.capacity)
        arrived = time.monotonic()
        with HASHING_WAIT.time():
            if self._waiting * self._seconds_held / self.capacity > self.patience_seconds:
                # Not at once after all: a client that ignores Retry-After would
                # turn instant refusals into a flood that takes the CPU from reads.
                await asyncio.sleep(min(REFUSAL_PAUSE_SECONDS, self.patience_seconds))
                raise self._overloaded()
            self._waiting += 1
            try:
                await asyncio.wait_for(self._slots.acquire(), self.patience_seconds)
            except TimeoutError:
                raise self._overloaded() from None
            finally:
                self._waiting -= 1
        return max(arrived, time.monotonic())

    def leave(self, entered_at: float) -> None:
        assert self._slots is not None
        self._seconds_held = 0.9 * self._seconds_held + 0.1 * (time.monotonic() - entered_at)
        self._slots.release()

    def _overloaded(self) -> Overloaded:
        return Overloaded(retry_after_seconds=max(1, math.ceil(self.patience_seconds)))


def hashing_gate(patience_seconds: float, *, cores: int) -> HashingGate:
    """Two requests per core in flight: one hashing, one doing the rest of
    its work (lookups, writes), so the cores stay busy without a queue of
    threads behind the hasher."""
    return HashingGate(capacity=2 * cores, patience_seconds=patience_seconds)


async def whole_body(receive: Receive) -> bytes:
    """The request body, read within BODY_SECONDS and up to MAX_BODY_BYTES."""
    chunks: list[bytes] = []
    size = 0

    async def read() -> None:
        nonlocal size
        while True:
            message = await receive()
            if message["type"] != "http.request":  # the client went away
                raise HTTPException(status_code=400, detail="The request ended before its body")
            chunks.append(message.get("body", b""))
            size += len(chunks[-1])
            if size > MAX_BODY_BYTES:
                raise HTTPException(status_code=413)
            if not message.get("more_body", False):
                return

    try:
        await asyncio.wait_for(read(), BODY_SECONDS)
    except TimeoutError:
        raise HTTPException(status_code=408, detail="The request body took too long to arrive") from None
    return b"".join(chunks)


def admitted_to_hashing(app: ASGIApp) -> ASGIApp:
    """Route middleware: the request waits for the hashing gate of its app,
    with its body read first, so that a client sending it slowly (or never)
    cannot hold a place meant for hashing."""

    async def through_the_gate(scope: Scope, receive: Receive, send: Send) -> None:
        gate: HashingGate = scope["app"].state.hashing_gate
        body = await whole_body(receive)
        delivered = False

        async def replayed() -> ReceiveMessage:
            nonlocal delivered
            if delivered:
                return await receive()
            delivered = True
            return HTTPRequestEvent(type="http.request", body=body, more_body=False)

        entered_at = await gate.enter()
        try:
            await app(scope, replayed, send)
        finally:
            gate.leave(entered_at)

    return through_the_gate


# What a route that hashes a password declares.
HASHES_PASSWORDS: dict[str, Any] = {"middleware": [admitted_to_hashing]}
