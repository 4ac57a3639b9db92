"""Every role logs in through the real form, sees its home page, and logs out; on a phone the
home page and every page of the role's menu fit the screen's width."""

from __future__ import annotations

from typing import Any

import pytest
from playwright.sync_api import expect

from kariya.accounts.roles import Role
from tests.browser.steps import PHONE, exactly, fr, horizontal_overflow, log_in, log_out, role_label

pytestmark = pytest.mark.browser

ROLES = [role.value for role in Role]


def roles_figure(page: Any) -> Any:
    row = page.locator("ul.figs li").filter(has=page.get_by_text(exactly(fr("Your roles"))))
    return row.locator("b")


@pytest.mark.parametrize("role", ROLES)
def test_each_role_logs_in_sees_its_role_and_logs_out(
    page: Any, live_server: Any, org_a: Any, org_b: Any, password: str, role: str
) -> None:
    user = org_a[role]
    log_in(page, live_server.url, user.username, password)

    expect(page.locator("html")).to_have_attribute("lang", "fr")
    expect(page.get_by_role("heading", level=1)).to_have_text(
        fr("Welcome, %(name)s", name=user.get_full_name())
    )
    expect(roles_figure(page)).to_have_text(role_label(role))
    # The organisation panel is the user's own, never the other organisation's.
    expect(page.get_by_role("heading", name=org_a.org.name)).to_be_visible()
    expect(page.get_by_text(org_b.org.name)).to_have_count(0)

    log_out(page, live_server.url)
    page.goto(f"{live_server.url}/")
    expect(page).to_have_url(f"{live_server.url}/accounts/login/?next=/")


@pytest.mark.parametrize("viewport", ["phone"])
def test_every_role_s_pages_fit_a_phone_screen(
    page: Any, live_server: Any, org_a: Any, password: str, tmp_path: Any, viewport: str
) -> None:
    """One test for all roles (a live-server test costs a database restore each): log in,
    screenshot the home page, then open every entry of the role's menu; nothing may be wider
    than the 360 px screen (tables scroll inside their own box)."""
    assert page.viewport_size == PHONE
    too_wide: list[str] = []
    for role in ROLES:
        log_in(page, live_server.url, org_a[role].username, password)
        page.screenshot(path=str(tmp_path / f"home-{role}.png"), full_page=True)
        if horizontal_overflow(page) > 0:
            too_wide.append(f"{role}: / is {horizontal_overflow(page)} px too wide")
        links = page.get_by_role("navigation").get_by_role("link")
        urls = [links.nth(i).get_attribute("href") for i in range(links.count())]
        assert len(urls) >= 2, f"{role}: the menu offers {urls}"
        for url in urls:
            page.goto(f"{live_server.url}{url}")
            overflow = horizontal_overflow(page)
            if overflow > 0:
                name = url.strip("/").replace("/", "-") or "home"
                page.screenshot(path=str(tmp_path / f"overflow-{role}-{name}.png"), full_page=True)
                too_wide.append(f"{role}: {url} is {overflow} px too wide")
        log_out(page, live_server.url)
    assert not too_wide, "pages wider than a 360 px phone:\n" + "\n".join(too_wide)
    assert len(list(tmp_path.glob("home-*.png"))) == len(ROLES)
