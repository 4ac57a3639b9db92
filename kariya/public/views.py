"""The public site (no login): the directory of services and the rights-information pages, in
French, English, Hausa and Arabic, with the language in the address (``/public/<lang>/…``) so a
shared link or an offline copy has one language. Small pages, no htmx, one stylesheet and one
script (the service worker's registration); the service worker keeps visited pages and the
directory data for offline use.
"""

from __future__ import annotations

import functools
import json
from collections.abc import Callable
from pathlib import Path
from typing import Any
from urllib.parse import urlencode

from django.conf import settings
from django.core.paginator import Paginator
from django.db.models import Prefetch
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import render
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.html import format_html
from django.utils.safestring import SafeString, mark_safe

from kariya.codelists.models import Code
from kariya.core.gate import public
from kariya.directory import access as directory_access
from kariya.directory import selectors as directory_selectors
from kariya.directory.models import ContactChannel
from kariya.geo import selectors as geo_selectors
from kariya.geo.models import AdminUnit
from kariya.public import access, display, labels, markup, qr, selectors
from kariya.public.models import PUBLIC_LANGUAGES

PAGE_SIZE = 20
# The offline copy of the directory: every published entry up to this many (the network's
# directory is a few hundred entries; the cap keeps one response bounded).
DATA_LIMIT = 2000
SERVICE_WORKER = Path(__file__).parent / "static" / "public" / "sw.js"


def _language_links(request: HttpRequest, lang: str) -> list[dict[str, str]]:
    """The same page in each public language (the switcher): the language part swapped."""
    path = request.path
    prefix = f"/public/{lang}/"
    rest = path[len(prefix) :] if path.startswith(prefix) else ""
    query = request.META.get("QUERY_STRING", "")
    return [
        {
            "code": code,
            "name": labels.LANGUAGE_NAMES[code],
            "url": f"/public/{code}/{rest}" + (f"?{query}" if query else ""),
            "current": "1" if code == lang else "",
        }
        for code in PUBLIC_LANGUAGES
    ]


def public_page(view: Callable[..., HttpResponse]) -> Callable[..., HttpResponse]:
    """A public view in the language of its address; 404 for a language the site lacks."""

    @functools.wraps(view)
    def wrapper(request: HttpRequest, lang: str, *args: Any, **kwargs: Any) -> HttpResponse:
        if lang not in PUBLIC_LANGUAGES:
            raise Http404
        with translation.override(lang):
            request.LANGUAGE_CODE = lang
            response = view(request, lang, *args, **kwargs)
        response.headers["Content-Language"] = lang
        return response

    return public(wrapper)


def _render(
    request: HttpRequest, lang: str, template: str, context: dict[str, Any]
) -> HttpResponse:
    context |= {
        "lang": lang,
        "languages": _language_links(request, lang),
        "generated": timezone.localtime().replace(microsecond=0),
        "offline_urls": " ".join(
            [
                reverse("public:home", args=[lang]),
                reverse("public:service_list", args=[lang]),
                reverse("public:rights_list", args=[lang]),
                reverse("public:data", args=[lang]),
            ]
        ),
    }
    return render(request, template, context)


@public
def root(request: HttpRequest) -> HttpResponse:
    """``/public/``: to the visitor's language (browser preference), French otherwise."""
    header = request.META.get("HTTP_ACCEPT_LANGUAGE", "")
    lang = "fr"
    for part in header.split(","):
        code = part.split(";")[0].strip().lower()[:2]
        if code in PUBLIC_LANGUAGES:
            lang = code
            break
    return HttpResponseRedirect(reverse("public:home", args=[lang]))


def _option(value: str, label: str, chosen: str) -> str:
    selected = " selected" if value == chosen else ""
    return str(format_html('<option value="{}"{}>{}</option>', value, selected, label))


def _search_options(chosen: dict[str, str]) -> dict[str, SafeString]:
    """The <option>s of the two search lists, written in Python (a few hundred of them: the
    template language would take longer than the queries). Needs: the active service types in
    the page's language; places: each region, followed by its communes that hold a published
    entry."""
    language = translation.get_language() or "fr"
    column = f"label_{language}" if language in PUBLIC_LANGUAGES else "label_fr"
    types = Code.objects.of("service_type").active().order_by("order", "code")
    needs = [
        _option(code, label or fallback, chosen["need"])
        for code, label, fallback in types.values_list("code", column, "label_fr")
    ]
    published = directory_selectors.public_services().order_by()
    commune_ids = published.values_list("commune_id", flat=True).distinct()
    communes = (
        AdminUnit.objects.filter(pk__in=commune_ids)
        .order_by("name_fr")
        .values_list("pcode", "name_fr", "parent__parent_id")
    )
    by_region: dict[int | None, list[str]] = {}
    for pcode, name, region_id in communes:
        by_region.setdefault(region_id, []).append(_option(pcode, f"– {name}", chosen["place"]))
    places = []
    for region_id, pcode, name in geo_selectors.regions().values_list("pk", "pcode", "name_fr"):
        places.append(_option(pcode, name, chosen["place"]))
        places.extend(by_region.get(region_id, []))
    return {
        "need_options": mark_safe("".join(needs)),  # noqa: S308 - format_html escaped each
        "place_options": mark_safe("".join(places)),  # noqa: S308
    }


def _filters(request: HttpRequest) -> tuple[Code | None, AdminUnit | None, dict[str, str]]:
    need = request.GET.get("need", "").strip()
    where = request.GET.get("place", "").strip()
    service_type = None
    place = None
    if need:
        service_type = Code.objects.of("service_type").filter(code=need).first()
    if where:
        place = AdminUnit.objects.filter(pcode=where).first()
    chosen = {
        "need": service_type.code if service_type else "",
        "place": place.pcode if place else "",
    }
    return service_type, place, chosen


@public_page
def home(request: HttpRequest, lang: str) -> HttpResponse:
    return _render(
        request,
        lang,
        "public/home.html",
        _search_options({"need": "", "place": ""}) | {"pages": list(selectors.published_pages())},
    )


@public_page
def service_list(request: HttpRequest, lang: str) -> HttpResponse:
    service_type, place, chosen = _filters(request)
    # A card shows the type, the place and the phones: not the hours, languages or focal point
    # the selector joins for other readers (a third of the rows, a third of the time).
    query = (
        directory_selectors.public_services(service_type=service_type, place=place)
        .select_related(None)
        .select_related("service_type", "commune", "region", "site")
        .prefetch_related(None)
        .prefetch_related(
            Prefetch("channels", queryset=ContactChannel.objects.order_by("order", "id"))
        )
    )
    page = Paginator(query, PAGE_SIZE).get_page(request.GET.get("page"))
    rows = [
        {
            "service": service,
            "place": display.place(service),
            "phones": display.phones(service),
            "availability": labels.AVAILABILITY.get(service.availability, ""),
        }
        for service in page.object_list
    ]
    base = urlencode({k: v for k, v in chosen.items() if v})
    return _render(
        request,
        lang,
        "public/service_list.html",
        {
            "page": page,
            "rows": rows,
            **_search_options(chosen),
            "service_type": service_type,
            "place": place,
            "query": base,
        },
    )


def _service(public_id: str) -> Any:
    service = directory_access.public_service_get(public_id)
    return directory_selectors.service_detail(service)


@public_page
def service_detail(request: HttpRequest, lang: str, public_id: str) -> HttpResponse:
    service = _service(public_id)
    return _render(
        request,
        lang,
        "public/service_detail.html",
        {
            "service": service,
            "place": display.place(service),
            "days": display.hours(service),
            "channels": display.channels(service),
            "cost": labels.COST.get(service.cost, ""),
            "sex": labels.SEX.get(service.eligible_sex, ""),
            "availability": labels.AVAILABILITY.get(service.availability, ""),
        },
    )


def public_url(path: str) -> str:
    """An absolute address of a public page, for the QR code of a printed card."""
    return str(settings.KARIYA_BASE_URL).rstrip("/") + path


@public_page
def service_card(request: HttpRequest, lang: str, public_id: str) -> HttpResponse:
    """A printable referral card: name, address, phones, hours and a QR code of its page."""
    service = _service(public_id)
    link = public_url(reverse("public:service_detail", args=[lang, service.public_id]))
    return _render(
        request,
        lang,
        "public/service_card.html",
        {
            "service": service,
            "place": display.place(service),
            "days": display.hours(service),
            "phones": display.phones(service),
            "link": link,
            "qr": mark_safe(qr.svg(link)),  # noqa: S308 - generated by segno from our own URL
        },
    )


@public_page
def rights_list(request: HttpRequest, lang: str) -> HttpResponse:
    return _render(
        request, lang, "public/rights_list.html", {"pages": list(selectors.published_pages())}
    )


@public_page
def rights_page(request: HttpRequest, lang: str, slug: str) -> HttpResponse:
    page = access.rights_page_get_public(slug)
    return _render(
        request,
        lang,
        "public/rights_page.html",
        {"page": page, "body": markup.render(page.body)},
    )


@public_page
def data(request: HttpRequest, lang: str) -> HttpResponse:
    """The directory as data, for the offline copy: every published entry's public record."""
    payload = {
        "language": lang,
        "generated": timezone.now().isoformat(),
        "services": display.records(directory_selectors.public_services(), lang, limit=DATA_LIMIT),
    }
    return HttpResponse(
        json.dumps(payload, ensure_ascii=False),
        content_type="application/json; charset=utf-8",
    )


@public
def service_worker(request: HttpRequest) -> HttpResponse:
    """The service worker script, served under ``/public/`` so its scope is the public site."""
    response = HttpResponse(
        SERVICE_WORKER.read_bytes(), content_type="text/javascript; charset=utf-8"
    )
    response["Cache-Control"] = "no-cache"
    response["Service-Worker-Allowed"] = "/public/"
    return response
