"""Project-wide pytest configuration."""

# pytester runs pytest inside pytest (tests/test_plugin_collection.py); pytest_plugins belongs in the root conftest
pytest_plugins = ["pytester"]


def pytest_configure(config):
    config.addinivalue_line("markers", "chopsticks: starts real chopsticks processes")


# Hypothesis profiles for tests/hypothesis, chosen by HARNESS_HYPOTHESIS_PROFILE (default: ci).
#   ci   - bounded and deterministic (derandomized, no example database): what CI runs
#   dev  - quick, random, remembers failures in .hypothesis/: for local edit-run loops
#   deep - long random search, run by hand: HARNESS_HYPOTHESIS_PROFILE=deep pytest tests/hypothesis
import os  # noqa: E402

from hypothesis import HealthCheck, settings  # noqa: E402

settings.register_profile("ci", derandomize=True, database=None, max_examples=40, stateful_step_count=15,
                          deadline=None, suppress_health_check=[HealthCheck.too_slow], print_blob=True)
settings.register_profile("dev", max_examples=15, stateful_step_count=10, deadline=None)
settings.register_profile("deep", max_examples=2000, stateful_step_count=50, deadline=None,
                          suppress_health_check=[HealthCheck.too_slow])
settings.load_profile(os.environ.get("HARNESS_HYPOTHESIS_PROFILE", "ci"))
