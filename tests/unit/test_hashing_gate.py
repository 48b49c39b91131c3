"""The hashing gate lets a few requests through at a time; the others wait,
holding no thread, and are refused once their patience runs out."""

import asyncio

import pytest

from customer_core.errors import Overloaded
from entrypoints.http.admission import HashingGate


def test_requests_beyond_the_capacity_wait_and_go_through_when_one_leaves():
    async def scenario():
        gate = HashingGate(capacity=2, patience_seconds=1.0)
        await gate.enter()
        await gate.enter()
        waiting = asyncio.create_task(gate.enter())
        await asyncio.sleep(0.05)
        assert not waiting.done()
        gate.leave()
        await asyncio.wait_for(waiting, 1.0)

    asyncio.run(scenario())


def test_a_request_that_waited_its_patience_out_is_overloaded_with_a_retry_after():
    async def scenario():
        gate = HashingGate(capacity=1, patience_seconds=0.05)
        await gate.enter()
        with pytest.raises(Overloaded) as refused:
            await gate.enter()
        assert refused.value.retry_after_seconds == 1
        gate.leave()
        await gate.enter()  # the refused request took no slot

    asyncio.run(scenario())
