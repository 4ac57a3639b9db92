"""The rules of the directory services: who writes, what is valid, moderation, revisions,
verification, availability, stale copies."""

from __future__ import annotations

import datetime
from typing import Any

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from kariya.codelists.models import Code
from kariya.core.models import AuditEvent
from kariya.directory import services
from kariya.directory.factories import content, draft, published, submitted
from kariya.directory.models import Availability, ContactChannel, OpeningHours, Service, Status
from kariya.directory.services import Channel, Hours
from kariya.geo.models import AdminUnit, Country, Site

pytestmark = pytest.mark.django_db

T = datetime.time


def _fields(exc: ValidationError) -> set[str]:
    return set(exc.message_dict)


# --- who writes -----------------------------------------------------------------------------


def test_service_focal_point_creates_a_draft_of_its_organisation(org_a: Any) -> None:
    fp = org_a["service_focal_point"]
    service = draft(fp)
    assert service.status == Status.DRAFT
    assert service.organisation_id == org_a.org.pk
    assert service.region.pcode == "NE001"
    assert service.hours.count() == 5
    assert service.channels.get().value == "+22790123456"
    event = AuditEvent.objects.get(object_id=str(service.public_id))
    assert event.action == "create"
    assert "name_fr" in event.changed_fields
    assert "Consultations" not in str(event.changed_fields)


@pytest.mark.parametrize("role", ["caseworker", "supervisor", "org_admin", "dpo", "monitor"])
def test_roles_without_directory_edit_cannot_create(org_a: Any, role: str) -> None:
    with pytest.raises(PermissionDenied):
        draft(org_a[role], focal_point=org_a["service_focal_point"])
    assert not Service.objects.exists()


def test_other_organisation_cannot_edit_submit_or_verify(org_a: Any, org_b: Any) -> None:
    service = draft(org_a["service_focal_point"])
    other = org_b["service_focal_point"]
    with pytest.raises(PermissionDenied):
        services.service_update(
            actor=other, service=service, expected_version=service.version,
            content=content(org_a["service_focal_point"], name_fr="Changé"),
        )  # fmt: skip
    with pytest.raises(PermissionDenied):
        services.service_submit(actor=other, service=service, expected_version=service.version)
    service.refresh_from_db()
    assert service.name_fr == "Consultations médicales gratuites"


def test_focal_point_must_be_an_editor_of_the_organisation(org_a: Any, org_b: Any) -> None:
    fp = org_a["service_focal_point"]
    for wrong in (org_b["service_focal_point"], org_a["caseworker"]):
        with pytest.raises(ValidationError) as exc:
            services.service_create(actor=fp, content=content(wrong))
        assert _fields(exc.value) == {"focal_point"}
    org_a["network_coordinator"].is_active = True
    assert draft(fp, focal_point=org_a["network_coordinator"]).focal_point_id == (
        org_a["network_coordinator"].pk
    )


def test_only_the_coordinator_adds_public_services(org_a: Any) -> None:
    fp = org_a["service_focal_point"]
    with pytest.raises(PermissionDenied):
        draft(fp, is_public_service=True, provider_name="Hôpital régional d'Agadez")
    coordinator = org_a["network_coordinator"]
    with pytest.raises(ValidationError) as exc:
        draft(coordinator, is_public_service=True)
    assert _fields(exc.value) == {"provider_name"}
    service = draft(coordinator, is_public_service=True, provider_name="Hôpital régional")
    assert service.provider == "Hôpital régional"
    assert draft(fp).provider == org_a.org.name


# --- validation -----------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("overrides", "field"),
    [
        ({"name_fr": "  "}, "name_fr"),
        ({"commune": None}, "commune"),
        ({"min_age": 18, "max_age": 12}, "max_age"),
        ({"max_age": 130}, "max_age"),
        ({"cost": "fee"}, "fee_note"),
        ({"cost": "maybe"}, "cost"),
        ({"eligible_sex": "child"}, "eligible_sex"),
        ({"hours": (Hours(0, T(12), T(8)),)}, "hours"),
        ({"hours": (Hours(7, T(8), T(12)),)}, "hours"),
        ({"hours": (Hours(0, T(8), T(13)), Hours(0, T(12), T(17)))}, "hours"),
        (
            {"hours": (Hours(0, T(7), T(9)), Hours(0, T(10), T(12)), Hours(0, T(14), T(17)))},
            "hours",
        ),
        ({"channels": (Channel("phone", "12"),)}, "channels"),
        ({"channels": (Channel("email", "not-an-address"),)}, "channels"),
        ({"channels": (Channel("website", "javascript:alert(1)"),)}, "channels"),
        ({"channels": (Channel("pigeon", "x"),)}, "channels"),
        ({"capacity": -1}, "capacity"),
    ],
)
def test_invalid_content_is_refused_with_nothing_written(
    org_a: Any, overrides: dict[str, Any], field: str
) -> None:
    with pytest.raises(ValidationError) as exc:
        draft(org_a["service_focal_point"], **overrides)
    assert field in _fields(exc.value)
    assert not Service.objects.exists()
    assert not OpeningHours.objects.exists()


def test_wrong_code_lists_are_refused(org_a: Any) -> None:
    fp = org_a["service_focal_point"]
    language = Code.objects.get(list="language", code="hau")
    with pytest.raises(ValidationError) as exc:
        draft(fp, service_type=language)
    assert _fields(exc.value) == {"service_type"}
    with pytest.raises(ValidationError) as exc:
        draft(fp, population_categories=(language,))
    assert _fields(exc.value) == {"population_categories"}


def test_split_day_closed_days_and_fee(org_a: Any) -> None:
    hours = (Hours(0, T(8), T(12, 30)), Hours(0, T(15), T(18)), Hours(2, T(8), T(12)))
    service = draft(org_a["service_focal_point"], hours=hours, cost="fee", fee_note="500 FCFA")
    assert [(h.weekday, h.opens_at) for h in service.hours.all()] == [
        (0, T(8)), (0, T(15)), (2, T(8)),
    ]  # fmt: skip
    assert not service.hours.filter(weekday=1).exists()  # Tuesday: closed
    assert service.fee_note == "500 FCFA"
    free = draft(org_a["service_focal_point"], cost="free", fee_note="ignored")
    assert free.fee_note == ""


def test_site_gives_commune_and_region_and_must_agree(org_a: Any) -> None:
    fp = org_a["service_focal_point"]
    assamaka = Site.objects.get(name="Assamaka")
    service = draft(fp, commune=None, site=assamaka)
    assert service.region_id == assamaka.region_id
    assert service.commune_id == assamaka.commune_id
    other = AdminUnit.objects.get(pcode="NE008001001")
    if assamaka.commune_id is not None:
        with pytest.raises(ValidationError) as exc:
            draft(fp, commune=other, site=assamaka)
        assert _fields(exc.value) == {"site"}


# --- moderation -----------------------------------------------------------------------------


def test_submit_approve_publishes_and_counts_as_verification(org_a: Any, org_b: Any) -> None:
    fp = org_a["service_focal_point"]
    service = submitted(fp)
    assert service.status == Status.SUBMITTED
    approved = services.service_approve(
        actor=org_b["network_coordinator"], service=service, expected_version=service.version
    )
    assert approved.status == Status.PUBLISHED
    assert approved.published_at is not None
    assert approved.last_verified_by_id == fp.pk
    assert approved.moderated_by_id == org_b["network_coordinator"].pk


def test_only_a_coordinator_approves_or_rejects(org_a: Any) -> None:
    service = submitted(org_a["service_focal_point"])
    for role in ("service_focal_point", "supervisor", "org_admin"):
        with pytest.raises(PermissionDenied):
            services.service_approve(
                actor=org_a[role], service=service, expected_version=service.version
            )
        with pytest.raises(PermissionDenied):
            services.service_reject(
                actor=org_a[role], service=service, expected_version=service.version, reason="x"
            )
    service.refresh_from_db()
    assert service.status == Status.SUBMITTED


def test_coordinator_does_not_approve_own_submission(org_a: Any, coordinator2: Any) -> None:
    coordinator = org_a["network_coordinator"]
    service = submitted(coordinator, is_public_service=True, provider_name="CSI Dagmanet")
    with pytest.raises(ValidationError):
        services.service_approve(
            actor=coordinator, service=service, expected_version=service.version
        )
    approved = services.service_approve(
        actor=coordinator2, service=service, expected_version=service.version
    )
    assert approved.status == Status.PUBLISHED


def test_reject_sends_back_to_draft_with_a_reason(org_a: Any, org_b: Any) -> None:
    service = submitted(org_a["service_focal_point"])
    coordinator = org_b["network_coordinator"]
    with pytest.raises(ValidationError) as exc:
        services.service_reject(
            actor=coordinator, service=service, expected_version=service.version, reason=" "
        )
    assert _fields(exc.value) == {"reason"}
    rejected = services.service_reject(
        actor=coordinator,
        service=service,
        expected_version=service.version,
        reason="Horaires incomplets",
    )
    assert rejected.status == Status.DRAFT
    assert rejected.rejection_reason == "Horaires incomplets"
    again = services.service_submit(
        actor=org_a["service_focal_point"], service=rejected, expected_version=rejected.version
    )
    assert again.status == Status.SUBMITTED
    assert again.rejection_reason == ""


def test_transitions_from_the_wrong_status_are_refused(org_a: Any, org_b: Any) -> None:
    fp, coordinator = org_a["service_focal_point"], org_b["network_coordinator"]
    service = draft(fp)
    with pytest.raises(ValidationError):
        services.service_approve(actor=coordinator, service=service, expected_version=1)
    with pytest.raises(ValidationError):
        services.service_verify(actor=fp, service=service, expected_version=1)
    with pytest.raises(ValidationError):
        services.service_restore(actor=fp, service=service, expected_version=1)
    with pytest.raises(ValidationError):
        services.service_revise(actor=fp, service=service)
    live = published(fp, coordinator)
    with pytest.raises(ValidationError):
        services.service_submit(actor=fp, service=live, expected_version=live.version)
    with pytest.raises(ValidationError):
        services.service_update(
            actor=fp, service=live, expected_version=live.version, content=content(fp)
        )


def test_editing_a_submitted_entry_sends_it_back_to_draft(org_a: Any) -> None:
    fp = org_a["service_focal_point"]
    service = submitted(fp)
    updated = services.service_update(
        actor=fp, service=service, expected_version=service.version,
        content=content(fp, name_fr="Consultations du soir"),
    )  # fmt: skip
    assert updated.status == Status.DRAFT
    assert updated.submitted_at is None
    event = AuditEvent.objects.filter(object_id=str(service.public_id)).first()
    assert set(event.changed_fields) >= {"name_fr", "status"}
    assert "Consultations du soir" not in str(event.changed_fields)


# --- revisions ------------------------------------------------------------------------------


def test_revision_keeps_the_public_copy_until_approved(org_a: Any, org_b: Any) -> None:
    fp, coordinator = org_a["service_focal_point"], org_b["network_coordinator"]
    live = published(fp, coordinator)
    revision = services.service_revise(actor=fp, service=live)
    assert revision.revision_of_id == live.pk
    assert services.service_revise(actor=fp, service=live).pk == revision.pk  # one at a time
    revision = services.service_update(
        actor=fp, service=revision, expected_version=revision.version,
        content=content(
            fp, name_fr="Consultations et vaccinations",
            hours=(Hours(5, T(9), T(12)),),
            channels=(Channel("whatsapp", "96 00 00 01"), Channel("in_person")),
            nationalities=(Country.objects.get(iso3="NGA"),),
        ),
    )  # fmt: skip
    revision = services.service_submit(
        actor=fp, service=revision, expected_version=revision.version
    )
    live.refresh_from_db()
    assert live.name_fr == "Consultations médicales gratuites"
    assert live.status == Status.PUBLISHED
    assert Service.objects.published().count() == 1
    merged = services.service_approve(
        actor=coordinator, service=revision, expected_version=revision.version
    )
    assert merged.pk == live.pk
    assert merged.public_id == live.public_id
    merged.refresh_from_db()
    assert merged.name_fr == "Consultations et vaccinations"
    assert [h.weekday for h in merged.hours.all()] == [5]
    assert [c.kind for c in merged.channels.all()] == ["whatsapp", "in_person"]
    assert list(merged.nationalities.values_list("iso3", flat=True)) == ["NGA"]
    assert not Service.objects.filter(pk=revision.pk).exists()
    assert ContactChannel.objects.count() == 2
    assert OpeningHours.objects.count() == 1


def test_revision_discard_and_archive(org_a: Any, org_b: Any) -> None:
    fp, coordinator = org_a["service_focal_point"], org_b["network_coordinator"]
    live = published(fp, coordinator)
    revision = services.service_revise(actor=fp, service=live)
    services.service_revision_discard(
        actor=fp, revision=revision, expected_version=revision.version
    )
    assert Service.objects.count() == 1
    services.service_revise(actor=fp, service=live)
    live.refresh_from_db()
    archived = services.service_archive(
        actor=coordinator, service=live, expected_version=live.version
    )
    assert archived.status == Status.ARCHIVED
    assert Service.objects.count() == 1  # the pending revision went with it
    restored = services.service_restore(
        actor=fp, service=archived, expected_version=archived.version
    )
    assert restored.status == Status.DRAFT
    with pytest.raises(PermissionDenied):
        services.service_archive(
            actor=org_b["service_focal_point"], service=restored,
            expected_version=restored.version,
        )  # fmt: skip


# --- stale copies ---------------------------------------------------------------------------


def test_a_stale_copy_is_refused_with_nothing_written(org_a: Any, org_b: Any) -> None:
    fp = org_a["service_focal_point"]
    service = draft(fp)
    old_version = service.version
    services.service_update(
        actor=fp, service=service, expected_version=old_version,
        content=content(fp, name_fr="Première modification"),
    )  # fmt: skip
    with pytest.raises(ValidationError) as exc:
        services.service_update(
            actor=fp, service=service, expected_version=old_version,
            content=content(fp, name_fr="Seconde modification"),
        )  # fmt: skip
    assert exc.value.code == "stale"
    with pytest.raises(ValidationError) as exc:
        services.service_submit(actor=fp, service=service, expected_version=old_version)
    assert exc.value.code == "stale"
    service.refresh_from_db()
    assert service.name_fr == "Première modification"
    assert service.status == Status.DRAFT
    live = published(fp, org_b["network_coordinator"])
    services.service_set_availability(
        actor=fp, service=live, expected_version=live.version, availability="full"
    )
    with pytest.raises(ValidationError) as exc:
        services.service_verify(actor=fp, service=live, expected_version=live.version)
    assert exc.value.code == "stale"


# --- operational facts ----------------------------------------------------------------------


def test_verify_and_availability_apply_to_the_published_entry(org_a: Any, org_b: Any) -> None:
    fp = org_a["service_focal_point"]
    live = published(fp, org_b["network_coordinator"])
    live = services.service_set_availability(
        actor=fp, service=live, expected_version=live.version,
        availability=Availability.LIMITED, note="Plus de places la semaine prochaine",
    )  # fmt: skip
    assert live.availability == "limited"
    assert live.status == Status.PUBLISHED
    with pytest.raises(ValidationError):
        services.service_set_availability(
            actor=fp, service=live, expected_version=live.version, availability="closed"
        )
    with pytest.raises(PermissionDenied):
        services.service_verify(
            actor=org_b["service_focal_point"], service=live, expected_version=live.version
        )
    Service.objects.filter(pk=live.pk).update(stale_flagged_at=live.created_at)
    verified = services.service_verify(actor=fp, service=live, expected_version=live.version)
    assert verified.last_verified_by_id == fp.pk
    verified.refresh_from_db()
    assert verified.stale_flagged_at is None


# --- eligibility (for referral pathways) ----------------------------------------------------


def test_eligible_for(org_a: Any) -> None:
    fp = org_a["service_focal_point"]
    refugee = Code.objects.get(list="population_category", code="refugee")
    women = draft(fp, eligible_sex="female", min_age=18)
    children = draft(fp, max_age=17, nationalities=(Country.objects.get(iso3="NER"),))
    refugees = draft(fp, population_categories=(refugee,))
    everyone = draft(fp)
    q = Service.objects.all()

    def ids(**traits: Any) -> set[int]:
        return set(q.eligible_for(**traits).values_list("pk", flat=True))

    assert ids(sex="female", age=25) == {women.pk, refugees.pk, everyone.pk}
    assert ids(sex="unknown") == {children.pk, refugees.pk, everyone.pk}
    assert ids(age=10, nationality="NER") == {children.pk, refugees.pk, everyone.pk}
    assert ids(age=10, nationality="MLI") == {refugees.pk, everyone.pk}
    other = Code.objects.get(list="population_category", code="host_community")
    assert ids(population_category_id=other.pk) == {women.pk, children.pk, everyone.pk}
    assert ids(population_category_id=refugee.pk) == {
        women.pk, children.pk, refugees.pk, everyone.pk,
    }  # fmt: skip
