"""Undoing the writes of a failed unit of work on stores without
transactions: a write that a later failure must not leave behind registers
how to take itself back, and the unit of work runs those steps, newest
first, when its work raises. And, for every store, what is to happen only
once a unit of work has committed (``after_commit``)."""

from __future__ import annotations

import contextlib
import contextvars
import logging
from collections.abc import Callable, Iterator
from typing import TypeVar

T = TypeVar("T")

logger = logging.getLogger("customer_service.storage")

_steps: contextvars.ContextVar[list[Callable[[], None]] | None] = contextvars.ContextVar("undo_steps", default=None)
_committed: contextvars.ContextVar[list[Callable[[], None]] | None] = contextvars.ContextVar("committed", default=None)


def after_commit(action: Callable[[], None]) -> None:
    """Run ``action`` when the unit of work running now has committed; at once outside one."""
    actions = _committed.get()
    if actions is None:
        action()
    else:
        actions.append(action)


def in_unit_of_work() -> bool:
    return _committed.get() is not None


@contextlib.contextmanager
def attempt() -> Iterator[list[Callable[[], None]]]:
    """One attempt at a unit of work: the actions it defers to its commit."""
    actions: list[Callable[[], None]] = []
    token = _committed.set(actions)
    try:
        yield actions
    finally:
        _committed.reset(token)


def run_undoing_on_failure(work: Callable[[], T]) -> T:
    """A unit of work without a transaction: its writes undone if it fails,
    what waits for its commit run if it does not."""
    if in_unit_of_work():
        return work()
    with attempt() as committed, undone_on_failure():
        result = work()
    run_committed(committed)
    return result


def run_committed(actions: list[Callable[[], None]]) -> None:
    for action in actions:
        try:
            action()
        except Exception:  # the unit of work has committed: its answer stands
            logger.exception("an action after a commit failed")


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
