"""Writes of duplicate detection: the batch search over a registry that finds candidate pairs
(``registry_deduplicate_start`` / ``registry_deduplicate_run``), recording the pairs, deciding
them, merging two records of one person and undoing a merge.

Every service is keyword-only, atomic and audited (field names, never values) — except
``registry_deduplicate_run``, which runs for minutes in a worker and writes its progress as it
goes, and records its candidates in one transaction at the end. Decisions on a
pair use optimistic locking (``expected_version``): when two supervisors decide the same pair,
the second is refused with nothing written.

**What a merge does with each record linked to a person** (``RELATIONS`` lists every relation
to ``people.Person``; a test fails when a new one appears that is not listed):

- identity: the kept identity stays; the absorbed one's names, other spellings and aliases that
  the kept one lacks become other spellings, its phones are added, and its date of birth is
  taken when the kept identity has none. The absorbed identity itself is left untouched (the
  absorbed record is not deleted). What was added is kept, encrypted, in the merge record;
- documents, consents (their restrictions follow), screenings, cases (their plans, services
  delivered, visits, notes, referrals and GBV sections follow), assessments: moved to the kept
  person. Two active cases cannot be merged (one active case per person): the merge is refused
  and asks to close one first;
- household links: moved, both directions, except a link the kept person already has and a
  link between the two records themselves (left on the absorbed record);
- migration profile: the kept one stays; the absorbed one moves only when the kept person has
  none (otherwise it stays on the absorbed record, so the undo has it);
- nationalities and spoken languages: the kept person gets the absorbed one's too;
- records merged earlier into the absorbed one now point at the kept one;
- search keys: rebuilt for the kept person, removed for the absorbed one (rebuilt on undo).

The absorbed person gets ``merged_into`` and drops out of lists, searches and counts.
``person_merge_undo`` moves back exactly what the merge moved (records created since on the
kept person stay there) and removes exactly the identity values it added.
"""

from __future__ import annotations

import datetime
import json
import logging
import re
import time
import traceback
from collections.abc import Callable, Iterable
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.db.models import F
from django.utils import timezone
from django.utils.translation import gettext as _

from kariya.accounts.models import Organisation, User
from kariya.cases import listkeys
from kariya.cases.models import Case, Screening, VulnerabilityAssessment
from kariya.cases.workflow import Status as CaseStatus
from kariya.core.access import actor_can
from kariya.core.audit import audit_record
from kariya.core.locking import stale_error
from kariya.core.models import AuditAction
from kariya.dedup import batch
from kariya.dedup.access import REVIEW
from kariya.dedup.models import (
    ACTIVE_RUN_STATUSES,
    STALE_AFTER,
    CandidateStatus,
    DedupRun,
    DuplicateCandidate,
    PersonMerge,
    RunError,
    RunStage,
    RunStatus,
)
from kariya.matching.engine import DEFAULT_THRESHOLD
from kariya.people import services as people_services
from kariya.people.models import (
    Consent,
    HouseholdLink,
    Identity,
    IdentityDocument,
    MigrationProfile,
    Person,
)

# Every relation to people.Person ("app.Model.field") and what a merge does with it.
RELATIONS: dict[str, str] = {
    "people.Identity.person": "values added to the kept identity",
    "people.IdentityDocument.person": "moved",
    "people.PersonSearchKey.person": "rebuilt",
    "people.MigrationProfile.person": "moved when the kept person has none",
    "people.HouseholdLink.person": "moved unless duplicate",
    "people.HouseholdLink.relative": "moved unless duplicate",
    "people.Consent.person": "moved",
    "people.Person.merged_into": "re-pointed to the kept person",
    "people.Person_nationalities.person": "added to the kept person",
    "people.Person_languages.person": "added to the kept person",
    "cases.Screening.person": "moved",
    "cases.Case.person": "moved (refused with two active cases)",
    "cases.VulnerabilityAssessment.person": "moved",
    "dedup.DuplicateCandidate.person_a": "kept: the history of the decision",
    "dedup.DuplicateCandidate.person_b": "kept: the history of the decision",
    "dedup.PersonMerge.keep": "kept: the history of the merge",
    "dedup.PersonMerge.absorb": "kept: the history of the merge",
}

# The records moved by primary key (``PersonMerge.moved`` keys) and their model.
_MOVED_BY_PERSON: dict[str, Any] = {
    "documents": IdentityDocument,
    "consents": Consent,
    "screenings": Screening,
    "cases": Case,
    "assessments": VulnerabilityAssessment,
}

# Agreement levels a reason may carry; a number (a weight) is accepted as well. Reasons are
# field names and levels only: anything else (a value of the record) is refused.
LEVELS = frozenset(
    {
        "exact",
        "strong",
        "variant",
        "phonetic",
        "close",
        "partial",
        "weak",
        "swapped",
        "different",
        "missing",
    }
)
_FIELD_NAME = re.compile(r"^[a-z][a-z0-9_]{0,39}$")


def _clean_reasons(reasons: Any) -> dict[str, Any]:
    if not isinstance(reasons, dict):
        raise ValueError("reasons must be a dict of field name to level")
    cleaned: dict[str, Any] = {}
    for field, level in reasons.items():
        if not isinstance(field, str) or not _FIELD_NAME.match(field):
            raise ValueError("a reason's key must be a field name")
        if isinstance(level, bool) or not (
            isinstance(level, int | float) or (isinstance(level, str) and level in LEVELS)
        ):
            raise ValueError("a reason's level must be a number or one of LEVELS")
        cleaned[field] = round(float(level), 4) if not isinstance(level, str) else level
    return cleaned


def _ordered(a: int, b: int) -> tuple[int, int]:
    return (a, b) if a < b else (b, a)


# --- candidates -------------------------------------------------------------------------------

BATCH = 1000


@transaction.atomic
def duplicate_candidates_record(
    *,
    organisation: Organisation,
    pairs: Iterable[tuple[int, int, float, dict[str, Any]]],
    actor: User | None = None,
) -> int:
    """Record candidate pairs found by the batch deduplication of ``organisation``'s registry:
    ``(person_a_id, person_b_id, score, reasons)``, in either order.

    Skipped: a pair already known (pending, decided "not a match" — never proposed again — or
    merged), a person of another organisation or merged away, a pair of a person with itself.
    A score outside 0–1 or reasons holding anything but field names and levels raise
    ``ValueError`` (a programming error of the caller). Returns how many pairs were added; one
    audit event names the organisation's candidate list, never the persons.
    """
    wanted: dict[tuple[int, int], tuple[float, dict[str, Any]]] = {}
    for a_id, b_id, score, reasons in pairs:
        if a_id == b_id:
            continue
        score = float(score)
        if not 0.0 <= score <= 1.0:
            raise ValueError("score must be in 0–1")
        key = _ordered(int(a_id), int(b_id))
        cleaned = _clean_reasons(reasons)
        if key not in wanted or wanted[key][0] < score:
            wanted[key] = (score, cleaned)
    created = 0
    keys = list(wanted)
    for start in range(0, len(keys), BATCH):
        chunk = keys[start : start + BATCH]
        ids = {pk for pair in chunk for pk in pair}
        live = set(
            Person.objects.filter(
                pk__in=ids, organisation_id=organisation.pk, merged_into__isnull=True
            ).values_list("pk", flat=True)
        )
        known = set(
            DuplicateCandidate.objects.filter(
                person_a_id__in={a for a, _b in chunk}, person_b_id__in={b for _a, b in chunk}
            ).values_list("person_a_id", "person_b_id")
        )
        rows = [
            DuplicateCandidate(
                organisation_id=organisation.pk,
                person_a_id=a,
                person_b_id=b,
                score=wanted[(a, b)][0],
                reasons=wanted[(a, b)][1],
                created_by=actor,
            )
            for a, b in chunk
            if a in live and b in live and (a, b) not in known
        ]
        DuplicateCandidate.objects.bulk_create(rows)
        created += len(rows)
    if created:
        audit_record(
            actor=actor,
            action=AuditAction.CREATE,
            object_type="dedup.duplicatecandidate",
            changed_fields=["candidates"],
            organisation=organisation,
        )
    return created


def _check_reviewer(actor: User, organisation_id: int) -> None:
    if not actor_can(actor, REVIEW) or actor.organisation_id != organisation_id:
        raise PermissionDenied


def _claim_pending(
    candidate: DuplicateCandidate, *, expected_version: int | None, values: dict[str, Any]
) -> None:
    """Decide ``candidate`` if it is still pending (and at ``expected_version``)."""
    if candidate.status != CandidateStatus.PENDING:
        raise ValidationError(_("This pair has already been decided."), code="decided")
    query = DuplicateCandidate.objects.filter(pk=candidate.pk, status=CandidateStatus.PENDING)
    if expected_version is not None:
        query = query.filter(version=expected_version)
    if query.update(version=F("version") + 1, **values) != 1:
        raise stale_error()
    for name, value in values.items():
        setattr(candidate, name, value)
    candidate.version += 1


@transaction.atomic
def duplicate_decide_not_a_match(
    *, actor: User, candidate: DuplicateCandidate, reason: str, expected_version: int | None = None
) -> DuplicateCandidate:
    """Record that the two records are different people. The pair is never proposed again.

    Only a reviewer of the pair's organisation; a pair already decided (or decided by someone
    else since ``expected_version`` was read) is refused with nothing written. A reason is
    required (encrypted: it may name family facts).
    """
    _check_reviewer(actor, candidate.organisation_id)
    reason = reason.strip()
    if not reason:
        raise ValidationError({"reason": _("Say why these are different people.")})
    now = timezone.now()
    _claim_pending(
        candidate,
        expected_version=expected_version,
        values={
            "status": CandidateStatus.NOT_A_MATCH,
            "decided_by": actor,
            "decided_at": now,
            "reason": reason,
            "updated_at": now,
            "updated_by": actor,
        },
    )
    audit_record(
        actor=actor,
        action=AuditAction.UPDATE,
        obj=candidate,
        changed_fields=["status", "decided_by", "decided_at", "reason"],
    )
    return candidate


# --- merge ------------------------------------------------------------------------------------


def _list(value: str) -> list[str]:
    return list(json.loads(value)) if value else []


def _fold(value: str) -> str:
    return " ".join(value.casefold().split())


def _identity_additions(keep: Identity, absorb: Identity) -> dict[str, Any]:
    """What the absorbed identity adds to the kept one (nothing the kept one already has)."""
    known = {
        _fold(v)
        for v in [keep.given_names, keep.family_names, *keep.spelling_list, *keep.alias_list]
        if v
    }
    spellings: list[str] = []
    full = " ".join(n for n in [absorb.given_names, absorb.family_names] if n)
    for value in [full, *absorb.spelling_list]:
        if value and _fold(value) not in known:
            known.add(_fold(value))
            spellings.append(value)
    aliases = []
    for value in absorb.alias_list:
        if value and _fold(value) not in known:
            known.add(_fold(value))
            aliases.append(value)
    phones = [p for p in absorb.phone_list if p not in keep.phone_list]
    phones = list(dict.fromkeys(phones))
    birth_date = absorb.birth_date if absorb.birth_date and not keep.birth_date else ""
    return {
        "other_spellings": spellings,
        "aliases": aliases,
        "phones": phones,
        "birth_date": birth_date,
    }


def _move_household(keep: Person, absorb: Person) -> tuple[list[int], list[int]]:
    """Household links of ``absorb`` moved to ``keep`` (both directions), except a link
    ``keep`` already has and a link between the two."""
    mine = HouseholdLink.objects.filter(person_id=keep.pk)
    theirs = HouseholdLink.objects.filter(relative_id=keep.pk)
    have_relatives = set(mine.values_list("relative_id", flat=True))
    have_persons = set(theirs.values_list("person_id", flat=True))
    as_person = list(
        HouseholdLink.objects.filter(person_id=absorb.pk)
        .exclude(relative_id__in=have_relatives | {keep.pk})
        .values_list("pk", flat=True)
    )
    as_relative = list(
        HouseholdLink.objects.filter(relative_id=absorb.pk)
        .exclude(person_id__in=have_persons | {keep.pk})
        .values_list("pk", flat=True)
    )
    HouseholdLink.objects.filter(pk__in=as_person).update(person_id=keep.pk)
    HouseholdLink.objects.filter(pk__in=as_relative).update(relative_id=keep.pk)
    return as_person, as_relative


def _add_missing(kept: Any, absorbed: Any) -> list[Any]:
    """Add to a many-to-many of the kept person what the absorbed one has and it lacks;
    returns the primary keys added (for the undo)."""
    have = set(kept.values_list("pk", flat=True))
    added = [pk for pk in absorbed.values_list("pk", flat=True) if pk not in have]
    kept.add(*added)
    return added


def _carry_withdrawals(
    *, actor: User, keep: Person, moved_consents: list[int], now: datetime.datetime
) -> list[int]:
    """A consent withdrawn on one record also ends the other record's consent for the same
    purpose (scope, receiving organisation, service type) given *before* that withdrawal: the
    person took it back after giving it, whichever record it was written on. A consent given
    after the withdrawal stands (the person gave it again). Returns the consents withdrawn here
    (the undo gives them back)."""
    moved = set(moved_consents)
    consents = list(
        Consent.objects.filter(person_id=keep.pk).values(
            "pk",
            "scope",
            "recipient_organisation_id",
            "service_type_id",
            "given_at",
            "withdrawn_at",
        )
    )
    ended: list[int] = []
    for active in consents:
        if active["withdrawn_at"] is not None:
            continue
        purpose = (active["scope"], active["recipient_organisation_id"], active["service_type_id"])
        for other in consents:
            if (
                other["withdrawn_at"] is not None
                and (other["pk"] in moved) != (active["pk"] in moved)
                and (other["scope"], other["recipient_organisation_id"], other["service_type_id"])
                == purpose
                and other["withdrawn_at"] > active["given_at"]
            ):
                ended.append(active["pk"])
                break
    if ended:
        Consent.objects.filter(pk__in=ended, withdrawn_at__isnull=True).update(
            withdrawn_at=now,
            withdrawn_by=actor,
            withdrawal_reason=_("Withdrawn on the other record of this person (merge)."),
            updated_at=now,
            updated_by=actor,
            version=F("version") + 1,
        )
        for consent in Consent.objects.filter(pk__in=ended):
            audit_record(
                actor=actor,
                action=AuditAction.UPDATE,
                obj=consent,
                changed_fields=["withdrawn_at", "withdrawn_by", "withdrawal_reason"],
            )
    return ended


def _lock(*persons: Person) -> None:
    list(Person.objects.select_for_update().filter(pk__in=[p.pk for p in persons]))


@transaction.atomic
def person_merge(
    *,
    actor: User,
    keep: Person,
    absorb: Person,
    reason: str = "",
    candidate: DuplicateCandidate | None = None,
    expected_version: int | None = None,
) -> PersonMerge:
    """Merge ``absorb`` into ``keep``: two records of the same person in one organisation.

    Every record linked to ``absorb`` is kept (see the module docstring for each). Refused,
    with nothing written: persons of another organisation than the actor's, a record with
    itself, a record already merged, two active cases (close one first), a candidate pair that
    is not these two persons, already decided, or decided by someone else since
    ``expected_version``. Only a reviewer (``dedup.review``).
    """
    _check_reviewer(actor, keep.organisation_id)
    if absorb.organisation_id != actor.organisation_id:
        raise PermissionDenied
    if keep.pk == absorb.pk:
        raise ValidationError(_("A record cannot be merged with itself."))
    _lock(keep, absorb)
    keep.refresh_from_db()
    absorb.refresh_from_db()
    if keep.merged_into_id is not None or absorb.merged_into_id is not None:
        raise ValidationError(
            _("One of these records has already been merged into another."), code="merged"
        )
    if candidate is not None and {candidate.person_a_id, candidate.person_b_id} != {
        keep.pk,
        absorb.pk,
    }:
        raise ValidationError(_("This pair is not about these two records."))
    active = Case.objects.filter(person_id__in=[keep.pk, absorb.pk]).exclude(
        status=CaseStatus.CLOSED
    )
    if len({c.person_id for c in active.only("person_id")}) > 1:
        raise ValidationError(
            _(
                "Both records have an active case, and a person can have only one. Close one "
                "of the two cases first, then merge."
            ),
            code="two_active_cases",
        )
    now = timezone.now()
    if candidate is not None:
        _claim_pending(
            candidate,
            expected_version=expected_version,
            values={
                "status": CandidateStatus.MATCH,
                "decided_by": actor,
                "decided_at": now,
                "reason": reason.strip(),
                "updated_at": now,
                "updated_by": actor,
            },
        )

    moved: dict[str, Any] = {}
    for name, model in _MOVED_BY_PERSON.items():
        pks = list(model.objects.filter(person_id=absorb.pk).values_list("pk", flat=True))
        model.objects.filter(pk__in=pks).update(person_id=keep.pk)
        moved[name] = pks
    moved["consents_withdrawn"] = _carry_withdrawals(
        actor=actor, keep=keep, moved_consents=moved["consents"], now=now
    )
    moved["household_person"], moved["household_relative"] = _move_household(keep, absorb)
    moved["migration_profile"] = None
    if not MigrationProfile.objects.filter(person_id=keep.pk).exists():
        profile = MigrationProfile.objects.filter(person_id=absorb.pk).first()
        if profile is not None:
            MigrationProfile.objects.filter(pk=profile.pk).update(person_id=keep.pk)
            moved["migration_profile"] = profile.pk
    earlier = list(Person.objects.filter(merged_into_id=absorb.pk).values_list("pk", flat=True))
    Person.objects.filter(pk__in=earlier).update(merged_into_id=keep.pk)
    moved["merged_persons"] = earlier
    moved["nationalities"] = _add_missing(keep.nationalities, absorb.nationalities)
    moved["languages"] = _add_missing(keep.languages, absorb.languages)
    listkeys.refresh([keep.pk, absorb.pk])  # cases, assessments and profile moved

    keep_identity = Identity.objects.get(person_id=keep.pk)
    absorb_identity = Identity.objects.get(person_id=absorb.pk)
    added = _identity_additions(keep_identity, absorb_identity)
    keep_identity.other_spellings = json.dumps(
        [*keep_identity.spelling_list, *added["other_spellings"]], ensure_ascii=False
    )
    keep_identity.aliases = json.dumps(
        [*keep_identity.alias_list, *added["aliases"]], ensure_ascii=False
    )
    keep_identity.phones = json.dumps([*keep_identity.phone_list, *added["phones"]])
    if added["birth_date"]:
        keep_identity.birth_date = added["birth_date"]
    Identity.objects.filter(pk=keep_identity.pk).update(
        other_spellings=keep_identity.other_spellings,
        aliases=keep_identity.aliases,
        phones=keep_identity.phones,
        birth_date=keep_identity.birth_date,
        version=F("version") + 1,
        updated_at=now,
        updated_by=actor,
    )
    moved["birth_year"] = None
    if added["birth_date"]:
        # The exact date of birth sets the year (as identity_update does); the undo puts back
        # the year and whether it was estimated.
        moved["birth_year"] = [keep.birth_year, keep.birth_estimated]
        year = datetime.date.fromisoformat(added["birth_date"]).year
        Person.objects.filter(pk=keep.pk).update(birth_year=year, birth_estimated=False)

    Person.objects.filter(pk=absorb.pk).update(
        merged_into_id=keep.pk, version=F("version") + 1, updated_at=now, updated_by=actor
    )
    Person.objects.filter(pk=keep.pk).update(
        version=F("version") + 1, updated_at=now, updated_by=actor
    )
    absorb.merged_into_id = keep.pk
    people_services.search_keys_rebuild(person=keep)
    absorb.search_keys.all().delete()

    merge = PersonMerge.objects.create(
        organisation_id=keep.organisation_id,
        keep=keep,
        absorb=absorb,
        candidate=candidate,
        merged_by=actor,
        merged_at=now,
        reason=reason.strip(),
        moved=moved,
        identity_added=json.dumps(added, ensure_ascii=False),
        created_by=actor,
    )
    changed = [name for name, value in moved.items() if value]
    changed += [name for name, value in added.items() if value and name != "birth_date"]
    if added["birth_date"]:
        changed.append("birth_date")
    audit_record(actor=actor, action=AuditAction.MERGE, obj=merge, changed_fields=changed)
    audit_record(actor=actor, action=AuditAction.MERGE, obj=absorb, changed_fields=["merged_into"])
    if candidate is not None:
        audit_record(
            actor=actor,
            action=AuditAction.UPDATE,
            obj=candidate,
            changed_fields=["status", "decided_by", "decided_at", "reason"],
        )
    return merge


def _without(values: list[str], removed: Iterable[str]) -> list[str]:
    gone = set(removed)
    return [v for v in values if v not in gone]


@transaction.atomic
def person_merge_undo(
    *, actor: User, merge: PersonMerge, reason: str, expected_version: int | None = None
) -> PersonMerge:
    """Undo ``merge``: the absorbed record is a person again, and what the merge moved goes
    back to it — exactly those records (what was created on the kept person since stays
    there; what was deleted since is gone) and exactly the identity values the merge added.

    Refused, with nothing written: another organisation, no reason, a merge already undone
    (or changed since ``expected_version``), and a merge whose kept record has since been
    merged into a third one (undo that later merge first). The candidate pair goes back to
    the queue to be decided again. Only a reviewer.
    """
    _check_reviewer(actor, merge.organisation_id)
    reason = reason.strip()
    if not reason:
        raise ValidationError({"reason": _("Say why the merge is undone.")})
    if merge.undone_at is not None:
        raise ValidationError(_("This merge has already been undone."), code="undone")
    if Person.objects.filter(pk=merge.keep_id, merged_into__isnull=False).exists():
        raise ValidationError(
            _("The kept record has since been merged into another one: undo that merge first."),
            code="kept_merged",
        )
    query = PersonMerge.objects.filter(pk=merge.pk, undone_at__isnull=True)
    if expected_version is not None:
        query = query.filter(version=expected_version)
    now = timezone.now()
    if (
        query.update(
            undone_at=now,
            undone_by=actor,
            undo_reason=reason,
            version=F("version") + 1,
            updated_at=now,
            updated_by=actor,
        )
        != 1
    ):
        raise stale_error()
    keep = Person.objects.select_for_update().get(pk=merge.keep_id)
    absorb = Person.objects.select_for_update().get(pk=merge.absorb_id)
    moved = merge.moved
    if moved.get("consents_withdrawn"):
        # Exactly the withdrawals the merge made (recorded with the merge's time and actor).
        Consent.objects.filter(
            pk__in=moved["consents_withdrawn"],
            withdrawn_at=merge.merged_at,
            withdrawn_by_id=merge.merged_by_id,
        ).update(
            withdrawn_at=None,
            withdrawn_by=None,
            withdrawal_reason="",
            updated_at=now,
            updated_by=actor,
            version=F("version") + 1,
        )
    for name, model in _MOVED_BY_PERSON.items():
        model.objects.filter(pk__in=moved.get(name, []), person_id=keep.pk).update(
            person_id=absorb.pk
        )
    HouseholdLink.objects.filter(
        pk__in=moved.get("household_person", []), person_id=keep.pk
    ).update(person_id=absorb.pk)
    HouseholdLink.objects.filter(
        pk__in=moved.get("household_relative", []), relative_id=keep.pk
    ).update(relative_id=absorb.pk)
    if moved.get("migration_profile"):
        MigrationProfile.objects.filter(pk=moved["migration_profile"], person_id=keep.pk).update(
            person_id=absorb.pk
        )
    Person.objects.filter(pk__in=moved.get("merged_persons", []), merged_into_id=keep.pk).update(
        merged_into_id=absorb.pk
    )
    keep.nationalities.remove(*moved.get("nationalities", []))
    keep.languages.remove(*moved.get("languages", []))
    listkeys.refresh([keep.pk, absorb.pk])

    added = json.loads(merge.identity_added) if merge.identity_added else {}
    identity = Identity.objects.get(person_id=keep.pk)
    values = {
        "other_spellings": json.dumps(
            _without(identity.spelling_list, added.get("other_spellings", [])), ensure_ascii=False
        ),
        "aliases": json.dumps(
            _without(identity.alias_list, added.get("aliases", [])), ensure_ascii=False
        ),
        "phones": json.dumps(_without(identity.phone_list, added.get("phones", []))),
    }
    if added.get("birth_date") and identity.birth_date == added["birth_date"]:
        values["birth_date"] = ""
        if moved.get("birth_year"):
            year, estimated = moved["birth_year"]
            Person.objects.filter(pk=keep.pk).update(birth_year=year, birth_estimated=estimated)
    Identity.objects.filter(pk=identity.pk).update(
        **values, version=F("version") + 1, updated_at=now, updated_by=actor
    )
    Person.objects.filter(pk=absorb.pk).update(
        merged_into_id=None, version=F("version") + 1, updated_at=now, updated_by=actor
    )
    Person.objects.filter(pk=keep.pk).update(
        version=F("version") + 1, updated_at=now, updated_by=actor
    )
    people_services.search_keys_rebuild(person=keep)
    people_services.search_keys_rebuild(person=absorb)
    if merge.candidate_id is not None:
        DuplicateCandidate.objects.filter(
            pk=merge.candidate_id, status=CandidateStatus.MATCH
        ).update(
            status=CandidateStatus.PENDING,
            decided_by=None,
            decided_at=None,
            reason="",
            version=F("version") + 1,
            updated_at=now,
            updated_by=actor,
        )
    merge.refresh_from_db()
    audit_record(
        actor=actor,
        action=AuditAction.UPDATE,
        obj=merge,
        changed_fields=["undone_at", "undone_by", "undo_reason"],
    )
    audit_record(actor=actor, action=AuditAction.UPDATE, obj=absorb, changed_fields=["merged_into"])
    return merge


# --- the batch search over a registry ---------------------------------------------------------

logger = logging.getLogger(__name__)

# At most one progress write per this many seconds (a stage change is always written): the
# page polls every 2 s, and each write is a short transaction of its own.
PROGRESS_INTERVAL = 0.5


def _already_running() -> ValidationError:
    return ValidationError(
        _(
            "A search for duplicates is already under way for your organisation. Wait until it "
            "has finished before starting another."
        ),
        code="already_running",
    )


def _expire_stale(organisation_id: int, now: datetime.datetime) -> int:
    """Mark failed ("interrupted") the organisation's queued or running runs that gave no sign
    of life for ``STALE_AFTER``: a worker killed mid-run, a task lost before it was queued.
    Otherwise such a run would keep the organisation from ever starting another."""
    return int(
        DedupRun.objects.filter(
            organisation_id=organisation_id,
            status__in=ACTIVE_RUN_STATUSES,
            updated_at__lt=now - STALE_AFTER,
        ).update(
            status=RunStatus.FAILED,
            error_code=RunError.INTERRUPTED,
            finished_at=now,
            updated_at=now,
            version=F("version") + 1,
        )
    )


@transaction.atomic
def registry_deduplicate_start(*, actor: User, threshold: float | None = None) -> DedupRun:
    """Start a search for duplicates over the actor's organisation's registry: a queued
    ``DedupRun`` and a background task (``tasks.registry_deduplicate``, given the run's id only)
    enqueued once the run is committed.

    Only a holder of ``dedup.review``. One queued or running run per organisation: a second is
    refused (``ValidationError``, code ``already_running``; the partial unique constraint
    ``dedup_run_one_active`` holds it against a race). A run silent for ``STALE_AFTER`` is
    marked interrupted first. ``threshold`` (default: the engine's, 0.4) must be in (0, 1).
    Audited: ``create`` on the run.
    """
    if not actor_can(actor, REVIEW) or actor.organisation_id is None:
        raise PermissionDenied
    value = DEFAULT_THRESHOLD if threshold is None else float(threshold)
    if not 0.0 < value < 1.0:
        raise ValidationError({"threshold": _("The threshold must be between 0 and 1.")})
    now = timezone.now()
    _expire_stale(actor.organisation_id, now)
    if DedupRun.objects.filter(
        organisation_id=actor.organisation_id, status__in=ACTIVE_RUN_STATUSES
    ).exists():
        raise _already_running()
    try:
        with transaction.atomic():
            run = DedupRun.objects.create(
                organisation_id=actor.organisation_id,
                started_by=actor,
                threshold=value,
                created_by=actor,
                updated_by=actor,
            )
    except IntegrityError as exc:  # another start won the race
        raise _already_running() from exc
    audit_record(actor=actor, action=AuditAction.CREATE, obj=run, changed_fields=["threshold"])
    run_id = run.pk
    transaction.on_commit(lambda: _enqueue(run_id))
    return run


def _enqueue(run_id: int) -> None:
    from kariya.dedup.tasks import registry_deduplicate  # tasks import services

    try:
        result = registry_deduplicate.enqueue(run_id)
    except Exception as exc:
        # The class only: the message may hold data.
        logger.error("dedup run %s could not be queued: %s", run_id, type(exc).__name__)
        _fail(run_id, RunError.NOT_QUEUED, exc, statuses=(RunStatus.QUEUED,))
        return
    DedupRun.objects.filter(pk=run_id, task_id="").update(task_id=str(result.id)[:64])


def _fail(
    run_id: int,
    code: RunError,
    exc: BaseException,
    statuses: Iterable[str] = ACTIVE_RUN_STATUSES,
) -> None:
    now = timezone.now()
    DedupRun.objects.filter(pk=run_id, status__in=list(statuses)).update(
        status=RunStatus.FAILED,
        error_code=code,
        error_detail=type(exc).__name__[:100],
        finished_at=now,
        updated_at=now,
        version=F("version") + 1,
    )


class RunAbandoned(Exception):  # noqa: N818 - a state, not an error of the caller
    """The run is no longer running (marked interrupted by a later start): stop."""


class ProgressWriter:
    """Writes a run's stage and progress, each write a short transaction of its own (outside
    any other, in the worker), so the page sees it while the run goes on. Throttled: a stage
    change is always written, otherwise at most one write per ``interval`` seconds. The write
    is also the run's heartbeat (``updated_at``)."""

    def __init__(
        self,
        run_id: int,
        *,
        interval: float = PROGRESS_INTERVAL,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        self.run_id = run_id
        self.interval = interval
        self.clock = clock
        self.stage = ""
        self.last = float("-inf")
        self.writes = 0

    def __call__(self, stage: str, done: int, total: int) -> None:
        now = self.clock()
        if stage == self.stage and now - self.last < self.interval:
            return
        done, total = max(0, int(done)), max(0, int(total))
        updated = DedupRun.objects.filter(pk=self.run_id, status=RunStatus.RUNNING).update(
            stage=stage,
            progress_done=min(done, total),
            progress_total=total,
            updated_at=timezone.now(),
        )
        if updated != 1:
            raise RunAbandoned
        self.stage, self.last = stage, now
        self.writes += 1


def registry_deduplicate_run(*, run: DedupRun) -> DedupRun:
    """Carry out a queued run (called by the task): read the organisation's people not merged
    away (identities decrypted in batches; **one** audit event, ``read`` on the run with the
    identity fields read, naming no person, written before the read), find the likely
    duplicates (``batch.find_pairs``: the matching engine fitted on this registry, or rules for
    a registry under ``batch.MIN_RECORDS_FOR_MODEL`` records) and record them as candidates.

    **All or nothing**: the candidates and the run's "done" are written in one transaction at
    the end, so a failure anywhere leaves no candidate of this run; the run is then marked
    failed with a code and the exception's class name (never its message), and the error is
    logged with its traceback frames but without the message. A run that is not queued any more
    (already run, or marked interrupted) is left as it is. Progress is written as it goes
    (``ProgressWriter``). Not atomic as a whole: it must not hold one transaction for minutes.
    """
    now = timezone.now()
    claimed = DedupRun.objects.filter(pk=run.pk, status=RunStatus.QUEUED).update(
        status=RunStatus.RUNNING,
        stage=RunStage.READING,
        started_at=now,
        updated_at=now,
        version=F("version") + 1,
    )
    if claimed != 1:
        run.refresh_from_db()
        return run
    progress = ProgressWriter(run.pk)
    try:
        _run(run, progress)
    except RunAbandoned:
        logger.warning("dedup run %s was marked interrupted while running: stopped", run.public_id)
    except Exception as exc:
        code = RunError.MEMORY if isinstance(exc, MemoryError) else RunError.INTERNAL
        # The class and the frames only: the message may hold data.
        logger.error(
            "dedup run %s failed: %s\n%s",
            run.public_id,
            type(exc).__name__,
            "".join(traceback.format_tb(exc.__traceback__)),
        )
        _fail(run.pk, code, exc)
    run.refresh_from_db()
    return run


def _run(run: DedupRun, progress: ProgressWriter) -> None:
    audit_record(
        actor=run.started_by,
        action=AuditAction.READ,
        obj=run,
        changed_fields=batch.FIELDS_READ,
        organisation=run.organisation,
    )
    registry = batch.read_registry(organisation_id=run.organisation_id, progress=progress)
    found = batch.find_pairs(registry, threshold=run.threshold, progress=progress)
    # One transaction: its progress could not be seen before the end, so none is shown.
    progress(RunStage.RECORDING, 0, 0)
    with transaction.atomic():
        added = duplicate_candidates_record(
            organisation=run.organisation, pairs=found.pairs, actor=run.started_by
        )
        now = timezone.now()
        done = DedupRun.objects.filter(pk=run.pk, status=RunStatus.RUNNING).update(
            status=RunStatus.DONE,
            stage=RunStage.FINISHED,
            progress_done=len(found.pairs),
            progress_total=len(found.pairs),
            method=found.method,
            records_read=len(registry),
            pairs_compared=found.compared,
            pairs_found=len(found.pairs),
            candidates_added=added,
            pairs_skipped=len(found.pairs) - added,
            finished_at=now,
            updated_at=now,
            version=F("version") + 1,
        )
        if done != 1:
            raise RunAbandoned  # rolls the candidates back: a later run records them
