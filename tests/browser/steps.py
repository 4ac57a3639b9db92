"""Steps shared by the browser tests: what a person does, in the words the page shows them.

Expected texts come from the translation catalogues (``fr(...)``/``en(...)``) rather than being
copied here, so the tests follow the translators' wording; tests that are about the language
itself also assert that the French differs from the English.
"""

from __future__ import annotations

import re
from typing import Any

from django.utils import translation
from playwright.sync_api import expect

from kariya.accounts.roles import Role

PHONE = {"width": 360, "height": 640}
DESKTOP = {"width": 1280, "height": 800}
VIEWPORTS = {"phone": PHONE, "desktop": DESKTOP}


def fr(msgid: str, **values: Any) -> str:
    with translation.override("fr"):
        text = translation.gettext(msgid)
    return text % values if values else text


def pfr(context: str, msgid: str) -> str:
    """French for a message marked with a context (``{% translate "..." context "..." %}``)."""
    with translation.override("fr"):
        return translation.pgettext(context, msgid)


def en(msgid: str, **values: Any) -> str:
    with translation.override("en"):
        text = translation.gettext(msgid)
    return text % values if values else text


def role_label(code: str, language: str = "fr") -> str:
    with translation.override(language):
        return str(Role(code).label)


def exactly(text: str) -> re.Pattern[str]:
    return re.compile(rf"^\s*{re.escape(text)}\s*$")


def label(text: str) -> re.Pattern[str]:
    """A field's label, whole: Django's form labels end with the language's suffix (" :")."""
    return re.compile(rf"^\s*{re.escape(text)}\s*:?\s*$")


def fill_log_in_form(page: Any, username: str, password: str) -> None:
    """Fill the real log-in form, in French, and press its button."""
    page.get_by_label(label(fr("Username"))).fill(username)
    page.get_by_label(label(fr("Password"))).fill(password)
    page.get_by_role("button", name=pfr("button", "Log in"), exact=True).click()


def log_in(page: Any, base_url: str, username: str, password: str) -> None:
    """Open the log-in page, log in, and wait for the home page."""
    page.goto(f"{base_url}/accounts/login/")
    fill_log_in_form(page, username, password)
    expect(page).to_have_url(f"{base_url}/")


def log_out(page: Any, base_url: str) -> None:
    page.get_by_role("button", name=re.compile("^" + re.escape(fr("Log out")))).click()
    expect(page).to_have_url(f"{base_url}/accounts/login/")


def nav_link(page: Any, label: str) -> Any:
    return page.get_by_role("navigation").get_by_role("link", name=label, exact=True)


def horizontal_overflow(page: Any) -> int:
    """How many CSS pixels the page is wider than the viewport (0 when it fits)."""
    width = page.evaluate("document.documentElement.scrollWidth")
    return int(width) - int(page.viewport_size["width"])
