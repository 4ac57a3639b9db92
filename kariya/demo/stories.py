"""Playing a drawn person's story through the per-row services, day by day, on the simulated
clock (``determinism.Clock``): registration and consents, screening, assessment, the case
through the workflow with its plan, approvals, services, follow-up visits and notes, a GBV
section now and then, a withdrawn consent now and then.

Used for the demo's few hundred people: every record is written by the service a caseworker's
click would call, with the same checks and audit events.
"""

from __future__ import annotations

import datetime
import random
from dataclasses import dataclass, fields

from kariya.accounts.models import User
from kariya.cases import services as cases
from kariya.cases.models import Case, CasePlanAction, GBVType, ScreeningOutcome, VisitMethod
from kariya.cases.workflow import ApprovalKind, Status
from kariya.demo.determinism import Clock
from kariya.demo.population import Drawn, Reference, Story, Team, local_moment
from kariya.people import services as people
from kariya.people.models import Consent, ConsentScope, Person

# Goals of case plans and their actions (French: the users' language), with the service type
# an action leads to.
GOALS: tuple[tuple[str, tuple[tuple[str, str], ...]], ...] = (
    (
        "Accéder aux soins de santé nécessaires",
        (
            ("Accompagner la personne au centre de santé intégré", "health_care"),
            ("Obtenir la prise en charge des médicaments prescrits", "health_care"),
        ),
    ),
    (
        "Disposer d'un hébergement sûr en attendant une solution durable",
        (
            ("Orienter vers le centre de transit", "shelter"),
            ("Remettre un kit d'hygiène et de couchage", "nfi"),
        ),
    ),
    (
        "Obtenir un document d'identité ou d'état civil",
        (
            ("Prendre rendez-vous au consulat", "consular_assistance"),
            ("Constituer le dossier de demande d'acte de naissance", "civil_documentation"),
        ),
    ),
    (
        "Retourner en sécurité dans le pays d'origine, si la personne le souhaite",
        (
            ("Informer sur le retour volontaire assisté et recueillir la décision", "avr"),
            ("Orienter vers le programme de retour volontaire", "avr"),
        ),
    ),
    (
        "Retrouver le contact avec la famille",
        (
            ("Ouvrir une demande de recherche familiale", "family_tracing"),
            ("Organiser un appel avec la famille", "family_tracing"),
        ),
    ),
    (
        "Retrouver un équilibre psychologique",
        (
            ("Programmer des séances de soutien psychosocial", "mhpss"),
            ("Orienter vers le groupe de parole", "mhpss"),
        ),
    ),
    (
        "Gagner un revenu de façon sûre",
        (
            ("Inscrire la personne à une formation professionnelle", "vocational_training"),
            ("Étudier un appui à une activité génératrice de revenus", "iga_support"),
        ),
    ),
    (
        "Connaître ses droits et ses options de séjour",
        (
            ("Séance d'information juridique", "legal_information"),
            ("Orienter vers l'assistance juridique si nécessaire", "legal_representation"),
        ),
    ),
)
NOTES = (
    "Entretien au bureau : la personne se sent mieux et souhaite poursuivre l'accompagnement.",
    "Appel de suivi : rendez-vous confirmé pour la semaine prochaine.",
    "La personne a changé de lieu d'hébergement ; nouveau point de contact noté au dossier.",
    "Orientation effectuée ; en attente du retour de la structure partenaire.",
    "Visite de suivi reportée à la demande de la personne.",
    "Documents remis à la personne ; copie conservée au bureau.",
    "La personne a besoin d'un interprète pour les prochains entretiens.",
)
GBV_NARRATIVES = (
    "Incident survenu sur la route, avant l'arrivée dans la ville. La survivante a été "
    "informée des services disponibles et a choisi ceux qu'elle souhaite recevoir.",
    "Incident rapporté lors de l'entretien confidentiel. Plan de sécurité discuté ; "
    "orientation médicale et psychosociale acceptée.",
)
GBV_TYPES = (
    GBVType.SEXUAL_ASSAULT,
    GBVType.RAPE,
    GBVType.PHYSICAL_ASSAULT,
    GBVType.PSYCHOLOGICAL,
    GBVType.DENIAL,
)


@dataclass
class Extras:
    """What the story adds besides its path: a request left pending ("case_plan" /
    "closure"), overdue tasks, a GBV section, a withdrawn consent."""

    pending: str = ""
    overdue: bool = False
    gbv: bool = False
    withdraw: bool = False
    notes: int = 1
    gbv_writer: User | None = None  # who writes the GBV section; else the team's


def register(clock: Clock, actor: User, drawn: Drawn) -> Person:
    assert drawn.row.registered_at is not None  # noqa: S101 - draw_person always sets it
    clock.set(drawn.row.registered_at)
    values = {f.name: getattr(drawn.row, f.name) for f in fields(drawn.row)}
    return people.person_register(actor=actor, **values)


def _after(moment: datetime.datetime, minutes: int) -> datetime.datetime:
    return moment + datetime.timedelta(minutes=minutes)


def play(
    rng: random.Random,
    clock: Clock,
    ref: Reference,
    *,
    team: Team,
    drawn: Drawn,
    story: Story,
    registrar: User,
    caseworker: User,
    approver: User | None,
    anchor: datetime.date,
    extras: Extras,
) -> Case | None:
    """Register the person and play the story; the case, if one was opened."""
    person = register(clock, registrar, drawn)
    assert drawn.row.registered_at is not None  # noqa: S101
    screener = caseworker if story.status else registrar
    clock.set(_after(drawn.row.registered_at, 25))
    screening = cases.screening_record(
        actor=screener,
        person=person,
        office=drawn.row.office,
        screened_on=story.screened_on,
        intervention_rating=story.rating,
        outcome=story.outcome,
        immediate_danger=story.danger,
        immediate_needs=story.needs,
        protection_flags=story.flags,
    )
    if story.outcome != ScreeningOutcome.CASE_OPENED or story.opened_at is None:
        if story.assessment is not None:
            clock.set(_after(drawn.row.registered_at, 60))
            _assess(screener, person, story, None)
        if extras.withdraw:
            _withdraw(rng, clock, registrar, person, anchor)
        return None

    clock.set(max(story.opened_at, _after(drawn.row.registered_at, 40)))
    case = cases.case_open(actor=caseworker, screening=screening)
    if story.assessment is not None and not story.moves:
        clock.set(_after(clock.now(), 30))
        _assess(caseworker, person, story, case)
    writer = extras.gbv_writer or team.gbv_writer()
    if extras.gbv and writer is not None:
        clock.set(_after(clock.now(), 45))
        cases.gbv_section_save(
            actor=writer,
            case=case,
            incident_type=rng.choice(GBV_TYPES),
            incident_date=story.screened_on - datetime.timedelta(days=rng.randint(3, 90)),
            narrative=rng.choice(GBV_NARRATIVES),
            services_offered=ref.codes_of(
                "service_type", ("gbv_case_management", "health_care", "mhpss")
            ),
        )
    deliveries = sorted(story.deliveries, key=lambda d: d.delivered_on)
    previous = clock.now()
    for to_status, moment in story.moves:
        # Services delivered up to the day of this move are recorded before it.
        while deliveries and deliveries[0].delivered_on <= moment.date():
            _deliver(rng, clock, caseworker, case, deliveries.pop(0), previous, moment)
        previous = max(previous, clock.now())
        case.refresh_from_db()
        if to_status in (Status.IMPLEMENTATION, Status.CLOSED):
            assert approver is not None  # noqa: S101 - draw_story keeps such cases short
            clock.set(previous + (moment - previous) / 2)
            if to_status == Status.CLOSED:
                _complete_actions(clock, caseworker, case)
            approval = cases.case_request_approval(
                actor=caseworker,
                case=case,
                kind=(
                    ApprovalKind.CASE_PLAN
                    if to_status == Status.IMPLEMENTATION
                    else ApprovalKind.CLOSURE
                ),
                closure_reason=story.closure_reason if to_status == Status.CLOSED else "",
            )
            clock.set(moment)
            case = cases.case_approve(actor=approver, approval=approval)
        else:
            clock.set(moment)
            case = cases.case_transition(
                actor=caseworker, case=case, to_status=to_status, expected_version=case.version
            )
        if to_status == Status.ASSESSMENT and story.assessment is not None:
            clock.set(_after(moment, 40))
            _assess(caseworker, person, story, case)
        elif to_status == Status.CASE_PLAN:
            clock.set(_after(moment, 30))
            _plan(rng, clock, caseworker, case, ref, anchor=anchor, overdue=extras.overdue)
        elif to_status == Status.IMPLEMENTATION:
            clock.set(_after(moment, 20))
            cases.follow_up_schedule(
                actor=caseworker,
                case=case,
                due_on=moment.date() + datetime.timedelta(days=rng.randint(10, 30)),
                method=rng.choice((VisitMethod.HOME, VisitMethod.OFFICE, VisitMethod.PHONE)),
            )
        elif to_status == Status.FOLLOW_UP:
            clock.set(_after(moment, 20))
            _visit(rng, clock, caseworker, case, anchor=anchor, overdue=extras.overdue)
        previous = clock.now()
    for delivery in deliveries:  # the rest, while the case is still open
        if case.status != Status.CLOSED:
            _deliver(rng, clock, caseworker, case, delivery, previous, None)
    for _ in range(extras.notes):
        clock.set(_after(clock.now(), rng.randint(30, 600)))
        cases.case_note_add(actor=caseworker, case=case, body=rng.choice(NOTES))
    if extras.pending and case.status != Status.CLOSED:
        clock.set(_after(clock.now(), 90))
        case.refresh_from_db()
        if extras.pending == ApprovalKind.CASE_PLAN and case.status == Status.CASE_PLAN:
            cases.case_request_approval(actor=caseworker, case=case, kind=ApprovalKind.CASE_PLAN)
        elif extras.pending == ApprovalKind.CLOSURE:
            cases.case_request_approval(
                actor=caseworker,
                case=case,
                kind=ApprovalKind.CLOSURE,
                closure_reason="goals_met",
                comment="Objectifs atteints : la personne a repris contact avec sa famille.",
            )
    if extras.withdraw:
        _withdraw(rng, clock, registrar, person, anchor)
    return case


def _assess(actor: User, person: Person, story: Story, case: Case | None) -> None:
    data = story.assessment
    assert data is not None  # noqa: S101
    cases.assessment_record(
        actor=actor,
        person=person,
        assessed_on=data.assessed_on,
        factor_codes=data.factor_codes,
        specific_needs=data.specific_needs,
        migration_needs=data.migration_needs,
        immediate_danger=data.immediate_danger,
        case=case,
    )


def _deliver(
    rng: random.Random,
    clock: Clock,
    actor: User,
    case: Case,
    delivery: cases.DeliveryRow,
    after: datetime.datetime,
    before: datetime.datetime | None,
) -> None:
    moment = max(local_moment(delivery.delivered_on, rng), _after(after, 5))
    if before is not None:
        moment = min(moment, _after(before, -5))
    clock.set(max(moment, after))
    cases.service_delivery_record(
        actor=actor,
        case=case,
        service_type=delivery.service_type,
        provider=delivery.provider,
        delivered_on=min(delivery.delivered_on, clock.now().date()),
        outcome=delivery.outcome,
        quantity=delivery.quantity,
        unit=delivery.unit,
    )


def _plan(
    rng: random.Random,
    clock: Clock,
    actor: User,
    case: Case,
    ref: Reference,
    *,
    anchor: datetime.date,
    overdue: bool,
) -> None:
    today = clock.now().date()
    late = overdue
    for goal_text, actions in rng.sample(GOALS, rng.randint(1, 2)):
        goal = cases.case_plan_goal_add(actor=actor, case=case, description=goal_text)
        for text, service in actions[: rng.randint(1, len(actions))]:
            due = today + datetime.timedelta(days=rng.randint(5, 45))
            if late:
                # Due a few days ago: the caseworker's task list shows it as overdue.
                due = max(anchor - datetime.timedelta(days=rng.randint(2, 12)), today)
                late = False
            cases.case_plan_action_add(
                actor=actor,
                goal=goal,
                description=text,
                due_on=due,
                service_type=ref.codes_of("service_type", (service,))[0],
            )


def _complete_actions(clock: Clock, actor: User, case: Case) -> None:
    today = clock.now().date()
    for action in CasePlanAction.objects.filter(case=case, status="pending").order_by("pk"):
        cases.case_plan_action_complete(
            actor=actor, action=action, completed_on=min(action.due_on, today)
        )


def _visit(
    rng: random.Random,
    clock: Clock,
    actor: User,
    case: Case,
    *,
    anchor: datetime.date,
    overdue: bool,
) -> None:
    visit = case.follow_ups.filter(visited_on__isnull=True).order_by("pk").first()
    today = clock.now().date()
    next_due = today + datetime.timedelta(days=rng.randint(14, 45))
    if overdue:
        next_due = max(anchor - datetime.timedelta(days=rng.randint(1, 10)), today)
    cases.follow_up_record(
        actor=actor,
        case=case,
        visited_on=today,
        method=visit.method if visit is not None else VisitMethod.HOME,
        note="Visite effectuée ; la situation s'améliore.",
        visit=visit,
        next_due_on=next_due if next_due > today else None,
    )


def _withdraw(
    rng: random.Random, clock: Clock, actor: User, person: Person, anchor: datetime.date
) -> None:
    """The person takes back their consent to follow-up contact or to statistics (never the
    services consent: their case goes on)."""
    consent = (
        Consent.objects.filter(
            person=person,
            scope__in=(ConsentScope.FOLLOW_UP, ConsentScope.STATISTICS),
            withdrawn_at__isnull=True,
        )
        .order_by("pk")
        .first()
    )
    if consent is None:
        return
    last = anchor - datetime.timedelta(days=1)
    day = min(clock.now().date() + datetime.timedelta(days=rng.randint(1, 30)), last)
    clock.set(max(local_moment(day, rng), _after(clock.now(), 10)))
    people.consent_withdraw(
        actor=actor, consent=consent, reason="La personne ne souhaite plus être recontactée."
    )
