"""Admission control for password hashing.

bcrypt at cost 12 takes a quarter of a second of a core, and the hasher runs
one per core at a time. Requests that hash (register, login, re-entering a
password) are let through to the worker threads a few at a time; the rest
wait on the event loop, holding no thread, and after CS_HASHING_QUEUE_SECONDS
get 503 OVERLOADED with Retry-After. So a flood of logins or registrations
gets quick refusals instead of queueing for seconds, and never takes the
threads that token checks, profile and address requests run on."""

from __future__ import annotations

import asyncio
import math
import os
from typing import Any

from litestar.types import ASGIApp, Receive, Scope, Send

from customer_core.errors import Overloaded


class HashingGate:
    def __init__(self, *, capacity: int, patience_seconds: float) -> None:
        self.capacity = capacity
        self.patience_seconds = patience_seconds
        self._slots: asyncio.Semaphore | None = None

    async def enter(self) -> None:
        if self._slots is None:  # made on first use, in the serving event loop
            self._slots = asyncio.Semaphore(self.capacity)
        try:
            await asyncio.wait_for(self._slots.acquire(), self.patience_seconds)
        except TimeoutError:
            raise Overloaded(retry_after_seconds=max(1, math.ceil(self.patience_seconds))) from None

    def leave(self) -> None:
        assert self._slots is not None
        self._slots.release()


def hashing_gate(patience_seconds: float) -> HashingGate:
    """Two requests per core in flight: one hashing, one doing the rest of
    its work (lookups, writes), so the cores stay busy without a queue of
    threads behind the hasher."""
    return HashingGate(capacity=2 * (os.cpu_count() or 1), patience_seconds=patience_seconds)


def admitted_to_hashing(app: ASGIApp) -> ASGIApp:
    """Route middleware: the request waits for the hashing gate of its app."""

    async def through_the_gate(scope: Scope, receive: Receive, send: Send) -> None:
        gate: HashingGate = scope["app"].state.hashing_gate
        await gate.enter()
        try:
            await app(scope, receive, send)
        finally:
            gate.leave()

    return through_the_gate


# What a route that hashes a password declares.
HASHES_PASSWORDS: dict[str, Any] = {"middleware": [admitted_to_hashing]}
