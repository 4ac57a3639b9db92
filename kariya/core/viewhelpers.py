"""Small helpers every app's views share."""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.forms import Form
from django.http import HttpRequest


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
