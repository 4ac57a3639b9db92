"""Who sees and reaches which entry: anonymous, wrong role, other organisation, right role, for
each access function and selector."""

from __future__ import annotations

from typing import Any

import pytest
from django.contrib.auth.models import AnonymousUser
from django.http import Http404

from kariya.accounts.factories import UserFactory
from kariya.directory import access, selectors, services
from kariya.directory.factories import draft, published, submitted
from kariya.directory.models import Service
from kariya.geo.models import AdminUnit

pytestmark = pytest.mark.django_db


@pytest.fixture
def entries(org_a: Any, org_b: Any) -> dict[str, Service]:
    fp_a, coord_b = org_a["service_focal_point"], org_b["network_coordinator"]
    return {
        "draft": draft(fp_a, name_fr="Brouillon"),
        "submitted": submitted(fp_a, name_fr="Soumis"),
        "published": published(fp_a, coord_b, name_fr="Publié"),
    }


def test_anonymous_and_roleless_see_nothing_staff_side(entries: dict[str, Service]) -> None:
    nobody = UserFactory(username="nobody", organisation=None)
    for actor in (AnonymousUser(), nobody):
        assert not access.visible_services(actor).exists()
        for service in entries.values():
            with pytest.raises(Http404):
                access.service_get_for(actor, service.public_id)
            with pytest.raises(Http404):
                access.service_get_for_edit(actor, service.public_id)


def test_own_organisation_sees_every_status(org_a: Any, entries: dict[str, Service]) -> None:
    caseworker = org_a["caseworker"]
    for service in entries.values():
        assert access.service_get_for(caseworker, service.public_id) == service
    assert selectors.services_for_staff(caseworker).count() == 3


def test_other_organisation_sees_only_published(org_b: Any, entries: dict[str, Service]) -> None:
    caseworker = org_b["caseworker"]
    assert access.service_get_for(caseworker, entries["published"].public_id)
    for name in ("draft", "submitted"):
        with pytest.raises(Http404):
            access.service_get_for(caseworker, entries[name].public_id)
    assert list(selectors.services_for_staff(caseworker)) == [entries["published"]]


def test_editing_needs_the_role_and_the_organisation(
    org_a: Any, org_b: Any, entries: dict[str, Service]
) -> None:
    service = entries["draft"]
    assert access.service_get_for_edit(org_a["service_focal_point"], service.public_id)
    for actor in (org_a["caseworker"], org_a["org_admin"], org_b["service_focal_point"]):
        with pytest.raises(Http404):
            access.service_get_for_edit(actor, service.public_id)
    with pytest.raises(Http404):
        access.service_get_for_edit(org_a["service_focal_point"], "not-a-uuid")


def test_moderation_queue_is_the_coordinators(
    org_a: Any, org_b: Any, entries: dict[str, Service]
) -> None:
    coordinator = org_b["network_coordinator"]
    assert list(selectors.moderation_queue(coordinator)) == [entries["submitted"]]
    assert access.service_get_for_moderation(coordinator, entries["submitted"].public_id)
    assert access.service_get_for(coordinator, entries["submitted"].public_id)
    with pytest.raises(Http404):
        access.service_get_for_moderation(coordinator, entries["draft"].public_id)
    with pytest.raises(Http404):
        access.service_get_for(coordinator, entries["draft"].public_id)
    for actor in (AnonymousUser(), org_a["service_focal_point"], org_b["supervisor"]):
        assert not selectors.moderation_queue(actor).exists()
        with pytest.raises(Http404):
            access.service_get_for_moderation(actor, entries["submitted"].public_id)


def test_own_submissions_are_not_in_own_queue(org_a: Any) -> None:
    coordinator = org_a["network_coordinator"]
    submitted(coordinator, is_public_service=True, provider_name="Commissariat central")
    assert not selectors.moderation_queue(coordinator).exists()


def test_public_sees_published_entries_of_active_organisations(
    org_a: Any, org_b: Any, entries: dict[str, Service]
) -> None:
    live = entries["published"]
    assert access.public_service_get(live.public_id) == live
    for name in ("draft", "submitted"):
        with pytest.raises(Http404):
            access.public_service_get(entries[name].public_id)
    revision = services.service_revise(actor=org_a["service_focal_point"], service=live)
    with pytest.raises(Http404):
        access.public_service_get(revision.public_id)
    assert list(selectors.public_services()) == [live]
    org_a.org.is_active = False
    org_a.org.save()
    assert not selectors.public_services().exists()
    with pytest.raises(Http404):
        access.public_service_get(live.public_id)


def test_public_filters(org_a: Any, org_b: Any, entries: dict[str, Service]) -> None:
    live = entries["published"]
    agadez = AdminUnit.objects.get(pcode="NE001")
    niamey = AdminUnit.objects.get(pcode="NE008")
    assert list(selectors.public_services(place=agadez)) == [live]
    assert list(selectors.public_services(place=live.commune)) == [live]
    assert list(selectors.public_services(place=live.commune.parent)) == [live]
    assert not selectors.public_services(place=niamey).exists()
    assert list(selectors.public_services(service_type=live.service_type)) == [live]
    food = type(live.service_type).objects.get(list="service_type", code="food")
    assert not selectors.public_services(service_type=food).exists()


def test_staff_list_hides_revisions_and_marks_them(org_a: Any, entries: dict[str, Service]) -> None:
    services.service_revise(actor=org_a["service_focal_point"], service=entries["published"])
    rows = {s.name_fr: s for s in selectors.services_for_staff(org_a["caseworker"])}
    assert set(rows) == {"Brouillon", "Soumis", "Publié"}
    assert rows["Publié"].has_pending_revision
    assert not rows["Brouillon"].has_pending_revision


def test_list_query_counts(org_a: Any, django_assert_num_queries: Any) -> None:
    fp, coord = org_a["service_focal_point"], org_a["network_coordinator"]
    other_coord = UserFactory(username="x_coord", roles=["network_coordinator"])
    for i in range(3):
        published(fp, other_coord, name_fr=f"Service {i}")
    fp.role_codes()  # loaded once per request by the middleware
    with django_assert_num_queries(1):
        list(selectors.services_for_staff(fp))
    with django_assert_num_queries(4):  # entries, hours, channels, languages
        rows = list(selectors.public_services())
        for row in rows:
            list(row.hours.all())
            list(row.channels.all())
            list(row.languages.all())
    assert coord  # the fixture world exists
