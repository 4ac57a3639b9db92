"""A supervisor reviews a possible duplicate on a phone and on a desktop: the queue, the two
records side by side, the merge, the kept record's page, then the undo from the history."""

from __future__ import annotations

from typing import Any

import pytest
from playwright.sync_api import expect

from kariya.dedup import services
from kariya.dedup.tests.conftest import build_pair
from kariya.people.models import Person
from tests.browser.steps import fr, horizontal_overflow, label, log_in, nav_link

pytestmark = pytest.mark.browser


@pytest.mark.parametrize("viewport", ["phone", "desktop"])
def test_supervisor_merges_a_pair_then_undoes_it(
    page: Any, live_server: Any, org_a: Any, password: str, viewport: str
) -> None:
    pair = build_pair(org_a)
    services.duplicate_candidates_record(
        organisation=org_a.org,
        pairs=[(pair.absorb.pk, pair.keep.pk, 0.93, {"family_name": "exact", "phone": "exact"})],
    )
    base = live_server.url
    log_in(page, base, org_a["supervisor"].username, password)

    nav_link(page, fr("Possible duplicates")).click()
    expect(page.get_by_role("heading", level=1)).to_have_text(fr("Possible duplicates"))
    row = page.get_by_role("row").filter(has_text=pair.keep.case_code)
    expect(row).to_contain_text("93 %")
    row.get_by_role("link", name=fr("Compare")).click()

    expect(page.get_by_role("heading", level=1)).to_have_text(fr("Compare two records"))
    expect(page.get_by_text("Mahamadou", exact=True)).to_be_visible()
    expect(page.get_by_text("Mohamed", exact=True)).to_be_visible()
    assert horizontal_overflow(page) <= 0
    page.get_by_label(fr("Same person: merge, keep the first record")).check()
    page.get_by_role("button", name=fr("Record the decision")).click()

    expect(page.get_by_role("status")).to_contain_text(
        fr(
            "Merged into %(code)s. The merge can be undone from the merge history.",
            code=pair.keep.case_code,
        )
    )
    expect(page.get_by_role("heading", level=1)).to_contain_text(pair.keep.case_code)
    assert Person.objects.get(pk=pair.absorb.pk).merged_into_id == pair.keep.pk

    page.goto(f"{base}/duplicates/merges/")
    assert horizontal_overflow(page) <= 0
    page.get_by_role("link", name=fr("Undo"), exact=True).click()
    page.get_by_label(label(fr("Why undo this merge?"))).fill("Deux personnes différentes")
    page.get_by_role("button", name=fr("Undo the merge")).click()
    expect(page.get_by_role("status")).to_contain_text(
        fr("Merge undone: %(code)s is a record of its own again.", code=pair.absorb.case_code)
    )
    assert Person.objects.get(pk=pair.absorb.pk).merged_into_id is None
