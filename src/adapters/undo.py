"""Undoing the writes of a failed unit of work on stores without
transactions: a write that a later failure must not leave behind registers
how to take itself back, and the unit of work runs those steps, newest
first, when its work raises."""

from __future__ import annotations

import contextlib
import contextvars
import logging
from collections.abc import Callable, Iterator

logger = logging.getLogger("customer_service.storage")

_steps: contextvars.ContextVar[list[Callable[[], None]] | None] = contextvars.ContextVar("undo_steps", default=None)


def on_failure(step: Callable[[], None]) -> None:
    """Run ``step`` if the unit of work running now fails (outside one, or
    inside a real transaction, there is nothing to do)."""
    steps = _steps.get()
    if steps is not None:
        steps.append(step)


@contextlib.contextmanager
def undone_on_failure() -> Iterator[None]:
    if _steps.get() is not None:  # nested: the outer unit of work undoes everything
        yield
        return
    steps: list[Callable[[], None]] = []
    token = _steps.set(steps)
    try:
        yield
    except BaseException:
        for step in reversed(steps):
            try:
                step()
            except Exception:  # the original failure matters more; this one goes to the log
                logger.exception("could not undo a write of a failed unit of work")
        raise
    finally:
        _steps.reset(token)
