"""The duplicate-review API: every endpoint four ways, the decisions and the undo with their
versions (409 when stale), the searches (start, follow, one at a time, a bad threshold), and
that no identity value is ever in a response."""

from __future__ import annotations

import json
from typing import Any

import pytest
from django.test import Client

from kariya.dedup import services
from kariya.dedup.models import CandidateStatus, DedupRun, DuplicateCandidate, PersonMerge
from kariya.dedup.tests.conftest import Pair
from kariya.people.factories import register
from kariya.people.models import Person

V1 = "/api/v1/duplicates/"
REASONS = {"family_name": "exact", "given_name": "variant"}


def call(client: Client, method: str, url: str, body: Any = None, lang: str = "en") -> Any:
    if body is None:
        return getattr(client, method)(url, HTTP_ACCEPT_LANGUAGE=lang)
    return getattr(client, method)(
        url, data=json.dumps(body), content_type="application/json", HTTP_ACCEPT_LANGUAGE=lang
    )


def as_user(client: Client, user: Any) -> Client:
    client.logout()
    if user is not None:
        client.force_login(user)
    return client


def _candidate(org: Any, a: Person, b: Person, score: float = 0.9) -> DuplicateCandidate:
    services.duplicate_candidates_record(organisation=org.org, pairs=[(a.pk, b.pk, score, REASONS)])
    return DuplicateCandidate.objects.get(person_a_id=min(a.pk, b.pk), person_b_id=max(a.pk, b.pk))


@pytest.fixture
def candidate(org_a: Any, pair: Pair) -> DuplicateCandidate:
    return _candidate(org_a, pair.keep, pair.absorb)


def test_endpoints_four_ways(
    client: Client, org_a: Any, org_b: Any, pair: Pair, candidate: DuplicateCandidate
) -> None:
    spare = _candidate(org_a, register(org_a["caseworker"]), register(org_a["caseworker"]))
    merge = services.person_merge(
        actor=org_a["supervisor"],
        keep=register(org_a["caseworker"]),
        absorb=register(org_a["caseworker"]),
    )
    run = DedupRun.objects.create(
        organisation=org_a.org, started_by=org_a["supervisor"], threshold=0.5, status="done"
    )
    pair_url = f"{V1}{candidate.public_id}/"
    cases: list[tuple[str, str, Any, int]] = [
        ("get", V1, None, 200),
        ("get", pair_url, None, 200),
        ("get", f"{V1}merges/", None, 200),
        ("get", f"{V1}merges/{merge.public_id}/", None, 200),
        ("get", f"{V1}runs/", None, 200),
        ("get", f"{V1}runs/{run.public_id}/", None, 200),
        ("post", f"{V1}{spare.public_id}/not-a-match/", {"reason": "deux", "version": 1}, 200),
        ("post", f"{pair_url}merge/", {"keep": "a", "version": candidate.version}, 200),
        ("post", f"{V1}merges/{merge.public_id}/undo/", {"reason": "erreur", "version": 1}, 200),
        ("post", f"{V1}runs/", {}, 201),
    ]
    for method, url, body, ok in cases:
        assert call(as_user(client, None), method, url, body).status_code in (401, 403), url
        for wrong in (org_a["caseworker"], org_a["gbv_focal_point"], org_a["org_admin"]):
            assert call(as_user(client, wrong), method, url, body).status_code == 404, url
        response = call(as_user(client, org_b["supervisor"]), method, url, body)
        if url in (V1, f"{V1}merges/", f"{V1}runs/") and method == "get":
            assert response.status_code == 200 and response.json()["count"] == 0, url
        elif url == f"{V1}runs/":  # a start is for the caller's own organisation
            assert response.status_code == 201
            assert DedupRun.objects.filter(organisation=org_b.org).count() == 1
        else:
            assert response.status_code == 404, url
        assert call(as_user(client, org_a["supervisor"]), method, url, body).status_code == ok, url
    # Nothing of organisation A was decided by anyone but its supervisor.
    assert DuplicateCandidate.objects.get(pk=spare.pk).decided_by_id == org_a["supervisor"].pk


def test_the_queue_lists_pairs_without_identity(
    client: Client, org_a: Any, pair: Pair, candidate: DuplicateCandidate
) -> None:
    response = call(as_user(client, org_a["supervisor"]), "get", V1)
    body = response.json()
    assert body["count"] == 1
    (row,) = body["results"]
    assert row["id"] == str(candidate.public_id)
    assert {row["person_a"]["case_code"], row["person_b"]["case_code"]} == {
        pair.keep.case_code,
        pair.absorb.case_code,
    }
    assert row["score"] == pytest.approx(0.9) and row["reasons"] == REASONS
    assert row["status"] == "pending" and row["version"] == candidate.version
    text = response.content.decode()
    for value in ("Mahamadou", "Mohamed", "Issoufou", "Hamma", "90 12 34 56", "AB 123"):
        assert value not in text


def test_queue_query_count_does_not_grow(
    client: Client, org_a: Any, django_assert_max_num_queries: Any
) -> None:
    worker = org_a["caseworker"]
    _candidate(org_a, register(worker), register(worker))
    as_user(client, org_a["supervisor"])
    with django_assert_max_num_queries(8) as few:
        assert client.get(V1).json()["count"] == 1
    for _n in range(5):
        _candidate(org_a, register(worker), register(worker))
    with django_assert_max_num_queries(len(few.captured_queries)):
        assert client.get(V1).json()["count"] == 6


def test_merge_then_undo_through_the_api(
    client: Client, org_a: Any, pair: Pair, candidate: DuplicateCandidate
) -> None:
    # Both records have an active case: refused with the service's message, nothing moved.
    from kariya.dedup.tests.conftest import close_case

    api = as_user(client, org_a["supervisor"])
    url = f"{V1}{candidate.public_id}/merge/"
    keep = "a" if candidate.person_a_id == pair.keep.pk else "b"
    other_case = pair.keep_case
    from kariya.cases.models import Case

    Case.objects.filter(pk=other_case.pk).update(
        status="implementation", closed_at=None, closure_reason=""
    )
    refused = call(api, "post", url, {"keep": keep, "version": candidate.version})
    assert refused.status_code == 400
    assert "Close one of the two cases first" in refused.content.decode()
    assert not PersonMerge.objects.exists()
    close_case(other_case)
    stale = call(api, "post", url, {"keep": keep, "version": candidate.version + 5})
    assert stale.status_code == 409 and stale.json()["code"] == "stale"
    bad = call(api, "post", url, {"keep": "c", "version": candidate.version})
    assert bad.status_code == 400 and "keep" in bad.json()
    done = call(api, "post", url, {"keep": keep, "reason": "même passeport", "version": 1})
    assert done.status_code == 200, done.content
    merged = done.json()
    assert merged["keep"]["case_code"] == pair.keep.case_code
    assert merged["absorb"]["case_code"] == pair.absorb.case_code
    assert merged["candidate"] == str(candidate.public_id)
    assert merged["moved"]["cases"] == 1 and merged["undone_at"] is None
    assert Person.objects.get(pk=pair.absorb.pk).merged_into_id == pair.keep.pk
    # The pair is decided: a second decision is refused.
    decided = f"{V1}{candidate.public_id}/not-a-match/"
    again = call(api, "post", decided, {"reason": "x", "version": 2})
    assert again.status_code == 400 and "already been decided" in again.content.decode()
    # Undo: a reason is required, the version checked.
    undo = f"{V1}merges/{merged['id']}/undo/"
    assert call(api, "post", undo, {"version": merged["version"]}).status_code == 400
    assert call(api, "post", undo, {"reason": "r", "version": 99}).status_code == 409
    back = call(api, "post", undo, {"reason": "deux personnes", "version": merged["version"]})
    assert back.status_code == 200 and back.json()["undone_at"] is not None
    assert Person.objects.get(pk=pair.absorb.pk).merged_into_id is None
    assert DuplicateCandidate.objects.get(pk=candidate.pk).status == CandidateStatus.PENDING


def test_not_a_match_needs_a_reason(
    client: Client, org_a: Any, candidate: DuplicateCandidate
) -> None:
    api = as_user(client, org_a["supervisor"])
    url = f"{V1}{candidate.public_id}/not-a-match/"
    missing = call(api, "post", url, {"version": candidate.version})
    assert missing.status_code == 400 and "reason" in missing.json()
    done = call(api, "post", url, {"reason": "frères", "version": candidate.version})
    assert done.status_code == 200 and done.json()["status"] == CandidateStatus.NOT_A_MATCH
    assert call(api, "get", V1).json()["count"] == 0


def test_a_search_through_the_api(
    client: Client, org_a: Any, django_capture_on_commit_callbacks: Any
) -> None:
    worker = org_a["caseworker"]
    register(worker, given_names="Moussa", family_names="Abdou", birth_year=1990)
    register(worker, given_names="Mousa", family_names="Abdou", birth_year=1990)
    api = as_user(client, org_a["supervisor"])
    for bad in (0, 1, 1.5, -0.2, "beaucoup"):
        response = call(api, "post", f"{V1}runs/", {"threshold": bad})
        assert response.status_code == 400 and "threshold" in response.json()
    assert not DedupRun.objects.exists()
    with django_capture_on_commit_callbacks(execute=True):
        started = call(api, "post", f"{V1}runs/", {"threshold": 0.65})
    assert started.status_code == 201
    run = started.json()
    assert run["threshold"] == pytest.approx(0.65) and run["status"] == "queued"
    # The task ran when the transaction committed (the immediate backend): follow it.
    follow = call(api, "get", f"{V1}runs/{run['id']}/").json()
    assert follow["status"] == "done" and follow["stage"] == "finished"
    assert follow["records_read"] == 2 and follow["candidates_added"] == 1
    assert follow["error"] == "" and follow["stale"] is False
    assert call(api, "get", V1).json()["count"] == 1
    assert call(api, "get", f"{V1}runs/").json()["count"] == 1


def test_a_second_search_while_one_runs_is_refused(client: Client, org_a: Any) -> None:
    DedupRun.objects.create(
        organisation=org_a.org, started_by=org_a["supervisor"], threshold=0.5, status="running"
    )
    api = as_user(client, org_a["supervisor"])
    response = call(api, "post", f"{V1}runs/", {})
    assert response.status_code == 400 and "already under way" in response.content.decode()
    french = call(api, "post", f"{V1}runs/", {}, lang="fr")
    assert "Une recherche de doublons est déjà en cours" in french.content.decode()
    assert DedupRun.objects.count() == 1


def test_the_schema_lists_the_endpoints(client: Client, org_a: Any) -> None:
    schema = as_user(client, org_a["supervisor"]).get("/api/schema/?format=json").json()
    paths = schema["paths"]
    for path in (
        "/api/v1/duplicates/",
        "/api/v1/duplicates/{id}/merge/",
        "/api/v1/duplicates/{id}/not-a-match/",
        "/api/v1/duplicates/merges/{id}/undo/",
        "/api/v1/duplicates/runs/",
        "/api/v1/duplicates/runs/{id}/",
    ):
        assert path in paths, path


def test_merge_and_search_lists_query_count_does_not_grow(
    client: Client, org_a: Any, django_assert_max_num_queries: Any
) -> None:
    worker, supervisor = org_a["caseworker"], org_a["supervisor"]

    def more(n: int) -> None:
        for _k in range(n):
            pair = _candidate(org_a, register(worker), register(worker))
            services.person_merge(
                actor=supervisor, keep=pair.person_a, absorb=pair.person_b, candidate=pair
            )
            DedupRun.objects.create(
                organisation=org_a.org, started_by=supervisor, threshold=0.5, status="done"
            )

    more(1)
    as_user(client, supervisor)
    counts = {}
    for url in (f"{V1}merges/", f"{V1}runs/"):
        with django_assert_max_num_queries(8) as few:
            assert client.get(url).json()["count"] == 1
        counts[url] = len(few.captured_queries)
    more(4)
    for url, n in counts.items():
        with django_assert_max_num_queries(n):
            assert client.get(url).json()["count"] == 5
