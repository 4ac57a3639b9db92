"""Every write to the service directory. Each function is one use case: keyword-only, atomic,
validating (``ValidationError`` with a translated message, nothing written), checking the
actor's right (``PermissionDenied``), refusing a stale copy (``expected_version``,
``code="stale"``), and audited with the names of the fields it set, never their values.

Moderation (see README.md):

    draft --submit--> submitted --approve--> published --archive--> archived --restore--> draft
      ^                   |
      +-----reject--------+   (reason required; an edit of a submitted entry also goes back)

A published entry is changed through a pending revision (``service_revise``): a draft copy
that is edited, submitted and moderated like any draft and merged into the published entry on
approval, so the public copy stays online meanwhile. Availability and verification are
operational facts, not content: the focal point sets them on the published entry directly.
"""

from __future__ import annotations

import datetime
from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Any

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.mail import send_mail
from django.core.validators import URLValidator, validate_email
from django.db import transaction
from django.urls import NoReverseMatch, reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from kariya.accounts.models import User
from kariya.accounts.roles import MATRIX, permissions_for
from kariya.codelists.models import Code
from kariya.core.audit import audit_record
from kariya.core.locking import save_versioned, stale_error
from kariya.core.models import AuditAction
from kariya.directory import access
from kariya.directory.models import (
    Availability,
    ChannelKind,
    ContactChannel,
    Cost,
    EligibleSex,
    OpeningHours,
    Service,
    Status,
)
from kariya.geo.models import AdminLevel, AdminUnit, Country, Site
from kariya.people.phones import to_e164

STALE_AFTER_DAYS = 90
REMIND_AGAIN_AFTER_DAYS = 14
MAX_RANGES_PER_DAY = 2
MAX_CHANNELS = 10
MAX_AGE = 120
# Where the reminder's link points until the staff pages name a URL "directory:stale_list".
STALE_LIST_PATH = "/directory/stale/"


# --- input ----------------------------------------------------------------------------------


@dataclass(frozen=True)
class Hours:
    """One opening range: ``weekday`` 0 (Monday) … 6 (Sunday). A day without a range is
    closed; two ranges make a split day."""

    weekday: int
    opens_at: datetime.time
    closes_at: datetime.time


@dataclass(frozen=True)
class Channel:
    kind: str
    value: str = ""
    note: str = ""


@dataclass(frozen=True)
class ServiceContent:
    """What an editor writes: everything but ownership, moderation, availability and
    verification. ``service_create`` and ``service_update`` take the whole content (an edit
    replaces it, as a form does)."""

    service_type: Code
    name_fr: str
    focal_point: User
    site: Site | None = None
    commune: AdminUnit | None = None
    address: str = ""
    name_en: str = ""
    name_ha: str = ""
    name_ar: str = ""
    description_fr: str = ""
    description_en: str = ""
    description_ha: str = ""
    description_ar: str = ""
    is_public_service: bool = False
    provider_name: str = ""
    hours: Sequence[Hours] = ()
    hours_note: str = ""
    languages: Sequence[Code] = ()
    eligible_sex: str = EligibleSex.ALL
    min_age: int | None = None
    max_age: int | None = None
    nationalities: Sequence[Country] = ()
    population_categories: Sequence[Code] = ()
    eligibility_note: str = ""
    cost: str = Cost.FREE
    fee_note: str = ""
    capacity: int | None = None
    channels: Sequence[Channel] = ()


# The scalar fields of the content, copied by revisions and merged on approval.
CONTENT_FIELDS = (
    "service_type",
    "name_fr",
    "name_en",
    "name_ha",
    "name_ar",
    "description_fr",
    "description_en",
    "description_ha",
    "description_ar",
    "is_public_service",
    "provider_name",
    "site",
    "commune",
    "region",
    "address",
    "hours_note",
    "eligible_sex",
    "min_age",
    "max_age",
    "eligibility_note",
    "cost",
    "fee_note",
    "capacity",
    "focal_point",
)
M2M_FIELDS = ("languages", "nationalities", "population_categories")
TEXT_LIMITS = {
    "name_fr": 200,
    "name_en": 200,
    "name_ha": 200,
    "name_ar": 200,
    "description_fr": 5000,
    "description_en": 5000,
    "description_ha": 5000,
    "description_ar": 5000,
    "provider_name": 200,
    "address": 250,
    "hours_note": 200,
    "eligibility_note": 300,
    "fee_note": 200,
}


@dataclass
class _Cleaned:
    scalars: dict[str, Any]
    m2m: dict[str, list[Any]]
    hours: list[Hours]
    channels: list[Channel]


# --- checks ---------------------------------------------------------------------------------


def _require(allowed: bool) -> None:
    if not allowed:
        raise PermissionDenied(_("You are not allowed to do this."))


def _text(value: str, name: str, *, required: bool = False) -> str:
    value = (value or "").strip()
    if required and not value:
        raise ValidationError({name: _("This field is required.")})
    if len(value) > TEXT_LIMITS[name]:
        raise ValidationError({name: _("This text is too long.")})
    return value


def _codes(codes: Iterable[Code], list_name: str, name: str) -> list[Code]:
    cleaned = list(dict.fromkeys(codes))
    for code in cleaned:
        if code.list != list_name or not code.is_active:
            raise ValidationError({name: _("Choose codes from the list.")})
    return cleaned


def _place(site: Site | None, commune: AdminUnit | None) -> tuple[AdminUnit | None, AdminUnit]:
    """The commune and region of an entry: a commune, a site, or both when they agree."""
    if site is None and commune is None:
        raise ValidationError({"commune": _("Give the commune or the site of the service.")})
    if commune is not None and (commune.level != AdminLevel.COMMUNE or not commune.is_active):
        raise ValidationError({"commune": _("Choose an active commune.")})
    if site is not None:
        if not site.is_active:
            raise ValidationError({"site": _("Choose an active site.")})
        if commune is not None and site.commune_id not in (None, commune.pk):
            raise ValidationError({"site": _("This site is not in the chosen commune.")})
        commune = commune or site.commune
    pcode = commune.region_pcode if commune is not None else None
    if pcode is None and site is not None and site.region_id is not None:
        return None, site.region  # type: ignore[return-value]
    if pcode is None:
        raise ValidationError({"commune": _("Give the commune or the site of the service.")})
    return commune, AdminUnit.objects.get(pcode=pcode, level=AdminLevel.REGION)


def _editors_of(organisation_id: int) -> Any:
    """Active users of the organisation whose roles grant ``directory.edit``."""
    roles = [role for role, perms in MATRIX.items() if access.EDIT in perms]
    return User.objects.filter(
        organisation_id=organisation_id, is_active=True, roles__role__in=roles
    ).distinct()


def _check_focal_point(user: User | None, organisation_id: int) -> User:
    if (
        user is None
        or not user.is_active
        or user.organisation_id != organisation_id
        or access.EDIT not in permissions_for(user.role_codes())
    ):
        raise ValidationError(
            {
                "focal_point": _(
                    "Choose an active service focal point of the organisation that keeps the entry."
                )
            }
        )
    return user


def _check_hours(hours: Iterable[Hours]) -> list[Hours]:
    cleaned = sorted(set(hours), key=lambda h: (h.weekday, h.opens_at))
    by_day: dict[int, list[Hours]] = defaultdict(list)
    for item in cleaned:
        if item.weekday not in range(7):
            raise ValidationError({"hours": _("Choose a day of the week.")})
        if item.closes_at <= item.opens_at:
            raise ValidationError({"hours": _("A service closes after it opens.")})
        day = by_day[item.weekday]
        if day and day[-1].closes_at > item.opens_at:
            raise ValidationError({"hours": _("Two opening ranges of one day overlap.")})
        day.append(item)
        if len(day) > MAX_RANGES_PER_DAY:
            raise ValidationError(
                {"hours": _("Give at most two opening ranges a day (morning and afternoon).")}
            )
    return cleaned


def _check_channels(channels: Iterable[Channel]) -> list[Channel]:
    cleaned: list[Channel] = []
    for channel in channels:
        kind = channel.kind
        value = (channel.value or "").strip()
        note = (channel.note or "").strip()
        if kind not in ChannelKind.values:
            raise ValidationError({"channels": _("Choose one of the listed values.")})
        if len(value) > 200 or len(note) > 200:
            raise ValidationError({"channels": _("This text is too long.")})
        if kind in (ChannelKind.PHONE, ChannelKind.WHATSAPP):
            try:
                value = str(to_e164(value))  # a plain str for the database
            except ValidationError as exc:
                raise ValidationError({"channels": exc.messages}) from exc
        elif kind == ChannelKind.EMAIL:
            try:
                validate_email(value)
            except ValidationError as exc:
                raise ValidationError({"channels": _("Enter a valid e-mail address.")}) from exc
        elif kind == ChannelKind.WEBSITE:
            try:
                URLValidator(schemes=["http", "https"])(value)
            except ValidationError as exc:
                raise ValidationError({"channels": _("Enter a valid web address.")}) from exc
        elif kind == ChannelKind.OTHER and not value:
            raise ValidationError({"channels": _("Say how to reach the service.")})
        cleaned.append(Channel(kind=kind, value=value, note=note))
    if len(cleaned) > MAX_CHANNELS:
        raise ValidationError({"channels": _("Give at most ten contact channels.")})
    return cleaned


def _clean(content: ServiceContent, organisation_id: int) -> _Cleaned:
    s: dict[str, Any] = {}
    for name in TEXT_LIMITS:
        s[name] = _text(getattr(content, name), name, required=name == "name_fr")
    code = content.service_type
    if code is None or code.list != "service_type" or not code.is_active:
        raise ValidationError({"service_type": _("Choose a service type from the list.")})
    s["service_type"] = code
    s["is_public_service"] = bool(content.is_public_service)
    if s["is_public_service"] and not s["provider_name"]:
        raise ValidationError(
            {"provider_name": _("Name the public body that provides this service.")}
        )
    s["site"] = content.site
    s["commune"], s["region"] = _place(content.site, content.commune)
    if content.eligible_sex not in EligibleSex.values:
        raise ValidationError({"eligible_sex": _("Choose one of the listed values.")})
    s["eligible_sex"] = content.eligible_sex
    for name in ("min_age", "max_age"):
        age = getattr(content, name)
        if age is not None and not 0 <= age <= MAX_AGE:
            raise ValidationError({name: _("Give an age between 0 and 120.")})
        s[name] = age
    if s["min_age"] is not None and s["max_age"] is not None and s["min_age"] > s["max_age"]:
        raise ValidationError({"max_age": _("The maximum age is below the minimum age.")})
    if content.cost not in Cost.values:
        raise ValidationError({"cost": _("Choose one of the listed values.")})
    s["cost"] = content.cost
    if s["cost"] == Cost.FEE and not s["fee_note"]:
        raise ValidationError({"fee_note": _("Say what the service costs.")})
    if s["cost"] == Cost.FREE:
        s["fee_note"] = ""
    if content.capacity is not None and content.capacity < 0:
        raise ValidationError({"capacity": _("The capacity cannot be negative.")})
    s["capacity"] = content.capacity
    s["focal_point"] = _check_focal_point(content.focal_point, organisation_id)
    nationalities = list(dict.fromkeys(content.nationalities))
    if any(not c.is_active for c in nationalities):
        raise ValidationError({"nationalities": _("Choose countries from the list.")})
    return _Cleaned(
        scalars=s,
        m2m={
            "languages": _codes(content.languages, "language", "languages"),
            "nationalities": nationalities,
            "population_categories": _codes(
                content.population_categories, "population_category", "population_categories"
            ),
        },
        hours=_check_hours(content.hours),
        channels=_check_channels(content.channels),
    )


def _value_of(service: Service, name: str) -> Any:
    """A field's comparable value (the id for a foreign key)."""
    concrete = Service._meta.get_field(name)
    return getattr(service, concrete.attname)  # type: ignore[union-attr]


def _hours_of(service: Service) -> list[Hours]:
    return [Hours(h.weekday, h.opens_at, h.closes_at) for h in service.hours.all()]


def _channels_of(service: Service) -> list[Channel]:
    return [Channel(c.kind, c.value, c.note) for c in service.channels.all()]


def _write_children(service: Service, cleaned: _Cleaned) -> list[str]:
    """Replace M2M sets, hours and channels; return the names of those that changed."""
    changed: list[str] = []
    for name, values in cleaned.m2m.items():
        manager = getattr(service, name)
        if {v.pk for v in values} != set(manager.values_list("pk", flat=True)):
            manager.set(values)
            changed.append(name)
    if _hours_of(service) != cleaned.hours:
        service.hours.all().delete()
        OpeningHours.objects.bulk_create(
            OpeningHours(
                service=service, weekday=h.weekday, opens_at=h.opens_at, closes_at=h.closes_at
            )
            for h in cleaned.hours
        )
        changed.append("hours")
    if _channels_of(service) != cleaned.channels:
        service.channels.all().delete()
        ContactChannel.objects.bulk_create(
            ContactChannel(service=service, kind=c.kind, value=c.value, note=c.note, order=i)
            for i, c in enumerate(cleaned.channels)
        )
        changed.append("channels")
    return changed


def _locked(service: Service, expected_version: int) -> Service:
    """The entry as stored now, locked for the transaction; a stale copy is refused."""
    try:
        fresh: Service = Service.objects.select_for_update().get(pk=service.pk)
    except Service.DoesNotExist as exc:
        raise stale_error() from exc
    if fresh.version != expected_version:
        raise stale_error()
    return fresh


# --- content --------------------------------------------------------------------------------


@transaction.atomic
def service_create(*, actor: User, content: ServiceContent) -> Service:
    """A new draft entry of the actor's organisation, by a service focal point (or the network
    coordinator). Only the network coordinator adds public services (kept by its
    organisation, naming the public provider)."""
    _require(access.can(actor, access.EDIT))
    if content.is_public_service:
        _require(access.can_moderate(actor))
    organisation_id: int = actor.organisation_id  # type: ignore[assignment]
    cleaned = _clean(content, organisation_id)
    service = Service(
        organisation_id=organisation_id,
        created_by=actor,
        updated_by=actor,
        status=Status.DRAFT,
        **cleaned.scalars,
    )
    service.save()
    children = _write_children(service, cleaned)
    fields = [n for n in CONTENT_FIELDS if cleaned.scalars.get(n) not in (None, "")]
    audit_record(
        actor=actor, action=AuditAction.CREATE, obj=service, changed_fields=[*fields, *children]
    )
    return service


@transaction.atomic
def service_update(
    *, actor: User, service: Service, expected_version: int, content: ServiceContent
) -> Service:
    """Replace the content of a draft or submitted entry, or of a pending revision. A submitted
    one goes back to draft (to be submitted again). A published entry is changed through
    ``service_revise``; an archived one is restored first. Returns the entry as saved."""
    _require(access.can_edit_service(actor, service))
    fresh = _locked(service, expected_version)
    if fresh.status == Status.PUBLISHED:
        raise ValidationError(
            _("A published entry is changed through a revision: start one to edit it.")
        )
    if fresh.status == Status.ARCHIVED:
        raise ValidationError(_("This entry is archived: restore it first."))
    if content.is_public_service != fresh.is_public_service:
        _require(access.can_moderate(actor))
    cleaned = _clean(content, fresh.organisation_id)
    changed = [
        name
        for name, value in cleaned.scalars.items()
        if _value_of(fresh, name) != (value.pk if hasattr(value, "pk") else value)
    ]
    for name, value in cleaned.scalars.items():
        setattr(fresh, name, value)
    moderation: list[str] = []
    if fresh.status == Status.SUBMITTED:
        fresh.status = Status.DRAFT
        fresh.submitted_at = None
        fresh.submitted_by = None
        moderation = ["status", "submitted_at", "submitted_by"]
    save_versioned(
        fresh,
        expected_version=expected_version,
        fields=[*CONTENT_FIELDS, *moderation],
        actor=actor,
    )
    changed += _write_children(fresh, cleaned)
    audit_record(
        actor=actor, action=AuditAction.UPDATE, obj=fresh, changed_fields=[*changed, *moderation]
    )
    return fresh


@transaction.atomic
def service_revise(*, actor: User, service: Service) -> Service:
    """The pending revision of a published entry: the existing one, or a new draft copy of the
    entry's content. The published entry stays online, unchanged, until the revision is
    approved."""
    _require(access.can_edit_service(actor, service))
    fresh: Service = Service.objects.select_for_update().get(pk=service.pk)
    if fresh.status != Status.PUBLISHED or fresh.is_revision:
        raise ValidationError(_("Only a published entry is revised; edit this one directly."))
    existing = Service.objects.filter(revision_of=fresh).first()
    if existing is not None:
        return existing  # type: ignore[no-any-return]
    revision = Service(
        organisation_id=fresh.organisation_id,
        created_by=actor,
        updated_by=actor,
        status=Status.DRAFT,
        revision_of=fresh,
        availability=fresh.availability,
        **{name: getattr(fresh, name) for name in CONTENT_FIELDS},
    )
    revision.save()
    for name in M2M_FIELDS:
        getattr(revision, name).set(getattr(fresh, name).all())
    OpeningHours.objects.bulk_create(
        OpeningHours(
            service=revision, weekday=h.weekday, opens_at=h.opens_at, closes_at=h.closes_at
        )
        for h in fresh.hours.all()
    )
    ContactChannel.objects.bulk_create(
        ContactChannel(service=revision, kind=c.kind, value=c.value, note=c.note, order=c.order)
        for c in fresh.channels.all()
    )
    audit_record(
        actor=actor, action=AuditAction.CREATE, obj=revision, changed_fields=["revision_of"]
    )
    return revision


@transaction.atomic
def service_revision_discard(*, actor: User, revision: Service, expected_version: int) -> None:
    """Drop a pending revision (draft or submitted); the published entry is untouched."""
    _require(access.can_edit_service(actor, revision))
    fresh = _locked(revision, expected_version)
    if not fresh.is_revision:
        raise ValidationError(_("Only a pending revision can be discarded."))
    audit_record(actor=actor, action=AuditAction.DELETE, obj=fresh)
    fresh.delete()


# --- moderation -----------------------------------------------------------------------------


@transaction.atomic
def service_submit(*, actor: User, service: Service, expected_version: int) -> Service:
    """Send a draft (or a pending revision) to the network coordinator for approval."""
    _require(access.can_edit_service(actor, service))
    fresh = _locked(service, expected_version)
    if fresh.status != Status.DRAFT:
        raise ValidationError(_("Only a draft can be submitted."))
    fresh.status = Status.SUBMITTED
    fresh.submitted_at = timezone.now()
    fresh.submitted_by = actor
    fresh.rejection_reason = ""
    fields = ["status", "submitted_at", "submitted_by", "rejection_reason"]
    save_versioned(fresh, expected_version=expected_version, fields=fields, actor=actor)
    audit_record(actor=actor, action=AuditAction.UPDATE, obj=fresh, changed_fields=fields)
    return fresh


def _merge(revision: Service, target: Service, actor: User) -> list[str]:
    """Copy the revision's content onto the published entry, move its hours and channels."""
    changed = [n for n in CONTENT_FIELDS if _value_of(target, n) != _value_of(revision, n)]
    for name in CONTENT_FIELDS:
        setattr(target, name, getattr(revision, name))
    for name in M2M_FIELDS:
        wanted = set(getattr(revision, name).values_list("pk", flat=True))
        if wanted != set(getattr(target, name).values_list("pk", flat=True)):
            getattr(target, name).set(wanted)
            changed.append(name)
    if _hours_of(target) != _hours_of(revision):
        target.hours.all().delete()
        revision.hours.all().update(service=target)
        changed.append("hours")
    if _channels_of(target) != _channels_of(revision):
        target.channels.all().delete()
        revision.channels.all().update(service=target)
        changed.append("channels")
    return changed


@transaction.atomic
def service_approve(*, actor: User, service: Service, expected_version: int) -> Service:
    """Publish a submitted entry, or merge a submitted revision into its published entry (the
    revision is then deleted). The network coordinator decides, never on an entry they
    submitted themselves. The submission counts as a verification by its submitter. Returns
    the published entry."""
    _require(access.can_moderate(actor))
    fresh = _locked(service, expected_version)
    if fresh.status != Status.SUBMITTED:
        raise ValidationError(_("Only a submitted entry can be approved or rejected."))
    if fresh.submitted_by_id == actor.pk:
        raise ValidationError(
            _("You submitted this entry: another network coordinator must approve it.")
        )
    now = timezone.now()
    verification = {
        "moderated_at": now,
        "moderated_by": actor,
        "last_verified_at": fresh.submitted_at or now,
        "last_verified_by_id": fresh.submitted_by_id,
        "stale_flagged_at": None,
        "reminded_at": None,
    }
    if fresh.is_revision:
        target: Service = Service.objects.select_for_update().get(pk=fresh.revision_of_id or 0)
        changed = _merge(fresh, target, actor)
        for name, value in verification.items():
            setattr(target, name, value)
        fields = [*CONTENT_FIELDS, *(n.removesuffix("_id") for n in verification)]
        save_versioned(target, expected_version=target.version, fields=fields, actor=actor)
        audit_record(
            actor=actor,
            action=AuditAction.UPDATE,
            obj=target,
            changed_fields=[*changed, "moderated_at", "last_verified_at"],
        )
        audit_record(actor=actor, action=AuditAction.DELETE, obj=fresh)
        fresh.delete()
        return target
    fresh.status = Status.PUBLISHED
    fresh.published_at = fresh.published_at or now
    for name, value in verification.items():
        setattr(fresh, name, value)
    fields = ["status", "published_at", *(n.removesuffix("_id") for n in verification)]
    save_versioned(fresh, expected_version=expected_version, fields=fields, actor=actor)
    audit_record(actor=actor, action=AuditAction.UPDATE, obj=fresh, changed_fields=fields)
    return fresh


@transaction.atomic
def service_reject(*, actor: User, service: Service, expected_version: int, reason: str) -> Service:
    """Send a submitted entry or revision back to draft, with the reason for its editors."""
    _require(access.can_moderate(actor))
    fresh = _locked(service, expected_version)
    if fresh.status != Status.SUBMITTED:
        raise ValidationError(_("Only a submitted entry can be approved or rejected."))
    reason = (reason or "").strip()
    if not reason:
        raise ValidationError({"reason": _("Say why the entry is rejected.")})
    if len(reason) > 2000:
        raise ValidationError({"reason": _("This text is too long.")})
    fresh.status = Status.DRAFT
    fresh.rejection_reason = reason
    fresh.moderated_at = timezone.now()
    fresh.moderated_by = actor
    fields = ["status", "rejection_reason", "moderated_at", "moderated_by"]
    save_versioned(fresh, expected_version=expected_version, fields=fields, actor=actor)
    audit_record(actor=actor, action=AuditAction.UPDATE, obj=fresh, changed_fields=fields)
    return fresh


@transaction.atomic
def service_archive(*, actor: User, service: Service, expected_version: int) -> Service:
    """Take an entry out of the directory (its editors or the network coordinator). A pending
    revision is discarded with it."""
    _require(access.can_archive_service(actor, service))
    fresh = _locked(service, expected_version)
    if fresh.is_revision:
        raise ValidationError(_("A pending revision is discarded, not archived."))
    if fresh.status == Status.ARCHIVED:
        raise ValidationError(_("This entry is already archived."))
    pending = Service.objects.filter(revision_of=fresh).first()
    if pending is not None:
        audit_record(actor=actor, action=AuditAction.DELETE, obj=pending)
        pending.delete()
    fresh.status = Status.ARCHIVED
    save_versioned(fresh, expected_version=expected_version, fields=["status"], actor=actor)
    audit_record(actor=actor, action=AuditAction.UPDATE, obj=fresh, changed_fields=["status"])
    return fresh


@transaction.atomic
def service_restore(*, actor: User, service: Service, expected_version: int) -> Service:
    """Bring an archived entry back as a draft, to be submitted and approved again."""
    _require(access.can_edit_service(actor, service))
    fresh = _locked(service, expected_version)
    if fresh.status != Status.ARCHIVED:
        raise ValidationError(_("Only an archived entry can be restored."))
    fresh.status = Status.DRAFT
    fresh.submitted_at = None
    fresh.submitted_by = None
    fields = ["status", "submitted_at", "submitted_by"]
    save_versioned(fresh, expected_version=expected_version, fields=fields, actor=actor)
    audit_record(actor=actor, action=AuditAction.UPDATE, obj=fresh, changed_fields=fields)
    return fresh


# --- operational facts ----------------------------------------------------------------------


@transaction.atomic
def service_verify(*, actor: User, service: Service, expected_version: int) -> Service:
    """ "Still accurate": the entry's editor confirms the published entry as it stands. Clears
    the not-verified flag."""
    _require(access.can_edit_service(actor, service))
    fresh = _locked(service, expected_version)
    if fresh.status != Status.PUBLISHED or fresh.is_revision:
        raise ValidationError(_("Only a published entry is verified."))
    fresh.last_verified_at = timezone.now()
    fresh.last_verified_by = actor
    fresh.stale_flagged_at = None
    fresh.reminded_at = None
    fields = ["last_verified_at", "last_verified_by", "stale_flagged_at", "reminded_at"]
    save_versioned(fresh, expected_version=expected_version, fields=fields, actor=actor)
    audit_record(actor=actor, action=AuditAction.UPDATE, obj=fresh, changed_fields=fields)
    return fresh


@transaction.atomic
def service_set_availability(
    *, actor: User, service: Service, expected_version: int, availability: str, note: str = ""
) -> Service:
    """Say at once whether the service can take people (available, limited, full, suspended),
    without moderation: it is a fact of the day, not a change of the entry."""
    _require(access.can_edit_service(actor, service))
    fresh = _locked(service, expected_version)
    if fresh.is_revision or fresh.status == Status.ARCHIVED:
        raise ValidationError(_("Set the availability on the entry itself."))
    if availability not in Availability.values:
        raise ValidationError({"availability": _("Choose one of the listed values.")})
    note = (note or "").strip()
    if len(note) > 200:
        raise ValidationError({"availability_note": _("This text is too long.")})
    fresh.availability = availability
    fresh.availability_note = note
    fresh.availability_updated_at = timezone.now()
    fields = ["availability", "availability_note", "availability_updated_at"]
    save_versioned(fresh, expected_version=expected_version, fields=fields, actor=actor)
    audit_record(actor=actor, action=AuditAction.UPDATE, obj=fresh, changed_fields=fields)
    return fresh


# --- the reminder ---------------------------------------------------------------------------


@dataclass(frozen=True)
class ReminderResult:
    flagged: int  # entries newly flagged as not verified
    reminded: int  # entries whose editors were reminded in this run
    emails: int  # e-mails sent
    unreachable: int  # entries with nobody to e-mail (no active editor with an address)


def stale_cutoff(now: datetime.datetime | None = None) -> datetime.datetime:
    return (now or timezone.now()) - datetime.timedelta(days=STALE_AFTER_DAYS)


def stale_list_url() -> str:
    """The absolute address of the staff list of entries to verify (no personal data)."""
    try:
        path = reverse("directory:stale_list")
    except NoReverseMatch:
        path = STALE_LIST_PATH
    return settings.KARIYA_BASE_URL.rstrip("/") + path


def _recipients(service: Service) -> list[User]:
    focal = service.focal_point
    if focal.is_active and focal.email:
        return [focal]
    return [u for u in _editors_of(service.organisation_id) if u.email]


def _send_reminder(user: User, count: int, link: str) -> None:
    with translation.override(user.preferred_language or settings.LANGUAGE_CODE):
        subject = _("Kariya: service directory entries to verify")
        body = ngettext(
            "%(count)d entry that you keep in the Kariya service directory has not been "
            "verified for %(days)d days. Check it and confirm that it is still accurate, or "
            "correct it:\n\n%(link)s\n",
            "%(count)d entries that you keep in the Kariya service directory have not been "
            "verified for %(days)d days. Check them and confirm that they are still accurate, "
            "or correct them:\n\n%(link)s\n",
            count,
        ) % {"count": count, "days": STALE_AFTER_DAYS, "link": link}
    send_mail(subject, body, None, [user.email])


@transaction.atomic
def directory_remind_stale(*, now: datetime.datetime | None = None) -> ReminderResult:
    """Flag the published entries not verified for ``STALE_AFTER_DAYS`` days and e-mail their
    focal points (or, when the focal point cannot be reached, the organisation's other
    editors) one message each with a link to the list; again every
    ``REMIND_AGAIN_AFTER_DAYS`` days until the entry is verified. The message names no entry
    and no person: a count and a link. Run by the scheduled task; the system is the actor."""
    now = now or timezone.now()
    stale = list(
        Service.objects.not_verified_since(stale_cutoff(now))
        .select_for_update()
        .select_related("focal_point")
        .order_by("pk")
    )
    flagged = 0
    due: list[Service] = []
    remind_before = now - datetime.timedelta(days=REMIND_AGAIN_AFTER_DAYS)
    for service in stale:
        fields = []
        if service.stale_flagged_at is None:
            service.stale_flagged_at = now
            fields.append("stale_flagged_at")
            flagged += 1
        if service.reminded_at is None or service.reminded_at < remind_before:
            due.append(service)
        if fields:
            Service.objects.filter(pk=service.pk).update(stale_flagged_at=now)
            audit_record(actor=None, action=AuditAction.UPDATE, obj=service, changed_fields=fields)
    per_user: dict[int, int] = defaultdict(int)
    users: dict[int, User] = {}
    reminded = unreachable = 0
    for service in due:
        recipients = _recipients(service)
        if not recipients:
            unreachable += 1
            continue
        for user in recipients:
            per_user[user.pk] += 1
            users[user.pk] = user
        reminded += 1
        Service.objects.filter(pk=service.pk).update(reminded_at=now)
        audit_record(
            actor=None, action=AuditAction.UPDATE, obj=service, changed_fields=["reminded_at"]
        )
    link = stale_list_url()

    def send() -> None:
        for pk, count in per_user.items():
            _send_reminder(users[pk], count, link)

    transaction.on_commit(send)
    return ReminderResult(
        flagged=flagged, reminded=reminded, emails=len(per_user), unreachable=unreachable
    )


# --- exports --------------------------------------------------------------------------------


def directory_export_record(
    *, actor: User, file_format: str, count: int, filters: Iterable[str] = ()
) -> None:
    """A staff export of the directory is one audit event (action EXPORT): the format, the
    number of entries and the names of the filters used, never their values. Public exports
    (published entries, no login) are not audited: they hold nothing the public page hides."""
    _require(access.can(actor, access.VIEW))
    audit_record(
        actor=actor,
        action=AuditAction.EXPORT,
        object_type="directory.service",
        changed_fields=[
            f"count:{count}",
            f"format:{file_format}",
            *(f"filter:{name}" for name in filters),
        ],
    )
