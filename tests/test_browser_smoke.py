"""The browser harness end to end: Debian's Chromium against the live server."""

import json

import pytest
from django.db import DEFAULT_DB_ALIAS, connections

from tests.harness import screenshot


@pytest.mark.browser
def test_healthz_in_chromium(live_server, page):
    response = page.goto(f"{live_server.url}/healthz")

    assert response is not None
    assert response.status == 200
    expected = {
        "status": "ok",
        "database": connections[DEFAULT_DB_ALIAS].vendor,
        "pending_migrations": 0,
    }
    assert json.loads(page.locator("pre").first.inner_text()) == expected
    screenshot(page, "00-healthz")
    assert page.console_errors == []
