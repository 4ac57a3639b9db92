"""The people pages: the access matrix of every page, identity shown and audited only where
allowed, the list's query count, search and filters."""

from __future__ import annotations

from typing import Any

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from kariya.core.models import AuditAction, AuditEvent
from kariya.geo.models import AdminUnit
from kariya.people import services
from kariya.people.factories import code, register, services_consent
from kariya.people.models import ConsentScope, DocumentStatus, Identity, Sex


@pytest.fixture(autouse=True)
def english_pages(client: Any) -> None:
    """Pages are French first; these tests read the English source messages."""
    client.defaults["HTTP_ACCEPT_LANGUAGE"] = "en"


@pytest.fixture
def moussa(org_a: Any) -> Any:
    return register(
        org_a["caseworker"],
        given_names="Moussa Ibrahim",
        family_names="Ag Mohamed",
        phone_numbers=["+227 96 11 22 33"],
        documents=[
            services.DocumentInput(
                document_type=code("document_type", "passport"),
                status=DocumentStatus.HELD,
                number="NA-123456",
            )
        ],
        migration=services.MigrationInput(
            current_commune=AdminUnit.objects.get(pcode="NE001003001")
        ),
        consents=[services_consent(), services_consent(scope=ConsentScope.FOLLOW_UP)],
    )


@pytest.fixture
def relative(org_a: Any, moussa: Any) -> Any:
    person = register(org_a["caseworker"], given_names="Aïcha", sex=Sex.FEMALE)
    services.household_link_add(
        actor=org_a["caseworker"],
        person=moussa,
        relative=person,
        relationship=code("relationship", "spouse"),
    )
    return person


def _urls(moussa: Any, relative: Any) -> dict[str, str]:
    pid = moussa.public_id
    document = moussa.documents.get()
    link = moussa.household_links.get()
    consent = moussa.consents.filter(scope=ConsentScope.FOLLOW_UP).get()
    return {
        "detail": reverse("people:person_detail", args=[pid]),
        "edit": reverse("people:person_edit", args=[pid]),
        "identity": reverse("people:identity_edit", args=[pid]),
        "document_add": reverse("people:document_add", args=[pid]),
        "document_edit": reverse("people:document_edit", args=[document.public_id]),
        "document_remove": reverse("people:document_remove", args=[document.public_id]),
        "migration": reverse("people:migration_edit", args=[pid]),
        "household_add": reverse("people:household_add", args=[pid]),
        "household_remove": reverse("people:household_remove", args=[link.public_id]),
        "consent_add": reverse("people:consent_add", args=[pid]),
        "consent_withdraw": reverse("people:consent_withdraw", args=[consent.public_id]),
        "legal_basis": reverse("people:legal_basis_record", args=[pid]),
    }


RECORD_PAGES = [
    "detail",
    "edit",
    "identity",
    "document_add",
    "document_edit",
    "document_remove",
    "migration",
    "household_add",
    "household_remove",
    "consent_add",
    "consent_withdraw",
    "legal_basis",
]
WRITE_PAGES = [name for name in RECORD_PAGES if name != "detail"]


# --- the access matrix ------------------------------------------------------------------------


@pytest.mark.parametrize("page", RECORD_PAGES)
def test_record_pages_access_matrix(
    client: Any, login: Any, org_a: Any, org_b: Any, moussa: Any, relative: Any, page: str
) -> None:
    url = _urls(moussa, relative)[page]
    anonymous = client.get(url)
    assert anonymous.status_code == 302
    assert reverse("accounts:login") in anonymous["Location"]
    assert login(org_a["monitor"]).get(url).status_code == 404
    assert login(org_b["caseworker"]).get(url).status_code == 404
    assert login(org_b["supervisor"]).get(url).status_code == 404
    assert login(org_a["caseworker"]).get(url).status_code == 200
    assert login(org_a["supervisor"]).get(url).status_code == 200


@pytest.mark.parametrize("page", WRITE_PAGES)
def test_gbv_focal_point_cannot_reach_write_pages(
    login: Any, org_a: Any, moussa: Any, relative: Any, page: str
) -> None:
    assert login(org_a["gbv_focal_point"]).get(_urls(moussa, relative)[page]).status_code == 404


@pytest.mark.parametrize(
    "name", ["people:person_list", "people:person_register", "people:formset_row"]
)
def test_list_register_and_rows_access_matrix(
    client: Any, login: Any, org_a: Any, name: str
) -> None:
    url = (
        reverse(name, args=["documents"]) + "?documents-TOTAL_FORMS=1"
        if name == "people:formset_row"
        else reverse(name)
    )
    anonymous = client.get(url)
    assert anonymous.status_code == 302
    assert reverse("accounts:login") in anonymous["Location"]
    assert login(org_a["monitor"]).get(url).status_code == 404
    assert login(org_a["caseworker"]).get(url).status_code == 200


def test_list_of_other_organisation_shows_none_of_ours(
    login: Any, org_a: Any, org_b: Any, moussa: Any
) -> None:
    response = login(org_b["caseworker"]).get(reverse("people:person_list"))
    assert response.status_code == 200
    assert moussa.case_code not in response.content.decode()
    response = login(org_a["caseworker"]).get(reverse("people:person_list"))
    assert moussa.case_code in response.content.decode()


def test_register_page_is_not_for_the_gbv_focal_point(login: Any, org_a: Any) -> None:
    assert login(org_a["gbv_focal_point"]).get(reverse("people:person_register")).status_code == 404


def test_writes_are_refused_to_the_other_organisation(
    login: Any, org_a: Any, org_b: Any, moussa: Any, relative: Any
) -> None:
    urls = _urls(moussa, relative)
    client = login(org_b["caseworker"])
    assert client.post(urls["document_remove"]).status_code == 404
    assert client.post(urls["consent_withdraw"], {"reason": ""}).status_code == 404
    assert client.post(urls["household_remove"]).status_code == 404
    assert moussa.documents.count() == 1
    assert moussa.consents.filter(withdrawn_at__isnull=True).count() == 2
    assert moussa.household_links.count() == 1


def test_unknown_row_kind_is_404(login: Any, org_a: Any) -> None:
    url = reverse("people:formset_row", args=["nothing"]) + "?nothing-TOTAL_FORMS=1"
    assert login(org_a["caseworker"]).get(url).status_code == 404


def test_row_endpoint_renders_the_next_row_and_the_new_count(login: Any, org_a: Any) -> None:
    url = reverse("people:formset_row", args=["documents"]) + "?documents-TOTAL_FORMS=2"
    html = login(org_a["caseworker"]).get(url).content.decode()
    assert 'name="documents-2-number"' in html
    assert 'id="id_documents-TOTAL_FORMS" hx-swap-oob="true"' in html
    assert 'value="3"' in html


# --- identity: hidden or audited --------------------------------------------------------------


def _identity_reads(user: Any) -> int:
    return AuditEvent.objects.filter(
        actor=user, action=AuditAction.READ, object_type="people.identity"
    ).count()


def test_identity_hidden_from_gbv_focal_point(login: Any, org_a: Any, moussa: Any) -> None:
    gbv = org_a["gbv_focal_point"]
    client = login(gbv)
    detail = client.get(reverse("people:person_detail", args=[moussa.public_id])).content.decode()
    assert moussa.case_code in detail
    for secret in ("Moussa", "Mohamed", "96 11", "+22796112233", "NA-123456"):
        assert secret not in detail
    listing = client.get(reverse("people:person_list")).content.decode()
    assert moussa.case_code in listing
    assert "Moussa" not in listing
    assert 'name="name"' not in listing
    assert 'name="phone"' not in listing
    assert _identity_reads(gbv) == 0


def test_gbv_focal_point_cannot_search_by_name_through_the_url(
    login: Any, org_a: Any, moussa: Any
) -> None:
    response = login(org_a["gbv_focal_point"]).get(reverse("people:person_list"), {"name": "Zzz"})
    # The name filter is ignored (not applied as "nobody"), and reveals nothing.
    assert moussa.case_code in response.content.decode()


def test_identity_shown_and_audited_for_caseworker(login: Any, org_a: Any, moussa: Any) -> None:
    user = org_a["caseworker"]
    before = _identity_reads(user)
    html = login(user).get(reverse("people:person_detail", args=[moussa.public_id]))
    content = html.content.decode()
    assert "Moussa Ibrahim" in content
    assert "+22796112233" in content
    assert "NA-123456" in content
    assert _identity_reads(user) == before + 1


def test_list_audits_the_identities_it_shows(login: Any, org_a: Any, moussa: Any) -> None:
    user = org_a["caseworker"]
    register(user, given_names="Fatima")
    response = login(user).get(reverse("people:person_list"))
    assert "Fatima" in response.content.decode()
    assert _identity_reads(user) == 2


# --- list: queries, search, filters ----------------------------------------------------------


def _count_list_queries(client: Any) -> int:
    """Queries of the list once the filters' choices are kept (kariya.core.memo), as they are
    on a running server."""
    client.get(reverse("people:person_list"))
    with CaptureQueriesContext(connection) as ctx:
        assert client.get(reverse("people:person_list")).status_code == 200
    return len(ctx.captured_queries)


def test_list_query_count_does_not_grow_with_rows(login: Any, org_a: Any) -> None:
    user = org_a["caseworker"]
    client = login(user)
    commune = AdminUnit.objects.get(pcode="NE001003001")
    for _i in range(2):
        register(user, migration=services.MigrationInput(current_commune=commune))
    few = _count_list_queries(client)
    for _i in range(8):
        register(
            user,
            nationalities=[],
            migration=services.MigrationInput(current_commune=commune),
            population_category=code("population_category", "transit"),
        )
    assert _count_list_queries(client) == few


@pytest.mark.parametrize(("role", "queries"), [("caseworker", 8), ("gbv_focal_point", 6)])
def test_list_query_count_is_fixed(
    login: Any, org_a: Any, django_assert_num_queries: Any, role: str, queries: int
) -> None:
    from kariya.core import memo

    for _i in range(3):
        register(org_a["caseworker"])
    client = login(org_a[role])
    # session, user, roles, count, page, nationalities, [identities, audit insert]: the same
    # for 3 rows or 50; and once a minute (core.memo) the reference data the page offers or
    # shows: country names, population categories, communes.
    memo.reference_changed()
    with django_assert_num_queries(queries + 3):
        client.get(reverse("people:person_list"))
    with django_assert_num_queries(queries):
        client.get(reverse("people:person_list"))


@pytest.mark.parametrize("text", ["Moussa", "MOUSA", "musa", "moussa ag"])
def test_search_by_name_variant(login: Any, org_a: Any, moussa: Any, text: str) -> None:
    issa = register(org_a["caseworker"], given_names="Issa", family_names="Garba")
    html = login(org_a["caseworker"]).post(reverse("people:person_list"), {"name": text})
    content = html.content.decode()
    assert moussa.case_code in content
    assert issa.case_code not in content


def test_htmx_filter_returns_only_the_rows(login: Any, org_a: Any, moussa: Any) -> None:
    response = login(org_a["caseworker"]).post(
        reverse("people:person_list"), {"name": "mousa"}, HTTP_HX_REQUEST="true"
    )
    content = response.content.decode()
    assert moussa.case_code in content
    assert "<html" not in content
    assert "<form" not in content


def test_filters_combine(login: Any, org_a: Any, moussa: Any) -> None:
    user = org_a["caseworker"]
    woman = register(user, given_names="Moussa", sex=Sex.FEMALE)
    elsewhere = register(
        user,
        migration=services.MigrationInput(
            current_commune=AdminUnit.objects.get(pcode="NE008001001")
        ),
    )
    client = login(user)

    def found(**params: str) -> set[str]:
        content = client.post(reverse("people:person_list"), params, follow=True).content.decode()
        return {p.case_code for p in (moussa, woman, elsewhere) if p.case_code in content}

    assert found(name="moussa") == {moussa.case_code, woman.case_code, elsewhere.case_code}
    assert found(name="moussa", sex="female") == {woman.case_code}
    assert found(name="moussa", sex="male", commune="NE001003001") == {moussa.case_code}
    assert found(sex="male", commune="NE008001001") == {elsewhere.case_code}
    assert found(phone="96112233", sex="male") == {moussa.case_code}
    assert found(phone="96112233", sex="female") == set()
    assert found(document="na 123456") == {moussa.case_code}
    assert found(case_code=moussa.case_code.lower()) == {moussa.case_code}


def test_population_category_filter(login: Any, org_a: Any) -> None:
    user = org_a["caseworker"]
    category = code("population_category", "transit")
    listed = register(user, population_category=category)
    other = register(user)
    content = (
        login(user)
        .get(reverse("people:person_list"), {"population_category": category.code})
        .content.decode()
    )
    assert listed.case_code in content
    assert other.case_code not in content


def test_category_filter_offers_labels_in_the_reader_language(login: Any, org_a: Any) -> None:
    """The category choices are kept between requests (core.memo), per language."""
    client = login(org_a["caseworker"])
    pages = {}
    for language in ("fr", "en", "fr"):
        client.cookies["django_language"] = language
        pages[language] = client.get(reverse("people:person_list")).content.decode()
        assert 'value="transit"' in pages[language]
    assert "Migrant en transit" in pages["fr"]
    assert "Migrant in transit" not in pages["fr"]
    assert "Migrant in transit" in pages["en"]


def test_list_shows_each_person_nationalities_in_the_reader_language(
    login: Any, org_a: Any
) -> None:
    from kariya.geo.models import Country

    user = org_a["caseworker"]
    niger, mali, chad = (Country.objects.get(iso3=c) for c in ("NER", "MLI", "TCD"))
    two = register(user, nationalities=[niger, mali])
    one = register(user, nationalities=[chad])
    none = register(user, nationalities=[])
    client = login(user)
    rows = {}
    for language in ("fr", "en"):
        client.cookies["django_language"] = language
        response = client.get(reverse("people:person_list"))
        rows[language] = {r["person"].pk: r["nationalities"] for r in response.context["rows"]}
    assert rows["fr"][two.pk] == f"{mali.name_fr}, {niger.name_fr}"
    assert rows["en"][two.pk] == f"{mali.name_en}, {niger.name_en}"
    assert rows["fr"][one.pk] == chad.name_fr and rows["en"][one.pk] == chad.name_en
    assert rows["fr"][none.pk] == "—"


def test_list_orders_and_paginates(login: Any, org_a: Any) -> None:
    user = org_a["caseworker"]
    people = [register(user) for _i in range(3)]
    client = login(user)
    newest = client.get(reverse("people:person_list")).content.decode()
    assert newest.index(people[2].case_code) < newest.index(people[0].case_code)
    oldest = client.get(reverse("people:person_list"), {"order": "oldest"}).content.decode()
    assert oldest.index(people[0].case_code) < oldest.index(people[2].case_code)
    by_code = client.get(reverse("people:person_list"), {"order": "case_code"}).content.decode()
    codes = sorted(p.case_code for p in people)
    assert by_code.index(codes[0]) < by_code.index(codes[2])


def test_a_long_list_says_more_than_instead_of_counting_everyone(
    login: Any, org_a: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    from kariya.core import paging
    from kariya.people import views

    monkeypatch.setattr(paging, "COUNT_FLOOR", 2)
    monkeypatch.setattr(views, "PAGE_SIZE", 2)
    user = org_a["caseworker"]
    for _i in range(5):
        register(user)
    client = login(user)
    first = client.get(reverse("people:person_list")).content.decode()
    assert "More than 4 people" in first
    assert "Page 1 of more than 2" in first
    last = client.get(reverse("people:person_list"), {"page": "3"}).content.decode()
    assert "5 people" in last and "More than" not in last
    assert "Page 3 of 3" in last


def test_empty_states(login: Any, org_a: Any) -> None:
    client = login(org_a["caseworker"])
    assert "No person registered yet." in client.get(reverse("people:person_list")).content.decode()
    content = client.post(reverse("people:person_list"), {"name": "Nobody"}).content.decode()
    assert "No person matches these filters." in content


def test_identity_row_read_is_not_audited_for_other_org_people(
    login: Any, org_a: Any, org_b: Any, moussa: Any
) -> None:
    user = org_b["caseworker"]
    login(user).get(reverse("people:person_list"))
    assert _identity_reads(user) == 0
    assert Identity.objects.filter(person=moussa).exists()


def test_person_page_query_count_does_not_grow_with_the_ledger(
    login: Any, org_a: Any, moussa: Any, relative: Any
) -> None:
    user = org_a["caseworker"]
    client = login(user)
    url = reverse("people:person_detail", args=[moussa.public_id])

    def count() -> int:
        with CaptureQueriesContext(connection) as ctx:
            assert client.get(url).status_code == 200
        return len(ctx.captured_queries)

    before = count()
    for _i in range(4):
        services.consent_record(
            actor=user,
            person=moussa,
            scope=ConsentScope.REFERRAL,
            given_by="self",
            method="signature",
            language=code("language", "fra"),
            recipient_organisation=org_a.org,
            restrictions=[services.RestrictionInput(withhold="health", audience="donors")],
        )
        services.document_add(
            actor=user,
            person=moussa,
            data=services.DocumentInput(
                document_type=code("document_type", "national_id"), status=DocumentStatus.LOST
            ),
        )
        services.household_link_add(
            actor=user,
            person=moussa,
            relative=register(user),
            relationship=code("relationship", "sibling"),
        )
    assert count() == before


@pytest.mark.parametrize(
    "params",
    [
        {"name": "Moussa " * 20},  # longer than the field allows
        {"name": "Issa", "commune": "NE999999999"},  # a commune that does not exist
        {"phone": "9" * 31},
        {"sex": "neither"},
    ],
)
def test_invalid_filters_show_nobody_rather_than_everybody(
    login: Any, org_a: Any, moussa: Any, params: dict[str, str]
) -> None:
    # An invalid criterion must not silently drop every filter: that would list (and read the
    # identities of) the whole organisation for a search that meant a few people.
    user = org_a["caseworker"]
    before = _identity_reads(user)
    response = login(user).post(reverse("people:person_list"), params)
    assert response.status_code == 200
    content = response.content.decode()
    assert moussa.case_code not in content
    assert "Moussa Ibrahim" not in content
    assert 'class="errorlist"' in content
    assert _identity_reads(user) == before
