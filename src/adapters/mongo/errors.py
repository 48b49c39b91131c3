"""Database failures reach the core as a port-level error."""

from __future__ import annotations

import functools
from collections.abc import Callable
from typing import Any, TypeVar

from pymongo.errors import DuplicateKeyError, PyMongoError

from adapters.mongo.transactions import current_session
from customer_core.errors import DependencyUnavailable, DomainError

C = TypeVar("C", bound=type)


def _translated(method: Callable[..., Any]) -> Callable[..., Any]:
    @functools.wraps(method)
    def wrapper(*args: Any, **kwargs: Any) -> Any:
        try:
            return method(*args, **kwargs)
        except (DuplicateKeyError, DomainError):
            raise
        except PyMongoError as error:
            if current_session() is not None:
                raise  # the unit of work retries transient errors, then translates
            raise DependencyUnavailable("The database is unavailable; try again shortly") from error

    return wrapper


def translating_errors(cls: C) -> C:
    """Every public method of ``cls`` raises ``DependencyUnavailable`` for a
    database that failed outside a transaction."""
    for name, member in list(vars(cls).items()):
        if callable(member) and not name.startswith("_"):
            setattr(cls, name, _translated(member))
    return cls
