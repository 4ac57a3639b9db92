from __future__ import annotations

import uuid
from collections import defaultdict
from typing import Any

import pytest
from django.apps import apps
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import connection

from kariya.accounts.models import (
    NetworkStatus,
    Office,
    OfficeKind,
    Organisation,
    OrganisationType,
    User,
    UserRole,
)
from kariya.accounts.roles import Role
from kariya.core.models import AuditEvent
from kariya.demo import generator, names
from kariya.geo.models import AdminLevel

FOUR_REGIONS = {"NE008", "NE005", "NE001", "NE007"}  # Niamey, Tahoua, Agadez, Zinder


def _identity() -> dict[str, list[str]]:
    """What must repeat for a seed: names, acronyms, usernames and public ids."""
    return {
        "organisations": sorted(
            f"{o.public_id} {o.acronym} {o.name}" for o in Organisation.objects.all()
        ),
        "offices": sorted(f"{o.public_id} {o.name}" for o in Office.objects.all()),
        "users": sorted(
            f"{u.public_id} {u.username} {u.first_name} {u.last_name}" for u in User.objects.all()
        ),
    }


def test_same_seed_gives_the_same_network(db: Any) -> None:
    generator.generate(seed=7)
    first, fingerprint = _identity(), generator.network_fingerprint()
    generator.reset_database()
    assert not Organisation.objects.exists()

    generator.generate(seed=7)

    assert _identity() == first
    assert generator.network_fingerprint() == fingerprint
    assert len(first["organisations"]) == 15


def test_another_seed_gives_another_network(db: Any) -> None:
    generator.generate(seed=7)
    first, fingerprint = _identity(), generator.network_fingerprint()
    generator.reset_database()

    generator.generate(seed=8)

    second = _identity()
    assert generator.network_fingerprint() != fingerprint
    # Not only the random ids: the names people read differ too.
    assert {o.split(" ", 1)[1] for o in second["organisations"]} != {
        o.split(" ", 1)[1] for o in first["organisations"]
    }
    assert {u.split(" ")[1] for u in second["users"]} != {u.split(" ")[1] for u in first["users"]}


def test_every_role_is_held_in_at_least_two_organisations(db: Any) -> None:
    generator.generate()

    organisations_by_role: dict[str, set[int]] = defaultdict(set)
    for role, organisation_id in UserRole.objects.values_list("role", "user__organisation_id"):
        organisations_by_role[role].add(organisation_id)
    assert set(organisations_by_role) == set(Role.values)
    assert all(len(orgs) >= 2 for orgs in organisations_by_role.values()), organisations_by_role


def test_offices_are_in_communes_of_the_four_regions(db: Any) -> None:
    generator.generate()

    offices = list(Office.objects.select_related("commune"))
    assert offices
    for office in offices:
        assert office.commune.level == AdminLevel.COMMUNE
        assert office.commune.pcode[:5] in FOUR_REGIONS
    regions_with_offices = {o.commune.pcode[:5] for o in offices}
    assert regions_with_offices == FOUR_REGIONS
    for organisation in Organisation.objects.all():
        kinds = list(
            Office.objects.filter(organisation=organisation).values_list("kind", flat=True)
        )
        assert 1 <= len(kinds) <= 3
        assert kinds.count(OfficeKind.HEADQUARTERS) == 1


def test_network_has_the_expected_shape(db: Any) -> None:
    generator.generate()

    organisations = list(Organisation.objects.all())
    types = {o.type for o in organisations}
    assert {
        OrganisationType.NATIONAL_NGO,
        OrganisationType.ASSOCIATION,
        OrganisationType.DIASPORA,
        OrganisationType.TRADE_UNION,
        OrganisationType.PUBLIC_AUTHORITY,
        OrganisationType.INGO,
    } <= types
    statuses = [o.network_status for o in organisations]
    assert statuses.count(NetworkStatus.MEMBER) > len(statuses) / 2
    assert NetworkStatus.APPLICANT in statuses
    assert NetworkStatus.PARTNER in statuses
    for organisation in organisations:
        assert (organisation.joined_on is not None) == (
            organisation.network_status == NetworkStatus.MEMBER
        )
        assert organisation.acronym not in names.RESERVED_ACRONYMS
        assert organisation.email.endswith(".example")
        assert organisation.phone.startswith("+227 00 ")
    users = list(User.objects.all())
    assert 80 <= len(users) <= 200
    assert all(u.organisation_id and u.office_id and u.first_name for u in users)
    assert all(uuid.UUID(str(u.public_id)).version == 4 for u in users)
    full_names = {generator.ascii_fold(f"{u.first_name} {u.last_name}").lower() for u in users}
    assert not full_names & names.FAMOUS


def test_generation_is_audited_without_an_actor(db: Any) -> None:
    result = generator.generate(organisations=3)

    events = AuditEvent.objects.filter(action="create")
    assert events.count() == sum(result.counts.values())
    # The network is made by the system; directory entries are written by the organisations'
    # focal points and coordinators (as people's stories are by their caseworkers), the
    # rights-information pages by a coordinator.
    entries = events.filter(object_type="directory.service")
    assert entries.count() == result.counts["directory"] > 0
    assert not entries.filter(actor=None).exists()
    pages = events.filter(object_type="public.rightspage")
    assert pages.count() == result.counts["rights information"] == 4
    assert not pages.filter(actor=None).exists()
    written = events.exclude(object_type__in=["directory.service", "public.rightspage"])
    assert not written.exclude(actor=None).exists()


def test_public_ids_are_random_again_after_generation(db: Any) -> None:
    generator.generate(organisations=2)
    generated = set(Organisation.objects.values_list("public_id", flat=True))

    fresh = {Organisation().public_id, Organisation().public_id}

    assert len(fresh) == 2
    assert not fresh & generated


def test_a_larger_network_keeps_names_unique(db: Any) -> None:
    result = generator.generate(seed=3, organisations=40)

    assert result.counts["organisations"] == 40
    assert Organisation.objects.values("acronym").distinct().count() == 40
    assert Organisation.objects.values("name").distinct().count() == 40


def test_refuses_a_database_that_has_organisations(org_a: Any) -> None:
    with pytest.raises(generator.NetworkNotEmpty):
        generator.generate()

    with pytest.raises(CommandError, match="--reset"):
        call_command("generate", stdout=_null())
    assert Organisation.objects.count() == 1


def test_reference_data_is_everything_migrate_loads(db: Any) -> None:
    """A table that a migration fills must survive a reset: list it in REFERENCE_MODELS."""
    loaded = {m._meta.label for m in apps.get_models() if m.objects.exists()}
    assert loaded <= set(generator.REFERENCE_MODELS)


def test_generate_reset_replaces_the_data_and_keeps_reference_data(org_a: Any) -> None:
    reference = {
        label: apps.get_model(label).objects.count() for label in generator.REFERENCE_MODELS
    }
    out = _null()

    call_command("generate", "--reset", "--organisations", "4", "--seed", "5", stdout=out)

    assert not Organisation.objects.filter(acronym="ALPHA").exists()
    assert Organisation.objects.count() == 4
    assert {m: apps.get_model(m).objects.count() for m in reference} == reference
    text = out.getvalue()
    assert "organisations 4/4" in text
    assert "Created 4 organisations" in text
    assert "Fingerprint: " + generator.network_fingerprint()[:16] in text
    assert "Query planner statistics updated" in text
    # The planner has statistics for the people tables.
    with connection.cursor() as cursor:
        if connection.vendor == "sqlite":
            cursor.execute("SELECT count(*) FROM sqlite_stat1 WHERE tbl = 'people_person'")
        else:
            cursor.execute(
                "SELECT count(*) FROM pg_stat_user_tables "
                "WHERE relname = 'people_person' AND last_analyze IS NOT NULL"
            )
        assert cursor.fetchone()[0] > 0


def test_generate_needs_at_least_one_organisation(db: Any) -> None:
    with pytest.raises(CommandError):
        call_command("generate", "--organisations", "0", stdout=_null())


def _null() -> Any:
    from io import StringIO

    return StringIO()


def test_the_directory_covers_the_eight_regions_and_every_state(db: Any) -> None:
    from kariya.directory import services as directory_services
    from kariya.directory.models import Service

    generator.generate()

    entries = Service.objects.entries()
    assert 55 <= entries.count() <= 70
    assert set(entries.values_list("region__pcode", flat=True)) == {f"NE00{n}" for n in range(1, 9)}
    statuses = set(entries.values_list("status", flat=True))
    assert statuses == {"draft", "submitted", "published"}
    assert entries.filter(is_public_service=True).count() >= 20
    assert entries.exclude(rejection_reason="").exists()
    assert Service.objects.exclude(revision_of=None).exists()
    stale = Service.objects.not_verified_since(directory_services.stale_cutoff())
    assert 3 <= stale.count() <= 10
    fresh = Service.objects.published().exclude(pk__in=stale)
    assert not fresh.filter(last_verified_at=None).exists()
