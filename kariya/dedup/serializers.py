"""Shapes of the duplicate-review API (``api.py``): field names and agreement levels, case
codes and public ids; never a name, a phone or a document number (a client that needs the
identities beside a pair reads them through ``/api/v1/persons/{id}/identity/``, audited)."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _
from rest_framework import serializers

from kariya.dedup.models import DedupRun, DuplicateCandidate, PersonMerge


class RecordRefSerializer(serializers.Serializer):  # type: ignore[type-arg]
    """One record of a pair: its public id and case code."""

    id = serializers.UUIDField(source="public_id")
    case_code = serializers.CharField()


class CandidateSerializer(serializers.ModelSerializer):  # type: ignore[type-arg]
    id = serializers.UUIDField(source="public_id", read_only=True)
    person_a = RecordRefSerializer(read_only=True)
    person_b = RecordRefSerializer(read_only=True)
    reasons = serializers.DictField(
        child=serializers.JSONField(),
        read_only=True,
        help_text=_("Field name to agreement level (or weight); never a value."),
    )
    found_at = serializers.DateTimeField(source="created_at", read_only=True)

    class Meta:
        model = DuplicateCandidate
        fields = [
            "id",
            "person_a",
            "person_b",
            "score",
            "reasons",
            "status",
            "found_at",
            "decided_at",
            "version",
        ]
        read_only_fields = fields


class MergeDecisionSerializer(serializers.Serializer):  # type: ignore[type-arg]
    keep = serializers.ChoiceField(
        choices=[("a", _("the first record")), ("b", _("the second record"))],
        help_text=_("Which record of the pair is kept: `a` (person_a) or `b` (person_b)."),
    )
    reason = serializers.CharField(max_length=2000, required=False, allow_blank=True, default="")
    version = serializers.IntegerField(
        min_value=1, help_text=_("The pair's version, as read (optimistic locking).")
    )


class NotAMatchSerializer(serializers.Serializer):  # type: ignore[type-arg]
    reason = serializers.CharField(max_length=2000)
    version = serializers.IntegerField(
        min_value=1, help_text=_("The pair's version, as read (optimistic locking).")
    )


class MergeSerializer(serializers.ModelSerializer):  # type: ignore[type-arg]
    id = serializers.UUIDField(source="public_id", read_only=True)
    keep = RecordRefSerializer(read_only=True)
    absorb = RecordRefSerializer(read_only=True)
    candidate = serializers.SerializerMethodField()
    moved = serializers.SerializerMethodField(
        help_text=_("How many records of each kind the merge moved to the kept record.")
    )

    class Meta:
        model = PersonMerge
        fields = ["id", "keep", "absorb", "candidate", "merged_at", "moved", "undone_at", "version"]
        read_only_fields = fields

    def get_candidate(self, merge: PersonMerge) -> str | None:
        candidate = merge.candidate
        return str(candidate.public_id) if candidate is not None else None

    def get_moved(self, merge: PersonMerge) -> dict[str, int]:
        counts = {k: len(v) for k, v in (merge.moved or {}).items() if isinstance(v, list)}
        counts["migration_profile"] = int((merge.moved or {}).get("migration_profile") is not None)
        return counts


class UndoSerializer(serializers.Serializer):  # type: ignore[type-arg]
    reason = serializers.CharField(max_length=2000)
    version = serializers.IntegerField(
        min_value=1, help_text=_("The merge's version, as read (optimistic locking).")
    )


class RunSerializer(serializers.ModelSerializer):  # type: ignore[type-arg]
    id = serializers.UUIDField(source="public_id", read_only=True)
    percent = serializers.IntegerField(read_only=True)
    stale = serializers.BooleanField(
        source="is_stale",
        read_only=True,
        help_text=_("Queued or running but silent for 30 minutes: probably stopped."),
    )
    error = serializers.CharField(
        source="error_message",
        read_only=True,
        help_text=_("Why the search failed, in words naming no one (empty unless failed)."),
    )

    class Meta:
        model = DedupRun
        fields = [
            "id",
            "status",
            "stage",
            "percent",
            "stale",
            "threshold",
            "method",
            "records_read",
            "pairs_compared",
            "pairs_found",
            "candidates_added",
            "pairs_skipped",
            "created_at",
            "started_at",
            "finished_at",
            "error_code",
            "error",
        ]
        read_only_fields = fields


class RunStartSerializer(serializers.Serializer):  # type: ignore[type-arg]
    threshold = serializers.FloatField(
        required=False,
        allow_null=True,
        default=None,
        min_value=0.01,
        max_value=0.99,
        help_text=_("Minimum score of a pair proposed, 0.01–0.99 (default: the engine's, 0.4)."),
    )
