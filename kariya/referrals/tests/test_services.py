"""The referral workflow and its consent rules, through the services."""

from __future__ import annotations

import datetime
from typing import Any

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404
from django.utils import timezone

from kariya.cases import access as cases_access
from kariya.cases.factories import open_case
from kariya.cases.models import ServiceDelivery
from kariya.core.models import AuditEvent
from kariya.directory import factories as directory
from kariya.people import services as people_services
from kariya.people.models import DataCategory, RestrictionAudience
from kariya.referrals import access, selectors, services
from kariya.referrals.factories import data, referral_consent, sent
from kariya.referrals.models import Notification, Priority, Referral, SharedField, Status


def test_send_with_consent_shares_the_minimum_and_notifies(
    org_a: Any,
    org_b: Any,
    consented: Any,
    service_b: Any,
    mailoutbox: Any,
    django_capture_on_commit_callbacks: Any,
) -> None:
    focal = org_b["service_focal_point"]
    focal.email = "focal@beta.example"
    focal.save(update_fields=["email"])
    with django_capture_on_commit_callbacks(execute=True):
        referral = sent(org_a["caseworker"], consented, service_b)
    assert referral.status == Status.SENT
    assert referral.to_organisation == org_b.org
    assert referral.consent is not None
    shared = Referral.objects.get(pk=referral.pk).shared
    assert shared["case_code"] == consented.person.case_code
    assert "name" not in shared and "phones" not in shared
    assert set(shared) == {"case_code", "sex", "age"}
    note = Notification.objects.get(recipient=org_b["service_focal_point"])
    assert note.link == f"/referrals/{referral.public_id}/"
    assert len(mailoutbox) == 1
    body = mailoutbox[0].body + mailoutbox[0].subject
    assert str(referral.public_id) in body
    assert consented.person.case_code not in body and "Moussa" not in body


def test_no_mail_when_the_send_is_refused(
    org_a: Any,
    case_a: Any,
    service_b: Any,
    mailoutbox: Any,
    django_capture_on_commit_callbacks: Any,
) -> None:
    with django_capture_on_commit_callbacks(execute=True), pytest.raises(ValidationError):
        sent(org_a["caseworker"], case_a, service_b)
    assert mailoutbox == []
    assert not Referral.objects.exists()
    assert not Notification.objects.exists()


def test_refused_without_consent(org_a: Any, case_a: Any, service_b: Any) -> None:
    with pytest.raises(ValidationError) as exc:
        sent(org_a["caseworker"], case_a, service_b)
    assert exc.value.error_dict["consent"][0].code == "consent"
    assert not Referral.objects.exists()


def test_consent_to_another_organisation_does_not_cover(
    org_a: Any, org_b: Any, case_a: Any, service_b: Any
) -> None:
    referral_consent(org_a["caseworker"], case_a.person, to=org_a.org)
    with pytest.raises(ValidationError):
        sent(org_a["caseworker"], case_a, service_b)


def test_consent_for_the_service_type_covers(org_a: Any, case_a: Any, service_b: Any) -> None:
    referral_consent(org_a["caseworker"], case_a.person, service_type=service_b.service_type)
    assert sent(org_a["caseworker"], case_a, service_b).status == Status.SENT


def test_withdrawn_consent_does_not_cover(
    org_a: Any, org_b: Any, case_a: Any, service_b: Any
) -> None:
    consent = referral_consent(org_a["caseworker"], case_a.person, to=org_b.org)
    people_services.consent_withdraw(actor=org_a["caseworker"], consent=consent)
    with pytest.raises(ValidationError):
        sent(org_a["caseworker"], case_a, service_b)


def test_override_only_by_a_supervisor_with_a_reason_audited(
    org_a: Any, case_a: Any, service_b: Any
) -> None:
    with pytest.raises(PermissionDenied):
        sent(org_a["caseworker"], case_a, service_b, override_reason="Urgence vitale")
    assert not Referral.objects.exists()
    referral = sent(org_a["supervisor"], case_a, service_b, override_reason="Urgence vitale")
    assert referral.status == Status.SENT
    assert referral.consent is None
    assert referral.consent_override_by == org_a["supervisor"]
    assert Referral.objects.get(pk=referral.pk).consent_override_reason == "Urgence vitale"
    event = AuditEvent.objects.get(object_type="referrals.consent_override")
    assert event.actor == org_a["supervisor"]
    assert event.object_id == str(referral.public_id)


def test_override_never_shares_the_name(org_a: Any, case_a: Any, service_b: Any) -> None:
    with pytest.raises(ValidationError) as exc:
        sent(
            org_a["supervisor"],
            case_a,
            service_b,
            override_reason="Urgence",
            shared_fields=[SharedField.NAME],
        )
    assert "shared_fields" in exc.value.error_dict


def test_name_only_with_consent_naming_the_recipient(
    org_a: Any, org_b: Any, case_a: Any, service_b: Any
) -> None:
    referral_consent(org_a["caseworker"], case_a.person, service_type=service_b.service_type)
    with pytest.raises(ValidationError) as exc:
        sent(org_a["caseworker"], case_a, service_b, shared_fields=[SharedField.NAME])
    assert exc.value.error_dict["shared_fields"][0].code == "identity"
    referral_consent(org_a["caseworker"], case_a.person, to=org_b.org)
    referral = sent(
        org_a["caseworker"], case_a, service_b, shared_fields=[SharedField.NAME, SharedField.PHONE]
    )
    assert Referral.objects.get(pk=referral.pk).shared["name"] == "Moussa Abdou"


def test_restriction_withholds_a_field(org_a: Any, org_b: Any, case_a: Any, service_b: Any) -> None:
    people_services.consent_record(
        actor=org_a["caseworker"],
        person=case_a.person,
        scope="referral",
        given_by="self",
        method="oral_witnessed",
        language=case_a.person.languages.first() or _code("language", "hau"),
        recipient_organisation=org_b.org,
        restrictions=[
            people_services.RestrictionInput(
                withhold=DataCategory.HEALTH, audience=RestrictionAudience.PARTNERS
            )
        ],
    )
    with pytest.raises(ValidationError) as exc:
        sent(org_a["caseworker"], case_a, service_b, shared_fields=[SharedField.SPECIFIC_NEEDS])
    assert exc.value.error_dict["shared_fields"][0].code == "restricted"
    assert sent(org_a["caseworker"], case_a, service_b, shared_fields=[SharedField.LANGUAGES])


def _code(list_name: str, code: str) -> Any:
    from kariya.codelists.models import Code

    return Code.objects.get(list=list_name, code=code)


def test_refused_when_eligibility_excludes_the_person(
    org_a: Any, org_b: Any, consented: Any
) -> None:
    women_only = directory.published(
        org_b["service_focal_point"], org_a["network_coordinator"], eligible_sex="female"
    )
    with pytest.raises(ValidationError) as exc:
        sent(org_a["caseworker"], consented, women_only)
    assert "only for: Women and girls" in exc.value.error_dict["service"][0].message
    adults = directory.published(
        org_b["service_focal_point"], org_a["network_coordinator"], max_age=17
    )
    with pytest.raises(ValidationError, match="aged 17 or less"):
        sent(org_a["caseworker"], consented, adults)


def test_unpublished_service_refused(org_a: Any, org_b: Any, consented: Any) -> None:
    draft = directory.draft(org_b["service_focal_point"])
    with pytest.raises(ValidationError):
        sent(org_a["caseworker"], consented, draft)


def test_internal_referral_needs_only_the_services_basis(org_a: Any, case_a: Any) -> None:
    own = directory.published(org_a["service_focal_point"], org_a["network_coordinator"])
    referral = sent(org_a["caseworker"], case_a, own, shared_fields=[SharedField.NAME])
    assert referral.status == Status.SENT
    assert Referral.objects.get(pk=referral.pk).shared["name"] == "Moussa Abdou"


@pytest.mark.parametrize(
    ("priority", "hours"),
    [(Priority.EMERGENCY, 24), (Priority.URGENT, 72), (Priority.NORMAL, 14 * 24)],
)
def test_deadline_from_priority_and_overdue(
    org_a: Any, consented: Any, service_b: Any, priority: str, hours: int
) -> None:
    referral = sent(org_a["caseworker"], consented, service_b, priority=priority)
    assert referral.deadline - referral.sent_at == datetime.timedelta(hours=hours)
    just_before = referral.deadline - datetime.timedelta(minutes=1)
    just_after = referral.deadline + datetime.timedelta(minutes=1)
    assert not referral.is_overdue(just_before)
    assert referral.is_overdue(just_after)
    assert not Referral.objects.overdue(just_before).exists()
    assert Referral.objects.overdue(just_after).get() == referral


def test_accepted_referral_is_never_overdue(
    org_a: Any, org_b: Any, consented: Any, service_b: Any
) -> None:
    referral = sent(org_a["caseworker"], consented, service_b, priority=Priority.EMERGENCY)
    services.referral_accept(
        actor=org_b["service_focal_point"], referral=referral, expected_version=referral.version
    )
    assert not referral.is_overdue(timezone.now() + datetime.timedelta(days=30))


def test_the_whole_loop(org_a: Any, org_b: Any, consented: Any, service_b: Any) -> None:
    focal = org_b["service_focal_point"]
    referral = sent(org_a["caseworker"], consented, service_b)
    services.referral_acknowledge(actor=focal, referral=referral, expected_version=referral.version)
    services.referral_accept(actor=focal, referral=referral, expected_version=referral.version)
    services.referral_start(actor=focal, referral=referral, expected_version=referral.version)
    services.referral_complete(
        actor=focal,
        referral=referral,
        expected_version=referral.version,
        outcome="delivered",
        feedback="Consultation faite, traitement donné.",
    )
    referral.refresh_from_db()
    assert referral.status == Status.COMPLETED
    delivery = ServiceDelivery.objects.get(case=consented)
    assert delivery.provider == org_b.org
    assert delivery.organisation == org_a.org
    assert delivery.service_type == service_b.service_type
    assert referral.delivery == delivery
    assert [e.to_status for e in selectors.referral_history(referral)] == [
        "draft",
        "sent",
        "acknowledged",
        "accepted",
        "in_progress",
        "completed",
    ]
    # Feedback reaches the referring caseworker.
    assert Notification.objects.filter(recipient=org_a["caseworker"]).count() == 4
    assert referral.feedback == "Consultation faite, traitement donné."
    # After closure the receiver has nothing.
    with pytest.raises(Http404):
        access.referral_get_for(focal, referral.public_id)
    assert access.referral_get_for(org_a["caseworker"], referral.public_id) == referral


def test_decline_needs_a_reason_and_closes(
    org_a: Any, org_b: Any, consented: Any, service_b: Any
) -> None:
    focal = org_b["service_focal_point"]
    referral = sent(org_a["caseworker"], consented, service_b)
    with pytest.raises(ValidationError):
        services.referral_decline(
            actor=focal, referral=referral, expected_version=referral.version, reason=" "
        )
    services.referral_decline(
        actor=focal, referral=referral, expected_version=referral.version, reason="Plus de place"
    )
    assert Referral.objects.get(pk=referral.pk).decline_reason == "Plus de place"
    with pytest.raises(Http404):
        access.referral_get_for(focal, referral.public_id)


def test_cancel_by_the_sender_closes_access(
    org_a: Any, org_b: Any, consented: Any, service_b: Any
) -> None:
    referral = sent(org_a["caseworker"], consented, service_b)
    with pytest.raises(PermissionDenied):
        services.referral_cancel(
            actor=org_b["service_focal_point"],
            referral=referral,
            expected_version=referral.version,
            reason="x",
        )
    services.referral_cancel(
        actor=org_a["caseworker"],
        referral=referral,
        expected_version=referral.version,
        reason="La personne est partie",
    )
    assert referral.status == Status.CANCELLED
    assert Notification.objects.filter(
        recipient=org_b["service_focal_point"], kind="referral_cancelled"
    ).exists()
    with pytest.raises(Http404):
        access.referral_get_for(org_b["service_focal_point"], referral.public_id)


def test_stale_copy_cannot_overwrite(
    org_a: Any, org_b: Any, consented: Any, service_b: Any
) -> None:
    focal = org_b["service_focal_point"]
    referral = sent(org_a["caseworker"], consented, service_b)
    stale_version = referral.version
    other_copy = Referral.objects.get(pk=referral.pk)
    services.referral_accept(actor=focal, referral=referral, expected_version=stale_version)
    with pytest.raises(ValidationError) as exc:
        services.referral_decline(
            actor=focal, referral=other_copy, expected_version=stale_version, reason="Complet"
        )
    assert exc.value.code == "stale"
    assert Referral.objects.get(pk=referral.pk).status == Status.ACCEPTED


def test_completion_outcome_must_be_listed(
    org_a: Any, org_b: Any, consented: Any, service_b: Any
) -> None:
    focal = org_b["service_focal_point"]
    referral = sent(org_a["caseworker"], consented, service_b)
    services.referral_accept(actor=focal, referral=referral, expected_version=referral.version)
    with pytest.raises(ValidationError):
        services.referral_complete(
            actor=focal, referral=referral, expected_version=referral.version, outcome="maybe"
        )
    assert not ServiceDelivery.objects.exists()


def test_receiver_roles_and_organisations(
    org_a: Any, org_b: Any, consented: Any, service_b: Any
) -> None:
    referral = sent(org_a["caseworker"], consented, service_b)
    for actor in (org_b["caseworker"], org_b["supervisor"], org_a["service_focal_point"]):
        with pytest.raises(PermissionDenied):
            services.referral_accept(
                actor=actor, referral=referral, expected_version=referral.version
            )
        with pytest.raises(Http404):
            access.referral_get_for(actor, referral.public_id)


def test_receiver_gets_no_access_to_the_person_or_the_case(
    org_a: Any, org_b: Any, consented: Any, service_b: Any
) -> None:
    from kariya.people import access as people_access

    sent(org_a["caseworker"], consented, service_b)
    focal = org_b["service_focal_point"]
    assert not cases_access.can_see_case(focal, consented)
    with pytest.raises(Http404):
        cases_access.case_get_for(focal, consented.public_id)
    with pytest.raises(Http404):
        people_access.person_get_for(focal, consented.person.public_id)


def test_sender_side_scope(org_a: Any, org_b: Any, consented: Any, service_b: Any) -> None:
    referral = sent(org_a["caseworker"], consented, service_b)
    other_caseworker = type(org_a["caseworker"]).objects.create(
        username="alpha_cw2", organisation=org_a.org
    )
    assert access.referral_get_for(org_a["supervisor"], referral.public_id) == referral
    for actor in (other_caseworker, org_b["supervisor"], org_a["me_officer"]):
        with pytest.raises(Http404):
            access.referral_get_for(actor, referral.public_id)
    assert list(selectors.outgoing_inbox(org_b["caseworker"])) == []


def test_only_a_case_worker_may_refer(org_a: Any, consented: Any, service_b: Any) -> None:
    from kariya.accounts.factories import UserFactory

    colleague = UserFactory(username="alpha_cw2", organisation=org_a.org, roles=["caseworker"])
    other = open_case(colleague)
    with pytest.raises(PermissionDenied):
        services.referral_create(actor=org_a["caseworker"], case=other, data=data(service_b))


def test_inbox_counts(org_a: Any, org_b: Any, consented: Any, service_b: Any) -> None:
    referral = sent(org_a["caseworker"], consented, service_b, priority=Priority.EMERGENCY)
    later = timezone.now() + datetime.timedelta(days=2)
    counts = selectors.inbox_counts(org_b["service_focal_point"], now=later)
    assert (counts.incoming_open, counts.incoming_waiting, counts.incoming_overdue) == (1, 1, 1)
    counts = selectors.inbox_counts(org_a["caseworker"], now=later)
    assert (counts.outgoing_open, counts.outgoing_overdue) == (1, 1)
    services.referral_accept(
        actor=org_b["service_focal_point"], referral=referral, expected_version=referral.version
    )
    counts = selectors.inbox_counts(org_b["service_focal_point"], now=later)
    assert (counts.incoming_open, counts.incoming_overdue) == (1, 0)
