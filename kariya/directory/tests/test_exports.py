"""Exports of the directory: four ways on every URL; the CSV's HXL row read back by libhxl;
the HSDS document validated against the schemas shipped in ``directory/schemas``; the XLSX's
two sheets; what the public and the staff files hold; audit; filters; flat query counts."""

from __future__ import annotations

import datetime
import io
import json
from pathlib import Path
from typing import Any

import hxl
import jsonschema
import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone
from openpyxl import load_workbook
from referencing import Registry, Resource

from kariya.accounts.factories import UserFactory
from kariya.codelists.models import Code
from kariya.core.models import AuditAction, AuditEvent
from kariya.directory import exports, selectors
from kariya.directory.factories import draft, published
from kariya.directory.models import Service
from kariya.directory.services import Channel, Hours
from kariya.geo.models import AdminUnit, Country

pytestmark = pytest.mark.django_db

SCHEMAS = Path(exports.__file__).parent / "schemas"
STAFF = ["/directory/export/csv/", "/directory/export/xlsx/", "/directory/export/hsds/"]
PUBLIC = [
    "/directory/export/public/csv/",
    "/directory/export/public/xlsx/",
    "/directory/export/public/hsds/",
]
T = datetime.time


def body(response: Any) -> bytes:
    if response.streaming:
        return b"".join(response.streaming_content)
    return b"".join(response)


@pytest.fixture
def entries(org_a: Any, org_b: Any) -> dict[str, Service]:
    fp_a, fp_b = org_a["service_focal_point"], org_b["service_focal_point"]
    fp_a.first_name, fp_a.last_name = "Aïcha", "Focale"
    fp_a.save()
    coord_a, coord_b = org_a["network_coordinator"], org_b["network_coordinator"]
    rich = published(
        fp_a,
        coord_b,
        name_fr="Écoute et orientation",
        name_ar="استماع وتوجيه",
        service_type=Code.objects.get(list="service_type", code="mhpss"),
        hours=(
            *(Hours(day, T(8), T(12, 30)) for day in range(5)),
            *(Hours(day, T(15), T(18)) for day in range(4)),
            Hours(5, T(9), T(12)),
        ),
        languages=(
            Code.objects.get(list="language", code="fra"),
            Code.objects.get(list="language", code="hau"),
        ),
        channels=(
            Channel("phone", "+227 90 12 34 56"),
            Channel("whatsapp", "+227 96 00 00 01"),
            Channel("email", "ecoute@alpha.example"),
            Channel("website", "https://alpha.example/ecoute"),
        ),
        nationalities=(Country.objects.get(iso3="NGA"),),
        min_age=12,
        max_age=25,
        cost="fee",
        fee_note="=1+1 500 F CFA",
    )
    return {
        "rich": rich,
        "draft_a": draft(fp_a, name_fr="Brouillon Alpha"),
        "published_b": published(
            fp_b, coord_a, name_fr="Abri Bêta", commune=AdminUnit.objects.get(pcode="NE008001001")
        ),
        "draft_b": draft(fp_b, name_fr="Brouillon Bêta"),
    }


def hxl_rows(data: bytes) -> list[dict[str, str]]:
    source = hxl.data(hxl.input.make_input(io.BytesIO(data), hxl.InputOptions(allow_local=True)))
    tags = [column.get_display_tag(sort_attributes=False) for column in source.columns]
    return [dict(zip(tags, row.values, strict=True)) for row in source]


def validator() -> jsonschema.Draft202012Validator:
    resources = []
    for path in SCHEMAS.glob("*.json"):
        schema = json.loads(path.read_text(encoding="utf-8"))
        resources.append((schema["$id"], Resource.from_contents(schema)))
    registry: Registry = Registry().with_resources(resources)
    root = json.loads((SCHEMAS / "hsds_export.json").read_text(encoding="utf-8"))
    jsonschema.Draft202012Validator.check_schema(root)
    return jsonschema.Draft202012Validator(
        root, registry=registry, format_checker=jsonschema.FormatChecker()
    )


# --- four ways --------------------------------------------------------------------------------


@pytest.mark.parametrize("url", STAFF)
def test_staff_exports_four_ways(
    client: Any, login: Any, org_a: Any, org_b: Any, entries: dict[str, Service], url: str
) -> None:
    assert client.get(url).status_code == 302  # anonymous: to the log-in page
    roleless = UserFactory(username="alpha_noroles", organisation=org_a.org, roles=[])
    assert login(roleless).get(url).status_code == 404
    other = body(login(org_b["caseworker"]).get(url))
    right = body(login(org_a["caseworker"]).get(url))
    if url.endswith("xlsx/"):
        other = _xlsx_text(other).encode()
        right = _xlsx_text(right).encode()
    assert b"Brouillon Alpha" in right and b"Brouillon Alpha" not in other
    assert "Brouillon Bêta".encode() not in right and "Brouillon Bêta".encode() in other
    for data in (right, other):
        assert "Écoute et orientation".encode() in data and "Abri Bêta".encode() in data


@pytest.mark.parametrize("url", PUBLIC)
def test_public_exports_hold_published_entries_only(
    client: Any, login: Any, org_a: Any, entries: dict[str, Service], url: str
) -> None:
    for user in (None, org_a["network_coordinator"]):
        if user is not None:
            login(user)
        response = client.get(url)
        assert response.status_code == 200
        data = body(response)
        text = _xlsx_text(data) if url.endswith("xlsx/") else data.decode("utf-8-sig")
        assert "Écoute et orientation" in text and "Abri Bêta" in text
        assert "Brouillon" not in text
        assert "Aïcha" not in text and "Focale" not in text  # no focal point
        assert "alpha_service_focal_point" not in text
    assert not AuditEvent.objects.filter(action=AuditAction.EXPORT).exists()


def _xlsx_text(data: bytes) -> str:
    workbook = load_workbook(io.BytesIO(data), read_only=True)
    return "\n".join(
        "\t".join("" if v is None else str(v) for v in row)
        for sheet in workbook.worksheets
        for row in sheet.iter_rows(values_only=True)
    )


# --- CSV and HXL ------------------------------------------------------------------------------


def test_csv_hxl_row_read_back_by_libhxl(
    client: Any, login: Any, org_a: Any, entries: dict[str, Service]
) -> None:
    response = login(org_a["caseworker"]).get("/directory/export/csv/")
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    assert response["Content-Disposition"].startswith('attachment; filename="kariya-annuaire-')
    data = body(response)
    assert data.startswith("\ufeffIdentifiant;Organisation;".encode())  # BOM, ; for Excel
    rows = {row["#meta+id"]: row for row in hxl_rows(data)}
    assert len(rows) == 3
    rich = rows[str(entries["rich"].public_id)]
    assert rich["#org+name"] == org_a.org.name
    assert rich["#service+type+code"] == "mhpss"
    assert rich["#service+name+i_ar"] == "استماع وتوجيه"
    assert rich["#adm1+code"] == "NE001" and rich["#adm1+name"] == "Agadez"
    assert rich["#adm3+code"] == "NE001003001" and rich["#adm3+name"] == "Bilma"
    assert rich["#geo+lat"] == "18.47557" and rich["#geo+lon"] == "13.93054"
    assert rich["#service+hours"] == (
        "MO,TU,WE,TH 08:00-12:30, 15:00-18:00; FR 08:00-12:30; SA 09:00-12:00"
    )
    assert rich["#service+languages+code"] == "fra | hau"
    assert rich["#service+eligible+age+min"] == "12"
    assert rich["#service+eligible+country+code"] == "NGA"
    assert rich["#contact+phone"] == "+22790123456"  # E.164, written as is
    assert rich["#contact+phone+whatsapp"] == "+22796000001"
    assert rich["#contact+email"] == "ecoute@alpha.example"
    assert rich["#service+cost"] == "fee"
    assert rich["#service+cost+note"] == "'=1+1 500 F CFA"  # formula neutralised
    assert rich["#status+moderation"] == "published"
    assert rich["#contact+name+focal"] == "Aïcha Focale"
    assert rich["#date+verified"] == timezone.localdate().isoformat()
    assert rows[str(entries["draft_a"].public_id)]["#status+moderation"] == "draft"


def test_every_column_has_a_distinct_valid_hashtag() -> None:
    for staff in (True, False):
        columns = exports.columns_for(staff=staff)
        tags = [hxl.model.Column.parse(c.hashtag) for c in columns]
        assert all(tag is not None and tag.tag for tag in tags)
        assert len({t.get_display_tag(sort_attributes=True) for t in tags}) == len(columns)
    public = {c.hashtag for c in exports.columns_for(staff=False)}
    assert "#contact +name +focal" not in public and "#status +moderation" not in public


def test_filters_and_bad_filter(
    client: Any, login: Any, org_a: Any, entries: dict[str, Service]
) -> None:
    client = login(org_a["caseworker"])
    by_type = hxl_rows(body(client.get("/directory/export/csv/?service_type=mhpss")))
    assert [r["#service+name+i_fr"] for r in by_type] == ["Écoute et orientation"]
    niamey = hxl_rows(body(client.get("/directory/export/public/csv/?place=NE008")))
    assert [r["#service+name+i_fr"] for r in niamey] == ["Abri Bêta"]
    assert client.get("/directory/export/csv/?place=NE999").status_code == 400
    assert client.get("/directory/export/hsds/?service_type=nothing").status_code == 400


def test_staff_export_is_audited_without_values(
    client: Any, login: Any, org_a: Any, entries: dict[str, Service]
) -> None:
    client = login(org_a["caseworker"])
    body(client.get("/directory/export/xlsx/?place=NE001"))
    event = AuditEvent.objects.get(action=AuditAction.EXPORT)
    assert event.actor == org_a["caseworker"]
    assert event.object_type == "directory.service"
    assert sorted(event.changed_fields) == ["count:2", "filter:place", "format:xlsx"]


# --- XLSX -------------------------------------------------------------------------------------


def test_xlsx_has_french_headers_hxl_row_and_column_sheet(
    client: Any, login: Any, org_a: Any, entries: dict[str, Service]
) -> None:
    response = login(org_a["caseworker"]).get("/directory/export/xlsx/")
    assert 'filename="kariya-annuaire-' in response["Content-Disposition"]
    workbook = load_workbook(io.BytesIO(body(response)), read_only=True)
    assert workbook.sheetnames == ["Annuaire", "Colonnes"]
    sheet = list(workbook["Annuaire"].iter_rows(values_only=True))
    columns = exports.columns_for(staff=True)
    assert list(sheet[0]) == [c.header for c in columns]
    assert list(sheet[1]) == [c.hashtag for c in columns]
    assert len(sheet) == 2 + 3
    fee = [c.header for c in columns].index("Tarif")
    assert "'=1+1 500 F CFA" in [row[fee] for row in sheet[2:]]
    legend = list(workbook["Colonnes"].iter_rows(values_only=True))
    assert legend[0] == ("Colonne", "Hashtag HXL", "Signification")
    assert len(legend) == 1 + len(columns)


# --- HSDS -------------------------------------------------------------------------------------


@pytest.mark.parametrize("url", ["/directory/export/hsds/", "/directory/export/public/hsds/"])
def test_hsds_export_validates_against_the_schema(
    client: Any, login: Any, org_a: Any, entries: dict[str, Service], url: str
) -> None:
    response = login(org_a["caseworker"]).get(url)
    assert response["Content-Type"].startswith("application/json")
    document = json.loads(body(response))
    validator().validate(document)
    assert document["hsds_version"] == "3.0"
    services = {s["id"]: s for s in document["services"]}
    rich = services[str(entries["rich"].public_id)]
    assert rich["status"] == "active"
    assert rich["minimum_age"] == 12 and rich["maximum_age"] == 25
    assert rich["url"] == "https://alpha.example/ecoute"
    assert [(s["byday"], s["opens_at"], s["closes_at"]) for s in rich["schedules"]] == [
        ("MO,TU,WE,TH,FR", "08:00", "12:30"),
        ("MO,TU,WE,TH", "15:00", "18:00"),
        ("SA", "09:00", "12:00"),
    ]
    assert [p["number"] for p in rich["phones"]] == ["+22790123456", "+22796000001"]
    assert [language["code"] for language in rich["languages"]] == ["fra", "hau"]
    assert rich["cost_options"][0]["option"] == "Fee"
    assert rich["attributes"][0]["taxonomy_term"]["code"] == "mhpss"
    location_id = rich["service_at_locations"][0]["location_id"]
    location = next(loc for loc in document["locations"] if loc["id"] == location_id)
    assert location["external_identifier"] == "NE001003001"
    assert location["addresses"][0]["state_province"] == "Agadez"
    organisation_ids = {o["id"] for o in document["organizations"]}
    assert {s["organization_id"] for s in document["services"]} == organisation_ids
    if "public" in url:
        assert len(services) == 2 and rich["contacts"] == []
    else:
        assert len(services) == 3
        assert rich["contacts"][0]["name"] == "Aïcha Focale"
        assert services[str(entries["draft_a"].public_id)]["status"] == "inactive"


def test_the_schema_catches_a_broken_document(org_a: Any, entries: dict[str, Service]) -> None:
    """The validation can fail: a wrong status, a missing name, an unknown field."""
    query = selectors.services_for_export(org_a["caseworker"])
    document = json.loads(
        "".join(exports.hsds_json(query, staff=True, generated_at=timezone.now()))
    )
    check = validator()
    check.validate(document)
    for breakage in (
        lambda d: d["services"][0].update(status="open"),
        lambda d: d["services"][0].pop("name"),
        lambda d: d["services"][0].update(colour="blue"),
        lambda d: d["services"][0]["schedules"][0].update(byday="Monday"),
        lambda d: d["locations"][0]["addresses"][0].update(country="Niger"),
    ):
        broken = json.loads(json.dumps(document))
        breakage(broken)
        with pytest.raises(jsonschema.ValidationError):
            check.validate(broken)


# --- queries ----------------------------------------------------------------------------------


def _queries(client: Any, url: str) -> int:
    with CaptureQueriesContext(connection) as queries:
        body(client.get(url))
    return len(queries)


@pytest.mark.parametrize("url", [*STAFF, *PUBLIC])
def test_export_queries_do_not_grow_with_entries(
    client: Any, login: Any, org_a: Any, org_b: Any, entries: dict[str, Service], url: str
) -> None:
    client = login(org_a["caseworker"])
    few = _queries(client, url)
    for number in range(6):
        published(org_b["service_focal_point"], org_a["network_coordinator"], name_fr=f"S {number}")
    assert _queries(client, url) == few


def test_readme_documents_every_column() -> None:
    readme = (Path(exports.__file__).parent / "README.md").read_text(encoding="utf-8")
    for column in exports.COLUMNS:
        assert f"| {column.header} | `{column.hashtag}` |" in readme, column.header


def test_public_export_leaves_out_deactivated_organisations(
    client: Any, org_b: Any, entries: dict[str, Service]
) -> None:
    org_b.org.is_active = False
    org_b.org.save()
    names = [r["#service+name+i_fr"] for r in hxl_rows(body(client.get(PUBLIC[0])))]
    assert names == ["Écoute et orientation"]


def test_chunks_keep_every_entry_with_its_details(
    monkeypatch: Any, org_a: Any, entries: dict[str, Service]
) -> None:
    """Entries are read in chunks with their prefetches per chunk: with chunks of 2, the three
    entries come out whole, hours and channels with the right entry."""
    monkeypatch.setattr(exports, "CHUNK", 2)
    query = selectors.services_for_export(org_a["caseworker"])
    rows = hxl_rows("".join(exports.csv_lines(query, staff=True)).encode("utf-8"))
    assert len(rows) == 3
    by_name = {r["#service+name+i_fr"]: r for r in rows}
    assert by_name["Écoute et orientation"]["#contact+phone"] == "+22790123456"
    assert by_name["Abri Bêta"]["#service+hours"] == "MO,TU,WE,TH,FR 08:00-17:00"
    document = json.loads(
        "".join(exports.hsds_json(query, staff=True, generated_at=timezone.now()))
    )
    assert len(document["services"]) == len(document["locations"]) == 3
