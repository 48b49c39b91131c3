"""Contract tests shared by every implementation of a port: a test class
subclasses a suite and provides the port under test as a fixture."""

import pytest

pytest.register_assert_rewrite("tests.contracts.repositories", "tests.contracts.messaging", "tests.contracts.addresses")
