import os

from hypothesis import HealthCheck, settings

# Property tests run many examples locally and a bounded number in CI; none
# has a deadline, since CI machines are slow and shared.
settings.register_profile("default", deadline=None, max_examples=100)
settings.register_profile("ci", deadline=None, max_examples=60, suppress_health_check=[HealthCheck.too_slow])
settings.load_profile("ci" if os.environ.get("CI") else "default")
