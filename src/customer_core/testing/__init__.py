"""The test kit for embedders: install ``customer-service[testing]``.

- ``customer_core.testing.contracts``: the contract suites of the storage
  ports, which the memory and MongoDB adapters pass; subclass one to hold
  your own adapter to the same contract.
- ``customer_core.testing.strategies``: hypothesis strategies for what the
  domain accepts (emails, passwords, addresses, profiles) and for passwords
  it refuses.

Importing this package registers the contract modules for pytest's
assertion rewriting, so a failing contract shows the values it compared.
That only works when they are imported after pytest has started (from a
test module or a conftest.py, as usual), and is why ``customer_core``
itself never imports this package.
"""

import pytest

pytest.register_assert_rewrite("customer_core.testing.contracts")

__all__ = ["contracts", "strategies"]
