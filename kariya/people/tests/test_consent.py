from __future__ import annotations

import datetime
from typing import Any

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from kariya.core.models import AuditEvent
from kariya.people import selectors, services
from kariya.people.consent_rules import AGE_BANDS, band_for, consent_problems
from kariya.people.factories import code, register, services_consent
from kariya.people.models import (
    Consent,
    ConsentGiver,
    ConsentScope,
    DataCategory,
    LegalBasis,
    RestrictionAudience,
)


def _record(actor: Any, person: Any, **overrides: Any) -> Consent:
    values: dict[str, Any] = {
        "actor": actor,
        "person": person,
        "scope": ConsentScope.FOLLOW_UP,
        "given_by": ConsentGiver.SELF,
        "method": "signature",
        "language": code("language", "fra"),
    }
    values.update(overrides)
    return services.consent_record(**values)


def test_withdrawal_takes_effect_at_once(org_a: Any) -> None:
    worker = org_a["caseworker"]
    person = register(worker)
    assert selectors.consent_has(person, ConsentScope.SERVICES)
    consent = person.consents.get(scope=ConsentScope.SERVICES)
    services.consent_withdraw(actor=worker, consent=consent, reason="Wants no further contact.")
    assert not selectors.consent_has(person, ConsentScope.SERVICES)
    assert not selectors.person_has_basis_for_services(person)
    # The ledger keeps the record, with who withdrew it and why.
    consent = Consent.objects.get(pk=consent.pk)
    assert consent.withdrawn_by == worker
    assert consent.withdrawn_at is not None
    assert consent.withdrawal_reason == "Wants no further contact."
    assert consent.given_by == ConsentGiver.SELF
    event = AuditEvent.objects.get(action="update", object_id=str(consent.public_id))
    assert "withdrawal_reason" in event.changed_fields


def test_a_consent_is_withdrawn_only_once(org_a: Any) -> None:
    worker = org_a["caseworker"]
    consent = register(worker).consents.get()
    services.consent_withdraw(actor=worker, consent=consent)
    first = Consent.objects.get(pk=consent.pk).withdrawn_at
    with pytest.raises(ValidationError):
        services.consent_withdraw(actor=org_a["supervisor"], consent=consent)
    again = Consent.objects.get(pk=consent.pk)
    assert again.withdrawn_at == first
    assert again.withdrawn_by == worker


def test_a_new_consent_after_withdrawal_counts_again(org_a: Any) -> None:
    worker = org_a["caseworker"]
    person = register(worker)
    services.consent_withdraw(actor=worker, consent=person.consents.get())
    _record(worker, person, scope=ConsentScope.SERVICES)
    assert selectors.consent_has(person, ConsentScope.SERVICES)
    assert person.consents.count() == 2


def test_legal_basis_is_a_basis_for_services_but_not_a_consent(org_a: Any) -> None:
    person = register(
        org_a["caseworker"],
        consents=[],
        legal_basis=LegalBasis.VITAL_INTEREST,
        legal_basis_reason="Injured, cannot speak; emergency care needed.",
    )
    assert not selectors.consent_has(person, ConsentScope.SERVICES)
    assert selectors.person_has_basis_for_services(person)


def test_legal_basis_recorded_after_withdrawal(org_a: Any) -> None:
    worker = org_a["supervisor"]
    person = register(worker)
    services.consent_withdraw(actor=worker, consent=person.consents.get())
    with pytest.raises(ValidationError):
        services.legal_basis_record(actor=worker, person=person, basis="", reason="x" * 20)
    services.legal_basis_record(
        actor=worker,
        person=person,
        basis=LegalBasis.LEGAL_OBLIGATION,
        reason="Court order to keep the file for the trafficking trial.",
    )
    assert selectors.person_has_basis_for_services(person)


def test_referral_consent_covers_what_it_names(org_a: Any, org_b: Any) -> None:
    worker = org_a["caseworker"]
    person = register(worker)
    legal = code("service_type", "legal_information")
    health = code("service_type", "health_care")
    _record(worker, person, scope=ConsentScope.REFERRAL, recipient_organisation=org_b.org)
    _record(worker, person, scope=ConsentScope.REFERRAL, service_type=legal)
    assert selectors.consent_has(person, ConsentScope.REFERRAL, org_b.org)
    assert selectors.consent_has(person, ConsentScope.REFERRAL, org_b.org, service_type=health)
    # Any organisation for legal counselling, but not for health care.
    assert selectors.consent_has(person, ConsentScope.REFERRAL, org_a.org, service_type=legal)
    assert not selectors.consent_has(person, ConsentScope.REFERRAL, org_a.org, service_type=health)
    assert not selectors.consent_has(person, ConsentScope.REFERRAL, org_a.org)
    assert not selectors.consent_has(person, ConsentScope.REFERRAL)
    assert not selectors.consent_has(person, ConsentScope.AUTHORITIES, org_b.org)


def test_referral_consent_for_both_organisation_and_service(org_a: Any, org_b: Any) -> None:
    worker = org_a["caseworker"]
    person = register(worker)
    legal = code("service_type", "legal_information")
    consent = _record(
        worker,
        person,
        scope=ConsentScope.REFERRAL,
        recipient_organisation=org_b.org,
        service_type=legal,
    )
    assert selectors.consent_has(person, ConsentScope.REFERRAL, org_b.org, service_type=legal)
    assert not selectors.consent_has(person, ConsentScope.REFERRAL, org_b.org)
    services.consent_withdraw(actor=worker, consent=consent)
    assert not selectors.consent_has(person, ConsentScope.REFERRAL, org_b.org, service_type=legal)


@pytest.mark.parametrize(
    ("overrides", "field"),
    [
        ({"scope": ConsentScope.REFERRAL}, "recipient_organisation"),
        ({"service_type": "legal_information"}, "service_type"),
        ({"scope": "marketing"}, "scope"),
        ({"method": "email"}, "method"),
        ({"given_by": "neighbour"}, "given_by"),
        ({"given_at": timezone.now() + datetime.timedelta(hours=2)}, "given_at"),
    ],
)
def test_bad_consents_are_refused(org_a: Any, overrides: dict[str, Any], field: str) -> None:
    person = register(org_a["caseworker"])
    if "service_type" in overrides:
        overrides["service_type"] = code("service_type", overrides["service_type"])
    with pytest.raises(ValidationError) as caught:
        _record(org_a["caseworker"], person, **overrides)
    assert field in caught.value.message_dict
    assert person.consents.count() == 1


def test_restrictions_are_kept_with_their_consent(org_a: Any, org_b: Any) -> None:
    worker = org_a["caseworker"]
    person = register(worker)
    consent = _record(
        worker,
        person,
        scope=ConsentScope.REFERRAL,
        service_type=code("service_type", "legal_information"),
        restrictions=[
            services.RestrictionInput(
                withhold=DataCategory.CONTACT,
                audience=RestrictionAudience.FAMILY,
                reason="Fears her husband's family will find her.",
            ),
            services.RestrictionInput(
                withhold=DataCategory.HEALTH,
                audience=RestrictionAudience.ORGANISATION,
                organisation=org_b.org,
            ),
        ],
    )
    assert {(r.withhold, r.audience) for r in selectors.restrictions_in_force(person=person)} == {
        (DataCategory.CONTACT, RestrictionAudience.FAMILY),
        (DataCategory.HEALTH, RestrictionAudience.ORGANISATION),
    }
    services.consent_withdraw(actor=worker, consent=consent)
    assert not selectors.restrictions_in_force(person=person).exists()
    assert consent.restrictions.count() == 2  # still in the ledger


def test_a_restriction_names_an_organisation_only_for_a_named_one(org_a: Any, org_b: Any) -> None:
    person = register(org_a["caseworker"])
    with pytest.raises(ValidationError):
        _record(
            org_a["caseworker"],
            person,
            restrictions=[
                services.RestrictionInput(
                    withhold=DataCategory.HEALTH, audience=RestrictionAudience.ORGANISATION
                )
            ],
        )
    with pytest.raises(ValidationError):
        _record(
            org_a["caseworker"],
            person,
            restrictions=[
                services.RestrictionInput(
                    withhold=DataCategory.HEALTH,
                    audience=RestrictionAudience.DONORS,
                    organisation=org_b.org,
                )
            ],
        )
    assert person.consents.count() == 1


# --- who consents for a child -----------------------------------------------------------------


def _born_years_ago(age: int) -> datetime.date:
    """A date of birth making the person exactly ``age`` today (not a 29 February)."""
    today = timezone.localdate()
    return today.replace(year=today.year - age, day=min(today.day, 28))


@pytest.mark.parametrize(
    ("age", "given_by", "assent", "mature", "accepted"),
    [
        # 0–5: a caregiver; the child alone never.
        (3, "parent", False, False, True),
        (5, "caregiver", False, False, True),
        (5, "self", False, True, False),
        # 6–11: a caregiver with the child's assent.
        (6, "parent", False, False, False),
        (6, "parent", True, False, True),
        (11, "trusted_adult", True, False, True),
        (11, "self", True, True, False),
        # 12–14: assent + caregiver, or the child alone if mature.
        (12, "guardian", False, False, False),
        (12, "guardian", True, False, True),
        (13, "self", False, False, False),
        (14, "self", False, True, True),
        # 15–17: the child where mature; otherwise a caregiver with assent.
        (15, "self", False, True, True),
        (17, "self", False, False, False),
        (17, "parent", True, False, True),
        # Adults: themselves or a legal guardian.
        (18, "self", False, False, True),
        (40, "guardian", False, False, True),
        (40, "parent", False, False, False),
        (30, "trusted_adult", False, False, False),
    ],
)
def test_child_consent_and_assent_by_age_band(
    org_a: Any, age: int, given_by: str, assent: bool, mature: bool, accepted: bool
) -> None:
    consent = services_consent(given_by=given_by, child_assent=assent, child_mature=mature)
    kwargs: dict[str, Any] = {"birth_year": None, "birth_date": _born_years_ago(age)}
    if accepted:
        person = register(org_a["caseworker"], consents=[consent], **kwargs)
        assert selectors.consent_has(person, ConsentScope.SERVICES)
    else:
        with pytest.raises(ValidationError) as caught:
            register(org_a["caseworker"], consents=[consent], **kwargs)
        assert "given_by" in caught.value.message_dict


def test_with_only_a_year_the_youngest_possible_age_applies(org_a: Any) -> None:
    """Born "in 2008" is 17 or 18 in 2026: treated as 17, a caregiver or maturity is needed."""
    year = timezone.localdate().year - 18
    with pytest.raises(ValidationError):
        register(org_a["caseworker"], birth_year=year)
    person = register(
        org_a["caseworker"],
        birth_year=year,
        consents=[services_consent(child_mature=True)],
    )
    assert person.consents.get().child_mature


def test_consent_recorded_later_uses_the_age_on_that_day(org_a: Any) -> None:
    worker = org_a["caseworker"]
    person = register(
        worker,
        birth_year=None,
        birth_date=_born_years_ago(9),
        consents=[services_consent(given_by="parent", child_assent=True)],
    )
    with pytest.raises(ValidationError) as caught:
        _record(worker, person, given_by="parent")
    assert "assent" in caught.value.message_dict["given_by"][0]
    consent = _record(worker, person, given_by="parent", child_assent=True)
    assert consent.child_assent


def test_the_rule_is_data_covering_every_child_age() -> None:
    ages = [a for band in AGE_BANDS for a in range(band.youngest, band.oldest + 1)]
    assert ages == list(range(18))
    assert band_for(18) is None
    assert consent_problems(age=8, given_by="parent", child_assent=True, child_mature=False) == []
