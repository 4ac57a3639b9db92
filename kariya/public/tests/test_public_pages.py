"""The public directory (no login): four languages, right-to-left Arabic, only published
entries of active organisations, no personal data, small pages."""

from __future__ import annotations

import gzip
import json
import re
from typing import Any

import pytest
from django.test import Client
from django.utils import translation

from kariya.accounts.models import Organisation
from kariya.codelists.models import Code
from kariya.directory import factories
from kariya.directory.models import Service
from kariya.geo.models import AdminUnit
from kariya.public.models import PUBLIC_LANGUAGES, RightsPage

pytestmark = pytest.mark.django_db

KB = 1024


def public_get(client: Client, url: str, **headers: Any) -> Any:
    return client.get(url, headers=headers)


def text(response: Any) -> str:
    return response.content.decode()


def pgettext_in(language: str, msgid: str) -> str:
    with translation.override(language):
        return translation.pgettext("public", msgid)


@pytest.mark.parametrize("lang", PUBLIC_LANGUAGES)
def test_home_in_each_language(client: Client, lang: str, published: Service) -> None:
    response = client.get(f"/public/{lang}/")
    assert response.status_code == 200
    html = text(response)
    assert f'<html lang="{lang}" dir="{"rtl" if lang == "ar" else "ltr"}">' in html
    assert response["Content-Language"] == lang
    assert pgettext_in(lang, "Find help near you") in html
    # The need list speaks the page's language.
    health = Code.objects.get(list="service_type", code="health_care")
    label = {
        "fr": health.label_fr,
        "en": health.label_en,
        "ha": health.label_ha,
        "ar": health.label_ar,
    }
    assert label[lang] in html


def test_the_four_languages_really_differ() -> None:
    titles = {lang: pgettext_in(lang, "Find help near you") for lang in PUBLIC_LANGUAGES}
    assert len(set(titles.values())) == 4, titles
    assert re.search("[\u0600-\u06ff]", titles["ar"])


def test_staff_language_switcher_keeps_two_languages(client: Client, org_a: Any) -> None:
    client.force_login(org_a["caseworker"])
    html = text(client.get("/"))
    assert 'value="en"' in html
    assert 'value="ha"' not in html
    assert 'value="ar"' not in html


def test_arabic_detail_is_right_to_left_with_arabic_name(
    client: Client, published: Service
) -> None:
    html = text(client.get(f"/public/ar/services/{published.public_id}/"))
    assert 'dir="rtl"' in html
    assert "استشارات طبية مجانية" in html
    # Phone numbers stay left-to-right inside the Arabic page.
    assert re.search(r'<a href="tel:\+22790123456" dir="ltr">', html)


def test_language_switcher_links_the_same_page(client: Client, published: Service) -> None:
    html = text(client.get(f"/public/fr/services/{published.public_id}/"))
    for lang in ("en", "ha", "ar"):
        assert f'href="/public/{lang}/services/{published.public_id}/"' in html


def test_name_falls_back_to_french(client: Client, org_a: Any) -> None:
    service = factories.published(
        org_a["service_focal_point"], org_a["network_coordinator"], name_en=""
    )
    html = text(client.get(f"/public/en/services/{service.public_id}/"))
    assert service.name_fr in html


def test_root_redirects_to_the_browser_language(client: Client) -> None:
    response = client.get("/public/", headers={"accept-language": "ha,en;q=0.5"})
    assert response.status_code == 302
    assert response["Location"] == "/public/ha/"
    response = client.get("/public/", headers={"accept-language": "de"})
    assert response["Location"] == "/public/fr/"


def test_unknown_language_is_404(client: Client) -> None:
    assert client.get("/public/de/").status_code == 404


def test_search_by_need_and_place(client: Client, org_a: Any, published: Service) -> None:
    shelter = factories.published(
        org_a["service_focal_point"],
        org_a["network_coordinator"],
        name_fr="Hébergement temporaire à Zinder",
        service_type=Code.objects.get(list="service_type", code="shelter"),
        commune=AdminUnit.objects.get(pcode="NE008001001"),
    )
    html = text(client.get("/public/fr/services/?need=shelter"))
    assert shelter.name_fr in html and published.name_fr not in html
    html = text(client.get("/public/fr/services/?place=NE001"))  # Agadez region
    assert published.name_fr in html and shelter.name_fr not in html
    html = text(client.get("/public/fr/services/?need=health_care&place=NE008001001"))
    assert published.name_fr not in html and shelter.name_fr not in html
    html = text(client.get("/public/fr/services/"))
    assert published.name_fr in html and shelter.name_fr in html
    # The place list offers communes that have an entry.
    assert 'value="NE008001001"' in text(client.get("/public/fr/"))


def test_list_query_count_does_not_grow(
    client: Client, org_a: Any, published: Service, django_assert_max_num_queries: Any
) -> None:
    client.get("/public/fr/services/")  # warm caches (content types, code lists)
    with django_assert_max_num_queries(12) as first:
        client.get("/public/fr/services/")
    for number in range(6):
        factories.published(
            org_a["service_focal_point"], org_a["network_coordinator"], name_fr=f"Service {number}"
        )
    with django_assert_max_num_queries(len(first.captured_queries)):
        response = client.get("/public/fr/services/")
    assert text(response).count('class="card"') == 7


def test_draft_archived_and_inactive_organisation_are_404(
    client: Client, org_a: Any, published: Service, draft: Service, archived: Service
) -> None:
    for service in (draft, archived):
        for suffix in ("", "card/"):
            url = f"/public/fr/services/{service.public_id}/{suffix}"
            assert client.get(url).status_code == 404
    assert client.get(f"/public/fr/services/{published.public_id}/").status_code == 200
    Organisation.objects.filter(pk=org_a.org.pk).update(is_active=False)
    assert client.get(f"/public/fr/services/{published.public_id}/").status_code == 404
    assert published.name_fr not in text(client.get("/public/fr/services/"))
    assert (
        client.get("/public/fr/services/00000000-0000-0000-0000-000000000000/").status_code == 404
    )


def test_pending_revision_is_not_shown(client: Client, org_a: Any, published: Service) -> None:
    from dataclasses import replace

    from kariya.directory import services

    revision = services.service_revise(actor=org_a["service_focal_point"], service=published)
    services.service_update(
        actor=org_a["service_focal_point"],
        service=revision,
        expected_version=revision.version,
        content=replace(
            factories.content(org_a["service_focal_point"]), name_fr="Nom pas approuvé"
        ),
    )
    assert client.get(f"/public/fr/services/{revision.public_id}/").status_code == 404
    assert "Nom pas approuvé" not in text(client.get(f"/public/fr/services/{published.public_id}/"))
    assert "Nom pas approuvé" not in text(client.get("/public/fr/services/"))


def test_no_personal_data(client: Client, org_a: Any, published: Service) -> None:
    focal = org_a["service_focal_point"]
    coordinator = org_a["network_coordinator"]
    pages = [
        f"/public/fr/services/{published.public_id}/",
        f"/public/fr/services/{published.public_id}/card/",
        "/public/fr/services/",
        "/public/fr/directory.json",
    ]
    for url in pages:
        body = text(client.get(url))
        for user in (focal, coordinator):
            for value in (user.username, user.email, user.first_name, user.last_name):
                if value:
                    assert value not in body, (url, value)
            assert str(user.public_id) not in body


def test_pages_for_anonymous_and_logged_in_alike(
    client: Client, org_a: Any, org_b: Any, published: Service
) -> None:
    url = f"/public/en/services/{published.public_id}/"
    assert client.get(url).status_code == 200
    for user in (org_a["caseworker"], org_b["dpo"], org_a["service_focal_point"]):
        client.force_login(user)
        assert client.get(url).status_code == 200


def test_referral_card_has_a_qr_code_of_the_page(client: Client, published: Service) -> None:
    html = text(client.get(f"/public/ha/services/{published.public_id}/card/"))
    link = f"https://kariya.example/public/ha/services/{published.public_id}/"
    assert link in html
    assert "<svg" in html and 'class="segno"' in html
    assert "+22790123456" in html
    assert "Quartier Dagmanet" in html


def test_directory_data(client: Client, published: Service, draft: Service) -> None:
    response = client.get("/public/ar/directory.json")
    assert response["Content-Type"].startswith("application/json")
    data = json.loads(response.content)
    assert data["language"] == "ar"
    assert [s["id"] for s in data["services"]] == [str(published.public_id)]
    entry = data["services"][0]
    assert entry["name"] == "استشارات طبية مجانية"
    assert entry["channels"][0]["value"] == "+22790123456"
    assert "focal_point" not in json.dumps(entry)


def test_service_worker_script(client: Client) -> None:
    response = client.get("/public/sw.js")
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/javascript")
    assert response["Service-Worker-Allowed"] == "/public/"
    assert b"offline-copy" in response.content


def test_no_inline_script_or_style(client: Client, published: Service) -> None:
    RightsPage.objects.create(slug="x", title_fr="X", body_fr="Texte", is_published=True)
    for url in (
        "/public/fr/",
        "/public/ar/services/",
        f"/public/ar/services/{published.public_id}/",
        f"/public/ar/services/{published.public_id}/card/",
        "/public/ha/rights/x/",
    ):
        html = text(client.get(url))
        assert " style=" not in html and "<style" not in html, url
        assert not re.search(r"<script(?![^>]*\bsrc=)", html), url
        assert "htmx" not in html, url


def _gz(data: bytes) -> int:
    return len(gzip.compress(data, compresslevel=6))


@pytest.mark.parametrize("lang", PUBLIC_LANGUAGES)
def test_first_load_within_40_kb(client: Client, org_a: Any, lang: str) -> None:
    for number in range(20):
        factories.published(
            org_a["service_focal_point"],
            org_a["network_coordinator"],
            name_fr=f"Service de santé numéro {number}",
            description_fr="Une description de quelques lignes. " * 5,
        )
    response = client.get(f"/public/{lang}/services/")
    total = _gz(response.content)
    assets = re.findall(r'(?:href|src)="(/static/[^"]+)"', text(response))
    assert len(assets) == 3
    for asset in assets:
        got = client.get(asset)
        total += _gz(b"".join(got.streaming_content) if got.streaming else got.content)
    assert total <= 40 * KB


def test_directory_data_query_count_does_not_grow(
    client: Client, org_a: Any, published: Service, django_assert_max_num_queries: Any
) -> None:
    client.get("/public/fr/directory.json")
    with django_assert_max_num_queries(6) as first:
        client.get("/public/fr/directory.json")
    for number in range(5):
        factories.published(
            org_a["service_focal_point"], org_a["network_coordinator"], name_fr=f"Autre {number}"
        )
    with django_assert_max_num_queries(len(first.captured_queries)):
        data = json.loads(client.get("/public/ha/directory.json").content)
    assert len(data["services"]) == 6
    by_id = {s["id"]: s for s in data["services"]}
    entry = by_id[str(published.public_id)]
    assert entry["name"] == "Shawarwarin likita kyauta"
    assert entry["hours"][0]["ranges"] == ["08:00–17:00"]
    assert entry["hours"][6]["ranges"] == []
    assert entry["type"] == Code.objects.get(list="service_type", code="health_care").label_ha
