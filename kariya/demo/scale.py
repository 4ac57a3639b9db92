"""People and cases at scale: ``kariya generate --people 1000000``.

The same drawings as the demo (``population``), written through the bulk services
(``people.services.person_register_bulk``, ``cases.services.case_bulk_record``) in batches:
each batch is drawn, validated and written in its own transaction, then dropped, so memory stays
flat whatever the total. A batch draws from its own random streams (organisation and position),
so the same seed and batch size give the same data, whatever was generated before.
"""

from __future__ import annotations

import datetime
import random
from collections.abc import Callable, Sequence
from dataclasses import dataclass

from django.db import transaction

from kariya.accounts.models import Organisation
from kariya.cases.services import ScreeningRow, case_bulk_record
from kariya.demo.determinism import reproducible
from kariya.demo.population import (
    Reference,
    Team,
    case_row,
    draw_person,
    draw_story,
    share_out,
)
from kariya.people.services import person_register_bulk

DEFAULT_BATCH = 2_000
# A person met once, with no screening recorded (an information session, a hand-out).
UNSCREENED_SHARE = 0.08


@dataclass(frozen=True)
class BatchCounts:
    people: int
    screenings: int
    cases: int
    deliveries: int


def write_batch(
    *,
    rng: random.Random,
    ids: random.Random,
    codes: random.Random,
    ref: Reference,
    team: Team,
    count: int,
    anchor: datetime.date,
    partners: Sequence[Organisation],
    services_per_case: float,
) -> BatchCounts:
    """Draw and write ``count`` people of ``team`` with their screenings and cases, in one
    transaction."""
    # A supervisor records the batch and may assign cases to any caseworker; without one, the
    # first caseworker records and keeps the cases.
    actor = team.supervisors[0] if team.supervisors else team.caseworkers[0]
    caseworkers = team.caseworkers if team.supervisors else [actor]
    providers = [team.organisation, *partners]
    with reproducible(ids=ids, codes=codes), transaction.atomic():
        drawn = [
            draw_person(rng, ref, office=rng.choice(team.offices), anchor=anchor, partners=partners)
            for _ in range(count)
        ]
        people = person_register_bulk(actor=actor, rows=[d.row for d in drawn])
        rows = []
        cases = deliveries = 0
        for person, item in zip(people, drawn, strict=True):
            caseworker = rng.choice(caseworkers)
            approver = team.approver_for(rng, caseworker)
            story = draw_story(
                rng,
                ref,
                item,
                anchor=anchor,
                providers=providers,
                services_per_case=services_per_case,
                can_approve=approver is not None,
            )
            if not story.status and rng.random() < UNSCREENED_SHARE:
                continue
            case = case_row(story, caseworker=caseworker, approver=approver)
            if case is not None:
                cases += 1
                deliveries += len(case.deliveries)
            rows.append(
                ScreeningRow(
                    person=person,
                    office=item.row.office,
                    screened_on=story.screened_on,
                    intervention_rating=story.rating,
                    outcome=story.outcome,
                    immediate_danger=story.danger,
                    immediate_needs=story.needs,
                    protection_flags=story.flags,
                    assessment=story.assessment,
                    case=case,
                )
            )
        case_bulk_record(actor=actor, rows=rows)
    return BatchCounts(len(people), len(rows), cases, deliveries)


def generate_people(
    *,
    stream: Callable[[str], random.Random],
    teams: Sequence[Team],
    total: int,
    anchor: datetime.date,
    services_per_case: float,
    batch_size: int = DEFAULT_BATCH,
    progress: Callable[[str, int, int], None],
) -> dict[str, int]:
    """``total`` people shared among ``teams`` by size, batch by batch."""
    ref = Reference.load()
    organisations = [t.organisation for t in teams]
    totals = {"people": 0, "screenings": 0, "cases": 0, "deliveries": 0}
    done = 0
    for team, count in zip(teams, share_out(total, [t.weight for t in teams]), strict=True):
        partners = [o for o in organisations if o.pk != team.organisation.pk]
        key = team.organisation.public_id
        for start in range(0, count, batch_size):
            counts = write_batch(
                rng=stream(f"people.bulk:{key}:{start}"),
                ids=stream(f"people.bulk.ids:{key}:{start}"),
                codes=stream(f"people.bulk.codes:{key}:{start}"),
                ref=ref,
                team=team,
                count=min(batch_size, count - start),
                anchor=anchor,
                partners=partners,
                services_per_case=services_per_case,
            )
            for name in totals:
                totals[name] += getattr(counts, name)
            done += counts.people
            progress("people (bulk)", done, total)
    return totals
