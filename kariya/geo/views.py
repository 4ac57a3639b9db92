from __future__ import annotations

from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from kariya.core.gate import requires
from kariya.geo.models import AdminUnit, Site


@requires("geo.view")
def adminunit_list(request: HttpRequest) -> HttpResponse:
    units = AdminUnit.objects.select_related("parent").order_by("pcode")
    page = Paginator(units, 100).get_page(request.GET.get("page"))
    return render(request, "geo/adminunit_list.html", {"page": page})


@requires("geo.view")
def site_list(request: HttpRequest) -> HttpResponse:
    sites = Site.objects.select_related("commune").order_by("name")
    page = Paginator(sites, 100).get_page(request.GET.get("page"))
    return render(request, "geo/site_list.html", {"page": page})
