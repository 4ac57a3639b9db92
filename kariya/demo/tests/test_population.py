"""The people and cases of the demo and of ``generate --people``."""

from __future__ import annotations

import datetime
from io import StringIO
from typing import Any

import pytest
from django.core.management import call_command
from django.db import connection
from django.http import Http404
from django.utils import timezone

from kariya.accounts.models import Organisation, User
from kariya.cases import access as case_access
from kariya.cases import selectors as case_selectors
from kariya.cases.models import Case, CaseApproval, GBVSection, Screening, ServiceDelivery
from kariya.cases.workflow import Status
from kariya.demo import generator, population
from kariya.people import selectors as people_selectors
from kariya.people.models import Consent, Identity, Person

# Seed 2026, 4 organisations, 25 people followed through the per-row services, stories leading
# up to 30 November 2026: the same on SQLite and PostgreSQL (this test runs on both).
FIXED_DAY = datetime.date(2026, 11, 30)
FIXED_FINGERPRINT = "939eb2b73110612d"


def test_a_seed_and_a_day_give_one_fingerprint_on_every_database(db: Any) -> None:
    generator.generate(seed=2026, organisations=4, people=25, anchor=FIXED_DAY)

    assert Person.objects.count() == 25
    assert generator.network_fingerprint()[:16] == FIXED_FINGERPRINT


def test_the_network_alone_keeps_its_fingerprint(db: Any) -> None:
    """Adding the people steps changed nothing of the network (own random streams)."""
    generator.generate(seed=2026)

    assert generator.network_fingerprint()[:16] == "5b8e86ea9ba83f04"


def test_same_seed_same_people_detailed_and_bulk(db: Any) -> None:
    options = {"seed": 9, "organisations": 5, "people": 60, "detailed_people": 15}
    result = generator.generate(**options, batch_size=10)
    first = generator.network_fingerprint()
    codes = sorted(Person.objects.values_list("case_code", flat=True))
    generator.reset_database()

    generator.generate(**options, batch_size=10)

    assert generator.network_fingerprint() == first
    assert sorted(Person.objects.values_list("case_code", flat=True)) == codes
    assert result.counts["people"] == 15
    assert result.counts["people (bulk)"] == 45
    assert Person.objects.count() == 60
    generator.reset_database()
    generator.generate(**{**options, "seed": 10}, batch_size=10)
    assert generator.network_fingerprint() != first


def test_people_are_shared_by_organisation_size(db: Any) -> None:
    generator.generate(seed=3, people=200, detailed_people=0, batch_size=50)

    teams = population.teams(list(Organisation.objects.order_by("pk")))
    expected = population.share_out(200, [t.weight for t in teams])
    counts = {t.organisation.pk: n for t, n in zip(teams, expected, strict=True)}
    for organisation_id, count in counts.items():
        assert Person.objects.filter(organisation_id=organisation_id).count() == count
    # Roughly 40 % get a case, with about three services each, in every status.
    cases = Case.objects.count()
    assert 50 <= cases <= 110
    assert 2 <= ServiceDelivery.objects.count() / cases <= 4
    assert set(Case.objects.values_list("status", flat=True)) == set(Status.values)


def test_dates_follow_one_another(db: Any) -> None:
    generator.generate(seed=4, organisations=6, people=90, detailed_people=40, batch_size=25)

    today = timezone.localdate()
    for case in Case.objects.select_related("person", "opened_from"):
        opened = timezone.localdate(case.opened_at)
        assert case.person.registered_at <= case.opened_at
        assert case.opened_from.screened_on <= opened < today
        if case.status == Status.CLOSED:
            assert case.closed_at is not None and case.opened_at < case.closed_at
        for day in ServiceDelivery.objects.filter(case=case).values_list("delivered_on", flat=True):
            assert opened <= day <= today
            if case.closed_at is not None:
                assert day <= timezone.localdate(case.closed_at)
    for screening in Screening.objects.select_related("person"):
        assert screening.screened_on >= timezone.localdate(screening.person.registered_at)
    assert not Consent.objects.filter(given_at__gt=timezone.now()).exists()


def test_generated_identities_are_encrypted(db: Any) -> None:
    generator.generate(seed=5, organisations=4, people=30, detailed_people=10, batch_size=10)

    names = set()
    for identity in Identity.objects.all():
        names.update(identity.given_names.split() + identity.family_names.split())
        names.update(identity.phone_list)
    assert len(names) > 20
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT given_names, family_names, other_spellings, aliases, phones, birth_date "
            "FROM people_identity"
        )
        stored = " ".join(value for row in cursor.fetchall() for value in row if value)
    assert not [name for name in names if len(name) > 3 and name in stored]


def test_generated_people_are_found_by_the_search(db: Any) -> None:
    generator.generate(seed=6, organisations=4, people=30, detailed_people=5, batch_size=10)
    person = Person.objects.filter(created_by__isnull=False).order_by("-id").first()
    assert person is not None
    identity = Identity.objects.get(person=person)
    actor = User.objects.get(pk=person.created_by_id)

    found = people_selectors.person_search(
        actor=actor, text=f"{identity.given_names} {identity.family_names}"
    )

    assert person.pk in {p.pk for p in found}


@pytest.fixture
def demo(db: Any) -> dict[str, User]:
    generator.generate()
    generator.ensure_demo_accounts()
    generator.generate_caseload()
    return {u.username: u for u in User.objects.filter(username__contains=".")}


def test_demo_caseworkers_have_cases_in_every_stage_and_overdue_tasks(
    demo: dict[str, User],
) -> None:
    for region in ("niamey", "agadez"):
        caseworker = demo[f"{region}.caseworker"]
        cases = list(case_selectors.case_list_for(caseworker))
        assert len(cases) == 12
        assert len({c.status for c in cases}) >= 5
        tasks = case_selectors.tasks_for(caseworker)
        assert tasks.overdue_count >= 3
    assert len(case_selectors.case_list_for(demo["tahoua.caseworker"])) == 4


def test_demo_supervisor_has_requests_to_decide(demo: dict[str, User]) -> None:
    pending = list(case_selectors.approvals_pending_for(demo["niamey.supervisor"]))

    assert len(pending) >= 3
    kinds = {a.kind for a in pending}
    assert kinds == {"case_plan", "closure"}
    assert any(a.requested_by == demo["niamey.caseworker"] for a in pending)


def test_demo_gbv_focal_point_reads_their_sections(demo: dict[str, User]) -> None:
    focal_point = demo["niamey.gbv-focal-point"]
    written = GBVSection.objects.filter(created_by=focal_point).values_list("case_id", flat=True)
    assert len(written) >= 2

    for case in Case.objects.filter(pk__in=written):
        section = case_access.gbv_get_for(focal_point, case)
        assert section.narrative
        with pytest.raises(Http404):
            case_access.gbv_get_for(demo["niamey.caseworker"], case)


def test_every_approval_gate_was_passed_by_a_supervisor(demo: dict[str, User]) -> None:
    for approval in CaseApproval.objects.exclude(status="pending").select_related("case"):
        assert approval.decided_by_id not in (approval.requested_by_id, approval.case.caseworker_id)
    assert not Case.objects.filter(status="closed", closed_at__isnull=True).exists()


def test_generate_command_people_options(db: Any) -> None:
    out = StringIO()
    call_command(
        "generate",
        "--organisations",
        "3",
        "--people",
        "30",
        "--services-per-case",
        "6",
        "--batch-size",
        "10",
        stdout=out,
    )

    text = out.getvalue()
    assert "30 people" in text
    assert "Fingerprint: " in text
    assert Person.objects.count() == 30
    assert ServiceDelivery.objects.count() / Case.objects.count() > 4


def test_stories_end_before_today_even_when_registered_yesterday(db: Any) -> None:
    """Moves at least two hours apart would spill past midnight for someone registered late
    yesterday: they are packed before it, still in order."""
    import random

    generator.generate(organisations=2)
    team = population.teams(list(Organisation.objects.order_by("pk")))[0]
    ref = population.Reference.load()
    today = timezone.localdate()
    yesterday = today - datetime.timedelta(days=1)
    for seed in range(40):
        rng = random.Random(seed)
        drawn = population.draw_person(
            rng, ref, office=team.offices[0], anchor=today, registered_on=yesterday
        )
        story = population.draw_story(
            rng,
            ref,
            drawn,
            anchor=today,
            providers=[team.organisation],
            case=True,
            status=Status.CLOSED,
        )
        assert story.opened_at is not None
        moments = [story.opened_at] + [at for _status, at in story.moves]
        assert moments == sorted(moments) and len(set(moments)) == len(moments)
        assert all(timezone.localdate(at) <= yesterday for at in moments)
        assert all(d.delivered_on <= yesterday for d in story.deliveries)


def test_a_long_run_past_midnight_or_new_year_does_not_age_anyone(db: Any) -> None:
    """The bulk services check ages on the day the rows are written, which in a long run may
    be after the anchor (a 1 M run failed when local midnight passed: a child drawn with a
    parent's consent had turned 18). No drawn age changes in the days after the anchor; across
    New Year, when everyone known by birth year alone would age at once, each gets a date."""
    import random

    from kariya.people.services import youngest_age

    generator.generate(organisations=2)
    team = population.teams(list(Organisation.objects.order_by("pk")))[0]
    ref = population.Reference.load()
    for anchor, year_only_expected in (
        (datetime.date(2026, 12, 30), False),
        (datetime.date(2026, 6, 14), True),
    ):
        later = anchor + datetime.timedelta(days=population.STEADY_DAYS)
        rng = random.Random(5)
        rows = [
            population.draw_person(rng, ref, office=team.offices[0], anchor=anchor).row
            for _ in range(400)
        ]
        for row in rows:
            year = row.birth_date.year if row.birth_date else row.birth_year
            assert year is not None
            assert youngest_age(birth_year=year, birth_date=row.birth_date, on=anchor) == (
                youngest_age(birth_year=year, birth_date=row.birth_date, on=later)
            )
        assert any(row.birth_date is None for row in rows) is year_only_expected
