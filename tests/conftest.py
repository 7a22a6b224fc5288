"""Fixtures for the cross-app tests in this directory.

The shared harness (database checks, the ``browser`` and ``page`` Playwright fixtures,
``screenshot``) is tests/harness.py; the root conftest.py loads it for every test, in
src/ too. Import the helper as ``from tests.harness import screenshot`` (or from here).
"""

from tests.harness import find_chromium, screenshot

__all__ = ["find_chromium", "screenshot"]
