"""Project-wide pytest configuration."""


def pytest_configure(config):
    config.addinivalue_line("markers", "chopsticks: starts real chopsticks processes")
