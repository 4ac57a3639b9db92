"""Staff pages of the public site's content: the network coordinator writes the
rights-information pages (``/information/``)."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _

from kariya.core.gate import requires
from kariya.core.http import AuthedRequest
from kariya.core.viewhelpers import apply_errors
from kariya.public import access, selectors, services
from kariya.public.forms import RightsPageForm
from kariya.public.models import RightsPage
from kariya.public.services import FIELDS, PageContent


def _content(data: dict[str, Any]) -> PageContent:
    return PageContent(**{name: data[name] for name in FIELDS})


@requires(access.EDIT)
def page_list(request: AuthedRequest) -> HttpResponse:
    return render(
        request, "public/staff_page_list.html", {"pages": selectors.pages_for_staff(request.user)}
    )


@requires(access.EDIT)
def page_create(request: AuthedRequest) -> HttpResponse:
    form = RightsPageForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.rights_page_create(actor=request.user, content=_content(form.cleaned_data))
        except ValidationError as exc:
            apply_errors(form, exc)
        else:
            messages.success(request, _("The page has been saved."))
            return redirect("information:page_list")
    return render(
        request,
        "public/staff_page_form.html",
        {"form": form, "creating": True},
        status=400 if form.errors else 200,
    )


def _initial(page: RightsPage) -> dict[str, Any]:
    return {name: getattr(page, name) for name in FIELDS} | {"version": page.version}


@requires(access.EDIT)
def page_edit(request: AuthedRequest, slug: str) -> HttpResponse:
    page = access.rights_page_get_for_edit(request.user, slug)
    form = RightsPageForm(request.POST or None, initial=_initial(page))
    if request.method == "POST" and form.is_valid():
        try:
            services.rights_page_update(
                actor=request.user,
                page=page,
                expected_version=form.cleaned_data["version"] or 0,
                content=_content(form.cleaned_data),
            )
        except ValidationError as exc:
            apply_errors(form, exc)
        else:
            messages.success(request, _("The page has been saved."))
            return redirect("information:page_list")
    return render(
        request,
        "public/staff_page_form.html",
        {"form": form, "page": page},
        status=400 if form.errors else 200,
    )
