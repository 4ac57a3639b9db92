"""Every write to sites and admin units. Each function is one use case, atomic, validating
and audited. Sites and admin units are network-wide reference data: no organisation owns them.
"""

from __future__ import annotations

import math
from collections import Counter
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils.translation import gettext as _

from kariya.core.audit import audit_record
from kariya.core.models import AuditAction
from kariya.geo.loading import LoadReport, decode_table, load_admin_units, parse_admin_units
from kariya.geo.models import AdminLevel, AdminUnit, Site, SiteKind

if TYPE_CHECKING:
    from kariya.accounts.models import User

# Niger's extent, rounded outwards (the COD-AB boundaries span 0.17–16.00°E, 11.70–23.53°N).
# The messages in _check_coordinates spell these figures out (so translators write 16,5).
NIGER_LON = (0.0, 16.5)
NIGER_LAT = (11.5, 23.6)
SITE_FIELDS = ("name", "kind", "region", "commune", "description", "lon", "lat", "is_active")


def _add(errors: dict[str, list[str]], field: str, message: str) -> None:
    errors.setdefault(field, []).append(message)


def _check_place(site: Site, errors: dict[str, list[str]]) -> None:
    """The commune must be a commune; the region is the commune's, or chosen when none."""
    commune, region = site.commune, site.region
    if commune is not None and commune.level != AdminLevel.COMMUNE:
        _add(errors, "commune", _("Choose a commune, not a region or a department."))
        return
    if region is not None and region.level != AdminLevel.REGION:
        _add(errors, "region", _("Choose a region."))
        return
    if commune is not None:
        commune_region = AdminUnit.objects.get(pcode=commune.region_pcode)
        if region is not None and region.pk != commune_region.pk:
            _add(
                errors,
                "region",
                _("The commune %(commune)s is in the region of %(region)s.")
                % {"commune": commune.name_fr, "region": commune_region.name_fr},
            )
            return
        site.region = commune_region
    elif region is None:
        _add(errors, "region", _("Give the site's region, or its commune if it has one."))


def _check_coordinates(site: Site, errors: dict[str, list[str]]) -> None:
    if (site.lat is None) != (site.lon is None):
        missing = "lat" if site.lat is None else "lon"
        _add(errors, missing, _("Give both the latitude and the longitude, or neither."))
    if site.lon is not None and not (
        math.isfinite(site.lon) and NIGER_LON[0] <= site.lon <= NIGER_LON[1]
    ):
        _add(errors, "lon", _("The longitude must be between 0 and 16.5 (degrees east), in Niger."))
    if site.lat is not None and not (
        math.isfinite(site.lat) and NIGER_LAT[0] <= site.lat <= NIGER_LAT[1]
    ):
        _add(
            errors,
            "lat",
            _("The latitude must be between 11.5 and 23.6 (degrees north), in Niger."),
        )


def _validate_site(site: Site) -> None:
    """Collect every problem at once, so that a form shows them all."""
    site.name = " ".join((site.name or "").split())
    site.description = (site.description or "").strip()
    errors: dict[str, list[str]] = {}
    try:
        # The place and the kind get the clearer messages below.
        site.full_clean(
            exclude=["commune", "region", "kind"],
            validate_unique=False,
            validate_constraints=False,
        )
    except ValidationError as exc:
        for field, messages in exc.message_dict.items():
            for message in messages:
                _add(errors, field, message)
    if site.kind not in SiteKind.values:
        _add(errors, "kind", _("Choose a kind of site from the list."))
    _check_place(site, errors)
    _check_coordinates(site, errors)
    if (
        site.name
        and "name" not in errors
        and Site.objects.filter(name__iexact=site.name, kind=site.kind).exclude(pk=site.pk).exists()
    ):
        _add(errors, "name", _("A site of this kind with this name already exists."))
    if errors:
        raise ValidationError(errors)


def _save(site: Site) -> None:
    try:
        with transaction.atomic():
            site.save()
    except IntegrityError:
        # Someone saved the same name and kind between our check and our write.
        raise ValidationError(
            {"name": _("A site of this kind with this name already exists.")}
        ) from None


@transaction.atomic
def site_create(
    *,
    actor: User,
    name: str,
    kind: str,
    commune: AdminUnit | None = None,
    region: AdminUnit | None = None,
    description: str = "",
    lon: float | None = None,
    lat: float | None = None,
) -> Site:
    """Add a site. Names are unique per kind; a site lies in one region, and in one commune
    when it has one; coordinates, when given, are both given and fall inside Niger."""
    site = Site(
        name=name,
        kind=kind,
        commune=commune,
        region=region,
        description=description,
        lon=lon,
        lat=lat,
    )
    _validate_site(site)
    _save(site)
    given = [f for f in SITE_FIELDS if getattr(site, f) not in (None, "")]
    audit_record(actor=actor, action=AuditAction.CREATE, obj=site, changed_fields=given)
    return site


@transaction.atomic
def site_update(*, actor: User, site: Site, **fields: Any) -> Site:
    """Edit a site (same rules as ``site_create``); ``is_active=False`` retires it. A site is
    never deleted: incidents and services refer to it."""
    unknown = set(fields) - set(SITE_FIELDS)
    if unknown:
        raise TypeError(f"site_update() got unexpected fields: {sorted(unknown)}")
    before = {name: getattr(site, name) for name in SITE_FIELDS}
    for name, value in fields.items():
        setattr(site, name, value)
    if "commune" in fields and "region" not in fields and site.commune is not None:
        site.region = None  # derived from the new commune
    _validate_site(site)
    changed = [name for name in SITE_FIELDS if getattr(site, name) != before[name]]
    if not changed:
        return site
    _save(site)
    audit_record(actor=actor, action=AuditAction.UPDATE, obj=site, changed_fields=changed)
    return site


@dataclass(frozen=True)
class AdminUnitImport:
    report: LoadReport
    units_by_level: dict[int, int]
    dry_run: bool


@transaction.atomic
def admin_units_import(
    *, actor: User | None, data: bytes, dry_run: bool = False
) -> AdminUnitImport:
    """Load an OCHA COD-AB admin-3 table or Kariya's own table of admin units.

    All or nothing: a file with any bad row raises ``AdminUnitFileError`` listing every
    problem, and nothing is written. Loading the same file twice changes nothing. Each unit
    added or changed is audited under its P-code; ``dry_run`` writes nothing at all.
    """
    rows = parse_admin_units(decode_table(data))
    report = load_admin_units(AdminUnit, rows, dry_run=dry_run)
    if not dry_run:
        for pcode in report.added:
            audit_record(
                actor=actor,
                action=AuditAction.CREATE,
                object_type="geo.adminunit",
                object_id=pcode,
                changed_fields=["pcode", "level", "name_fr", "name_ref", "parent"],
            )
        for pcode in report.changed:
            audit_record(
                actor=actor,
                action=AuditAction.UPDATE,
                object_type="geo.adminunit",
                object_id=pcode,
                changed_fields=[name for name, _before, _after in report.changes[pcode]],
            )
    levels = Counter(row.level for row in rows)
    return AdminUnitImport(
        report=report, units_by_level={lvl: levels[lvl] for lvl in (1, 2, 3)}, dry_run=dry_run
    )
