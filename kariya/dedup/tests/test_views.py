"""The review pages: four ways on each (anonymous, wrong role, other organisation, right role),
the decisions through the form, identity shown only with people.view_identity and audited,
the merged record's page, the queue's query count."""

from __future__ import annotations

from typing import Any

import pytest

from kariya.core.models import AuditEvent
from kariya.dedup import services
from kariya.dedup.models import (
    CandidateStatus,
    DedupRun,
    DuplicateCandidate,
    PersonMerge,
    RunStatus,
)
from kariya.dedup.tests.conftest import Pair
from kariya.people.factories import register
from kariya.people.models import Person
from tests.htmlcheck import form_problems

REASONS = {"family_name": "exact", "given_name": "variant"}


@pytest.fixture(autouse=True)
def english_pages(client: Any) -> None:
    client.cookies["django_language"] = "en"


def _get(client: Any, user: Any, url: str) -> Any:
    client.logout()  # also drops the cookies: ask for English again
    client.cookies["django_language"] = "en"
    if user is not None:
        client.force_login(user)
    return client.get(url)


def _candidate(org: Any, a: Person, b: Person, score: float = 0.9) -> DuplicateCandidate:
    services.duplicate_candidates_record(organisation=org.org, pairs=[(a.pk, b.pk, score, REASONS)])
    return DuplicateCandidate.objects.get(person_a_id=min(a.pk, b.pk), person_b_id=max(a.pk, b.pk))


@pytest.fixture
def candidate(org_a: Any, pair: Pair) -> DuplicateCandidate:
    return _candidate(org_a, pair.keep, pair.absorb)


def test_every_page_four_ways(
    client: Any, org_a: Any, org_b: Any, pair: Pair, candidate: DuplicateCandidate
) -> None:
    merge_other = services.person_merge(
        actor=org_a["supervisor"],
        keep=register(org_a["caseworker"]),
        absorb=register(org_a["caseworker"]),
    )
    urls = [
        "/duplicates/",
        "/duplicates/merges/",
        f"/duplicates/{candidate.public_id}/",
        f"/duplicates/merges/{merge_other.public_id}/undo/",
    ]
    for url in urls:
        assert _get(client, None, url).status_code == 302, url
        for wrong in (org_a["caseworker"], org_a["gbv_focal_point"], org_a["org_admin"]):
            assert _get(client, wrong, url).status_code == 404, url
        page = _get(client, org_a["supervisor"], url)
        assert page.status_code == 200, url
        assert form_problems(page.content.decode()) == [], url
    # Other organisation, right role: the records are 404, the lists empty.
    for url in urls[2:]:
        assert _get(client, org_b["supervisor"], url).status_code == 404, url
    queue = _get(client, org_b["supervisor"], "/duplicates/").content.decode()
    assert pair.keep.case_code not in queue and "No pair to review." in queue
    history = _get(client, org_b["supervisor"], "/duplicates/merges/").content.decode()
    assert merge_other.keep.case_code not in history and "No merge yet." in history


def test_queue_lists_pending_pairs_highest_score_first(client: Any, org_a: Any) -> None:
    worker = org_a["caseworker"]
    low = _candidate(org_a, register(worker), register(worker), score=0.55)
    high = _candidate(org_a, register(worker), register(worker), score=0.97)
    decided = _candidate(org_a, register(worker), register(worker), score=0.99)
    services.duplicate_decide_not_a_match(
        actor=org_a["supervisor"], candidate=decided, reason="Jumeaux"
    )
    html = _get(client, org_a["supervisor"], "/duplicates/").content.decode()
    assert html.index(str(high.public_id)) < html.index(str(low.public_id))
    assert str(decided.public_id) not in html
    assert "97 %" in html and "Family name: identical" in html


def test_queue_query_count_does_not_grow_with_rows(
    client: Any, org_a: Any, django_assert_max_num_queries: Any
) -> None:
    worker = org_a["caseworker"]
    client.force_login(org_a["supervisor"])
    _candidate(org_a, register(worker), register(worker))
    client.get("/duplicates/")  # warm the session and reference caches
    with django_assert_max_num_queries(20) as few:
        client.get("/duplicates/")
    for _ in range(5):
        _candidate(org_a, register(worker), register(worker))
    with django_assert_max_num_queries(len(few.captured_queries)):
        page = client.get("/duplicates/")
    assert page.content.decode().count("/duplicates/") >= 6


def test_pair_page_shows_identity_only_with_the_permission_and_audits_each_read(
    client: Any, org_a: Any, pair: Pair, candidate: DuplicateCandidate
) -> None:
    url = f"/duplicates/{candidate.public_id}/"
    before = AuditEvent.objects.filter(action="read", object_type="people.identity").count()
    html = _get(client, org_a["supervisor"], url).content.decode()
    assert "Mahamadou" in html and "Mohamed" in html and "Hamma" in html
    assert pair.keep.case_code in html and pair.absorb.case_code in html
    assert "Family name" in html and "identical" in html
    assert "active case" in html
    reads = AuditEvent.objects.filter(action="read", object_type="people.identity")
    assert reads.count() == before + 2
    assert reads.filter(actor=org_a["supervisor"]).count() == 2


def test_pair_page_without_identity_permission_shows_pseudonymous_data_only(
    client: Any, org_a: Any, pair: Pair, candidate: DuplicateCandidate
) -> None:
    from kariya.accounts import roles

    reviewer = org_a["supervisor"]
    # A reviewer role without people.view_identity (a deployment may define one): simulated by
    # removing the permission from the supervisor for this test.
    original = roles.MATRIX[roles.Role.SUPERVISOR]
    roles.MATRIX[roles.Role.SUPERVISOR] = original - {"people.view_identity"}
    try:
        html = _get(client, reviewer, f"/duplicates/{candidate.public_id}/").content.decode()
    finally:
        roles.MATRIX[roles.Role.SUPERVISOR] = original
    assert pair.keep.case_code in html
    assert "Mahamadou" not in html and "Mohamed" not in html
    assert not AuditEvent.objects.filter(object_type="people.identity", action="read").exists()


def test_deciding_not_a_match_through_the_form(
    client: Any, org_a: Any, candidate: DuplicateCandidate
) -> None:
    client.force_login(org_a["supervisor"])
    url = f"/duplicates/{candidate.public_id}/"
    missing = client.post(url, {"decision": "not_a_match", "version": candidate.version})
    assert missing.status_code == 400
    assert "Say why" in missing.content.decode()
    done = client.post(
        url, {"decision": "not_a_match", "reason": "Cousins", "version": candidate.version}
    )
    assert done.status_code == 302 and done["Location"] == "/duplicates/"
    assert DuplicateCandidate.objects.get(pk=candidate.pk).status == CandidateStatus.NOT_A_MATCH
    # The same stale form again: refused, nothing changes.
    again = client.post(url, {"decision": "keep_a", "reason": "", "version": candidate.version})
    assert again.status_code == 400
    assert "already been decided" in again.content.decode()
    assert not PersonMerge.objects.exists()


def test_merging_through_the_form_and_the_merged_page_leads_to_the_kept_one(
    client: Any, org_a: Any, pair: Pair, candidate: DuplicateCandidate
) -> None:
    client.force_login(org_a["supervisor"])
    decision = "keep_a" if candidate.person_a_id == pair.keep.pk else "keep_b"
    done = client.post(
        f"/duplicates/{candidate.public_id}/",
        {"decision": decision, "reason": "", "version": candidate.version},
    )
    assert done.status_code == 302
    assert done["Location"] == f"/people/{pair.keep.public_id}/"
    assert Person.objects.get(pk=pair.absorb.pk).merged_into_id == pair.keep.pk
    page = client.get(f"/people/{pair.absorb.public_id}/", follow=True)
    assert page.redirect_chain[0][0] == f"/people/{pair.keep.public_id}/"
    assert f"merged into {pair.keep.case_code}" in page.content.decode()
    # The people list no longer shows the merged record.
    assert pair.absorb.case_code not in client.get("/people/").content.decode()


def test_refused_merge_shows_the_message(client: Any, org_a: Any) -> None:
    from kariya.cases.factories import open_case

    first, second = open_case(org_a["caseworker"]), open_case(org_a["caseworker"])
    candidate = _candidate(org_a, first.person, second.person)
    client.force_login(org_a["supervisor"])
    page = client.post(
        f"/duplicates/{candidate.public_id}/",
        {"decision": "keep_a", "reason": "", "version": candidate.version},
    )
    assert page.status_code == 400
    assert "Close one of the two cases first" in page.content.decode()
    assert DuplicateCandidate.objects.get(pk=candidate.pk).status == CandidateStatus.PENDING


def test_undo_through_the_history(client: Any, org_a: Any, pair: Pair) -> None:
    merge = services.person_merge(actor=org_a["supervisor"], keep=pair.keep, absorb=pair.absorb)
    client.force_login(org_a["supervisor"])
    history = client.get("/duplicates/merges/").content.decode()
    assert f"/duplicates/merges/{merge.public_id}/undo/" in history
    url = f"/duplicates/merges/{merge.public_id}/undo/"
    assert client.post(url, {"reason": "", "version": merge.version}).status_code == 400
    done = client.post(url, {"reason": "Deux personnes", "version": merge.version})
    assert done.status_code == 302 and done["Location"] == "/duplicates/merges/"
    assert Person.objects.get(pk=pair.absorb.pk).merged_into_id is None
    history = client.get("/duplicates/merges/").content.decode()
    assert "Undone" in history and f"{merge.public_id}/undo/" not in history


def test_pages_speak_french_by_default(client: Any, org_a: Any, pair: Pair) -> None:
    merge = services.person_merge(actor=org_a["supervisor"], keep=pair.keep, absorb=pair.absorb)
    client.force_login(org_a["supervisor"])
    client.cookies.pop("django_language")
    assert "Aucune paire à examiner." in client.get("/duplicates/").content.decode()
    history = client.get("/duplicates/merges/").content.decode()
    assert "Historique des fusions" in history and "1 fusion" in history
    undo = client.get(f"/duplicates/merges/{merge.public_id}/undo/").content.decode()
    assert "Pourquoi annuler cette fusion ?" in undo


def test_nothing_is_recorded_on_a_merged_record(client: Any, org_a: Any, pair: Pair) -> None:
    services.person_merge(actor=org_a["supervisor"], keep=pair.keep, absorb=pair.absorb)
    client.force_login(org_a["supervisor"])
    absorbed = pair.absorb.public_id
    for url in (
        f"/people/{absorbed}/edit/",
        f"/people/{absorbed}/identity/",
        f"/people/{absorbed}/consents/new/",
        f"/api/v1/persons/{absorbed}/",
    ):
        assert client.get(url).status_code == 404, url
    assert client.get(f"/people/{pair.keep.public_id}/edit/").status_code == 200


# --- the batch search: start and state ----------------------------------------------------------


def _run(org: Any, status: str = "queued") -> DedupRun:
    return DedupRun.objects.create(
        organisation=org.org, started_by=org["supervisor"], threshold=0.8, status=status
    )


def test_search_pages_four_ways(
    client: Any, org_a: Any, org_b: Any, django_capture_on_commit_callbacks: Any
) -> None:
    run = _run(org_a, status="done")
    state = f"/duplicates/runs/{run.public_id}/"
    # Anonymous: to the login page; nothing started.
    client.logout()
    assert client.post("/duplicates/runs/new/").status_code == 302
    assert client.get(state).status_code == 302
    # Wrong role: 404, nothing started.
    for wrong in (org_a["caseworker"], org_a["gbv_focal_point"], org_a["org_admin"]):
        client.force_login(wrong)
        assert client.post("/duplicates/runs/new/").status_code == 404
        assert client.get(state).status_code == 404
    assert DedupRun.objects.count() == 1
    # Other organisation, right role: another's run is 404; a start is for its own.
    client.force_login(org_b["supervisor"])
    assert client.get(state).status_code == 404
    with django_capture_on_commit_callbacks(execute=True):
        assert client.post("/duplicates/runs/new/").status_code == 302
    theirs = DedupRun.objects.get(organisation=org_b.org)
    assert theirs.status == RunStatus.DONE and theirs.records_read == 0
    # Right role.
    client.force_login(org_a["supervisor"])
    page = client.get(state)
    assert page.status_code == 200
    assert form_problems(page.content.decode()) == []
    assert client.get("/duplicates/runs/new/").status_code == 405
    assert client.post(state).status_code == 405


def test_find_duplicates_button_runs_the_search_and_the_pairs_appear(
    client: Any, org_a: Any, django_capture_on_commit_callbacks: Any
) -> None:
    worker = org_a["caseworker"]
    a = register(worker, given_names="Moussa", family_names="Abdou", birth_year=1990)
    b = register(worker, given_names="Mousa", family_names="Abdou", birth_year=1990)
    register(worker, given_names="Halima", family_names="Coulibaly", birth_year=2001)
    client.force_login(org_a["supervisor"])
    queue = client.get("/duplicates/").content.decode()
    assert "Find duplicates" in queue and "No search for duplicates has been run yet" in queue
    assert 'action="/duplicates/runs/new/"' in queue
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post("/duplicates/runs/new/")
    assert response.status_code == 302 and response["Location"] == "/duplicates/"
    page = client.get("/duplicates/").content.decode()
    assert "The search for duplicates has started." in page
    assert a.case_code in page and b.case_code in page  # the queue lists the new pair
    assert "New pairs to review" in page
    assert 'hx-trigger="every 2s"' not in page  # done: no polling
    run = DedupRun.objects.get()
    assert (run.status, run.records_read, run.candidates_added) == ("done", 3, 1)


def test_a_second_start_while_running_shows_the_message(client: Any, org_a: Any) -> None:
    _run(org_a, status="running")
    client.force_login(org_a["supervisor"])
    page = client.post("/duplicates/runs/new/", follow=True).content.decode()
    assert "already under way" in page
    assert DedupRun.objects.count() == 1


def test_the_state_area_polls_while_running_and_stops_when_done(client: Any, org_a: Any) -> None:
    run = _run(org_a, status="running")
    DedupRun.objects.filter(pk=run.pk).update(
        stage="comparing", progress_done=45, progress_total=100
    )
    client.force_login(org_a["supervisor"])
    url = f"/duplicates/runs/{run.public_id}/"
    queue = client.get("/duplicates/").content.decode()
    assert f'hx-get="{url}"' in queue and 'hx-trigger="every 2s"' in queue
    assert "Comparing pairs — 45 %" in queue
    assert "Find duplicates" not in queue  # one run at a time
    partial = client.get(url, HTTP_HX_REQUEST="true").content.decode()
    assert partial.startswith('<section id="dedup-run"') and 'hx-swap="outerHTML"' in partial
    assert "<html" not in partial
    DedupRun.objects.filter(pk=run.pk).update(
        status="done", stage="finished", pairs_found=3, candidates_added=2, pairs_skipped=1
    )
    partial = client.get(url, HTTP_HX_REQUEST="true").content.decode()
    assert "hx-trigger" not in partial and "hx-get" not in partial
    assert "Show the new pairs" in partial and "Find duplicates" in partial
    DedupRun.objects.filter(pk=run.pk).update(status="failed", error_code="internal")
    partial = client.get(url).content.decode()
    assert "internal error" in partial and str(run.public_id) in partial


def test_the_start_needs_the_csrf_token(org_a: Any) -> None:
    from django.test import Client

    strict = Client(enforce_csrf_checks=True)
    strict.force_login(org_a["supervisor"])
    assert strict.post("/duplicates/runs/new/").status_code == 403
    assert not DedupRun.objects.exists()


def test_the_minimum_score_is_chosen_on_the_page(
    client: Any, org_a: Any, django_capture_on_commit_callbacks: Any
) -> None:
    client.force_login(org_a["supervisor"])
    queue = client.get("/duplicates/").content.decode()
    assert 'name="threshold"' in queue and 'value="40"' in queue  # the engine's default
    assert form_problems(queue) == []
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post("/duplicates/runs/new/", {"threshold": "70"})
    assert response.status_code == 302
    assert DedupRun.objects.get().threshold == pytest.approx(0.7)


@pytest.mark.parametrize("typed", ["0", "100", "-5", "4.5", "soixante"])
def test_a_bad_minimum_score_is_refused_with_the_field_error(
    client: Any, org_a: Any, typed: str
) -> None:
    client.force_login(org_a["supervisor"])
    response = client.post("/duplicates/runs/new/", {"threshold": typed})
    assert response.status_code == 400
    text = response.content.decode()
    assert 'class="errorlist' in text and "Minimum score (%)" in text
    assert f'value="{typed}"' in text  # the page comes back as typed
    assert not DedupRun.objects.exists()


def test_the_minimum_score_error_in_french(client: Any, org_a: Any) -> None:
    client.cookies["django_language"] = "fr"
    client.force_login(org_a["supervisor"])
    text = client.post("/duplicates/runs/new/", {"threshold": "100"}).content.decode()
    assert "Score minimal (%)" in text
    assert "inférieure ou égale à 99" in text


def test_past_searches_four_ways(client: Any, org_a: Any, org_b: Any) -> None:
    run = _run(org_a, status="done")
    DedupRun.objects.filter(pk=run.pk).update(
        method="model", records_read=10440, pairs_found=120, candidates_added=97
    )
    _run(org_b, status="done")
    assert _get(client, None, "/duplicates/runs/").status_code == 302
    for wrong in (org_a["caseworker"], org_a["gbv_focal_point"], org_a["org_admin"]):
        assert _get(client, wrong, "/duplicates/runs/").status_code == 404
    theirs = _get(client, org_b["supervisor"], "/duplicates/runs/").content.decode()
    assert "10,440" not in theirs and "1 search" in theirs  # only their own run
    page = _get(client, org_a["supervisor"], "/duplicates/runs/")
    assert page.status_code == 200
    text = page.content.decode()
    assert "1 search" in text and "10,440" in text and "97" in text and "80 %" in text
    assert org_a["supervisor"].username in text or org_a["supervisor"].get_full_name() in text
    assert form_problems(text) == []
    assert client.post("/duplicates/runs/").status_code == 405


def test_past_searches_show_each_outcome(client: Any, org_a: Any) -> None:
    import datetime

    from django.utils import timezone

    failed = _run(org_a, status="failed")
    DedupRun.objects.filter(pk=failed.pk).update(error_code="memory")
    small = _run(org_a, status="done")
    began = timezone.now() - datetime.timedelta(minutes=5)
    DedupRun.objects.filter(pk=small.pk).update(
        method="rules", started_at=began, finished_at=began + datetime.timedelta(seconds=200)
    )
    running = _run(org_a, status="running")
    DedupRun.objects.filter(pk=running.pk).update(stage="comparing")
    text = _get(client, org_a["supervisor"], "/duplicates/runs/").content.decode()
    assert "3 searches" in text
    assert "ran out of memory" in text
    assert "fixed rules" in text and "3 min 20 s" in text
    assert "Comparing pairs" in text


def test_past_searches_empty_state_and_query_count(
    client: Any, org_a: Any, django_assert_max_num_queries: Any
) -> None:
    text = _get(client, org_a["supervisor"], "/duplicates/runs/").content.decode()
    assert "No search for duplicates has been run yet." in text
    for _n in range(3):
        DedupRun.objects.create(
            organisation=org_a.org, started_by=org_a["supervisor"], threshold=0.5, status="done"
        )
    with django_assert_max_num_queries(6) as few:
        client.get("/duplicates/runs/")
    for _n in range(20):
        DedupRun.objects.create(
            organisation=org_a.org, started_by=org_a["supervisor"], threshold=0.5, status="done"
        )
    with django_assert_max_num_queries(len(few.captured_queries)):
        assert "23 searches" in client.get("/duplicates/runs/").content.decode()
