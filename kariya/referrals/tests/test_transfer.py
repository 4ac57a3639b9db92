"""Case transfer: the whole case file moves when the receiving organisation accepts; the old
owner keeps no access."""

from __future__ import annotations

from typing import Any

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404

from kariya.cases import access as cases_access
from kariya.cases import services as cases_services
from kariya.cases.models import Case, Screening, ServiceDelivery
from kariya.people import access as people_access
from kariya.people import services as people_services
from kariya.people.models import Consent, Identity, Person, PersonSearchKey
from kariya.referrals import access, services
from kariya.referrals.factories import referral_consent, sent
from kariya.referrals.models import Kind, Referral, Status


def _request(org_a: Any, case: Any, service: Any) -> Referral:
    return services.transfer_request(
        actor=org_a["supervisor"], case=case, service=service, reason="Déménage à Niamey"
    )


def test_only_a_supervisor_with_named_consent(
    org_a: Any, org_b: Any, case_a: Any, service_b: Any
) -> None:
    with pytest.raises(PermissionDenied):
        services.transfer_request(
            actor=org_a["caseworker"], case=case_a, service=service_b, reason="x"
        )
    referral_consent(org_a["caseworker"], case_a.person, service_type=service_b.service_type)
    with pytest.raises(ValidationError) as exc:
        _request(org_a, case_a, service_b)
    assert "consent" in exc.value.error_dict
    assert not Referral.objects.exists()


def test_ownership_moves_on_acceptance(
    org_a: Any, org_b: Any, consented: Any, service_b: Any
) -> None:
    case, person = consented, consented.person
    cases_services.case_note_add(actor=org_a["caseworker"], case=case, body="Note ancienne")
    other = sent(org_a["caseworker"], case, service_b)  # an open referral of the case
    transfer = _request(org_a, case, service_b)
    assert transfer.kind == Kind.TRANSFER and transfer.status == Status.SENT
    # Before acceptance nothing moved.
    assert Case.objects.get(pk=case.pk).organisation == org_a.org
    with pytest.raises(ValidationError):
        services.referral_accept(
            actor=org_b["service_focal_point"],
            referral=transfer,
            expected_version=transfer.version,
        )
    with pytest.raises(ValidationError):  # a caseworker of the wrong organisation
        services.referral_accept(
            actor=org_b["service_focal_point"],
            referral=transfer,
            expected_version=transfer.version,
            caseworker=org_a["caseworker"],
        )
    services.referral_accept(
        actor=org_b["service_focal_point"],
        referral=transfer,
        expected_version=transfer.version,
        caseworker=org_b["caseworker"],
    )
    case = Case.objects.get(pk=case.pk)
    assert case.organisation == org_b.org and case.caseworker == org_b["caseworker"]
    assert Person.objects.get(pk=person.pk).organisation == org_b.org
    assert Identity.objects.get(person=person).organisation == org_b.org
    assert set(
        PersonSearchKey.objects.filter(person=person).values_list("organisation", flat=True)
    ) == {org_b.org.pk}
    assert set(Consent.objects.filter(person=person).values_list("organisation", flat=True)) == {
        org_b.org.pk
    }
    assert Screening.objects.get(person=person).organisation == org_b.org
    assert Referral.objects.get(pk=transfer.pk).status == Status.COMPLETED
    # The old owner keeps no access: case, person, referrals.
    for actor in (org_a["caseworker"], org_a["supervisor"]):
        with pytest.raises(Http404):
            cases_access.case_get_for(actor, case.public_id)
        with pytest.raises(Http404):
            people_access.person_get_for(actor, person.public_id)
        for r in (transfer, other):
            with pytest.raises(Http404):
                access.referral_get_for(actor, r.public_id)
    # The new owner has it all.
    assert cases_access.case_get_for(org_b["caseworker"], case.public_id) == case
    assert cases_access.case_get_for(org_b["supervisor"], case.public_id) == case
    assert people_access.person_get_for(org_b["caseworker"], person.public_id) == person
    cases_services.service_delivery_record(
        actor=org_b["caseworker"],
        case=case,
        service_type=service_b.service_type,
        provider=org_b.org,
        delivered_on=case.opened_at.date(),
        outcome="delivered",
    )
    assert ServiceDelivery.objects.get(case=case).organisation == org_b.org


def test_withdrawn_consent_stops_the_move(
    org_a: Any, org_b: Any, case_a: Any, service_b: Any
) -> None:
    consent = referral_consent(org_a["caseworker"], case_a.person, to=org_b.org)
    transfer = _request(org_a, case_a, service_b)
    people_services.consent_withdraw(actor=org_a["caseworker"], consent=consent)
    with pytest.raises(ValidationError):
        services.referral_accept(
            actor=org_b["service_focal_point"],
            referral=transfer,
            expected_version=transfer.version,
            caseworker=org_b["caseworker"],
        )
    assert Case.objects.get(pk=case_a.pk).organisation == org_a.org


def test_transfer_pages(
    client: Any, org_a: Any, org_b: Any, consented: Any, service_b: Any
) -> None:
    from tests.htmlcheck import form_problems

    client.cookies["django_language"] = "en"
    url = f"/referrals/cases/{consented.public_id}/transfer/{service_b.public_id}/"
    assert client.get(url).status_code == 302
    for wrong in (org_a["caseworker"], org_b["supervisor"]):
        client.force_login(wrong)
        assert client.get(url).status_code == 404
    client.force_login(org_a["supervisor"])
    assert form_problems(client.get(url).content.decode()) == []
    response = client.post(url, {"priority": "normal", "reason": "Déménage"})
    transfer = Referral.objects.get(kind=Kind.TRANSFER)
    assert response["Location"] == f"/referrals/{transfer.public_id}/"
    client.force_login(org_b["service_focal_point"])
    page = client.get(response["Location"])
    assert form_problems(page.content.decode()) == []
    response = client.post(
        f"/referrals/{transfer.public_id}/take_over/",
        {"transfer-version": transfer.version, "transfer-caseworker": org_b["caseworker"].pk},
    )
    assert response["Location"] == f"/cases/{consented.public_id}/"
    assert Case.objects.get(pk=consented.pk).organisation == org_b.org
    client.force_login(org_a["supervisor"])
    assert client.get(f"/cases/{consented.public_id}/").status_code == 404
