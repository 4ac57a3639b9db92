"""Rights-information pages: written by the network coordinator (audited, optimistic locking),
published ones public, text rendered safely."""

from __future__ import annotations

from typing import Any

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.test import Client

from kariya.core.models import AuditEvent
from kariya.public import markup, services
from kariya.public.models import RightsPage
from kariya.public.services import PageContent

pytestmark = pytest.mark.django_db


def content(**overrides: Any) -> PageContent:
    values: dict[str, Any] = {
        "slug": "expulsion",
        "title_fr": "Que faire en cas d'expulsion ?",
        "body_fr": "Restez calme.\n\n- Gardez vos papiers\n- Appelez tel:+227 20 00 00 00",
        "title_ar": "ماذا تفعل عند الطرد؟",
        "body_ar": "حافظ على هدوئك.",
        "is_published": True,
    }
    return PageContent(**(values | overrides))


@pytest.fixture
def page(org_a: Any) -> RightsPage:
    return services.rights_page_create(actor=org_a["network_coordinator"], content=content())


# --- services


def test_create_is_audited_with_field_names(org_a: Any, page: RightsPage) -> None:
    event = AuditEvent.objects.get(object_type="public.rightspage", action="create")
    assert event.object_id == str(page.pk)
    assert "body_fr" in event.changed_fields
    assert "Restez" not in str(event.changed_fields)
    assert page.updated_by == org_a["network_coordinator"]


@pytest.mark.parametrize("role", ["caseworker", "service_focal_point", "org_admin", "dpo"])
def test_only_the_coordinator_writes(org_a: Any, role: str) -> None:
    with pytest.raises(PermissionDenied):
        services.rights_page_create(actor=org_a[role], content=content())
    assert not RightsPage.objects.exists()


def test_french_title_and_text_required_and_slug_checked(org_a: Any) -> None:
    actor = org_a["network_coordinator"]
    with pytest.raises(ValidationError) as error:
        services.rights_page_create(actor=actor, content=content(title_fr=" ", body_fr=""))
    assert {"title_fr", "body_fr"} <= set(error.value.message_dict)
    with pytest.raises(ValidationError) as error:
        services.rights_page_create(actor=actor, content=content(slug="a b/c"))
    assert "slug" in error.value.message_dict
    assert not RightsPage.objects.exists()


def test_slug_unique(org_a: Any, page: RightsPage) -> None:
    with pytest.raises(ValidationError) as error:
        services.rights_page_create(actor=org_a["network_coordinator"], content=content())
    assert "slug" in error.value.message_dict


def test_update_and_stale_copy_refused(org_a: Any, org_b: Any, page: RightsPage) -> None:
    # The pages belong to the network: another organisation's coordinator edits them too.
    updated = services.rights_page_update(
        actor=org_b["network_coordinator"],
        page=page,
        expected_version=1,
        content=content(title_en="What to do when expelled"),
    )
    assert updated.version == 2
    page.refresh_from_db()
    assert page.title_en == "What to do when expelled"
    assert page.updated_by == org_b["network_coordinator"]
    event = AuditEvent.objects.get(object_type="public.rightspage", action="update")
    assert event.changed_fields == ["title_en"]
    stale = RightsPage.objects.get(pk=page.pk)
    with pytest.raises(ValidationError) as error:
        services.rights_page_update(
            actor=org_a["network_coordinator"],
            page=stale,
            expected_version=1,
            content=content(title_en="Overwrite"),
        )
    assert error.value.code == "stale"
    page.refresh_from_db()
    assert page.title_en == "What to do when expelled"


def test_update_refused_to_other_roles(org_a: Any, page: RightsPage) -> None:
    with pytest.raises(PermissionDenied):
        services.rights_page_update(
            actor=org_a["supervisor"], page=page, expected_version=1, content=content()
        )


# --- markup


def test_markup_escapes_html_and_builds_lists() -> None:
    html = markup.render(
        "## Titre\nIntro <script>alert(1)</script>\n\n- un\n- deux\n\nAppelez tel:+227 20 72 00 00."
    )
    assert "<script>" not in html
    assert "&lt;script&gt;" in html
    assert "<h2>Titre</h2>" in html
    assert "<ul><li>un</li><li>deux</li></ul>" in html
    assert '<a href="tel:+22720720000">+227 20 72 00 00</a>' in html


def test_markup_ignores_links_in_html() -> None:
    html = markup.render('<a href="javascript:alert(1)">x</a> tel:"onmouseover')
    assert '<a href="javascript' not in html


# --- public pages


def test_published_page_in_each_language(client: Client, page: RightsPage) -> None:
    html = client.get("/public/ar/rights/expulsion/").content.decode()
    assert "ماذا تفعل عند الطرد؟" in html and 'dir="rtl"' in html
    html = client.get("/public/ha/rights/expulsion/").content.decode()
    assert "Que faire en cas d&#x27;expulsion ?" in html  # no Hausa yet: French
    assert '<a href="tel:+22720000000">' in html
    assert "expulsion" in client.get("/public/en/rights/").content.decode()


def test_unpublished_page_is_404(client: Client, org_a: Any, page: RightsPage) -> None:
    services.rights_page_update(
        actor=org_a["network_coordinator"],
        page=page,
        expected_version=1,
        content=content(is_published=False),
    )
    assert client.get("/public/fr/rights/expulsion/").status_code == 404
    assert "expulsion" not in client.get("/public/fr/rights/").content.decode()
    assert client.get("/public/fr/rights/nothing-here/").status_code == 404


# --- staff pages: anonymous, wrong role, other organisation, right role


STAFF_URLS = ["/information/", "/information/new/", "/information/expulsion/edit/"]


@pytest.mark.parametrize("url", STAFF_URLS)
def test_staff_pages_anonymous_redirected(client: Client, page: RightsPage, url: str) -> None:
    response = client.get(url)
    assert response.status_code == 302
    assert "/accounts/login/" in response["Location"]


@pytest.mark.parametrize("url", STAFF_URLS)
@pytest.mark.parametrize("role", ["caseworker", "service_focal_point", "org_admin"])
def test_staff_pages_wrong_role_404(
    client: Client, org_a: Any, page: RightsPage, url: str, role: str
) -> None:
    client.force_login(org_a[role])
    assert client.get(url).status_code == 404
    assert client.post(url, {"slug": "x"}).status_code == 404


@pytest.mark.parametrize("url", STAFF_URLS)
def test_staff_pages_for_coordinators_of_any_organisation(
    client: Client, org_a: Any, org_b: Any, page: RightsPage, url: str
) -> None:
    for user in (org_a["network_coordinator"], org_b["network_coordinator"]):
        client.force_login(user)
        assert client.get(url).status_code == 200


def test_staff_list_shows_unpublished(client: Client, org_a: Any, page: RightsPage) -> None:
    RightsPage.objects.create(slug="draft-page", title_fr="Brouillon de page", body_fr="x")
    client.force_login(org_a["network_coordinator"])
    html = client.get("/information/").content.decode()
    assert "Brouillon de page" in html and "Que faire" in html


def form_data(**overrides: Any) -> dict[str, Any]:
    data = {
        "slug": "documents",
        "order": "2",
        "is_published": "on",
        "title_fr": "Obtenir ses documents d'état civil",
        "body_fr": "Allez à la mairie.",
        "title_en": "",
        "body_en": "",
        "title_ha": "Samun takardun haihuwa",
        "body_ha": "Ku je ofishin gari.",
        "title_ar": "",
        "body_ar": "",
    }
    return data | overrides


def test_create_and_edit_through_the_form(client: Client, org_a: Any) -> None:
    client.force_login(org_a["network_coordinator"])
    response = client.post("/information/new/", form_data())
    assert response.status_code == 302
    created = RightsPage.objects.get(slug="documents")
    assert created.is_published and created.title_ha == "Samun takardun haihuwa"
    response = client.post(
        "/information/documents/edit/", form_data(version="1", title_en="Civil documents")
    )
    assert response.status_code == 302
    created.refresh_from_db()
    assert created.title_en == "Civil documents" and created.version == 2
    # A second save from the same (now stale) form is refused and says so.
    response = client.post("/information/documents/edit/", form_data(version="1", title_en="Other"))
    assert response.status_code == 400
    created.refresh_from_db()
    assert created.title_en == "Civil documents"


def test_form_errors_are_400(client: Client, org_a: Any) -> None:
    client.force_login(org_a["network_coordinator"])
    response = client.post("/information/new/", form_data(title_fr=""))
    assert response.status_code == 400
    assert not RightsPage.objects.exists()


def test_demo_pages_render_in_the_four_languages(client: Client, org_a: Any) -> None:
    from kariya.demo import information

    assert information.play(org_a["network_coordinator"]) == 4
    for page in information.PAGES:
        for lang in ("fr", "en", "ha", "ar"):
            assert getattr(page, f"title_{lang}") and getattr(page, f"body_{lang}")
            response = client.get(f"/public/{lang}/rights/{page.slug}/")
            assert response.status_code == 200
    html = client.get("/public/ar/rights/emergency-numbers/").content.decode()
    assert '<a href="tel:17">17</a>' in html
    assert '<a href="tel:+22776000000">+227 76 00 00 00</a>' in html


def test_forms_are_labelled(client: Client, org_a: Any, page: RightsPage) -> None:
    from tests.htmlcheck import form_problems

    client.force_login(org_a["network_coordinator"])
    for url in ("/information/new/", "/information/expulsion/edit/", "/public/ar/"):
        assert form_problems(client.get(url).content.decode()) == [], url
