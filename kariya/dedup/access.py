"""Who may review duplicates and merge people: the only place that decides it.

``dedup.review`` (supervisors) in the actor's own organisation; everything else is 404, for a
record that does not exist and for one of another organisation alike. Identity shown beside a
pair is read through ``people.access`` (``people.view_identity``, every read audited).
"""

from __future__ import annotations

from typing import Any

from django.http import Http404

from kariya.core.access import actor_can as can
from kariya.core.access import public_id_or_404 as _uuid
from kariya.dedup.models import DedupRun, DuplicateCandidate, PersonMerge

REVIEW = "dedup.review"


def candidate_get_for(actor: Any, public_id: Any) -> DuplicateCandidate:
    """A candidate pair of the actor's organisation, with both persons, for a reviewer."""
    if not can(actor, REVIEW):
        raise Http404
    try:
        candidate: DuplicateCandidate = DuplicateCandidate.objects.select_related(
            "person_a", "person_b", "decided_by"
        ).get(public_id=_uuid(public_id), organisation_id=actor.organisation_id)
    except DuplicateCandidate.DoesNotExist as exc:
        raise Http404 from exc
    return candidate


def merge_get_for(actor: Any, public_id: Any) -> PersonMerge:
    """A merge of the actor's organisation, for a reviewer (to undo it)."""
    if not can(actor, REVIEW):
        raise Http404
    try:
        merge: PersonMerge = PersonMerge.objects.select_related("keep", "absorb").get(
            public_id=_uuid(public_id), organisation_id=actor.organisation_id
        )
    except PersonMerge.DoesNotExist as exc:
        raise Http404 from exc
    return merge


def run_get_for(actor: Any, public_id: Any) -> DedupRun:
    """A search for duplicates of the actor's organisation, for a reviewer (its progress)."""
    if not can(actor, REVIEW):
        raise Http404
    try:
        run: DedupRun = DedupRun.objects.get(
            public_id=_uuid(public_id), organisation_id=actor.organisation_id
        )
    except DedupRun.DoesNotExist as exc:
        raise Http404 from exc
    return run
