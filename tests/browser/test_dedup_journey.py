"""A supervisor reviews a possible duplicate on a phone and on a desktop: the queue, the two
records side by side, the merge, the kept record's page, then the undo from the history; and
starts a search with a minimum score, follows it, and finds it among the past searches."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

import pytest
from django.utils import translation
from django.utils.translation import ngettext
from playwright.sync_api import expect

from kariya.dedup import services
from kariya.dedup.models import DedupRun
from kariya.dedup.tests.conftest import build_pair
from kariya.people.factories import register
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


@pytest.mark.parametrize("viewport", ["phone"])
def test_supervisor_starts_a_search_and_follows_its_progress(
    page: Any, live_server: Any, org_a: Any, password: str, viewport: str
) -> None:
    """The button runs the search (immediate backend: done by the time the page comes back)
    and the new pair is in the list; a run still going shows its stage and percentage, and the
    area (htmx, every 2 s, under the page's CSP) turns into the result once it is done."""
    worker = org_a["caseworker"]
    a = register(worker, given_names="Moussa", family_names="Abdou", birth_year=1990)
    register(worker, given_names="Mousa", family_names="Abdou", birth_year=1990)
    base = live_server.url
    log_in(page, base, org_a["supervisor"].username, password)
    page.goto(f"{base}/duplicates/")
    score = page.get_by_label(fr("Minimum score (%)"))
    expect(score).to_have_value("40")
    score.fill("150")  # refused by the browser (max 99) before any request
    page.get_by_role("button", name=fr("Find duplicates")).click()
    assert score.evaluate("e => e.validity.rangeOverflow") is True
    expect(page.get_by_text(fr("The search for duplicates has started."))).to_have_count(0)
    assert not DedupRun.objects.exists()
    score.fill("55")
    page.get_by_role("button", name=fr("Find duplicates")).click()
    expect(page.get_by_text(fr("The search for duplicates has started."))).to_be_visible()
    assert DedupRun.objects.get().threshold == pytest.approx(0.55)
    expect(page.get_by_role("row").filter(has_text=a.case_code)).to_be_visible()
    expect(page.locator("#dedup-run")).to_contain_text(fr("New pairs to review"))
    assert horizontal_overflow(page) <= 0

    run = DedupRun.objects.create(
        organisation=org_a.org,
        started_by=org_a["supervisor"],
        threshold=0.8,
        status="running",
        stage="comparing",
        progress_done=45,
        progress_total=100,
    )
    DedupRun.objects.exclude(pk=run.pk).update(created_at=run.created_at - timedelta(hours=1))
    page.goto(f"{base}/duplicates/")
    area = page.locator("#dedup-run")
    expect(area).to_contain_text(f"{fr('Comparing pairs')} — 45 %")
    expect(page.get_by_role("button", name=fr("Find duplicates"))).to_have_count(0)
    DedupRun.objects.filter(pk=run.pk).update(
        status="done", stage="finished", progress_done=100, pairs_found=7, candidates_added=0
    )
    expect(area).to_contain_text(fr("Likely duplicates found"), timeout=8000)
    expect(page.get_by_role("button", name=fr("Find duplicates"))).to_be_visible()

    page.get_by_role("link", name=fr("Past searches")).click()
    expect(page.get_by_role("heading", level=1)).to_have_text(fr("Past searches for duplicates"))
    table = page.get_by_role("table")
    with translation.override("fr"):
        expect(table).to_contain_text(ngettext("%(n)s search", "%(n)s searches", 2) % {"n": 2})
    # The first search ran on two records: fixed rules, not the minimum score; the second 80 %.
    expect(table).to_contain_text(fr("fixed rules"))
    expect(table).to_contain_text("80 %")
    assert horizontal_overflow(page) <= 0
