from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _

from kariya.core.gate import has_permission, requires
from kariya.core.viewhelpers import apply_errors, query_without_page
from kariya.geo import selectors, services
from kariya.geo.forms import AdminUnitFilterForm, SiteFilterForm, SiteForm
from kariya.geo.models import Site

PAGE_SIZE = 50


# --- administrative units ------------------------------------------------------------------


@requires("geo.view")
def adminunit_list(request: HttpRequest) -> HttpResponse:
    form = AdminUnitFilterForm(request.GET or None)
    filters = form.cleaned_data if form.is_valid() else {}
    region = filters.get("region")
    units = selectors.adminunit_list(
        level=filters.get("level"),
        region=region.pcode if region else "",
        search=filters.get("q", ""),
    )
    page = Paginator(units, PAGE_SIZE).get_page(request.GET.get("page"))
    return render(
        request,
        "geo/adminunit_list.html",
        {"form": form, "page": page, "query": query_without_page(request)},
    )


@requires("geo.view")
def adminunit_detail(request: HttpRequest, pcode: str) -> HttpResponse:
    unit = selectors.adminunit_get(pcode=pcode)
    sites = Paginator(selectors.sites_in(unit=unit), PAGE_SIZE).get_page(request.GET.get("page"))
    return render(
        request,
        "geo/adminunit_detail.html",
        {
            "unit": unit,
            "children": selectors.adminunit_children(unit=unit),
            "page": sites,
            "query": query_without_page(request),
        },
    )


# --- sites ---------------------------------------------------------------------------------


@requires("geo.view")
def site_list(request: HttpRequest) -> HttpResponse:
    form = SiteFilterForm(request.GET or None)
    filters = form.cleaned_data if form.is_valid() else {}
    region = filters.get("region")
    sites = selectors.site_list(
        kind=filters.get("kind", ""),
        region=region.pcode if region else "",
        search=filters.get("q", ""),
        status=filters.get("status", ""),
    )
    page = Paginator(sites, PAGE_SIZE).get_page(request.GET.get("page"))
    return render(
        request,
        "geo/site_list.html",
        {
            "form": form,
            "page": page,
            "query": query_without_page(request),
            "filtered": any(filters.values()),
            "can_manage": has_permission(request, "geo.manage_sites"),
        },
    )


@requires("geo.view")
def site_detail(request: HttpRequest, public_id: str) -> HttpResponse:
    site = selectors.site_get(public_id=public_id)
    return render(
        request,
        "geo/site_detail.html",
        {"site": site, "can_manage": has_permission(request, "geo.manage_sites")},
    )


@requires("geo.manage_sites")
def site_create(request: HttpRequest) -> HttpResponse:
    form = SiteForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            site = services.site_create(actor=request.user, **form.cleaned_data)  # type: ignore[arg-type]
        except ValidationError as exc:
            apply_errors(form, exc)
        else:
            messages.success(request, _("The site has been added."))
            return redirect("geo:site_detail", public_id=site.public_id)
    return render(
        request,
        "geo/site_form.html",
        {"form": form, "creating": True},
        status=400 if form.errors else 200,
    )


def _site_initial(site: Site) -> dict[str, Any]:
    return {
        "name": site.name,
        "kind": site.kind,
        "commune": site.commune.pcode if site.commune else None,
        # The region follows the commune; it is asked for only when there is none.
        "region": site.region.pcode if site.region and not site.commune else None,
        "description": site.description,
        "lat": site.lat,
        "lon": site.lon,
        "is_active": site.is_active,
    }


@requires("geo.manage_sites")
def site_edit(request: HttpRequest, public_id: str) -> HttpResponse:
    site = selectors.site_get(public_id=public_id)
    name = site.name  # the heading keeps the saved name while the form shows errors
    form = SiteForm(request.POST or None, initial=_site_initial(site), editing=True)
    if request.method == "POST" and form.is_valid():
        data = dict(form.cleaned_data)
        if data["commune"] is not None and data["region"] is None:
            data.pop("region")  # derived from the commune by the service
        try:
            services.site_update(actor=request.user, site=site, **data)  # type: ignore[arg-type]
        except ValidationError as exc:
            apply_errors(form, exc)
        else:
            messages.success(request, _("The site has been updated."))
            return redirect("geo:site_detail", public_id=site.public_id)
    return render(
        request,
        "geo/site_form.html",
        {"form": form, "site": site, "site_name": name},
        status=400 if form.errors else 200,
    )
