"""Referrals of the demo: a few dozen between the demo organisations, in every status, through
the referral services (``referrals.services``), so they carry the snapshots, events,
notifications, audit events and service deliveries the application writes.

Who: the open cases of the detailed people (ordered by public id) whose person gave a referral
consent; to: a published service of another organisation that the consent covers, that admits
the person, and whose organisation has a service focal point to answer. No consent is added
here: a case without one is not referred. Deterministic: the caller's random stream and clock
(``demo.determinism``).
"""

from __future__ import annotations

import datetime
import random
from collections import defaultdict
from typing import Any

from django.core.exceptions import ValidationError

from kariya.accounts.models import User
from kariya.accounts.roles import Role
from kariya.cases.models import Case
from kariya.cases.workflow import Status as CaseStatus
from kariya.demo.determinism import Clock
from kariya.directory.models import Service
from kariya.people.models import Consent, ConsentScope
from kariya.referrals import services
from kariya.referrals.models import Priority, SharedField, Status
from kariya.referrals.pathways import eligibility_problems, traits_of

DEMO_REFERRALS = 36
# Where each referral ends (draft and sent ones are left waiting; emergency ones among them
# are overdue by the time the demo is shown).
ENDINGS = (
    Status.DRAFT,
    Status.SENT,
    Status.SENT,
    Status.ACKNOWLEDGED,
    Status.ACCEPTED,
    Status.IN_PROGRESS,
    Status.COMPLETED,
    Status.COMPLETED,
    Status.COMPLETED,
    Status.DECLINED,
    Status.CANCELLED,
    Status.NO_SHOW,
)
REASONS = (
    "Besoin de soins après le refoulement à la frontière.",
    "Demande d'appui pour obtenir un acte de naissance.",
    "Hébergement d'urgence demandé pour la nuit.",
    "Orientation vers un conseil juridique sur le séjour.",
    "Soutien psychosocial après des violences sur la route.",
    "Demande d'aide alimentaire pour la famille.",
)
FEEDBACK = (
    "Service rendu, la personne est revenue satisfaite.",
    "Prise en charge faite, suivi dans deux semaines.",
    "Service partiellement rendu faute de stock.",
)


def _later(clock: Clock, rng: random.Random, low: int, high: int) -> datetime.datetime:
    return clock.set(clock.now() + datetime.timedelta(hours=rng.randint(low, high)))


def _services_by_org() -> dict[int, list[Service]]:
    answering = set(
        User.objects.filter(is_active=True, roles__role=Role.SERVICE_FOCAL_POINT).values_list(
            "organisation_id", flat=True
        )
    )
    found: dict[int, list[Service]] = defaultdict(list)
    for service in (
        Service.objects.published()
        .filter(organisation__is_active=True, organisation_id__in=answering)
        .select_related("organisation", "service_type", "commune", "region")
        .prefetch_related("nationalities", "population_categories")
        .order_by("public_id")
    ):
        found[service.organisation_id].append(service)
    return found


def _focal_points() -> dict[int, User]:
    users: dict[int, User] = {}
    for user in User.objects.filter(is_active=True, roles__role=Role.SERVICE_FOCAL_POINT).order_by(
        "username"
    ):
        if user.organisation_id is not None:
            users.setdefault(user.organisation_id, user)
    return users


def _target(rng: random.Random, case: Case, services_of: dict[int, list[Service]]) -> Any:
    consents = Consent.objects.filter(
        person_id=case.person_id, scope=ConsentScope.REFERRAL, withdrawn_at__isnull=True
    ).order_by("public_id")
    traits = traits_of(case.person)
    for consent in consents:
        candidates = [
            s
            for org_id, listed in sorted(services_of.items())
            if org_id != case.organisation_id
            and (consent.recipient_organisation_id in (None, org_id))
            for s in listed
            if consent.service_type_id in (None, s.service_type_id)
            and not eligibility_problems(s, traits)
        ]
        if candidates:
            return rng.choice(candidates), consent
    return None, None


def play(
    rng: random.Random, clock: Clock, anchor: datetime.date, limit: int = DEMO_REFERRALS
) -> int:
    services_of = _services_by_org()
    focal_points = _focal_points()
    made = 0
    cases = (
        Case.objects.exclude(status=CaseStatus.CLOSED)
        .select_related("person", "caseworker")
        .order_by("public_id")
    )
    last = datetime.datetime.combine(anchor, datetime.time(8), tzinfo=datetime.UTC)
    for case in cases:
        if made >= limit:
            break
        service, consent = _target(rng, case, services_of)
        if service is None:
            continue
        ending = ENDINGS[made % len(ENDINGS)]
        # Waiting ones were sent recently (some overdue), closed ones longer ago.
        days_before = (
            rng.randint(1, 5)
            if ending in (Status.SENT, Status.ACKNOWLEDGED)
            else rng.randint(8, 40)
        )
        start = max(case.opened_at, last - datetime.timedelta(days=days_before))
        clock.set(start + datetime.timedelta(minutes=rng.randint(30, 240)))
        shared = [SharedField.LANGUAGES]
        if consent.recipient_organisation_id == service.organisation_id and rng.random() < 0.4:
            shared.append(SharedField.NAME)
        data = services.ReferralInput(
            service=service,
            priority=rng.choice(
                (Priority.EMERGENCY, Priority.URGENT, Priority.NORMAL, Priority.NORMAL)
            ),
            reason=rng.choice(REASONS),
            services_requested=(service.service_type,),
            shared_fields=shared,
        )
        try:
            referral = services.referral_create(actor=case.caseworker, case=case, data=data)
            made += 1
            if ending == Status.DRAFT:
                continue
            services.referral_send(
                actor=case.caseworker, referral=referral, expected_version=referral.version
            )
            focal = focal_points[service.organisation_id]
            if ending == Status.CANCELLED:
                _later(clock, rng, 2, 30)
                services.referral_cancel(
                    actor=case.caseworker,
                    referral=referral,
                    expected_version=referral.version,
                    reason="La personne a quitté la ville.",
                )
                continue
            if ending == Status.SENT:
                continue
            _later(clock, rng, 1, 20)
            services.referral_acknowledge(
                actor=focal, referral=referral, expected_version=referral.version
            )
            if ending == Status.ACKNOWLEDGED:
                continue
            _later(clock, rng, 1, 30)
            if ending == Status.DECLINED:
                services.referral_decline(
                    actor=focal,
                    referral=referral,
                    expected_version=referral.version,
                    reason="Plus de place cette semaine, essayer un autre service.",
                )
                continue
            services.referral_accept(
                actor=focal, referral=referral, expected_version=referral.version
            )
            if ending == Status.ACCEPTED:
                continue
            _later(clock, rng, 4, 48)
            services.referral_start(
                actor=focal, referral=referral, expected_version=referral.version
            )
            if ending == Status.IN_PROGRESS:
                continue
            _later(clock, rng, 24, 96)
            if ending == Status.NO_SHOW:
                services.referral_no_show(
                    actor=focal,
                    referral=referral,
                    expected_version=referral.version,
                    note="Injoignable après trois appels.",
                )
                continue
            services.referral_complete(
                actor=focal,
                referral=referral,
                expected_version=referral.version,
                outcome=rng.choice(("delivered", "delivered", "partial")),
                feedback=rng.choice(FEEDBACK),
            )
        except ValidationError:
            # A case closed meanwhile or a clock at its limit: this story stops here.
            continue
    return made
