"""The hashing gate lets a few requests through at a time; the others wait,
holding no thread, and are refused once their patience runs out."""

import asyncio

import pytest

from customer_core.errors import Overloaded
from entrypoints.http import admission
from entrypoints.http.admission import HashingGate


def test_requests_beyond_the_capacity_wait_and_go_through_when_one_leaves():
    async def scenario():
        gate = HashingGate(capacity=2, patience_seconds=1.0)
        first = await gate.enter()
        await gate.enter()
        waiting = asyncio.create_task(gate.enter())
        await asyncio.sleep(0.05)
        assert not waiting.done()
        gate.leave(first)
        await asyncio.wait_for(waiting, 1.0)

    asyncio.run(scenario())


def test_a_request_that_waited_its_patience_out_is_overloaded_with_a_retry_after():
    async def scenario():
        gate = HashingGate(capacity=1, patience_seconds=0.05)
        entered = await gate.enter()
        with pytest.raises(Overloaded) as refused:
            await gate.enter()
        assert refused.value.retry_after_seconds == 1
        gate.leave(entered)
        await gate.enter()  # the refused request took no slot

    asyncio.run(scenario())


def test_a_request_arriving_behind_more_than_the_patience_can_drain_is_refused_before_its_patience_ends(monkeypatch):
    async def scenario():
        gate = HashingGate(capacity=1, patience_seconds=0.4)  # slots held about 0.25 s to begin with
        monkeypatch.setattr(admission, "REFUSAL_PAUSE_SECONDS", 0.1)
        await gate.enter()
        queued = [asyncio.create_task(gate.enter()) for _ in range(2)]  # the second one waits behind 0.25 s
        await asyncio.sleep(0.01)
        started = asyncio.get_running_loop().time()
        with pytest.raises(Overloaded):
            await gate.enter()
        assert 0.1 <= asyncio.get_running_loop().time() - started < 0.3
        for task in queued:
            task.cancel()
        await asyncio.gather(*queued, return_exceptions=True)

    asyncio.run(scenario())
