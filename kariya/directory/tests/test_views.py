"""The directory's staff pages: who reaches what (anonymous, wrong role, other organisation,
right role), what each page shows and what each form does, with the services' rules coming
back onto the form."""

from __future__ import annotations

import datetime
from typing import Any

import pytest
from django.utils import timezone

from kariya.accounts.factories import UserFactory
from kariya.directory import services
from kariya.directory.factories import content, draft, published, submitted
from kariya.directory.models import Availability, Service, Status
from tests.htmlcheck import form_problems

pytestmark = pytest.mark.django_db

OLD = timezone.now() - datetime.timedelta(days=services.STALE_AFTER_DAYS + 5)


@pytest.fixture(autouse=True)
def english_pages(client: Any) -> None:
    client.cookies["django_language"] = "en"


@pytest.fixture
def world(org_a: Any, org_b: Any) -> dict[str, Service]:
    """Organisation A's entries in every state; B's coordinator moderates them."""
    fp, coord = org_a["service_focal_point"], org_b["network_coordinator"]
    stale = published(fp, coord, name_fr="Ancienne clinique", name_en="")
    Service.objects.filter(pk=stale.pk).update(last_verified_at=OLD)
    with_revision = published(fp, coord, name_fr="Centre avec révision", name_en="")
    revision = services.service_revise(actor=fp, service=with_revision)
    revision = services.service_update(
        actor=fp,
        service=revision,
        expected_version=revision.version,
        content=content(fp, name_fr="Centre avec révision", name_en="", address="Nouvelle adresse"),
    )
    revision = services.service_submit(
        actor=fp, service=revision, expected_version=revision.version
    )
    archived = published(fp, coord, name_fr="Service fermé", name_en="")
    archived = services.service_archive(
        actor=fp, service=archived, expected_version=archived.version
    )
    return {
        "draft": draft(fp, name_fr="Brouillon secret", name_en=""),
        "submitted": submitted(fp, name_fr="Soumis pour avis", name_en=""),
        "published": published(fp, coord, name_fr="Consultations publiées", name_en=""),
        "stale": stale,
        "with_revision": with_revision,
        "revision": revision,
        "archived": archived,
    }


def _fresh(service: Service) -> Service:
    return Service.objects.get(pk=service.pk)


def _roleless(org: Any) -> Any:
    return UserFactory(
        username=f"{org.org.acronym.lower()}_noroles", organisation=org.org, roles=[]
    )


# --- four ways, page by page ----------------------------------------------------------------


def test_list_four_ways(client: Any, org_a: Any, org_b: Any, world: Any) -> None:
    response = client.get("/directory/")
    assert response.status_code == 302
    assert response["Location"].startswith("/accounts/login/?next=")
    client.force_login(_roleless(org_a))
    assert client.get("/directory/").status_code == 404
    client.force_login(org_b["caseworker"])
    page = client.get("/directory/").content.decode()
    assert "Consultations publiées" in page
    assert "Brouillon secret" not in page
    client.force_login(org_a["caseworker"])
    page = client.get("/directory/").content.decode()
    assert "Brouillon secret" in page
    assert "Centre avec révision" in page


def _own_pages(w: dict[str, Service]) -> list[tuple[str, str, str]]:
    """(url, role that may, a role of the organisation that may not) for the GET pages of
    organisation A's unpublished entries. Every staff role sees its organisation's entries:
    the wrong "role" for a page is then no role at all."""
    return [
        (f"/directory/{w['draft'].public_id}/", "caseworker", "none"),
        (f"/directory/{w['archived'].public_id}/", "service_focal_point", "none"),
        (f"/directory/{w['revision'].public_id}/", "service_focal_point", "none"),
        (f"/directory/{w['draft'].public_id}/edit/", "service_focal_point", "monitor"),
        (f"/directory/{w['revision'].public_id}/edit/", "service_focal_point", "caseworker"),
    ]


def test_entry_pages_four_ways(client: Any, org_a: Any, org_b: Any, world: Any) -> None:
    roleless = _roleless(org_a)
    for url, role, wrong_role in _own_pages(world):
        client.logout()
        response = client.get(url)
        assert response.status_code == 302, url
        assert response["Location"].startswith("/accounts/login/?next="), url
        wrong = roleless if wrong_role == "none" else org_a[wrong_role]
        client.force_login(wrong)
        assert client.get(url).status_code == 404, url
        client.force_login(org_b[role])
        assert client.get(url).status_code == 404, url
        client.force_login(org_a[role])
        assert client.get(url).status_code == 200, url


def test_published_entry_is_seen_by_the_network_but_edited_by_its_keeper(
    client: Any, org_a: Any, org_b: Any, world: Any
) -> None:
    url = f"/directory/{world['published'].public_id}/"
    client.force_login(org_b["service_focal_point"])
    page = client.get(url).content.decode()
    assert "Consultations publiées" in page
    assert "/availability/" not in page  # not theirs: no action
    assert "/verify/" not in page
    client.force_login(org_a["service_focal_point"])
    page = client.get(url).content.decode()
    assert "/availability/" in page
    assert "/verify/" in page
    assert "/revise/" in page


def test_create_page_four_ways(client: Any, org_a: Any) -> None:
    assert client.get("/directory/new/").status_code == 302
    client.force_login(org_a["caseworker"])
    assert client.get("/directory/new/").status_code == 404
    client.force_login(org_a["service_focal_point"])
    page = client.get("/directory/new/")
    assert page.status_code == 200
    # Only the network coordinator adds public services.
    assert "is_public_service" not in page.content.decode()
    client.force_login(org_a["network_coordinator"])
    assert "is_public_service" in client.get("/directory/new/").content.decode()


def test_moderation_queue_four_ways(client: Any, org_a: Any, org_b: Any, world: Any) -> None:
    url = "/directory/moderation/"
    assert client.get(url).status_code == 302
    client.force_login(org_a["service_focal_point"])
    assert client.get(url).status_code == 404
    # Moderation is network-wide: the coordinator of another organisation sees A's entries…
    client.force_login(org_b["network_coordinator"])
    page = client.get(url).content.decode()
    assert "Soumis pour avis" in page
    assert "Centre avec révision" in page
    assert "Brouillon secret" not in page
    # … and a coordinator does not see the entries they submitted themselves.
    mine = submitted(org_a["network_coordinator"], name_fr="Soumis par moi", name_en="")
    client.force_login(org_a["network_coordinator"])
    page = client.get(url).content.decode()
    assert "Soumis pour avis" in page
    assert mine.name_fr not in page


def test_moderation_queue_says_what_a_revision_changes(
    client: Any, org_a: Any, org_b: Any, world: Any, django_assert_max_num_queries: Any
) -> None:
    client.force_login(org_b["network_coordinator"])
    with django_assert_max_num_queries(30) as few:
        page = client.get("/directory/moderation/").content.decode()
    assert '<td data-label="What changes">Address</td>' in page
    fp = org_a["service_focal_point"]
    for i in range(4):
        entry = published(fp, org_b["network_coordinator"], name_fr=f"Révisé {i}", name_en="")
        revision = services.service_revise(actor=fp, service=entry)
        services.service_submit(actor=fp, service=revision, expected_version=revision.version)
        submitted(fp, name_fr=f"Nouveau {i}", name_en="")
    with django_assert_max_num_queries(len(few.captured_queries)):
        page = client.get("/directory/moderation/").content.decode()
    assert page.count("Revision of a published entry") == 5


def test_stale_list_four_ways(client: Any, org_a: Any, org_b: Any, world: Any) -> None:
    url = "/directory/stale/"
    assert client.get(url).status_code == 302
    client.force_login(org_a["caseworker"])
    assert client.get(url).status_code == 404
    client.force_login(org_b["service_focal_point"])
    page = client.get(url).content.decode()
    assert "Ancienne clinique" not in page
    client.force_login(org_a["service_focal_point"])
    page = client.get(url).content.decode()
    assert "Ancienne clinique" in page
    assert "Consultations publiées" not in page
    client.force_login(org_b["network_coordinator"])
    assert "Ancienne clinique" in client.get(url).content.decode()


def test_the_reminder_links_to_the_stale_list(settings: Any) -> None:
    settings.KARIYA_BASE_URL = "https://kariya.example"
    assert services.stale_list_url() == "https://kariya.example/directory/stale/"


# --- the list -------------------------------------------------------------------------------


def test_list_filters_and_flags(client: Any, org_a: Any, org_b: Any, world: Any) -> None:
    client.force_login(org_a["service_focal_point"])
    page = client.get("/directory/?status=draft&own=on").content.decode()
    assert "Brouillon secret" in page
    assert "Consultations publiées" not in page
    page = client.get("/directory/").content.decode()
    assert "Not verified for 90 days" in page
    assert "Revision pending" in page
    services.service_set_availability(
        actor=org_a["service_focal_point"],
        service=world["published"],
        expected_version=world["published"].version,
        availability=Availability.FULL,
    )
    page = client.get("/directory/?availability=full").content.decode()
    assert "Consultations publiées" in page
    assert "Ancienne clinique" not in page
    # A place: Agadez region (the factory's commune is in it), or another region.
    assert "Consultations publiées" in client.get("/directory/?region=NE001").content.decode()
    assert "Consultations publiées" not in client.get("/directory/?region=NE008").content.decode()
    htmx = client.get("/directory/?sort=verified", headers={"HX-Request": "true"})
    assert htmx.status_code == 200
    assert "<h1>" not in htmx.content.decode()
    page = client.get("/directory/?sort=nonsense").content.decode()
    assert "Correct the filters above." in page


@pytest.mark.parametrize("sort", ["name", "type", "place", "updated", "verified"])
def test_every_sort_lists_the_entries(client: Any, org_a: Any, world: Any, sort: str) -> None:
    client.force_login(org_a["service_focal_point"])
    response = client.get(f"/directory/?sort={sort}")
    assert response.status_code == 200
    assert response.context["page"].paginator.count == 6  # A's entries, revision not listed


def test_a_public_service_stays_one_when_a_focal_point_edits_it(
    client: Any, org_a: Any, world: Any
) -> None:
    coordinator = org_a["network_coordinator"]
    entry = draft(coordinator, is_public_service=True, provider_name="Hôpital régional")
    client.force_login(org_a["service_focal_point"])
    response = client.post(
        f"/directory/{entry.public_id}/edit/",
        _form_data(
            org_a, version=entry.version, provider_name="Hôpital régional", name_fr="Urgences"
        ),
    )
    assert response.status_code == 302
    entry = _fresh(entry)
    assert entry.is_public_service
    assert entry.name_fr == "Urgences"


def test_list_query_count_does_not_grow_with_rows(
    client: Any, org_a: Any, org_b: Any, django_assert_max_num_queries: Any
) -> None:
    fp, coord = org_a["service_focal_point"], org_b["network_coordinator"]
    client.force_login(fp)
    for i in range(3):
        published(fp, coord, name_fr=f"Service {i}", name_en="")
    with django_assert_max_num_queries(20) as few:
        assert client.get("/directory/").status_code == 200
    for i in range(3, 25):
        draft(fp, name_fr=f"Service {i}", name_en="")
    with django_assert_max_num_queries(len(few.captured_queries)):
        assert client.get("/directory/").status_code == 200


# --- create and edit ------------------------------------------------------------------------


def _form_data(org: Any, **overrides: Any) -> dict[str, Any]:
    data: dict[str, Any] = {
        "service_type": "health_care",
        "name_fr": "Écoute psychosociale",
        "commune": "NE001003001",
        "eligible_sex": "all",
        "cost": "free",
        "focal_point": str(org["service_focal_point"].public_id),
        "languages": ["fra", "hau"],
        "d0_open1": "08:00",
        "d0_close1": "12:30",
        "d0_open2": "15:00",
        "d0_close2": "18:00",
        "d6_closed": "on",
        "channels-TOTAL_FORMS": "2",
        "channels-INITIAL_FORMS": "0",
        "channels-0-kind": "phone",
        "channels-0-value": "90 12 34 56",
        "channels-1-kind": "",
        "channels-1-value": "",
    }
    data.update(overrides)
    return data


def test_create_saves_a_draft_with_hours_and_channels(client: Any, org_a: Any) -> None:
    client.force_login(org_a["service_focal_point"])
    response = client.post("/directory/new/", _form_data(org_a))
    assert response.status_code == 302
    service = Service.objects.get(name_fr="Écoute psychosociale")
    assert response["Location"] == f"/directory/{service.public_id}/"
    assert service.status == Status.DRAFT
    assert service.organisation == org_a.org
    assert [(h.weekday, f"{h.opens_at:%H:%M}") for h in service.hours.all()] == [
        (0, "08:00"),
        (0, "15:00"),
    ]
    assert [c.value for c in service.channels.all()] == ["+22790123456"]
    page = client.get(response["Location"]).content.decode()
    assert "08:00–12:30, 15:00–18:00" in page
    assert "Closed" in page


def test_services_messages_show_on_their_field(client: Any, org_a: Any) -> None:
    client.force_login(org_a["service_focal_point"])
    before = Service.objects.count()
    response = client.post("/directory/new/", _form_data(org_a, cost="fee", fee_note=""))
    assert response.status_code == 400
    assert response.context["form"].errors["fee_note"] == ["Say what the service costs."]
    response = client.post(
        "/directory/new/", _form_data(org_a, **{"channels-0-value": "not a phone"})
    )
    assert response.status_code == 400
    assert response.context["form"].section_errors["channels"]
    response = client.post("/directory/new/", _form_data(org_a, d0_close1="07:00"))
    assert response.status_code == 400
    assert response.context["form"].section_errors["hours"] == ["A service closes after it opens."]
    response = client.post("/directory/new/", _form_data(org_a, d1_open1="09:00"))
    assert response.context["form"].errors["d1_close1"] == ["Give the closing time too."]
    assert Service.objects.count() == before
    # A row more, without JavaScript: nothing saved, the form comes back with three rows.
    response = client.post("/directory/new/", {**_form_data(org_a), "add_channel": "1"})
    assert response.status_code == 200
    assert response.context["channels"].total_form_count() == 3
    assert Service.objects.count() == before


def test_edit_with_a_stale_copy_keeps_the_input(client: Any, org_a: Any, world: Any) -> None:
    entry = world["draft"]
    fp = org_a["service_focal_point"]
    client.force_login(fp)
    form = client.get(f"/directory/{entry.public_id}/edit/").context["form"]
    version = form.initial["version"]
    # Someone else saves meanwhile.
    services.service_update(
        actor=org_a["network_coordinator"],
        service=entry,
        expected_version=version,
        content=content(fp, name_fr="Changé par un collègue", name_en=""),
    )
    response = client.post(
        f"/directory/{entry.public_id}/edit/",
        _form_data(org_a, name_fr="Mon changement", version=version),
    )
    assert response.status_code == 400
    html = response.content.decode()
    assert "Someone else saved this record while you were editing it." in html
    assert 'value="Mon changement"' in html
    assert _fresh(entry).name_fr == "Changé par un collègue"
    # With the current version the change goes through.
    response = client.post(
        f"/directory/{entry.public_id}/edit/",
        _form_data(org_a, name_fr="Mon changement", version=_fresh(entry).version),
    )
    assert response.status_code == 302
    assert _fresh(entry).name_fr == "Mon changement"


def test_edit_shows_the_stored_content(client: Any, org_a: Any, world: Any) -> None:
    client.force_login(org_a["service_focal_point"])
    response = client.get(f"/directory/{world['draft'].public_id}/edit/")
    form = response.context["form"]
    assert form.initial["d0_open1"] == datetime.time(8, 0)
    assert form.initial["d5_closed"] is True
    assert response.context["channels"].initial == [
        {"kind": "phone", "value": "+22790123456", "note": ""}
    ]
    # A published entry is not edited in place.
    response = client.get(f"/directory/{world['published'].public_id}/edit/")
    assert response.status_code == 302


# --- actions --------------------------------------------------------------------------------


def _post_four_ways(
    client: Any, url: str, data: dict[str, Any], wrong: Any, other: Any, right: Any
) -> Any:
    client.logout()
    client.cookies["django_language"] = "en"  # logging out drops the cookies
    response = client.post(url, data)
    assert response.status_code == 302
    assert response["Location"].startswith("/accounts/login/")
    client.force_login(wrong)
    assert client.post(url, data).status_code == 404, url
    client.force_login(other)
    assert client.post(url, data).status_code == 404, url
    client.force_login(right)
    return client.post(url, data)


def test_submit_then_approve(client: Any, org_a: Any, org_b: Any, world: Any) -> None:
    entry = world["draft"]
    response = _post_four_ways(
        client,
        f"/directory/{entry.public_id}/submit/",
        {"version": entry.version},
        org_a["caseworker"],
        org_b["service_focal_point"],
        org_a["service_focal_point"],
    )
    assert response.status_code == 302
    entry = _fresh(entry)
    assert entry.status == Status.SUBMITTED
    response = _post_four_ways(
        client,
        f"/directory/{entry.public_id}/approve/",
        {"version": entry.version},
        org_a["service_focal_point"],
        org_b["service_focal_point"],
        org_b["network_coordinator"],
    )
    assert response.status_code == 302
    assert _fresh(entry).status == Status.PUBLISHED


def test_reject_needs_a_reason(client: Any, org_a: Any, org_b: Any, world: Any) -> None:
    entry = world["submitted"]
    url = f"/directory/{entry.public_id}/reject/"
    client.force_login(org_b["network_coordinator"])
    response = client.post(url, {"version": entry.version, "reason": ""})
    assert response.status_code == 400
    assert response.context["reject_form"].errors["reason"]
    response = _post_four_ways(
        client,
        url,
        {"version": entry.version, "reason": "Adresse incomplète"},
        org_a["service_focal_point"],
        org_b["service_focal_point"],
        org_b["network_coordinator"],
    )
    assert response.status_code == 302
    entry = _fresh(entry)
    assert entry.status == Status.DRAFT
    client.force_login(org_a["service_focal_point"])
    page = client.get(f"/directory/{entry.public_id}/").content.decode()
    assert "Adresse incomplète" in page


def test_own_submission_cannot_be_approved_by_its_author(client: Any, org_a: Any) -> None:
    coordinator = org_a["network_coordinator"]
    entry = submitted(coordinator)
    client.force_login(coordinator)
    page = client.get(f"/directory/{entry.public_id}/").content.decode()
    assert "another network coordinator must approve it" in page
    assert "/approve/" not in page
    client.post(f"/directory/{entry.public_id}/approve/", {"version": entry.version})
    assert _fresh(entry).status == Status.SUBMITTED


def test_revision_shows_its_changes_and_merges(
    client: Any, org_a: Any, org_b: Any, world: Any
) -> None:
    revision = world["revision"]
    client.force_login(org_b["network_coordinator"])
    page = client.get(f"/directory/{revision.public_id}/").content.decode()
    assert "What this revision changes" in page
    assert "Nouvelle adresse" in page
    response = client.post(
        f"/directory/{revision.public_id}/approve/", {"version": revision.version}
    )
    target = world["with_revision"]
    assert response["Location"] == f"/directory/{target.public_id}/"
    assert _fresh(target).address == "Nouvelle adresse"


def test_revise_opens_the_revision_form(client: Any, org_a: Any, org_b: Any, world: Any) -> None:
    entry = world["published"]
    response = _post_four_ways(
        client,
        f"/directory/{entry.public_id}/revise/",
        {},
        org_a["caseworker"],
        org_b["service_focal_point"],
        org_a["service_focal_point"],
    )
    revision = Service.objects.get(revision_of=entry)
    assert response["Location"] == f"/directory/{revision.public_id}/edit/"
    response = _post_four_ways(
        client,
        f"/directory/{revision.public_id}/discard/",
        {"version": revision.version},
        org_a["caseworker"],
        org_b["service_focal_point"],
        org_a["service_focal_point"],
    )
    assert response["Location"] == f"/directory/{entry.public_id}/"
    assert not Service.objects.filter(revision_of=entry).exists()


def test_archive_and_restore(client: Any, org_a: Any, org_b: Any, world: Any) -> None:
    entry = world["published"]
    response = _post_four_ways(
        client,
        f"/directory/{entry.public_id}/archive/",
        {"version": entry.version},
        org_a["caseworker"],
        org_b["service_focal_point"],
        org_a["service_focal_point"],
    )
    assert response.status_code == 302
    entry = _fresh(entry)
    assert entry.status == Status.ARCHIVED
    response = _post_four_ways(
        client,
        f"/directory/{entry.public_id}/restore/",
        {"version": entry.version},
        org_a["caseworker"],
        org_b["service_focal_point"],
        org_a["service_focal_point"],
    )
    assert _fresh(entry).status == Status.DRAFT
    # The coordinator archives any organisation's entry.
    other = world["stale"]
    client.force_login(org_b["network_coordinator"])
    client.post(f"/directory/{other.public_id}/archive/", {"version": other.version})
    assert _fresh(other).status == Status.ARCHIVED


def test_verify_from_the_stale_list(client: Any, org_a: Any, org_b: Any, world: Any) -> None:
    entry = world["stale"]
    response = _post_four_ways(
        client,
        f"/directory/{entry.public_id}/verify/",
        {"version": entry.version, "next": "stale"},
        org_a["caseworker"],
        org_b["service_focal_point"],
        org_a["service_focal_point"],
    )
    assert response["Location"] == "/directory/stale/"
    assert _fresh(entry).last_verified_at > OLD
    assert "Ancienne clinique" not in client.get("/directory/stale/").content.decode()


def test_stale_version_on_an_action_says_so(client: Any, org_a: Any, world: Any) -> None:
    entry = world["stale"]
    client.force_login(org_a["service_focal_point"])
    response = client.post(
        f"/directory/{entry.public_id}/verify/", {"version": entry.version - 1}, follow=True
    )
    assert "Someone else saved this record" in response.content.decode()
    assert _fresh(entry).last_verified_at == OLD


def test_availability_with_htmx(client: Any, org_a: Any, org_b: Any, world: Any) -> None:
    entry = world["published"]
    url = f"/directory/{entry.public_id}/availability/"
    data = {"version": entry.version, "availability": "limited", "availability_note": "Deux lits"}
    _post_four_ways(
        client,
        url,
        data,
        org_a["caseworker"],
        org_b["service_focal_point"],
        org_a["service_focal_point"],
    )
    assert _fresh(entry).availability == Availability.LIMITED
    entry = _fresh(entry)
    response = client.post(
        url,
        {"version": entry.version, "availability": "full", "availability_note": ""},
        headers={"HX-Request": "true"},
    )
    assert response.status_code == 200
    html = response.content.decode()
    assert 'id="availability"' in html
    # The action buttons come back with the new version (out of band), so they stay usable.
    assert 'id="entry-actions" hx-swap-oob="true"' in html
    assert f'name="version" value="{_fresh(entry).version}"' in html
    assert _fresh(entry).availability == Availability.FULL
    response = client.post(
        url, {"version": 1, "availability": "full"}, headers={"HX-Request": "true"}
    )
    assert response.status_code == 400
    assert "Someone else saved this record" in response.content.decode()


# --- home, markup ---------------------------------------------------------------------------


def test_home_panels(client: Any, org_a: Any, org_b: Any, world: Any) -> None:
    client.force_login(org_a["service_focal_point"])
    panels = {p.title: p for p in client.get("/").context["panels"]}
    figures = {str(f.label): f.value for f in panels["Service directory"].figures}
    assert figures == {"Entries to verify": 1, "Drafts": 1, "Waiting for approval": 1}
    client.force_login(org_b["network_coordinator"])
    panels = {p.title: p for p in client.get("/").context["panels"]}
    figures = {str(f.label): f.value for f in panels["Service directory"].figures}
    assert figures["Entries to moderate"] == 2
    assert figures["Entries to verify"] == 1
    client.force_login(org_a["caseworker"])
    titles = [str(p.title) for p in client.get("/").context["panels"]]
    assert "Service directory" not in titles


@pytest.mark.parametrize(
    ("which", "role", "org"),
    [
        ("published", "service_focal_point", "a"),
        ("revision", "service_focal_point", "a"),
        ("submitted", "network_coordinator", "b"),
        ("revision", "network_coordinator", "b"),
        ("archived", "service_focal_point", "a"),
    ],
)
def test_entry_page_markup(
    client: Any, org_a: Any, org_b: Any, world: Any, which: str, role: str, org: str
) -> None:
    client.force_login((org_a if org == "a" else org_b)[role])
    html = client.get(f"/directory/{world[which].public_id}/").content.decode()
    assert form_problems(html) == []


@pytest.mark.parametrize(
    "url", ["/directory/", "/directory/new/", "/directory/stale/", "/directory/moderation/"]
)
def test_list_and_form_markup(client: Any, org_a: Any, world: Any, url: str) -> None:
    client.force_login(org_a["network_coordinator"])
    html = client.get(url).content.decode()
    assert form_problems(html) == []


def test_edit_form_markup_with_errors(client: Any, org_a: Any, world: Any) -> None:
    client.force_login(org_a["service_focal_point"])
    entry = world["draft"]
    response = client.post(
        f"/directory/{entry.public_id}/edit/",
        _form_data(org_a, version=entry.version, cost="fee", d2_open1="09:00"),
    )
    assert response.status_code == 400
    assert form_problems(response.content.decode()) == []
