"""The directory as files: CSV with an HXL hashtag row, XLSX, and Open Referral HSDS 3.0 JSON.

Pure functions: they take a queryset of entries (from ``selectors.services_for_export`` or
``selectors.public_services``) and produce the file, reading it in chunks of ``CHUNK`` entries
with their hours, channels and lists prefetched per chunk, so 10,000 entries cost a few dozen
queries and little memory (CSV and HSDS are streamed; XLSX is written in write-only mode to a
temporary file). Who may export what, and the audit event, are decided by the caller
(``export_views`` through ``access`` and ``services.directory_export_record``).

Two audiences, one column table (``COLUMNS``):

- **public** (``staff=False``): published entries only; no focal point, no moderation status;
- **staff** (``staff=True``): also the moderation status and the focal point's *name* (a staff
  member's work identity, which the staff pages show too: whom to ask about an entry). Never the
  focal point's e-mail or phone: the service's own contact channels are the way to reach it.

See README.md, "Exports and API", for the column list, the hashtags and the HSDS mapping.
"""

from __future__ import annotations

import csv
import datetime
import json
import tempfile
import uuid
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass
from typing import IO, Any

from django.db.models import Prefetch, QuerySet

from kariya.directory.models import (
    Availability,
    ChannelKind,
    ContactChannel,
    Cost,
    OpeningHours,
    Service,
    Status,
)

CHUNK = 500
HSDS_VERSION = "3.0"
# Namespace of the ids derived for HSDS objects that have no row of their own (location,
# schedule, phone…): the same entry gives the same ids in every export.
HSDS_NAMESPACE = uuid.UUID("6b1d8a4e-2f7c-4c1e-9a55-3d0f6a2b7c11")
DAYS = ("MO", "TU", "WE", "TH", "FR", "SA", "SU")
LIST_SEPARATOR = " | "
FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


# --- columns --------------------------------------------------------------------------------


@dataclass(frozen=True)
class Column:
    header: str  # French, as the XLSX and CSV files show it
    hashtag: str  # HXL hashtag and attributes (second row)
    value: Callable[[Service], Any]
    description: str  # French, for the "Colonnes" sheet
    staff_only: bool = False
    # Values the services validated into a fixed shape (E.164 phones, codes, numbers, dates):
    # written as they are. Any other text is neutralised against spreadsheet formulas.
    trusted: bool = False


def _date(value: datetime.datetime | None) -> str:
    return value.date().isoformat() if value else ""


def _channels(service: Service, *kinds: str) -> str:
    return LIST_SEPARATOR.join(c.value for c in service.channels.all() if c.kind in kinds)


def _hours(service: Service) -> str:
    """Opening hours as text: days sharing the same ranges grouped, e.g.
    ``MO,TU,WE,TH,FR 08:00-17:00; SA 08:00-12:00``; empty when none is recorded."""
    return "; ".join(
        f"{','.join(DAYS[d] for d in days)} {ranges}" for ranges, days in _day_groups(service)
    )


def _day_groups(service: Service) -> list[tuple[str, list[int]]]:
    by_day: dict[int, list[OpeningHours]] = {}
    for row in service.hours.all():
        by_day.setdefault(row.weekday, []).append(row)
    groups: dict[str, list[int]] = {}
    for day in sorted(by_day):
        key = ", ".join(f"{r.opens_at:%H:%M}-{r.closes_at:%H:%M}" for r in by_day[day])
        groups.setdefault(key, []).append(day)
    return list(groups.items())


def _point(service: Service) -> tuple[float | None, float | None]:
    """Latitude and longitude: the site's, else the commune's representative point."""
    for place in (service.site, service.commune):
        if place is not None and place.lat is not None and place.lon is not None:
            return place.lat, place.lon
    return None, None


def _department(service: Service) -> Any:
    return service.commune.parent if service.commune is not None else None


def _focal_point_name(service: Service) -> str:
    user = service.focal_point
    return str(user.get_full_name() or user.username)


COLUMNS: tuple[Column, ...] = (
    Column(
        "Identifiant",
        "#meta +id",
        lambda s: str(s.public_id),
        "Identifiant public (UUID) de l'entrée ; stable.",
        trusted=True,
    ),
    Column(
        "Organisation",
        "#org +name",
        lambda s: s.organisation.name,
        "Organisation qui tient l'entrée à jour.",
    ),
    Column("Sigle", "#org +acronym", lambda s: s.organisation.acronym, "Sigle de l'organisation."),
    Column(
        "Prestataire",
        "#org +impl +name",
        lambda s: s.provider,
        "Qui fournit le service : le prestataire public nommé, sinon l'organisation.",
    ),
    Column(
        "Service public",
        "#org +impl +public",
        lambda s: "oui" if s.is_public_service else "non",
        "« oui » pour un service public tenu par la coordination du réseau.",
        trusted=True,
    ),
    Column(
        "Code du type de service",
        "#service +type +code",
        lambda s: s.service_type.code,
        "Code de la liste « service_type ».",
        trusted=True,
    ),
    Column(
        "Type de service",
        "#service +type +name",
        lambda s: s.service_type.label_fr,
        "Libellé français du type de service.",
    ),
    Column(
        "Nom (français)", "#service +name +i_fr", lambda s: s.name_fr, "Nom du service en français."
    ),
    Column(
        "Nom (anglais)",
        "#service +name +i_en",
        lambda s: s.name_en,
        "Nom en anglais (vide : voir le français).",
    ),
    Column(
        "Nom (haoussa)",
        "#service +name +i_ha",
        lambda s: s.name_ha,
        "Nom en haoussa (vide : voir le français).",
    ),
    Column(
        "Nom (arabe)",
        "#service +name +i_ar",
        lambda s: s.name_ar,
        "Nom en arabe (vide : voir le français).",
    ),
    Column(
        "Description (français)",
        "#description +i_fr",
        lambda s: s.description_fr,
        "Description en français.",
    ),
    Column(
        "Description (anglais)",
        "#description +i_en",
        lambda s: s.description_en,
        "Description en anglais.",
    ),
    Column(
        "Description (haoussa)",
        "#description +i_ha",
        lambda s: s.description_ha,
        "Description en haoussa.",
    ),
    Column(
        "Description (arabe)",
        "#description +i_ar",
        lambda s: s.description_ar,
        "Description en arabe.",
    ),
    Column(
        "Code P région",
        "#adm1 +code",
        lambda s: s.region.pcode,
        "Code P (COD-AB) de la région.",
        trusted=True,
    ),
    Column("Région", "#adm1 +name", lambda s: s.region.name_fr, "Nom de la région."),
    Column(
        "Code P département",
        "#adm2 +code",
        lambda s: getattr(_department(s), "pcode", ""),
        "Code P du département (vide sans commune).",
        trusted=True,
    ),
    Column(
        "Département",
        "#adm2 +name",
        lambda s: getattr(_department(s), "name_fr", ""),
        "Nom du département.",
    ),
    Column(
        "Code P commune",
        "#adm3 +code",
        lambda s: getattr(s.commune, "pcode", ""),
        "Code P de la commune (vide pour un site hors commune).",
        trusted=True,
    ),
    Column(
        "Commune", "#adm3 +name", lambda s: getattr(s.commune, "name_fr", ""), "Nom de la commune."
    ),
    Column(
        "Site",
        "#loc +name",
        lambda s: getattr(s.site, "name", ""),
        "Site de migration où le service est offert, s'il y en a un.",
    ),
    Column("Adresse", "#loc +address", lambda s: s.address, "Adresse ou repère."),
    Column(
        "Latitude",
        "#geo +lat",
        lambda s: _point(s)[0],
        "Latitude WGS 84 du site, sinon du point de la commune.",
        trusted=True,
    ),
    Column(
        "Longitude",
        "#geo +lon",
        lambda s: _point(s)[1],
        "Longitude WGS 84 du site, sinon du point de la commune.",
        trusted=True,
    ),
    Column(
        "Horaires",
        "#service +hours",
        _hours,
        "Jours (MO … SU) et plages d'ouverture, ex. « MO,TU 08:00-17:00 » ; jour absent : fermé.",
        trusted=True,
    ),
    Column(
        "Note sur les horaires",
        "#service +hours +note",
        lambda s: s.hours_note,
        "Précision sur les horaires.",
    ),
    Column(
        "Langues",
        "#service +languages +code",
        lambda s: LIST_SEPARATOR.join(c.code for c in s.languages.all()),
        "Langues parlées (codes ISO 639-3), séparées par « | ».",
        trusted=True,
    ),
    Column(
        "Public (sexe)",
        "#service +eligible +sex",
        lambda s: s.eligible_sex,
        "all (tout le monde), female (femmes et filles) ou male (hommes et garçons).",
        trusted=True,
    ),
    Column(
        "Âge minimum",
        "#service +eligible +age +min",
        lambda s: s.min_age,
        "Âge minimum en années (inclus) ; vide : pas de minimum.",
        trusted=True,
    ),
    Column(
        "Âge maximum",
        "#service +eligible +age +max",
        lambda s: s.max_age,
        "Âge maximum en années (inclus) ; vide : pas de maximum.",
        trusted=True,
    ),
    Column(
        "Nationalités",
        "#service +eligible +country +code",
        lambda s: LIST_SEPARATOR.join(c.iso3 for c in s.nationalities.all()),
        "Nationalités admises (ISO 3166 alpha-3) ; vide : toutes.",
        trusted=True,
    ),
    Column(
        "Catégories de population",
        "#service +eligible +population +code",
        lambda s: LIST_SEPARATOR.join(c.code for c in s.population_categories.all()),
        "Catégories admises (liste « population_category ») ; vide : toutes.",
        trusted=True,
    ),
    Column(
        "Autres conditions",
        "#service +eligible +note",
        lambda s: s.eligibility_note,
        "Autres conditions d'accès.",
    ),
    Column(
        "Coût", "#service +cost", lambda s: s.cost, "free (gratuit) ou fee (payant).", trusted=True
    ),
    Column(
        "Tarif", "#service +cost +note", lambda s: s.fee_note, "Tarif, quand le service est payant."
    ),
    Column(
        "Capacité",
        "#capacity",
        lambda s: s.capacity,
        "Personnes servies par jour, ou places.",
        trusted=True,
    ),
    Column(
        "Disponibilité",
        "#status +availability",
        lambda s: s.availability,
        "available, limited, full ou suspended.",
        trusted=True,
    ),
    Column(
        "Note sur la disponibilité",
        "#status +availability +note",
        lambda s: s.availability_note,
        "Précision sur la disponibilité.",
    ),
    Column(
        "Disponibilité mise à jour le",
        "#date +availability",
        lambda s: _date(s.availability_updated_at),
        "Date (AAAA-MM-JJ) de la dernière mise à jour de la disponibilité.",
        trusted=True,
    ),
    Column(
        "Téléphones",
        "#contact +phone",
        lambda s: _channels(s, ChannelKind.PHONE),
        "Numéros de téléphone du service (E.164), séparés par « | ».",
        trusted=True,
    ),
    Column(
        "WhatsApp",
        "#contact +phone +whatsapp",
        lambda s: _channels(s, ChannelKind.WHATSAPP),
        "Numéros WhatsApp du service (E.164).",
        trusted=True,
    ),
    Column(
        "Courriels",
        "#contact +email",
        lambda s: _channels(s, ChannelKind.EMAIL),
        "Adresses électroniques du service.",
    ),
    Column(
        "Sites web",
        "#contact +url",
        lambda s: _channels(s, ChannelKind.WEBSITE),
        "Adresses web du service.",
    ),
    Column(
        "Statut",
        "#status +moderation",
        lambda s: s.status,
        "draft, submitted, published ou archived (export du personnel seulement).",
        staff_only=True,
        trusted=True,
    ),
    Column(
        "Point focal",
        "#contact +name +focal",
        _focal_point_name,
        "Nom du point focal qui tient l'entrée à jour (export du personnel seulement ; "
        "jamais son courriel ni son téléphone).",
        staff_only=True,
    ),
    Column(
        "Vérifiée le",
        "#date +verified",
        lambda s: _date(s.last_verified_at),
        "Date (AAAA-MM-JJ) de la dernière vérification.",
        trusted=True,
    ),
)


def columns_for(*, staff: bool) -> tuple[Column, ...]:
    return tuple(c for c in COLUMNS if staff or not c.staff_only)


# --- reading the entries in chunks ----------------------------------------------------------


def export_queryset(query: QuerySet[Service]) -> QuerySet[Service]:
    """Everything the rows read, joined or prefetched (prefetches run once per chunk)."""
    return query.select_related(
        "organisation",
        "service_type",
        "region",
        "commune__parent",
        "site",
        "focal_point",
    ).prefetch_related(
        Prefetch("hours", queryset=OpeningHours.objects.order_by("weekday", "opens_at")),
        Prefetch("channels", queryset=ContactChannel.objects.order_by("order", "id")),
        "languages",
        "nationalities",
        "population_categories",
    )


def _entries(query: QuerySet[Service]) -> Iterator[Service]:
    yield from export_queryset(query).iterator(chunk_size=CHUNK)


# --- CSV and XLSX ---------------------------------------------------------------------------


def neutralise(value: Any) -> Any:
    """A text cell starting with = + - @ (or a tab, a carriage return) is read as a formula by
    spreadsheet programs: it gets a leading apostrophe (OWASP's advice)."""
    if isinstance(value, str) and value.startswith(FORMULA_START):
        return "'" + value
    return value


def rows(query: QuerySet[Service], *, staff: bool) -> Iterator[list[Any]]:
    """The data rows, cells in ``columns_for(staff=staff)`` order."""
    columns = columns_for(staff=staff)
    for service in _entries(query):
        yield [
            column.value(service) if column.trusted else neutralise(column.value(service))
            for column in columns
        ]


class _Echo:
    def write(self, value: str) -> str:
        return value


def csv_lines(query: QuerySet[Service], *, staff: bool) -> Iterator[str]:
    """The CSV file, line by line: UTF-8 with a byte-order mark, ``;``-separated (what French
    Excel opens as is; HXL tools sniff the separator), headers, then the HXL hashtag row."""
    writer = csv.writer(_Echo(), delimiter=";")
    columns = columns_for(staff=staff)
    yield "\ufeff" + writer.writerow([c.header for c in columns])
    yield writer.writerow([c.hashtag for c in columns])
    for row in rows(query, staff=staff):
        yield writer.writerow(["" if v is None else v for v in row])


def xlsx_file(query: QuerySet[Service], *, staff: bool) -> IO[bytes]:
    """The workbook in a temporary file: sheet "Annuaire" (headers, HXL row, entries) and sheet
    "Colonnes" (each column's header, hashtag and meaning). Write-only mode: flat memory."""
    from openpyxl import Workbook
    from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE

    def clean(value: Any) -> Any:
        return ILLEGAL_CHARACTERS_RE.sub("", value) if isinstance(value, str) else value

    columns = columns_for(staff=staff)
    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet(title="Annuaire")
    sheet.append([c.header for c in columns])
    sheet.append([c.hashtag for c in columns])
    for row in rows(query, staff=staff):
        sheet.append([clean(v) for v in row])
    legend = workbook.create_sheet(title="Colonnes")
    legend.append(["Colonne", "Hashtag HXL", "Signification"])
    for column in columns:
        legend.append([column.header, column.hashtag, column.description])
    output = tempfile.TemporaryFile()  # noqa: SIM115 - handed to FileResponse, which closes it
    workbook.save(output)
    output.seek(0)
    return output


# --- HSDS 3.0 JSON --------------------------------------------------------------------------


def _hsds_id(service: Service, *parts: Any) -> str:
    return str(uuid.uuid5(HSDS_NAMESPACE, "/".join([str(service.public_id), *map(str, parts)])))


def _service_status(service: Service) -> str:
    """HSDS ``service.status``: active, inactive, defunct or temporarily closed."""
    if service.status == Status.ARCHIVED:
        return "defunct"
    if service.status != Status.PUBLISHED:
        return "inactive"
    if service.availability == Availability.SUSPENDED:
        return "temporarily closed"
    return "active"


def _without_nulls(data: dict[str, Any]) -> dict[str, Any]:
    """Null fields are left out, as the HSDS examples do, in nested objects too."""
    return {
        key: [_without_nulls(v) if isinstance(v, dict) else v for v in value]
        if isinstance(value, list)
        else _without_nulls(value)
        if isinstance(value, dict)
        else value
        for key, value in data.items()
        if value is not None
    }


def hsds_organization(organisation: Any) -> dict[str, Any]:
    return _without_nulls(
        {
            "id": str(organisation.public_id),
            "name": organisation.name,
            "alternate_name": organisation.acronym,
            "description": organisation.description or organisation.name,
            "email": organisation.email or None,
            "website": organisation.website or None,
        }
    )


def _location(service: Service) -> dict[str, Any]:
    latitude, longitude = _point(service)
    department = _department(service)
    place = service.commune or service.region
    return {
        "id": _hsds_id(service, "location"),
        "location_type": "physical",
        "organization_id": str(service.organisation.public_id),
        "name": service.site.name if service.site else place.name_fr,
        "description": service.address or None,
        "latitude": latitude,
        "longitude": longitude,
        "external_identifier": (service.commune or service.region).pcode,
        "external_identifier_type": "P-code (COD-AB Niger)",
        "addresses": [
            _without_nulls(
                {
                    "id": _hsds_id(service, "address"),
                    "location_id": _hsds_id(service, "location"),
                    "address_1": service.address or place.name_fr,
                    "city": service.commune.name_fr if service.commune else "",
                    "region": department.name_fr if department else None,
                    "state_province": service.region.name_fr,
                    "postal_code": "",
                    "country": "NE",
                    "address_type": "physical",
                }
            )
        ],
    }


def _schedules(service: Service) -> list[dict[str, Any]]:
    """One weekly schedule per group of days sharing the same range (RFC 5545 ``byday``)."""
    schedules = []
    for row in service.hours.all():
        schedules.append(
            {
                "id": _hsds_id(service, "schedule", row.weekday, f"{row.opens_at:%H:%M}"),
                "service_id": str(service.public_id),
                "freq": "WEEKLY",
                "wkst": "MO",
                "interval": 1,
                "byday": DAYS[row.weekday],
                "opens_at": f"{row.opens_at:%H:%M}",
                "closes_at": f"{row.closes_at:%H:%M}",
                "timezone": 1.0,  # Niger: UTC+1, no daylight saving time
                "notes": service.hours_note or None,
            }
        )
    return _merge_days(schedules)


def _merge_days(schedules: list[dict[str, Any]]) -> list[dict[str, Any]]:
    merged: dict[tuple[str, str], dict[str, Any]] = {}
    for schedule in schedules:
        key = (schedule["opens_at"], schedule["closes_at"])
        if key in merged:
            merged[key]["byday"] += "," + schedule["byday"]
        else:
            merged[key] = schedule
    return list(merged.values())


def _phones(service: Service) -> list[dict[str, Any]]:
    kinds = {ChannelKind.PHONE: "voice", ChannelKind.WHATSAPP: "text"}
    return [
        {
            "id": _hsds_id(service, "phone", index),
            "service_id": str(service.public_id),
            "number": channel.value,
            "type": kinds[channel.kind],  # type: ignore[index]
            "description": "WhatsApp" if channel.kind == ChannelKind.WHATSAPP else channel.note,
        }
        for index, channel in enumerate(service.channels.all())
        if channel.kind in kinds
    ]


def _first(service: Service, kind: str) -> str | None:
    return next((c.value for c in service.channels.all() if c.kind == kind), None)


def _eligibility(service: Service) -> str | None:
    parts = []
    if service.eligible_sex != "all":
        parts.append(f"sex: {service.eligible_sex}")
    nationalities = [c.iso3 for c in service.nationalities.all()]
    if nationalities:
        parts.append("nationalities: " + ", ".join(nationalities))
    categories = [c.code for c in service.population_categories.all()]
    if categories:
        parts.append("population categories: " + ", ".join(categories))
    if service.eligibility_note:
        parts.append(service.eligibility_note)
    return "; ".join(parts) or None


def _term_id(service: Service) -> str:
    return str(uuid.uuid5(HSDS_NAMESPACE, f"service_type/{service.service_type.code}"))


def hsds_service(service: Service, *, staff: bool) -> dict[str, Any]:
    """One entry as an HSDS 3.0 service, with its schedules, phones, languages, cost options,
    taxonomy (the service type, as an attribute) and its service-at-location."""
    service_id = str(service.public_id)
    location_id = _hsds_id(service, "location")
    data: dict[str, Any] = {
        "id": service_id,
        "organization_id": str(service.organisation.public_id),
        "name": service.name_fr,
        "alternate_name": service.name_en or None,
        "description": service.description_fr or None,
        "url": _first(service, ChannelKind.WEBSITE),
        "email": _first(service, ChannelKind.EMAIL),
        "status": _service_status(service),
        "fees_description": service.fee_note or None,
        "eligibility_description": _eligibility(service),
        "minimum_age": service.min_age,
        "maximum_age": service.max_age,
        "assured_date": _date(service.last_verified_at) or None,
        "alert": service.availability_note or None,
        "last_modified": service.updated_at.isoformat(),
        "phones": _phones(service),
        "schedules": _schedules(service),
        "languages": [
            {
                "id": _hsds_id(service, "language", language.code),
                "service_id": service_id,
                "name": language.label_en,
                "code": language.code,
            }
            for language in service.languages.all()
        ],
        "cost_options": [
            {
                "id": _hsds_id(service, "cost"),
                "service_id": service_id,
                "option": "Free" if service.cost == Cost.FREE else "Fee",
                "amount": 0 if service.cost == Cost.FREE else None,
                "currency": "XOF",
                "amount_description": service.fee_note or None,
            }
        ],
        "service_at_locations": [
            {
                "id": _hsds_id(service, "service_at_location"),
                "service_id": service_id,
                "location_id": location_id,
            }
        ],
        "attributes": [
            {
                "id": _hsds_id(service, "attribute", "service_type"),
                "link_id": service_id,
                "taxonomy_term_id": _term_id(service),
                "link_type": "service",
                "link_entity": "service",
                "value": service.service_type.code,
                "taxonomy_term": {
                    "id": _term_id(service),
                    "code": service.service_type.code,
                    "name": service.service_type.label_en,
                    "description": service.service_type.label_fr,
                    "taxonomy": "kariya:service_type",
                },
            }
        ],
        "contacts": [],
    }
    if staff:
        data["contacts"] = [
            {
                "id": _hsds_id(service, "contact", "focal_point"),
                "service_id": service_id,
                "name": _focal_point_name(service),
                "title": "Point focal",
            }
        ]
    return _without_nulls(data)


def hsds_location(service: Service) -> dict[str, Any]:
    return _without_nulls(_location(service))


def _json_array(items: Iterable[dict[str, Any]]) -> Iterator[str]:
    first = True
    for item in items:
        yield ("" if first else ",") + json.dumps(item, ensure_ascii=False)
        first = False


def hsds_json(
    query: QuerySet[Service], *, staff: bool, generated_at: datetime.datetime
) -> Iterator[str]:
    """The export document, streamed: ``{"hsds_version", "generated_at", "organizations",
    "services", "locations"}``. Services hold their nested objects and refer to their location
    by ``service_at_locations[].location_id``; locations are listed apart (one per entry), as
    are the organisations keeping the entries. Validated by ``schemas/hsds_export.json``."""
    from kariya.accounts.models import Organisation

    head = {"hsds_version": HSDS_VERSION, "generated_at": generated_at.isoformat()}
    yield json.dumps(head, ensure_ascii=False)[:-1] + ',"organizations":['
    organisations = Organisation.objects.filter(
        pk__in=query.order_by().values("organisation_id")
    ).order_by("name")
    yield from _json_array(hsds_organization(o) for o in organisations.iterator(chunk_size=CHUNK))
    yield '],"services":['
    yield from _json_array(hsds_service(s, staff=staff) for s in _entries(query))
    yield '],"locations":['
    locations = query.select_related("organisation", "region", "commune__parent", "site")
    yield from _json_array(hsds_location(s) for s in locations.iterator(chunk_size=CHUNK))
    yield "]}"


def file_columns(*, staff: bool) -> Sequence[tuple[str, str, str]]:
    """(header, hashtag, description) of each column, for the documentation."""
    return [(c.header, c.hashtag, c.description) for c in columns_for(staff=staff)]
