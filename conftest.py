"""Root conftest: loads the shared harness and the domain fixtures for every test."""

pytest_plugins = ["tests.harness", "tests.factories"]
