"""The app of one worker process of ``serve --workers N``, built from the
environment: the parent has set ``CS_MONGODB_URI`` to the store it started."""

from __future__ import annotations

import os

from litestar import Litestar

from entrypoints.bootstrap import bootstrap
from entrypoints.http.app import create_app
from entrypoints.runtime import configure_logging
from entrypoints.settings import Settings


def app() -> Litestar:
    config = Settings.from_env(os.environ)
    configure_logging(config.log_level)
    return create_app(bootstrap(config))
