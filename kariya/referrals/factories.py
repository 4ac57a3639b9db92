"""Helpers for tests and the demo: referrals built through the services. Synthetic only."""

from __future__ import annotations

from typing import Any

from kariya.accounts.models import Organisation, User
from kariya.cases.models import Case
from kariya.codelists.models import Code
from kariya.directory.models import Service
from kariya.people import services as people_services
from kariya.people.models import ConsentGiver, ConsentMethod, ConsentScope, Person
from kariya.referrals import services
from kariya.referrals.models import Priority, Referral


def referral_consent(
    actor: User, person: Person, *, to: Organisation | None = None, service_type: Code | None = None
) -> Any:
    """The person's consent to be referred to ``to`` (and/or for ``service_type``)."""
    return people_services.consent_record(
        actor=actor,
        person=person,
        scope=ConsentScope.REFERRAL,
        given_by=ConsentGiver.SELF,
        method=ConsentMethod.ORAL_WITNESSED,
        language=Code.objects.get(list="language", code="hau"),
        recipient_organisation=to,
        service_type=service_type,
    )


def data(service: Service, **overrides: Any) -> services.ReferralInput:
    values: dict[str, Any] = {
        "service": service,
        "priority": Priority.URGENT,
        "reason": "Besoin de soins après l'expulsion.",
        "services_requested": (service.service_type,),
        "shared_fields": (),
    }
    values.update(overrides)
    return services.ReferralInput(**values)


def sent(actor: User, case: Case, service: Service, **overrides: Any) -> Referral:
    """A referral sent from ``case`` to ``service`` (the consent must exist)."""
    override_reason = overrides.pop("override_reason", "")
    return services.referral_refer(
        actor=actor, case=case, data=data(service, **overrides), override_reason=override_reason
    )
