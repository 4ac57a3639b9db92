"""The public directory in a real browser: Arabic right-to-left, the language switcher, and the
offline copy the service worker serves with the network cut."""

from __future__ import annotations

import time
from typing import Any

import pytest
from django.utils import translation
from playwright.sync_api import expect

from kariya.directory import factories

pytestmark = pytest.mark.browser


def public_text(language: str, msgid: str) -> str:
    with translation.override(language):
        return translation.pgettext("public", msgid)


@pytest.fixture
def entry(org_a: Any) -> Any:
    return factories.published(
        org_a["service_focal_point"],
        org_a["network_coordinator"],
        name_ar="استشارات طبية مجانية",
        name_ha="Shawarwarin likita kyauta",
    )


@pytest.mark.parametrize("viewport", ["phone", "desktop"])
def test_arabic_directory_renders_right_to_left(
    page: Any, live_server: Any, entry: Any, viewport: str
) -> None:
    assert public_text("ar", "Find a service") != public_text("en", "Find a service")
    page.goto(f"{live_server.url}/public/ar/services/")
    html = page.locator("html")
    expect(html).to_have_attribute("dir", "rtl")
    expect(html).to_have_attribute("lang", "ar")
    expect(page.get_by_role("heading", level=1)).to_have_text(public_text("ar", "Find a service"))
    # The browser lays the page out right to left: the brand sits on the right of the header.
    assert page.evaluate("getComputedStyle(document.querySelector('main')).direction") == "rtl"
    brand = page.locator(".brand").bounding_box()
    header = page.locator(".top").bounding_box()
    assert brand["x"] + brand["width"] > header["x"] + header["width"] / 2

    page.get_by_role("link", name="استشارات طبية مجانية").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("استشارات طبية مجانية")
    # The switcher keeps the page and changes language and direction.
    page.get_by_role("link", name="Hausa", exact=True).click()
    expect(html).to_have_attribute("dir", "ltr")
    expect(html).to_have_attribute("lang", "ha")
    expect(page).to_have_url(f"{live_server.url}/public/ha/services/{entry.public_id}/")
    expect(page.get_by_role("heading", level=1)).to_have_text("Shawarwarin likita kyauta")

    # Nothing sticks out sideways (a right-to-left page overflowing scrolls to the left).
    for path in (
        f"/public/ar/services/{entry.public_id}/",
        f"/public/ar/services/{entry.public_id}/card/",
    ):
        page.goto(live_server.url + path)
        assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth"), path


def _wait_until_cached(page: Any, path: str, containing: str = "") -> None:
    script = (
        "([p, s]) => caches.open('kariya-public-v1').then((c) => c.match(p, { ignoreVary: true }))"
        ".then((r) => (r ? r.text() : '')).then((t) => t !== '' && t.includes(s))"
    )
    for _ in range(100):
        if page.evaluate(script, [path, containing]):
            return
        time.sleep(0.1)
    raise AssertionError(f"{path} never reached the service worker's cache")


def test_service_worker_serves_a_cached_page_with_the_network_cut(
    new_context: Any, live_server: Any, entry: Any
) -> None:
    context = new_context("phone")
    page = context.new_page()
    detail = f"/public/fr/services/{entry.public_id}/"
    page.goto(live_server.url + detail)
    notice = page.locator("#offline-copy")
    expect(notice).to_be_hidden()
    # Polled from Python: wait_for_function polls a string predicate with eval in the page,
    # which the page's CSP (no 'unsafe-eval') refuses once the first check is false.
    for _ in range(100):
        if page.evaluate("() => !!(navigator.serviceWorker && navigator.serviceWorker.controller)"):
            break
        time.sleep(0.1)
    else:
        raise AssertionError("the service worker never took control of the page")
    # A second visit goes through the worker, which keeps what it shows.
    page.reload()
    printed = notice.locator("time").get_attribute("datetime")
    assert printed
    _wait_until_cached(page, detail, containing=printed)
    _wait_until_cached(page, "/public/fr/services/")
    _wait_until_cached(page, "/public/fr/directory.json")

    context.set_offline(True)
    page.reload()
    expect(page.get_by_role("heading", level=1)).to_have_text(entry.name_fr)
    expect(notice).to_be_visible()
    expect(notice).to_contain_text(public_text("fr", "You are offline. This is a copy of"))
    # The date shown is the one the server printed when the copy was taken.
    expect(notice.locator("time")).to_have_attribute("datetime", printed)

    # The language's list, kept on the first visit though never opened, works offline too.
    page.goto(live_server.url + "/public/fr/services/")
    expect(page.get_by_role("link", name=entry.name_fr)).to_be_visible()
    expect(notice).to_be_visible()

    # Back online, the page comes from the server again (no copy notice).
    context.set_offline(False)
    page.goto(live_server.url + detail)
    expect(notice).to_be_hidden()
