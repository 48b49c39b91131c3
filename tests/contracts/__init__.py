"""Contract tests shared by every implementation of a port. A test module
star-imports a suite and defines the fixtures it is written against."""

import pytest

pytest.register_assert_rewrite("tests.contracts.repositories")
