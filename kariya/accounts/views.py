from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth import update_session_auth_hash
from django.contrib.auth import views as auth_views
from django.contrib.auth.forms import PasswordChangeForm
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from kariya.accounts import access, selectors, services
from kariya.accounts.forms import (
    OfficeForm,
    OrganisationFilterForm,
    OrganisationForm,
    PasswordResetByAdminForm,
    UserCreateForm,
    UserEditForm,
    UserFilterForm,
)
from kariya.accounts.models import Organisation
from kariya.core.audit import audit_record
from kariya.core.gate import PUBLIC, GatedMixin, requires
from kariya.core.http import AuthedRequest
from kariya.core.models import AuditAction
from kariya.core.viewhelpers import apply_errors, query_without_page


class LoginView(GatedMixin, auth_views.LoginView):
    permission = PUBLIC
    template_name = "accounts/login.html"
    redirect_authenticated_user = True


class LogoutView(GatedMixin, auth_views.LogoutView):
    permission = PUBLIC


@requires("home.view")
def password_change(request: AuthedRequest) -> HttpResponse:
    form = PasswordChangeForm(request.user, request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.user_set_password(
                actor=request.user,
                user=request.user,
                password=form.cleaned_data["new_password1"],
            )
        except ValidationError as exc:
            form.add_error("new_password1", exc.message_dict.get("password", exc.messages))
        else:
            update_session_auth_hash(request, request.user)
            messages.success(request, _("Your password has been changed."))
            return redirect("core:home")
    return render(request, "accounts/password_change.html", {"form": form})


# --- users of one's own organisation (organisation admin) ---------------------------------


@requires("accounts.manage_users")
def user_list(request: AuthedRequest) -> HttpResponse:
    form = UserFilterForm(request.GET or None)
    filters = form.cleaned_data if form.is_valid() else {}
    users = selectors.user_list(
        organisation=request.org,
        search=filters.get("q", ""),
        role=filters.get("role", ""),
        active=filters.get("active", ""),
    )
    page = Paginator(users, 50).get_page(request.GET.get("page"))
    return render(
        request,
        "accounts/user_list.html",
        {"form": form, "page": page, "query": query_without_page(request)},
    )


@requires("accounts.manage_users")
def user_create(request: AuthedRequest) -> HttpResponse:
    org = request.org
    form = UserCreateForm(request.POST or None, organisation=org)
    if request.method == "POST" and form.is_valid():
        try:
            user = services.user_create(
                actor=request.user,
                organisation=org,
                **form.cleaned_data,
            )
        except ValidationError as exc:
            apply_errors(form, exc)
        else:
            messages.success(request, _("The account has been created."))
            return redirect("accounts:user_detail", public_id=user.public_id)
    return render(
        request,
        "accounts/user_form.html",
        {"form": form, "creating": True},
        status=400 if form.errors else 200,
    )


@requires("accounts.manage_users")
def user_detail(request: AuthedRequest, public_id: str) -> HttpResponse:
    user = access.user_get_for(request.user, public_id)
    audit_record(actor=request.user, action=AuditAction.READ, obj=user)
    return render(
        request,
        "accounts/user_detail.html",
        {
            "subject": user,
            "roles": sorted(user.roles.all(), key=lambda r: r.role),
            "password_form": PasswordResetByAdminForm(),
        },
    )


@requires("accounts.manage_users")
def user_edit(request: AuthedRequest, public_id: str) -> HttpResponse:
    user = access.user_get_for(request.user, public_id)
    initial = {
        "first_name": user.first_name,
        "last_name": user.last_name,
        "email": user.email,
        "phone": user.phone,
        "office": user.office,
        "preferred_language": user.preferred_language,
        "roles": sorted(user.role_codes()),
    }
    form = UserEditForm(request.POST or None, initial=initial, organisation=request.org)
    if request.method == "POST" and form.is_valid():
        try:
            services.user_update(
                actor=request.user,
                user=user,
                **form.cleaned_data,
            )
        except ValidationError as exc:
            apply_errors(form, exc)
        else:
            messages.success(request, _("The account has been updated."))
            return redirect("accounts:user_detail", public_id=user.public_id)
    return render(
        request,
        "accounts/user_form.html",
        {"form": form, "subject": user},
        status=400 if form.errors else 200,
    )


@require_POST
@requires("accounts.manage_users")
def user_set_active(request: AuthedRequest, public_id: str) -> HttpResponse:
    user = access.user_get_for(request.user, public_id)
    activate = request.POST.get("active") == "1"
    try:
        if activate:
            services.user_reactivate(actor=request.user, user=user)
            messages.success(request, _("The account has been reactivated."))
        else:
            services.user_deactivate(actor=request.user, user=user)
            messages.success(request, _("The account has been deactivated and its sessions ended."))
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    return redirect("accounts:user_detail", public_id=user.public_id)


@require_POST
@requires("accounts.manage_users")
def user_password(request: AuthedRequest, public_id: str) -> HttpResponse:
    user = access.user_get_for(request.user, public_id)
    form = PasswordResetByAdminForm(request.POST)
    if form.is_valid():
        try:
            services.user_set_password(
                actor=request.user,
                user=user,
                password=form.cleaned_data["password"],
            )
        except ValidationError as exc:
            apply_errors(form, exc)
        else:
            messages.success(request, _("The password has been set and the user's sessions ended."))
            return redirect("accounts:user_detail", public_id=user.public_id)
    return render(
        request,
        "accounts/user_detail.html",
        {
            "subject": user,
            "roles": sorted(user.roles.all(), key=lambda r: r.role),
            "password_form": form,
        },
        status=400,
    )


# --- member organisations (network coordinator) ---------------------------------------------


@requires("accounts.view_organisations")
def organisation_list(request: AuthedRequest) -> HttpResponse:
    form = OrganisationFilterForm(request.GET or None)
    filters = form.cleaned_data if form.is_valid() else {}
    orgs = selectors.organisation_list(
        search=filters.get("q", ""), network_status=filters.get("network_status", "")
    )
    page = Paginator(orgs, 50).get_page(request.GET.get("page"))
    return render(
        request,
        "accounts/organisation_list.html",
        {
            "form": form,
            "page": page,
            "query": query_without_page(request),
            "can_manage": access.can_manage_organisations(request.user),
        },
    )


@requires("accounts.view_organisations")
def organisation_detail(request: AuthedRequest, public_id: str) -> HttpResponse:
    org = access.organisation_get_for(request.user, public_id)
    return render(
        request,
        "accounts/organisation_detail.html",
        {
            "org": org,
            "offices": selectors.office_list(organisation=org),
            "user_count": selectors.active_user_count(organisation=org),
            "can_manage": access.can_manage_organisations(request.user),
        },
    )


def _organisation_initial(org: Organisation) -> dict[str, Any]:
    return {name: getattr(org, name) for name in services.ORGANISATION_FIELDS} | {
        "version": org.version
    }


@requires("accounts.manage_organisations")
def organisation_create(request: AuthedRequest) -> HttpResponse:
    form = OrganisationForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        data = {k: v for k, v in form.cleaned_data.items() if k != "version"}
        try:
            org = services.organisation_create(actor=request.user, **data)
        except ValidationError as exc:
            apply_errors(form, exc)
        else:
            messages.success(request, _("The organisation has been registered."))
            return redirect("accounts:organisation_detail", public_id=org.public_id)
    return render(
        request,
        "accounts/organisation_form.html",
        {"form": form, "creating": True},
        status=400 if form.errors else 200,
    )


@requires("accounts.manage_organisations")
def organisation_edit(request: AuthedRequest, public_id: str) -> HttpResponse:
    org = access.organisation_get_for_edit(request.user, public_id)
    form = OrganisationForm(request.POST or None, initial=_organisation_initial(org))
    if request.method == "POST" and form.is_valid():
        data = dict(form.cleaned_data)
        version = data.pop("version") or 0
        try:
            services.organisation_update(
                actor=request.user,
                organisation=org,
                expected_version=version,
                **data,
            )
        except ValidationError as exc:
            apply_errors(form, exc)
        else:
            messages.success(request, _("The organisation has been updated."))
            return redirect("accounts:organisation_detail", public_id=org.public_id)
    return render(
        request,
        "accounts/organisation_form.html",
        {"form": form, "org": org},
        status=400 if form.errors else 200,
    )


@require_POST
@requires("accounts.manage_organisations")
def organisation_set_active(request: AuthedRequest, public_id: str) -> HttpResponse:
    org = access.organisation_get_for_edit(request.user, public_id)
    try:
        services.organisation_set_active(
            actor=request.user,
            organisation=org,
            active=request.POST.get("active") == "1",
        )
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    else:
        messages.success(request, _("The organisation's status has been changed."))
    return redirect("accounts:organisation_detail", public_id=org.public_id)


@requires("accounts.manage_organisations")
def office_create(request: AuthedRequest, public_id: str) -> HttpResponse:
    org = access.organisation_get_for_edit(request.user, public_id)
    form = OfficeForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        data = {k: v for k, v in form.cleaned_data.items() if k != "is_active"}
        try:
            services.office_create(actor=request.user, organisation=org, **data)
        except ValidationError as exc:
            apply_errors(form, exc)
        else:
            messages.success(request, _("The office has been added."))
            return redirect("accounts:organisation_detail", public_id=org.public_id)
    return render(
        request,
        "accounts/office_form.html",
        {"form": form, "org": org},
        status=400 if form.errors else 200,
    )


@requires("accounts.manage_organisations")
def office_edit(request: AuthedRequest, public_id: str) -> HttpResponse:
    office = access.office_get_for_edit(request.user, public_id)
    initial = {name: getattr(office, name) for name in services.OFFICE_FIELDS}
    initial["is_active"] = office.is_active
    form = OfficeForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            services.office_update(actor=request.user, office=office, **form.cleaned_data)
        except ValidationError as exc:
            apply_errors(form, exc)
        else:
            messages.success(request, _("The office has been updated."))
            return redirect("accounts:organisation_detail", public_id=office.organisation.public_id)
    return render(
        request,
        "accounts/office_form.html",
        {"form": form, "org": office.organisation, "office": office},
        status=400 if form.errors else 200,
    )
