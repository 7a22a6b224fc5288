"""The shared pytest harness, loaded for every test in the repository by ../conftest.py.

What it gives:

* Database checks. Tests marked ``@pytest.mark.postgresql`` are deselected when the
  database is SQLite (the PostgreSQL pass of ``make test`` runs them), and with
  ``CI=true`` plus ``DATABASE_URL`` the session asserts it really talks to PostgreSQL.
* Playwright on Debian's Chromium (never ``playwright install``): the ``browser``
  (session) and ``page`` (per test: fresh context, nl-NL, 1280x900) fixtures.
  ``page.console_errors`` collects console errors and uncaught page exceptions.
  Tests using them are marked ``browser`` automatically; use pytest-django's
  ``live_server`` for the server (it implies ``transactional_db``).
* ``screenshot(page, name)`` saves a full-page PNG as ``docs/screenshots/<name>.png``
  (on SQLite; see its docstring).

Without Chromium, browser tests skip locally and fail with ``CI=true`` (with the
command that installs it).
"""

from __future__ import annotations

import os
import re
import shutil
from collections.abc import Iterator
from pathlib import Path
from typing import TYPE_CHECKING, Any

import pytest

if TYPE_CHECKING:
    from playwright.sync_api import Browser, ConsoleMessage, Page, Playwright

# Playwright's sync API runs an asyncio event loop in the test thread, and Django
# refuses ORM calls in a thread with a running loop. The tests are synchronous code.
os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"

REPO_ROOT = Path(__file__).resolve().parent.parent
SCREENSHOT_DIR = REPO_ROOT / "docs" / "screenshots"
CHROMIUM_INSTALL = "apt-get update && apt-get install -y chromium   (or: make system-deps)"
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
BROWSER_FIXTURES = {"browser", "page"}
DEFAULT_TIMEOUT_MS = 15_000
_DESELECTED_PG = pytest.StashKey[int]()


def in_ci() -> bool:
    return os.environ.get("CI", "").strip().lower() in {"1", "true", "yes"}


def database_url_set() -> bool:
    return bool(os.environ.get("DATABASE_URL", "").strip())


def database_vendor() -> str:
    from django.db import connections

    return str(connections["default"].vendor)


def find_chromium() -> str | None:
    """Debian's Chromium: $CHROMIUM_PATH, /usr/bin/chromium or `chromium` on PATH."""
    for candidate in (
        os.environ.get("CHROMIUM_PATH", ""),
        "/usr/bin/chromium",
        shutil.which("chromium") or "",
        shutil.which("chromium-browser") or "",
    ):
        if candidate and os.access(candidate, os.X_OK):
            return candidate
    return None


# --- hooks -------------------------------------------------------------------------------


def pytest_report_header(config: pytest.Config) -> list[str]:
    vendor = database_vendor()
    source = "DATABASE_URL" if database_url_set() else "default SQLite settings"
    return [
        f"database: {vendor} ({source}); CI={'true' if in_ci() else 'false'}",
        f"chromium: {find_chromium() or 'not found'}",
    ]


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    vendor = database_vendor()
    if in_ci() and database_url_set() and vendor != "postgresql":
        raise pytest.UsageError(
            f"CI=true and DATABASE_URL is set, but the tests would run on {vendor}, "
            "not PostgreSQL: check DATABASE_URL and the settings."
        )
    for item in items:
        if BROWSER_FIXTURES & set(getattr(item, "fixturenames", ())):
            item.add_marker(pytest.mark.browser)
    if vendor == "postgresql":
        return
    # On SQLite the PostgreSQL-only tests are deselected, not skipped: `make test` runs
    # the same suite on a throw-away PostgreSQL right after (scripts/pg_tmp.py).
    keep: list[pytest.Item] = []
    deselected: list[pytest.Item] = []
    for item in items:
        (deselected if item.get_closest_marker("postgresql") else keep).append(item)
    if deselected:
        config.hook.pytest_deselected(items=deselected)
        items[:] = keep
        config.stash[_DESELECTED_PG] = len(deselected)


def pytest_terminal_summary(terminalreporter: Any, config: pytest.Config) -> None:
    count = config.stash.get(_DESELECTED_PG, 0)
    if count:
        terminalreporter.write_line(
            f"{count} test(s) marked 'postgresql' deselected on {database_vendor()}: they run "
            "on PostgreSQL (`make test`, or `python scripts/pg_tmp.py run -- pytest`)."
        )


# --- fixtures ----------------------------------------------------------------------------


@pytest.fixture(scope="session", autouse=True)
def _ci_runs_on_postgresql(django_db_blocker: Any) -> None:
    """With CI=true and DATABASE_URL set, prove the session really talks to PostgreSQL."""
    if not (in_ci() and database_url_set()):
        return
    from django.db import connection

    assert connection.vendor == "postgresql", f"CI expects PostgreSQL, got {connection.vendor}"
    with django_db_blocker.unblock(), connection.cursor() as cursor:
        cursor.execute("SELECT version()")
        version = cursor.fetchone()[0]
    assert str(version).startswith("PostgreSQL"), version


@pytest.fixture(scope="session")
def chromium_path() -> str:
    path = find_chromium()
    if path is None:
        message = f"Debian's Chromium is not installed; install it with: {CHROMIUM_INSTALL}"
        if in_ci():
            pytest.fail(message, pytrace=False)
        pytest.skip(message)
    return path


@pytest.fixture(scope="session")
def playwright_session() -> Iterator[Playwright]:
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        yield playwright


@pytest.fixture(scope="session")
def browser(chromium_path: str, playwright_session: Playwright) -> Iterator[Browser]:
    browser = playwright_session.chromium.launch(
        executable_path=chromium_path, headless=True, args=CHROMIUM_ARGS
    )
    yield browser
    browser.close()


@pytest.fixture
def page(browser: Browser) -> Iterator[Page]:
    """A fresh context per test. Errors in the browser console land in page.console_errors."""
    context = browser.new_context(locale="nl-NL", viewport={"width": 1280, "height": 900})
    context.set_default_timeout(DEFAULT_TIMEOUT_MS)
    page = context.new_page()
    errors: list[str] = []
    page.console_errors = errors  # type: ignore[attr-defined]

    def on_console(message: ConsoleMessage) -> None:
        if message.type != "error":
            return
        url = str(message.location.get("url", ""))
        if url.endswith("/favicon.ico"):  # browsers ask for it on every page; not our error
            return
        errors.append(f"{message.text} [{url}]" if url else message.text)

    page.on("console", on_console)
    page.on("pageerror", lambda error: errors.append(f"uncaught: {error}"))
    yield page
    context.close()


# --- helpers -----------------------------------------------------------------------------


def screenshot(page: Page, name: str) -> Path:
    """Save a full-page screenshot as docs/screenshots/<name>.png and return its path.

    Only the SQLite run writes the file (the PostgreSQL pass of `make test` takes the
    screenshot but keeps it), so the committed images do not flip between the passes;
    SCREENSHOTS=always writes on any database.
    """
    name = name.removesuffix(".png")
    if not re.fullmatch(r"[A-Za-z0-9][A-Za-z0-9._-]*", name):
        raise ValueError(f"screenshot name must be a plain file name, got {name!r}")
    target = SCREENSHOT_DIR / f"{name}.png"
    if database_vendor() != "sqlite" and os.environ.get("SCREENSHOTS") != "always":
        page.screenshot(full_page=True)
        return target
    SCREENSHOT_DIR.mkdir(parents=True, exist_ok=True)
    partial = SCREENSHOT_DIR / f"{name}.{os.getpid()}.tmp.png"  # atomic: no half-written PNG
    page.screenshot(path=str(partial), full_page=True)
    os.replace(partial, target)
    return target
