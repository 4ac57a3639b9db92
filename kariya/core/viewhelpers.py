"""Small helpers every app's views share."""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.forms import Form
from django.http import HttpRequest, QueryDict


def apply_errors(form: Form, error: ValidationError) -> None:
    """Show a service's ValidationError on the form (field errors where they belong)."""
    if hasattr(error, "error_dict"):
        for field, errors in error.error_dict.items():
            form.add_error(field if field in form.fields else None, errors)
    else:
        form.add_error(None, error)


def query_without_page(request: HttpRequest) -> str:
    """The current filters as a query string, for pager links."""
    query = request.GET.copy()
    query.pop("page", None)
    return query.urlencode()


def search_data(request: HttpRequest, private: tuple[str, ...]) -> tuple[QueryDict | None, str]:
    """The data of a list's filter form, and the page asked for.

    Criteria that carry personal data (``private``: names, phones, document numbers) are read
    only from a POST body: arriving in a query string they are dropped, so a link or a typed
    URL never searches by them (and nobody is encouraged to put them there). The other filters
    come from the query string of a GET or from the body of a POST. ``None`` when no filter is
    given (the form stays unbound).
    """
    if request.method == "POST":
        data = request.POST.copy()
        data.pop("csrfmiddlewaretoken", None)
    else:
        data = request.GET.copy()
        for name in private:
            data.pop(name, None)
    page = data.pop("page", [""])[-1]
    return (data or None), page


def public_query(data: QueryDict | None, private: tuple[str, ...]) -> str:
    """The filters of ``data`` without personal data and without the page, as a query string
    (for pager links and bookmarkable URLs)."""
    if data is None:
        return ""
    query = data.copy()
    for name in (*private, "page", "csrfmiddlewaretoken"):
        query.pop(name, None)
    for name in [k for k, values in query.lists() if not any(values)]:
        query.pop(name)
    return query.urlencode()


def repost_fields(data: QueryDict | None) -> list[tuple[str, str]]:
    """Hidden fields that post ``data`` again (for a pager that must not put it in a URL)."""
    if data is None:
        return []
    return [(name, value) for name, values in data.lists() for value in values if value]
