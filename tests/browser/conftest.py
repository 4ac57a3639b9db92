"""Playwright (sync API) driving Debian's Chromium against pytest-django's live server.

- one Chromium for the whole session, a fresh browser context and page per test;
- viewports: ``PHONE`` (360×640, a cheap Android phone) and ``DESKTOP`` (1280×800);
- French first: contexts start with ``fr`` as the browser language, as Kariya's users do;
- if ``/usr/bin/chromium`` is missing the browser tests are skipped, except under CI (``CI``
  set), where a missing browser is a broken machine and fails the run.

Never run ``playwright install``: it downloads a browser, which this project does not use.
"""

from __future__ import annotations

import os
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest

from tests.browser.steps import VIEWPORTS

# Playwright's sync API runs an event loop in the test thread; Django then refuses ORM calls
# from that thread (SynchronousOnlyOperation) although they are plain synchronous calls.
os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"

CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]
TIMEOUT_MS = 10_000

_skipped_for_missing_browser: list[str] = []


def _require_chromium() -> None:
    if CHROMIUM.exists():
        return
    if os.environ.get("CI", "").strip().lower() not in {"", "0", "false", "no"}:
        pytest.fail(
            f"browser tests: {CHROMIUM} is missing and CI is set; install Debian's chromium "
            "(apt-get install chromium), never `playwright install`",
            pytrace=False,
        )
    _skipped_for_missing_browser.append("x")
    pytest.skip(f"{CHROMIUM} not installed (apt-get install chromium); browser tests skipped")


@pytest.fixture(scope="session")
def browser(django_db_setup: None, django_db_blocker: Any) -> Iterator[Any]:
    _require_chromium()
    from django.db import connections
    from playwright.sync_api import sync_playwright

    # Django keeps database connections in an asgiref Local that switches to a separate,
    # context-local store whenever an event loop is running in the thread, and Playwright's
    # sync API leaves its loop marked as running between calls. From here on, the tests (and
    # pytest-django's per-test set-up) therefore see *other* connection objects than the ones
    # that created the test database: hand them what the set-up stored on the originals.
    serialized = {
        alias: getattr(connections[alias], "_test_serialized_contents", None)
        for alias in connections
    }
    with sync_playwright() as playwright:
        for alias, contents in serialized.items():
            if contents is not None:
                connections[alias]._test_serialized_contents = contents
        chromium = playwright.chromium.launch(
            executable_path=str(CHROMIUM), headless=True, args=CHROMIUM_ARGS
        )
        yield chromium
        chromium.close()
        # Close the context-local connections too, or PostgreSQL refuses to drop the test
        # database ("being accessed by other users").
        with django_db_blocker.unblock():
            connections.close_all()


@pytest.fixture(autouse=True)
def _browser_db(django_db_serialized_rollback: None, live_server: Any) -> None:
    """Live-server tests run in transactions that are flushed afterwards; the serialized
    rollback restores the reference data loaded by migrations (Niger admin units,
    countries) before each test, so every test starts from the migrated database."""


@pytest.fixture
def new_context(browser: Any) -> Iterator[Callable[..., Any]]:
    """Open extra browser contexts (separate cookie jars, i.e. separate people)."""
    contexts: list[Any] = []

    def _open(viewport: str = "desktop") -> Any:
        context = browser.new_context(viewport=VIEWPORTS[viewport], locale="fr-FR")
        context.set_default_timeout(TIMEOUT_MS)
        contexts.append(context)
        return context

    yield _open
    for context in contexts:
        context.close()


@pytest.fixture
def viewport() -> str:
    """Overridden by tests that parametrize over ``VIEWPORTS``."""
    return "desktop"


@pytest.fixture
def page(new_context: Callable[..., Any], viewport: str) -> Any:
    return new_context(viewport).new_page()


def pytest_terminal_summary(terminalreporter: Any) -> None:
    if _skipped_for_missing_browser:
        terminalreporter.write_line(
            f"browser tests SKIPPED: {CHROMIUM} is not installed (set CI=1 to make this fail)",
            yellow=True,
        )
