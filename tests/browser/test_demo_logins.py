"""The logins `kariya demo` prints work in a browser, for every role it prints."""

from __future__ import annotations

from typing import Any

import pytest
from playwright.sync_api import expect

from kariya.accounts.models import User
from kariya.demo import generator
from tests.browser.steps import fr, log_in, log_out, role_label
from tests.browser.test_roles import roles_figure

pytestmark = pytest.mark.browser


@pytest.mark.parametrize("viewport", ["phone"])
def test_every_printed_demo_login_opens_its_home_page(page: Any, live_server: Any) -> None:
    generator.generate(seed=generator.DEFAULT_SEED)
    accounts = generator.ensure_demo_accounts(seed=generator.DEFAULT_SEED)
    roles = {account.role for account in accounts}
    assert len(roles) == 10, "the demo must print a login for every role"
    seen: set[str] = set()
    for account in accounts:
        if account.role in seen:  # one login per role keeps the test short
            continue
        seen.add(account.role)
        log_in(page, live_server.url, account.username, generator.DEMO_PASSWORD)
        user = User.objects.get(username=account.username)
        expect(page.get_by_role("heading", level=1)).to_have_text(
            fr("Welcome, %(name)s", name=user.get_full_name())
        )
        expect(roles_figure(page)).to_have_text(role_label(account.role))
        expect(page.get_by_role("heading", name=account.organisation.name)).to_be_visible()
        log_out(page, live_server.url)
    assert seen == roles
