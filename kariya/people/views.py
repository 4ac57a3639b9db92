"""The staff pages of people: search, registration with consent, and the person's record.

Records come through ``access.py`` (404 for absent and for not allowed), lists through
``selectors.py``, writes through ``services.py``. Identity is shown only to
``people.view_identity`` and every identity read is audited by ``access``.
"""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.forms import Form
from django.forms.utils import ErrorDict
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.html import format_html
from django.utils.safestring import SafeString
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_GET, require_POST

from kariya.accounts import selectors as accounts_selectors
from kariya.core.gate import requires
from kariya.core.http import AuthedRequest
from kariya.core.paging import CappedPaginator
from kariya.core.tables import Column, link, table, url_maker
from kariya.core.viewhelpers import apply_errors, public_query, repost_fields, search_data
from kariya.dedup.selectors import reasons_text
from kariya.people import access, selectors, services
from kariya.people.forms import (
    IDENTITY_FILTERS,
    MAX_ROWS,
    MIGRATION_FIELDS,
    ConsentForm,
    ConsentWithdrawForm,
    DocumentForm,
    DocumentFormSet,
    HouseholdLinkForm,
    IdentityForm,
    LegalBasisForm,
    MigrationForm,
    PersonCoreForm,
    PersonFilterForm,
    RegistrationCheckForm,
    RegistrationForm,
    RouteFormSet,
    RoutePointForm,
    posted_document_numbers,
)
from kariya.people.models import ConsentScope, Person, Sex

VIEW = "people.view"
REGISTER = "people.register"
PAGE_SIZE = 50

# Where a service's error belongs on the registration form when the names differ.
REGISTRATION_ERROR_FIELDS = {"phones": "phone_numbers", "language": "consent_language"}
IDENTITY_ERROR_FIELDS = {"phones": "phone_numbers"}


def _apply(form: Form, error: ValidationError, rename: dict[str, str] | None = None) -> None:
    if rename and hasattr(error, "error_dict"):
        error = ValidationError(
            {rename.get(name, name): errors for name, errors in error.error_dict.items()}
        )
    apply_errors(form, error)


def _status(*forms: Any) -> int:
    return 400 if any(f.errors for f in forms) else 200


def _detail(person: Person) -> Any:
    return redirect("people:person_detail", public_id=person.public_id)


# --- list / search ----------------------------------------------------------------------------


def _list_rows(
    people: Any, identities: dict[int, Any], nationalities: dict[int, str]
) -> list[dict[str, Any]]:
    """The list's rows, with the values that cost most per row in a template (link, age,
    nationalities, date) formatted once here: 50 rows through the template language showed in
    the page's server time."""
    today = timezone.localdate()
    person_url = url_maker("people:person_detail")
    rows = []
    for p in people:
        # From the year only (the exact date is identity): the youngest the person can be.
        age = services.youngest_age(birth_year=p.birth_year, birth_date=None, on=today)
        rows.append(
            {
                "person": p,
                "identity": identities.get(p.pk),
                "age": age,
                "age_label": ngettext("%(n)s year", "%(n)s years", age) % {"n": age},
                "url": person_url(p.public_id),
                "nationalities": nationalities.get(p.pk) or "—",
                "commune": p.commune_name or "—",
                "registered": timezone.localtime(p.registered_at).date().isoformat(),
            }
        )
    return rows


def _person_table(
    rows: list[dict[str, Any]], *, paginator: CappedPaginator, show_identity: bool
) -> SafeString:
    """The people list's table (``core.tables``: the rows in Python, not the template
    language, for the list's server time)."""
    sexes = {key: str(label) for key, label in Sex.choices}

    def name(row: dict[str, Any]) -> str:
        identity = row["identity"]
        return f"{identity.given_names} {identity.family_names}" if identity else ""

    def born(row: dict[str, Any]) -> SafeString:
        person = row["person"]
        year = f"≈ {person.birth_year}" if person.birth_estimated else str(person.birth_year)
        return format_html('{} <span class="muted">({})</span>', year, row["age_label"])

    columns = [
        Column(_("Case code"), lambda row: link(row["url"], row["person"].case_code)),
        *([Column(_("Name"), name)] if show_identity else []),
        Column(_("Sex"), lambda row: sexes.get(row["person"].sex, "")),
        Column(_("Born"), born),
        Column(_("Nationality"), lambda row: row["nationalities"]),
        Column(_("Commune"), lambda row: row["commune"]),
        Column(_("Registered"), lambda row: row["registered"]),
    ]
    count = paginator.count
    caption = (
        _("More than %(n)s people") % {"n": paginator.limit}
        if paginator.more
        else ngettext("%(n)s person", "%(n)s people", count) % {"n": count}
    )
    return table(caption=caption, columns=columns, rows=rows)


@requires(VIEW)
def person_list(request: AuthedRequest) -> HttpResponse:
    """People of the organisation, with filters. Name, phone and document number are searched
    only from a POST body (never in a URL: history, proxy logs, Referer); each such search is
    audited by the criteria it used. The other filters may come in the query string."""
    show_identity = access.can(request.user, access.VIEW_IDENTITY)
    data, page_number = search_data(request, IDENTITY_FILTERS)
    form = PersonFilterForm(data, show_identity=show_identity)
    valid = not form.is_bound or form.is_valid()
    filters = form.cleaned_data if form.is_bound and valid else {}
    criteria = [name for name in IDENTITY_FILTERS if filters.get(name)] if show_identity else []
    url = reverse("people:person_list")
    public = public_query(data, IDENTITY_FILTERS)
    bookmark = f"{url}?{public}" if public else url
    htmx = bool(request.headers.get("HX-Request"))
    if request.method == "POST" and valid and not criteria and not htmx:
        # Nothing private: the plain form lands on the bookmarkable URL of its filters.
        return redirect(bookmark)
    # An invalid criterion shows its error and nobody: dropping every filter would list (and
    # read the identities of) people the search never asked for.
    people: Any = (
        []
        if not valid
        else selectors.person_search(
            actor=request.user,
            case_code=filters.get("case_code", ""),
            text=filters.get("name", "") if show_identity else "",
            phone=filters.get("phone", "") if show_identity else "",
            document=filters.get("document", "") if show_identity else "",
            sex=filters.get("sex", ""),
            population_category=filters.get("population_category"),
            commune=filters.get("commune"),
            order=filters.get("order") or "newest",
            for_list=True,
        )
    )
    # A search by identity or case code finds a few people: their rows are read at once, the
    # count with them (one query); the plain list and its filters count first (count_of).
    paginator = CappedPaginator(
        selectors.list_rows(people) if valid else [],
        PAGE_SIZE,
        page_number=page_number,
        count_of=people,
        read_ahead=bool(criteria or filters.get("case_code")),
    )
    page = paginator.get_page(page_number)
    listed = list(page.object_list)
    # The search (by its criteria, never their values) and the identities listed: one insert.
    identities = access.identities_for_list(
        request.user, listed, names_only=True, search_criteria=criteria
    )
    nationalities = selectors.nationality_names([p.pk for p in listed])
    rows = _list_rows(listed, identities, nationalities)
    context = {
        "form": form,
        "page": page,
        "rows": rows,
        "table": _person_table(rows, paginator=paginator, show_identity=show_identity),
        "query": public,
        "filtered": form.is_bound,
        # Paging an identity search re-posts its terms instead of putting them in links.
        "repost": repost_fields(data) if criteria else [],
        "repost_url": url,
        "repost_target": "#person-rows",
        "show_identity": show_identity,
        "can_register": access.can(request.user, REGISTER),
        "identity_filters": IDENTITY_FILTERS,
    }
    if request.headers.get("HX-Request"):
        response = render(request, "people/_person_rows.html", context)
        if request.method == "POST":
            # The address bar shows the filters without personal data, or does not change.
            response["HX-Push-Url"] = (
                (f"{url}?{public}" if public else url) if not criteria else "false"
            )
        return response
    return render(request, "people/person_list.html", context)


# --- registration -----------------------------------------------------------------------------


def _offices(request: AuthedRequest) -> Any:
    return accounts_selectors.office_list(organisation=request.org).filter(is_active=True)


def _consents(data: dict[str, Any]) -> list[services.ConsentInput]:
    scopes = ([ConsentScope.SERVICES.value] if data["consent_services"] else []) + list(
        data["other_consents"]
    )
    if not scopes or not (data["given_by"] and data["method"] and data["consent_language"]):
        return []
    return [
        services.ConsentInput(
            scope=scope,
            given_by=data["given_by"],
            method=data["method"],
            language=data["consent_language"],
            interpreter_used=data["interpreter_used"],
            child_assent=data["child_assent"],
            child_mature=data["child_mature"],
        )
        for scope in scopes
    ]


def _migration_input(data: dict[str, Any], route: list[dict[str, Any]] | None = None) -> Any:
    values = {name: data[name] for name in MIGRATION_FIELDS}
    values["status"] = values["status"] or ""
    return services.MigrationInput(
        **values,
        route=tuple(services.RoutePointInput(**row) for row in (route or [])),
    )


def _with_added_row(data: Any, prefix: str) -> Any:
    """The posted data with one more (empty) row: "add a row" without JavaScript."""
    data = data.copy()
    total = f"{prefix}-TOTAL_FORMS"
    try:
        count = int(data.get(total, "0"))
    except ValueError:
        count = 0
    data[total] = str(min(count + 1, MAX_ROWS))
    return data


def _check_context(request: AuthedRequest, data: Any) -> dict[str, Any]:
    """The registration check's panel for the posted registration fields."""
    draft = RegistrationCheckForm(data).draft(posted_document_numbers(data))
    check = selectors.registration_check(actor=request.user, draft=draft)
    person_url = url_maker("people:person_detail")
    return {
        "check": check,
        "candidates": [
            {
                "url": person_url(c.public_id),
                "case_code": c.case_code,
                "likelihood": _likelihood(c.score),
                "percent": round(c.score * 100),
                "reasons": reasons_text(c.reasons),
            }
            for c in check.candidates
        ],
    }


def _likelihood(score: float) -> str:
    if score >= VERY_LIKELY:
        return _("Very likely the same person")
    if score >= LIKELY:
        return _("Likely the same person")
    return _("Possibly the same person")


# Words for the score (the panel shows the percentage beside them).
VERY_LIKELY = 0.9
LIKELY = 0.7


@require_POST
@requires(REGISTER)
def registration_check(request: AuthedRequest) -> HttpResponse:
    """htmx: the panel of likely existing records for the registration form's fields, POSTed
    (no personal data in a URL). Without JavaScript the same panel comes from the registration
    page itself (its "Check for existing records" button)."""
    return render(request, "people/_registration_check.html", _check_context(request, request.POST))


@requires(REGISTER)
def person_register(request: AuthedRequest) -> HttpResponse:
    offices = _offices(request)
    user_office = request.user.office_id
    initial = {"office": user_office} if offices.filter(pk=user_office).exists() else {}
    data = request.POST if request.method == "POST" else None
    checking = data is not None and "check_records" in data
    adding_row = data is not None and "add_document" in data
    if adding_row:
        data = _with_added_row(data, "documents")
    if checking:
        # Without JavaScript: the form again, as typed, with the check's panel.
        checked_form = RegistrationForm(data, offices=offices, initial=initial)
        checked_documents: Any = DocumentFormSet(data, prefix="documents")
        # The values as typed, without "this field is required": nothing was submitted yet.
        for quiet in (checked_form, *checked_documents.forms):
            quiet._errors = ErrorDict()
        checked_documents._non_form_errors = checked_documents.error_class()
        return render(
            request,
            "people/person_register.html",
            {
                "form": checked_form,
                "documents": checked_documents,
                **_check_context(request, data),
            },
        )
    form = RegistrationForm(data, offices=offices, initial=initial)
    documents: Any = DocumentFormSet(data, prefix="documents")
    if data is not None and not adding_row and form.is_valid() & documents.is_valid():
        values = form.cleaned_data
        try:
            person = services.person_register(
                actor=request.user,
                office=values["office"],
                sex=values["sex"],
                birth_date=values["birth_date"],
                birth_year=values["birth_year"],
                birth_estimated=values["birth_estimated"],
                nationalities=values["nationalities"],
                languages=values["languages"],
                preferred_language=values["preferred_language"],
                population_category=values["population_category"],
                child_separation=values["child_separation"],
                given_names=values["given_names"],
                family_names=values["family_names"],
                other_spellings=values["other_spellings"],
                aliases=values["aliases"],
                phone_numbers=values["phone_numbers"],
                documents=[services.DocumentInput(**row) for row in documents.rows()],
                migration=_migration_input(values) if form.migration_given() else None,
                consents=_consents(values),
                legal_basis=values["legal_basis"],
                legal_basis_reason=values["legal_basis_reason"],
            )
        except ValidationError as exc:
            _apply(form, exc, REGISTRATION_ERROR_FIELDS)
        else:
            messages.success(
                request,
                _("The person has been registered with the case code %(code)s.")
                % {"code": person.case_code},
            )
            return _detail(person)
    return render(
        request,
        "people/person_register.html",
        {"form": form, "documents": documents},
        status=400 if not adding_row and data is not None else 200,
    )


ROW_FORMS = {"documents": DocumentForm, "route": RoutePointForm}


@require_GET
@requires(REGISTER)
def formset_row(request: AuthedRequest, kind: str) -> HttpResponse:
    """One more empty row of a formset (htmx), with the formset's new row count."""
    form_class = ROW_FORMS.get(kind)
    if form_class is None:
        raise Http404
    try:
        index = int(request.GET.get(f"{kind}-TOTAL_FORMS", ""))
    except ValueError as exc:
        raise Http404 from exc
    if not 0 <= index < MAX_ROWS:
        return HttpResponse(status=204)
    form = form_class(prefix=f"{kind}-{index}", empty_permitted=True, use_required_attribute=False)
    return render(
        request,
        "people/_formset_row.html",
        {"row": form, "kind": kind, "index": index, "total": index + 1},
    )


# --- the person's page ------------------------------------------------------------------------


@requires(VIEW)
def person_detail(request: AuthedRequest, public_id: str) -> HttpResponse:
    person = access.person_get_for(request.user, public_id, merged=True)
    if person.merged_into_id is not None:
        # Merged away (dedup): the kept record is the person's page now.
        kept = selectors.kept_record(person=person)
        messages.info(
            request,
            _("This record was merged into %(code)s.") % {"code": kept.case_code},
        )
        return redirect("people:person_detail", public_id=kept.public_id)
    identity = None
    if access.can(request.user, access.VIEW_IDENTITY):
        identity = access.identity_get_for(request.user, public_id)
    birth_date = identity.birth_date_value if identity else None
    age = services.youngest_age(
        birth_year=person.birth_year, birth_date=birth_date, on=timezone.localdate()
    )
    consents = selectors.consent_list(person=person).select_related("recorded_by", "withdrawn_by")
    return render(
        request,
        "people/person_detail.html",
        {
            "person": person,
            "identity": identity,
            "age": age,
            "nationalities": list(person.nationalities.all()),
            "spoken_languages": list(person.languages.all()),
            "documents": list(selectors.document_list(person=person)),
            "profile": selectors.migration_profile_for(person=person),
            "household": list(selectors.household_list(person=person)),
            "consents": list(consents),
            "can_edit": access.can(request.user, REGISTER),
        },
    )


@requires(REGISTER)
def person_edit(request: AuthedRequest, public_id: str) -> HttpResponse:
    person = access.person_get_for_edit(request.user, public_id)
    initial = {
        "sex": person.sex,
        "birth_year": person.birth_year,
        "birth_estimated": person.birth_estimated,
        "nationalities": list(person.nationalities.all()),
        "languages": [c.code for c in person.languages.all()],
        "preferred_language": person.preferred_language.code if person.preferred_language else "",
        "population_category": (
            person.population_category.code if person.population_category else ""
        ),
        "child_separation": person.child_separation,
        "version": person.version,
    }
    form = PersonCoreForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        values = dict(form.cleaned_data)
        version = values.pop("version")
        try:
            services.person_update(
                actor=request.user, person=person, expected_version=version, **values
            )
        except ValidationError as exc:
            _apply(form, exc)
        else:
            messages.success(request, _("The person's record has been updated."))
            return _detail(person)
    return render(
        request,
        "people/person_form.html",
        {"form": form, "person": person, "title": _("Edit the person")},
        status=_status(form),
    )


@requires(REGISTER)
def identity_edit(request: AuthedRequest, public_id: str) -> HttpResponse:
    person = access.person_get_for_edit(request.user, public_id)
    identity = access.identity_get_for(request.user, public_id)
    initial = {
        "given_names": identity.given_names,
        "family_names": identity.family_names,
        "other_spellings": identity.spelling_list,
        "aliases": identity.alias_list,
        "phone_numbers": identity.phone_list,
        "birth_date": identity.birth_date_value,
        "version": identity.version,
    }
    form = IdentityForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        values = form.cleaned_data
        try:
            services.identity_update(
                actor=request.user,
                identity=identity,
                expected_version=values["version"],
                given_names=values["given_names"],
                family_names=values["family_names"],
                other_spellings=values["other_spellings"],
                aliases=values["aliases"],
                phone_numbers=values["phone_numbers"],
                birth_date=values["birth_date"],
            )
        except ValidationError as exc:
            _apply(form, exc, IDENTITY_ERROR_FIELDS)
        else:
            messages.success(request, _("The identity has been updated."))
            return _detail(person)
    return render(
        request,
        "people/person_form.html",
        {"form": form, "person": person, "title": _("Edit the identity")},
        status=_status(form),
    )


# --- documents --------------------------------------------------------------------------------


@requires(REGISTER)
def document_add(request: AuthedRequest, public_id: str) -> HttpResponse:
    person = access.person_get_for_document_edit(request.user, public_id)
    form = DocumentForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.document_add(
                actor=request.user, person=person, data=services.DocumentInput(**form.cleaned_data)
            )
        except ValidationError as exc:
            _apply(form, exc)
        else:
            messages.success(request, _("The document has been added."))
            return _detail(person)
    return render(
        request,
        "people/person_form.html",
        {"form": form, "person": person, "title": _("Add a document")},
        status=_status(form),
    )


@requires(REGISTER)
def document_edit(request: AuthedRequest, public_id: str) -> HttpResponse:
    document = access.document_get_for_edit(request.user, public_id)
    person = document.person
    # The form shows the number, which is identity: read (and audited) as such.
    access.identity_get_for(request.user, person.public_id)
    initial = {
        "document_type": document.document_type.code,
        "number": document.number,
        "issuing_country": document.issuing_country_id or "",
        "status": document.status,
    }
    form = DocumentForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            services.document_update(
                actor=request.user,
                document=document,
                data=services.DocumentInput(**form.cleaned_data),
            )
        except ValidationError as exc:
            _apply(form, exc)
        else:
            messages.success(request, _("The document has been updated."))
            return _detail(person)
    return render(
        request,
        "people/person_form.html",
        {"form": form, "person": person, "title": _("Edit the document")},
        status=_status(form),
    )


@requires(REGISTER)
def document_remove(request: AuthedRequest, public_id: str) -> HttpResponse:
    document = access.document_get_for_edit(request.user, public_id)
    person = document.person
    if request.method == "POST":
        services.document_remove(actor=request.user, document=document)
        messages.success(request, _("The document has been removed."))
        return _detail(person)
    return render(
        request,
        "people/confirm.html",
        {
            "person": person,
            "title": _("Remove this document?"),
            "explanation": _(
                "Remove a document only when it was recorded by mistake. A lost or "
                "confiscated document stays, with that status."
            ),
            "what": document.document_type.label,
            "button": _("Remove the document"),
        },
    )


# --- migration profile ------------------------------------------------------------------------


@requires(REGISTER)
def migration_edit(request: AuthedRequest, public_id: str) -> HttpResponse:
    person = access.person_get_for_edit(request.user, public_id)
    profile = selectors.migration_profile_for(person=person)
    initial: dict[str, Any] = {}
    route_initial: list[dict[str, Any]] = []
    if profile is not None:
        initial = {name: getattr(profile, name) for name in MIGRATION_FIELDS}
        initial["current_commune"] = (
            profile.current_commune.pcode if profile.current_commune else ""
        )
        initial["expulsion_arrival_site"] = (
            profile.expulsion_arrival_site.public_id if profile.expulsion_arrival_site else ""
        )
        initial["version"] = profile.version
        route_initial = [
            {"site": p.site.public_id if p.site else "", "country": p.country_id or ""}
            for p in profile.route.all()
        ]
    data = request.POST if request.method == "POST" else None
    adding_row = data is not None and "add_route" in data
    if adding_row:
        data = _with_added_row(data, "route")
    form = MigrationForm(data, initial=initial)
    # Bound, the rows are what was posted: a stage left as it was is still a stage.
    route: Any = RouteFormSet(data, initial=None if data else route_initial, prefix="route")
    if data is not None and not adding_row and form.is_valid() & route.is_valid():
        values = form.cleaned_data
        try:
            services.migration_profile_save(
                actor=request.user,
                person=person,
                data=_migration_input(values, route.rows()),
                expected_version=values["version"] if profile is not None else None,
            )
        except ValidationError as exc:
            _apply(form, exc)
        else:
            messages.success(request, _("The migration profile has been saved."))
            return _detail(person)
    return render(
        request,
        "people/migration_form.html",
        {"form": form, "route": route, "person": person},
        status=400 if not adding_row and data is not None else 200,
    )


# --- household links --------------------------------------------------------------------------


@requires(REGISTER)
def household_add(request: AuthedRequest, public_id: str) -> HttpResponse:
    person = access.person_get_for_edit(request.user, public_id)
    form = HouseholdLinkForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        relative = selectors.relative_by_case_code(
            actor=request.user, case_code=form.cleaned_data["case_code"]
        )
        if relative is None:
            form.add_error(
                "case_code", _("No person with this case code is registered by your organisation.")
            )
        else:
            try:
                services.household_link_add(
                    actor=request.user,
                    person=person,
                    relative=relative,
                    relationship=form.cleaned_data["relationship"],
                )
            except ValidationError as exc:
                _apply(form, exc, {"relative": "case_code"})
            else:
                messages.success(request, _("The household link has been added."))
                return _detail(person)
    return render(
        request,
        "people/person_form.html",
        {"form": form, "person": person, "title": _("Link a relative")},
        status=_status(form),
    )


@requires(REGISTER)
def household_remove(request: AuthedRequest, public_id: str) -> HttpResponse:
    link = access.household_link_get_for_edit(request.user, public_id)
    person = link.person
    if request.method == "POST":
        services.household_link_remove(actor=request.user, link=link)
        messages.success(request, _("The household link has been removed."))
        return _detail(person)
    return render(
        request,
        "people/confirm.html",
        {
            "person": person,
            "title": _("Remove this household link?"),
            "explanation": _("Both people stay registered; only the link between them goes."),
            "what": f"{link.relationship.label} — {link.relative.case_code}",
            "button": _("Remove the link"),
        },
    )


# --- consent ----------------------------------------------------------------------------------


def _organisations() -> Any:
    return accounts_selectors.organisation_list().filter(is_active=True)


@requires(REGISTER)
def consent_add(request: AuthedRequest, public_id: str) -> HttpResponse:
    person = access.person_get_for_edit(request.user, public_id)
    form = ConsentForm(request.POST or None, organisations=_organisations())
    if request.method == "POST" and form.is_valid():
        values = form.cleaned_data
        restrictions = []
        if values["restriction_withhold"]:
            restrictions.append(
                services.RestrictionInput(
                    withhold=values["restriction_withhold"],
                    audience=values["restriction_audience"],
                    organisation=values["restriction_organisation"],
                    reason=values["restriction_reason"],
                )
            )
        try:
            services.consent_record(
                actor=request.user,
                person=person,
                scope=values["scope"],
                given_by=values["given_by"],
                method=values["method"],
                language=values["language"],
                interpreter_used=values["interpreter_used"],
                child_assent=values["child_assent"],
                child_mature=values["child_mature"],
                recipient_organisation=values["recipient_organisation"],
                service_type=values["service_type"],
                restrictions=restrictions,
            )
        except ValidationError as exc:
            _apply(form, exc, {"restrictions": "restriction_withhold"})
        else:
            messages.success(request, _("The consent has been recorded."))
            return _detail(person)
    return render(
        request,
        "people/person_form.html",
        {"form": form, "person": person, "title": _("Record a consent")},
        status=_status(form),
    )


@requires(REGISTER)
def consent_withdraw(request: AuthedRequest, public_id: str) -> HttpResponse:
    consent = access.consent_get_for_edit(request.user, public_id)
    person = consent.person
    form = ConsentWithdrawForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.consent_withdraw(
                actor=request.user, consent=consent, reason=form.cleaned_data["reason"]
            )
        except ValidationError as exc:
            messages.error(request, " ".join(exc.messages))
        else:
            messages.success(request, _("The consent has been withdrawn, from now on."))
        return _detail(person)
    return render(
        request,
        "people/consent_withdraw.html",
        {"form": form, "person": person, "consent": consent},
        status=_status(form),
    )


@requires(REGISTER)
def legal_basis_record(request: AuthedRequest, public_id: str) -> HttpResponse:
    person = access.person_get_for_edit(request.user, public_id)
    form = LegalBasisForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.legal_basis_record(
                actor=request.user,
                person=person,
                basis=form.cleaned_data["basis"],
                reason=form.cleaned_data["reason"],
            )
        except ValidationError as exc:
            _apply(form, exc, {"legal_basis": "basis", "legal_basis_reason": "reason"})
        else:
            messages.success(request, _("The legal basis has been recorded."))
            return _detail(person)
    return render(
        request,
        "people/person_form.html",
        {
            "form": form,
            "person": person,
            "title": _("Record a legal basis"),
            "explanation": _(
                "For a person who cannot or did not consent but must still be served, such as "
                "in a medical emergency (vital interest) or under a court order."
            ),
        },
        status=_status(form),
    )
