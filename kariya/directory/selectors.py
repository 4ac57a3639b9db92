"""Reads of the service directory, already scoped to what the reader may see, with the joins
a list needs (a page costs the same number of queries whatever its length). Paginate them."""

from __future__ import annotations

import datetime
from typing import Any

from django.db.models import Exists, OuterRef, Prefetch, Q, QuerySet

from kariya.accounts.models import User, UserRole
from kariya.accounts.roles import MATRIX
from kariya.directory import access
from kariya.directory.models import ContactChannel, OpeningHours, Service, Status
from kariya.directory.services import stale_cutoff
from kariya.geo.models import AdminUnit

LIST_JOINS = ("organisation", "service_type", "commune", "region", "site", "focal_point")


def _with_details(query: QuerySet[Service]) -> QuerySet[Service]:
    """What a card of the directory shows: hours, channels and languages, one query each."""
    return query.select_related(*LIST_JOINS).prefetch_related(
        Prefetch("hours", queryset=OpeningHours.objects.order_by("weekday", "opens_at")),
        Prefetch("channels", queryset=ContactChannel.objects.order_by("order", "id")),
        "languages",
    )


def _place_filter(query: QuerySet[Service], place: AdminUnit | None) -> QuerySet[Service]:
    """Entries in a region, a department or a commune."""
    if place is None:
        return query
    if place.level == 1:
        return query.filter(region=place)
    if place.level == 2:
        return query.filter(commune__parent=place)
    return query.filter(commune=place)


def services_for_staff(
    actor: Any,
    *,
    service_type: Any = None,
    place: AdminUnit | None = None,
    status: str | None = None,
    own_only: bool = False,
) -> QuerySet[Service]:
    """The directory as staff see it: their organisation's entries in every status and the
    network's published entries (revisions are not listed; ``has_pending_revision`` says that
    an entry has one). Ordered by name."""
    query = access.visible_services(actor).filter(revision_of__isnull=True)
    if own_only:
        query = query.filter(organisation_id=actor.organisation_id)
    if service_type is not None:
        query = query.filter(service_type=service_type)
    if status:
        query = query.filter(status=status)
    query = _place_filter(query, place)
    pending = Service.objects.filter(revision_of=OuterRef("pk"))
    return (
        query.select_related(*LIST_JOINS)
        .annotate(has_pending_revision=Exists(pending))
        .order_by("name_fr", "id")
    )


def moderation_queue(actor: Any) -> QuerySet[Service]:
    """Submitted entries and revisions of the whole network waiting for the network
    coordinator, oldest first; not those the actor submitted (they cannot approve them)."""
    if not access.can_moderate(actor):
        return Service.objects.none()  # type: ignore[no-any-return]
    return (  # type: ignore[no-any-return]
        Service.objects.filter(status=Status.SUBMITTED)
        .exclude(submitted_by_id=actor.pk)
        .select_related(*LIST_JOINS, "submitted_by", "revision_of")
        .order_by("submitted_at", "id")
    )


def revisions_with_published(ids: list[int]) -> QuerySet[Service]:
    """Revisions (by primary key, already reached through ``moderation_queue``) with their
    content and their published entry's, to compare them: a fixed number of queries."""
    content = ("hours", "channels", "languages", "nationalities", "population_categories")
    return (  # type: ignore[no-any-return]
        Service.objects.filter(pk__in=ids, revision_of__isnull=False)
        .select_related(
            "service_type",
            "commune",
            "site",
            "focal_point",
            "revision_of__service_type",
            "revision_of__commune",
            "revision_of__site",
            "revision_of__focal_point",
        )
        .prefetch_related(*content, *(f"revision_of__{name}" for name in content))
    )


def stale_services(actor: Any, *, now: datetime.datetime | None = None) -> QuerySet[Service]:
    """Published entries not verified for 90 days: the actor's organisation's for its editors,
    the network's for the coordinator; empty for other roles. Least recently verified first."""
    query = Service.objects.not_verified_since(stale_cutoff(now))
    if access.can_moderate(actor):
        pass
    elif access.can(actor, access.EDIT):
        query = query.filter(organisation_id=actor.organisation_id)
    else:
        return Service.objects.none()  # type: ignore[no-any-return]
    return query.select_related(*LIST_JOINS, "last_verified_by").order_by(  # type: ignore[no-any-return]
        "last_verified_at", "id"
    )


def service_detail(service: Service) -> Service:
    """One entry with everything its page shows (reached through ``access`` first)."""
    return (
        _with_details(Service.objects.filter(pk=service.pk))
        .prefetch_related(  # type: ignore[no-any-return]
            "nationalities", "population_categories"
        )
        .get()
    )


def public_services(
    *,
    service_type: Any = None,
    place: AdminUnit | None = None,
    language: Any = None,
) -> QuerySet[Service]:
    """The public directory (no login): published entries of active organisations, with their
    hours, channels and languages. Filters: service type (a ``Code``), place (region,
    department or commune), a language spoken."""
    query: Any = Service.objects.published().filter(organisation__is_active=True)
    if service_type is not None:
        query = query.filter(service_type=service_type)
    if language is not None:
        query = query.filter(languages=language)
    query = _place_filter(query, place)
    return _with_details(query).order_by("region__pcode", "name_fr", "id")  # type: ignore[no-any-return]


def services_of_focal_point(user: Any) -> QuerySet[Service]:
    """Entries a user keeps as focal point (for a home panel)."""
    return Service.objects.entries().filter(  # type: ignore[no-any-return]
        Q(focal_point=user), ~Q(status=Status.ARCHIVED)
    )


def services_for_export(
    actor: Any, *, service_type: Any = None, place: AdminUnit | None = None
) -> QuerySet[Service]:
    """Entries a staff export holds: the network's published entries and every entry of the
    actor's organisation (not other organisations' submissions, even for the moderator: an
    export is what the network has agreed on, plus one's own work). No revisions. Without
    joins: ``exports.export_queryset`` adds what the files read."""
    query = access.visible_services(actor).filter(
        Q(status=Status.PUBLISHED) | Q(organisation_id=actor.organisation_id),
        revision_of__isnull=True,
    )
    if service_type is not None:
        query = query.filter(service_type=service_type)
    return _place_filter(query, place).order_by("name_fr", "id")


def public_services_for_export(
    *, service_type: Any = None, place: AdminUnit | None = None
) -> QuerySet[Service]:
    """The public export: published entries of active organisations, as the public directory
    lists them. Without joins (see ``services_for_export``)."""
    query: Any = Service.objects.published().filter(organisation__is_active=True)
    if service_type is not None:
        query = query.filter(service_type=service_type)
    return _place_filter(query, place).order_by("name_fr", "id")  # type: ignore[no-any-return]


def focal_point_choices(organisation_id: int) -> QuerySet[Any]:
    """Who may be named focal point of an entry kept by the organisation: its active users
    holding ``directory.edit``, by name."""
    roles = [role for role, perms in MATRIX.items() if access.EDIT in perms]
    holds = UserRole.objects.filter(user=OuterRef("pk"), role__in=roles)
    return (  # type: ignore[no-any-return]
        User.objects.filter(organisation_id=organisation_id, is_active=True)
        .filter(Exists(holds))
        .order_by("first_name", "last_name", "username")
    )
