"""Project-wide pytest configuration."""

# pytester runs pytest inside pytest (tests/test_plugin_collection.py); pytest_plugins belongs in the root conftest
pytest_plugins = ["pytester"]


def pytest_configure(config):
    config.addinivalue_line("markers", "chopsticks: starts real chopsticks processes")
