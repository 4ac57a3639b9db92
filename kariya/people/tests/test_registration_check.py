"""The registration check: match keys, in-organisation candidates, the network signal, audit."""

from __future__ import annotations

import datetime
import json
from typing import Any

import pytest
from django.utils import timezone

from kariya.accounts.models import NetworkStatus
from kariya.core.models import AuditEvent
from kariya.dedup.services import LEVELS
from kariya.matching.registration import load_default_model, score
from kariya.people import access, selectors, services
from kariya.people.factories import code, register, services_consent
from kariya.people.models import (
    ConsentScope,
    DataCategory,
    DocumentStatus,
    PersonSearchKey,
    RestrictionAudience,
    SearchKind,
)
from kariya.people.selectors import RegistrationDraft


def _keys(person: Any, kind: str) -> set[str]:
    return set(
        PersonSearchKey.objects.filter(person=person, kind=kind).values_list("key", flat=True)
    )


def _draft_keys(draft: RegistrationDraft, kind: str) -> set[str]:
    return {key for k, key in selectors.draft_keys(draft, (kind,)) if k == kind}


# --- match keys ---------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("stored", "typed"),
    [
        (("Mahamadou", "Issoufou"), ("Mohamed", "Issoufou")),
        (("Mamadou", "Issoufou"), ("Mohammed", "Issoufou")),
        (("Abdoulaye", "Garba"), ("Abdullahi", "Garba")),
        (("Aïssa", "Maïga"), ("Aisha", "Maiga")),
        (("Aïssa", "Maïga"), ("Maïga", "Aïssa")),  # given and family names swapped
        (("Moussa", "Ag Mohamed"), ("Musa", "Mahamadou")),  # particle, variants
    ],
)
def test_match_keys_find_the_issues_variants(
    org_a: Any, stored: tuple[str, str], typed: tuple[str, str]
) -> None:
    person = register(org_a["caseworker"], given_names=stored[0], family_names=stored[1])
    draft = RegistrationDraft(given_names=typed[0], family_names=typed[1], birth_year=1994)
    assert _draft_keys(draft, SearchKind.MATCH_NAME) == _keys(person, SearchKind.MATCH_NAME)
    # the pair of names with the year (±1) is found too: what the network signal compares
    assert _draft_keys(draft, SearchKind.NAME_YEAR) & _keys(person, SearchKind.NAME_YEAR)


@pytest.mark.parametrize("other", ["Mahmoud", "Ahmed", "Amadou", "Mamoudou"])
def test_match_keys_keep_mohamed_mahmoud_and_ahmed_apart(org_a: Any, other: str) -> None:
    person = register(org_a["caseworker"], given_names="Mohamed", family_names="Issoufou")
    draft = RegistrationDraft(given_names=other, family_names="Issoufou", birth_year=1994)
    assert _draft_keys(draft, SearchKind.MATCH_NAME) != _keys(person, SearchKind.MATCH_NAME)
    assert not _draft_keys(draft, SearchKind.NAME_YEAR) & _keys(person, SearchKind.NAME_YEAR)


@pytest.mark.parametrize(
    "typed", ["+227 96 11 22 33", "00227 96 11 22 33", "96 11 22 33", "+22796112233"]
)
def test_phone_keys_in_every_written_form(org_a: Any, typed: str) -> None:
    person = register(org_a["caseworker"], phone_numbers=["0022796112233"])
    draft = RegistrationDraft(
        given_names="Moussa", family_names="Abdou", phone_numbers=(typed,), birth_year=1994
    )
    assert _draft_keys(draft, SearchKind.PHONE) == _keys(person, SearchKind.PHONE)
    assert _draft_keys(draft, SearchKind.PHONE_NAME) == _keys(person, SearchKind.PHONE_NAME)


def test_match_keys_follow_identity_and_year_changes(org_a: Any) -> None:
    actor = org_a["caseworker"]
    person = register(actor, given_names="Moussa", family_names="Abdou", birth_year=1990)
    before = _keys(person, SearchKind.NAME_YEAR)
    identity = person.identity
    services.identity_update(
        actor=actor, identity=identity, expected_version=identity.version, given_names="Aïssa"
    )
    renamed = _keys(person, SearchKind.NAME_YEAR)
    assert renamed and renamed != before
    person.refresh_from_db()
    services.person_update(
        actor=actor, person=person, expected_version=person.version, birth_year=1980
    )
    assert _keys(person, SearchKind.NAME_YEAR) not in (set(), renamed)
    draft = RegistrationDraft(given_names="Aisha", family_names="Abdou", birth_year=1981)
    assert _draft_keys(draft, SearchKind.NAME_YEAR) & _keys(person, SearchKind.NAME_YEAR)


def test_rebuild_gives_back_the_keys_the_services_made(org_a: Any) -> None:
    person = register(
        org_a["caseworker"], given_names="Aïssa", family_names="Maïga", phone_numbers=["90123456"]
    )
    made = {kind: _keys(person, kind) for kind in services.MATCH_KINDS}
    PersonSearchKey.objects.filter(kind__in=services.MATCH_KINDS).delete()
    seen: list[tuple[int, int]] = []
    assert services.match_keys_rebuild(batch_size=1, progress=lambda d, t: seen.append((d, t)))
    assert {kind: _keys(person, kind) for kind in services.MATCH_KINDS} == made
    assert seen[-1] == (1, 1)
    event = AuditEvent.objects.get(object_type="people.personsearchkey")
    assert event.object_id == "bulk:1"
    assert sorted(event.changed_fields) == sorted(str(k) for k in services.MATCH_KINDS)


def test_rebuild_command_reports_progress_on_stderr(org_a: Any) -> None:
    from io import StringIO

    from django.core.management import call_command

    register(org_a["caseworker"])
    out, err = StringIO(), StringIO()
    call_command("rebuild_match_keys", "--batch-size", "5", stdout=out, stderr=err)
    assert "1 of 1" in err.getvalue()
    assert "1" in out.getvalue()


# --- the default model ----------------------------------------------------------------------------


def test_the_default_model_loads_and_separates_a_duplicate_from_a_sibling() -> None:
    model, threshold = load_default_model()
    assert 0 < model.lam < 1
    assert threshold == selectors.CANDIDATE_THRESHOLD
    draft = {
        "given_name": "Mahamadou",
        "family_name": "Issoufou",
        "sex": "male",
        "birth_date": "",
        "birth_year": "1994",
        "phone": "+22790123456",
    }
    duplicate = {**draft, "given_name": "Mohamed", "birth_year": "1995"}
    sibling = {**draft, "given_name": "Abdoulaye", "birth_year": "1998"}
    first, second = score(draft, [sibling, duplicate])
    assert first.index == 1 and first.score >= threshold
    assert second.score < threshold
    assert first.reasons["given_name"] == "variant"
    assert set(first.reasons.values()) <= LEVELS


# --- in-organisation candidates -------------------------------------------------------------------


def _draft(**overrides: Any) -> RegistrationDraft:
    values: dict[str, Any] = {
        "given_names": "Aisha",
        "family_names": "Maiga",
        "sex": "female",
        "birth_year": 1995,
        "phone_numbers": ("0022796112233",),
    }
    values.update(overrides)
    return RegistrationDraft(**values)


def test_candidates_ranked_with_reasons_and_only_the_organisations(
    org_a: Any, network: dict[str, Any]
) -> None:
    found = selectors.registration_candidates(actor=org_a["caseworker"], draft=_draft())
    assert [c.public_id for c in found][0] == network["aissa"].public_id
    top = found[0]
    assert top.case_code == network["aissa"].case_code
    assert top.score >= selectors.CANDIDATE_THRESHOLD
    assert top.reasons == {
        "given_name": "variant",  # Aïssa / Aisha: the dictionary's
        "family_name": "exact",  # Maïga / Maiga: the same once accents are folded
        "sex": "exact",
        "birth_year": "close",
        "phone": "exact",
    }
    ids = {c.public_id for c in found}
    assert network["at_beta"].public_id not in ids  # never another organisation's record
    assert network["sister"].public_id not in ids  # below the threshold
    assert network["namesake"].public_id not in ids
    assert all(a.score >= b.score for a, b in zip(found, found[1:], strict=False))


def test_candidates_by_document_number_alone(org_a: Any) -> None:
    person = register(
        org_a["caseworker"],
        given_names="Ousmane",
        family_names="Garba",
        documents=[
            services.DocumentInput(
                document_type=code("document_type", "passport"),
                status=DocumentStatus.HELD,
                number="NA-123 456",
            )
        ],
    )
    draft = RegistrationDraft(
        given_names="Usman", family_names="Garba", birth_year=1994, document_numbers=("na123456",)
    )
    found = selectors.registration_candidates(actor=org_a["caseworker"], draft=draft)
    assert [c.public_id for c in found] == [person.public_id]
    assert found[0].reasons["document_number"] == "exact"


def test_merged_records_are_not_candidates(org_a: Any, network: dict[str, Any]) -> None:
    aissa = network["aissa"]
    type(aissa).objects.filter(pk=aissa.pk).update(merged_into=network["namesake"])
    found = selectors.registration_candidates(actor=org_a["caseworker"], draft=_draft())
    assert aissa.public_id not in {c.public_id for c in found}


@pytest.mark.parametrize("role", ["gbv_focal_point", "monitor", "dpo", "org_admin"])
def test_roles_that_do_not_register_get_nothing(
    org_a: Any, network: dict[str, Any], role: str
) -> None:
    check = selectors.registration_check(actor=org_a[role], draft=_draft())
    assert check.candidates == [] and check.network == [] and not check.checked


def test_candidates_read_identities_audited_and_check_audited_without_values(
    org_a: Any, org_b: Any, network: dict[str, Any]
) -> None:
    actor = org_a["caseworker"]
    before = AuditEvent.objects.count()
    check = selectors.registration_check(actor=actor, draft=_draft())
    assert check.candidates and check.network
    events = list(AuditEvent.objects.order_by("id")[before:])
    reads = [e for e in events if e.object_type == "people.identity"]
    assert len(reads) >= len(check.candidates)
    assert all(e.organisation_id == org_a.org.pk for e in reads)
    (query,) = [e for e in events if e.object_type == access.CHECK_OBJECT_TYPE]
    assert query.actor_id == actor.pk
    assert query.changed_fields == ["name", "network_signal", "phone"]
    # Beta's log records that its person's existence was signalled to Alpha's caseworker.
    (disclosed,) = [e for e in events if e.organisation_id == org_b.org.pk]
    assert disclosed.object_id == str(network["at_beta"].public_id)
    assert disclosed.changed_fields == ["network_signal"] and disclosed.actor_id == actor.pk
    text = json.dumps([e.changed_fields + [e.object_type] for e in events])
    for value in ("Aisha", "Maiga", "9611", "1995"):
        assert value not in text


# --- network signal ------------------------------------------------------------------------------


def test_network_signal_names_only_the_organisation(
    org_a: Any, org_b: Any, network: dict[str, Any]
) -> None:
    (contact,) = selectors.network_signal(actor=org_a["caseworker"], draft=_draft())
    assert contact == selectors.NetworkContact(
        org_b.org.name, org_b.org.acronym, org_b.org.email, org_b.org.phone
    )
    assert set(vars(contact)) == {"name", "acronym", "email", "phone"}


def test_network_signal_strong_enough_rules(
    org_a: Any, org_b: Any, network: dict[str, Any]
) -> None:
    actor = org_a["caseworker"]

    def signalled(**overrides: Any) -> bool:
        return bool(selectors.network_signal(actor=actor, draft=_draft(**overrides)))

    assert signalled(phone_numbers=())  # the name pair and the year ±1
    assert signalled(phone_numbers=(), birth_year=1994, given_names="Maïga", family_names="Aïssa")
    assert not signalled(phone_numbers=(), birth_year=1992)  # two years off, no phone
    assert signalled(birth_year=1980)  # phone and the name pair, whatever the year
    assert not signalled(given_names="Fatouma", birth_year=1980)  # phone + family name: a sister
    assert not signalled(given_names="Mariama", phone_numbers=())


def test_network_signal_by_document(org_a: Any, org_b: Any) -> None:
    register(
        org_b["caseworker"],
        given_names="Ousmane",
        family_names="Garba",
        documents=[
            services.DocumentInput(
                document_type=code("document_type", "passport"),
                status=DocumentStatus.HELD,
                number="NA 999 111",
            )
        ],
        consents=[
            services_consent(),
            services_consent(
                scope=ConsentScope.REFERRAL, service_type=code("service_type", "mhpss")
            ),
        ],
    )
    draft = RegistrationDraft(given_names="Ali", document_numbers=("na-999111",))
    assert [c.name for c in selectors.network_signal(actor=org_a["caseworker"], draft=draft)] == [
        org_b.org.name
    ]


def test_no_signal_without_referral_consent(org_a: Any, org_b: Any) -> None:
    register(
        org_b["caseworker"],
        sex="female",
        given_names="Aisha",
        family_names="Maiga",
        birth_year=1995,
    )
    assert selectors.network_signal(actor=org_a["caseworker"], draft=_draft()) == []


def test_no_signal_when_the_referral_consent_names_another_organisation(
    org_a: Any, org_b: Any
) -> None:
    from kariya.accounts.factories import OrganisationFactory

    register(
        org_b["caseworker"],
        sex="female",
        given_names="Aisha",
        family_names="Maiga",
        birth_year=1995,
        consents=[
            services_consent(),
            services_consent(
                scope=ConsentScope.REFERRAL, recipient_organisation=OrganisationFactory()
            ),
        ],
    )
    assert selectors.network_signal(actor=org_a["caseworker"], draft=_draft()) == []


def test_no_signal_once_the_referral_consent_is_withdrawn(
    org_a: Any, org_b: Any, network: dict[str, Any]
) -> None:
    consent = network["at_beta"].consents.get(scope=ConsentScope.REFERRAL)
    services.consent_withdraw(actor=org_b["caseworker"], consent=consent)
    assert selectors.network_signal(actor=org_a["caseworker"], draft=_draft()) == []


def test_no_signal_when_identity_is_withheld_from_partners(org_a: Any, org_b: Any) -> None:
    register(
        org_b["caseworker"],
        sex="female",
        given_names="Aisha",
        family_names="Maiga",
        birth_year=1995,
        consents=[
            services_consent(),
            services_consent(
                scope=ConsentScope.REFERRAL,
                recipient_organisation=org_a.org,
                restrictions=[
                    services.RestrictionInput(
                        withhold=DataCategory.IDENTITY,
                        audience=RestrictionAudience.PARTNERS,
                        reason="She fears being traced.",
                    )
                ],
            ),
        ],
    )
    assert selectors.network_signal(actor=org_a["caseworker"], draft=_draft()) == []


def test_no_signal_for_merged_records_or_non_members(
    org_a: Any, org_b: Any, network: dict[str, Any]
) -> None:
    actor = org_a["caseworker"]
    org_b.org.network_status = NetworkStatus.SUSPENDED
    org_b.org.save()
    assert selectors.network_signal(actor=actor, draft=_draft()) == []
    org_b.org.network_status = NetworkStatus.MEMBER
    org_b.org.save()
    assert selectors.network_signal(actor=actor, draft=_draft())
    other = register(org_b["caseworker"], given_names="Garba")
    at_beta = network["at_beta"]
    type(at_beta).objects.filter(pk=at_beta.pk).update(merged_into=other)
    assert selectors.network_signal(actor=actor, draft=_draft()) == []


def test_own_organisation_never_in_the_signal(org_a: Any, network: dict[str, Any]) -> None:
    # Beta's caseworker registering Aïssa again: Alpha's records carry no referral consent.
    assert selectors.network_signal(actor=network["at_beta"].created_by, draft=_draft()) == []


def test_check_query_count_is_bounded(
    org_a: Any, network: dict[str, Any], django_assert_max_num_queries: Any
) -> None:
    for n in range(30):
        register(
            org_a["caseworker"],
            sex="female",
            given_names="Aïssa",
            family_names=f"Maïga Kané{n}",
            birth_year=1994,
        )
    with django_assert_max_num_queries(12):
        check = selectors.registration_check(actor=org_a["caseworker"], draft=_draft())
    assert check.candidates


def test_a_date_of_birth_counts_as_its_year(org_a: Any, network: dict[str, Any]) -> None:
    draft = _draft(birth_year=None, birth_date=datetime.date(1995, 3, 4), phone_numbers=())
    assert selectors.network_signal(actor=org_a["caseworker"], draft=draft)


def test_a_common_name_pair_and_year_is_not_enough(org_a: Any, org_b: Any) -> None:
    """Three people of the network named Aisha Maiga born in 1995: the names and the year
    identify none of them; the phone with the names still does."""
    for phone in ("90000001", "90000002", "96112233"):
        register(
            org_b["caseworker"],
            sex="female",
            given_names="Aisha",
            family_names="Maiga",
            birth_year=1995,
            phone_numbers=[phone],
            consents=[
                services_consent(),
                services_consent(scope=ConsentScope.REFERRAL, recipient_organisation=org_a.org),
            ],
        )
    actor = org_a["caseworker"]
    assert selectors.network_signal(actor=actor, draft=_draft(phone_numbers=())) == []
    assert selectors.network_signal(actor=actor, draft=_draft())


# --- the hourly limit on asking the network ----------------------------------------------------


def test_network_part_pauses_after_the_hourly_limit(
    org_a: Any, org_b: Any, network: dict[str, Any], settings: Any
) -> None:
    settings.KARIYA_NETWORK_CHECKS_PER_HOUR = 2
    actor = org_a["caseworker"]
    for _ in range(2):
        check = selectors.registration_check(actor=actor, draft=_draft())
        assert check.network and not check.network_paused
    assert access.network_checks_used(actor) == 2
    disclosed_before = AuditEvent.objects.filter(organisation_id=org_b.org.pk).count()

    check = selectors.registration_check(actor=actor, draft=_draft())
    # Other organisations are not asked; the user's own organisation still is.
    assert check.network_paused and check.network == []
    assert check.candidates and check.checked
    assert AuditEvent.objects.filter(organisation_id=org_b.org.pk).count() == disclosed_before
    last = AuditEvent.objects.filter(object_type=access.CHECK_OBJECT_TYPE).latest("id")
    assert last.changed_fields == ["name", "phone"]  # the network was not asked
    assert access.network_checks_used(actor) == 2  # a paused check does not extend the pause

    # Another user of the same organisation has a limit of their own.
    other = selectors.registration_check(actor=org_a["supervisor"], draft=_draft())
    assert other.network and not other.network_paused


def test_network_limit_counts_only_the_last_hour(
    org_a: Any, org_b: Any, network: dict[str, Any], settings: Any
) -> None:
    settings.KARIYA_NETWORK_CHECKS_PER_HOUR = 1
    actor = org_a["caseworker"]
    assert selectors.registration_check(actor=actor, draft=_draft()).network
    assert selectors.registration_check(actor=actor, draft=_draft()).network_paused
    # The audit log is append-only: the window is checked by looking from later on.
    later = timezone.now() + datetime.timedelta(minutes=59)
    assert access.network_checks_used(actor, now=later) == 1
    later = timezone.now() + datetime.timedelta(minutes=61)
    assert access.network_checks_used(actor, now=later) == 0


def test_checks_that_do_not_ask_the_network_do_not_count(
    org_a: Any, network: dict[str, Any], settings: Any
) -> None:
    settings.KARIYA_NETWORK_CHECKS_PER_HOUR = 1
    actor = org_a["caseworker"]
    # A phone alone makes no key the network compares (a phone needs two names with it).
    for _ in range(3):
        check = selectors.registration_check(
            actor=actor, draft=RegistrationDraft(phone_numbers=("0022796112233",))
        )
        assert check.checked and not check.network_paused
    assert access.network_checks_used(actor) == 0
    assert selectors.registration_check(actor=actor, draft=_draft()).network
