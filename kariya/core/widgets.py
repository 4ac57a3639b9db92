"""Form widgets that render in Python: Django renders every ``<option>`` of a ``<select>``
through a template of its own, and on a list page with a commune filter (266 options) that
alone cost tens of milliseconds per request. Same HTML (attributes, ids, ``aria-*``, selected
state); only the whitespace between options differs.
"""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.html import conditional_escape as escape
from django.utils.html import format_html, format_html_join
from django.utils.safestring import mark_safe


def _attrs(attrs: dict[str, Any]) -> str:
    """Attributes in their order, as ``django/forms/widgets/attrs.html`` writes them: ``True``
    as a bare name, ``False`` left out."""
    return format_html_join(
        "",
        "{}",
        (
            (format_html(" {}", name) if value is True else format_html(' {}="{}"', name, value),)
            for name, value in attrs.items()
            if value is not False
        ),
    )


class QuickSelect(forms.Select):
    """A single ``<select>`` rendered in Python. Grouped choices (``<optgroup>``) fall back to
    Django's template rendering."""

    def render(self, name: str, value: Any, attrs: Any = None, renderer: Any = None) -> Any:
        choices: list[tuple[str, Any]] = [(str(key), label) for key, label in self.choices]
        if any(isinstance(label, (list, tuple)) for _key, label in choices):
            return super().render(name, value, attrs, renderer)
        final = self.build_attrs(self.attrs, attrs)
        selected = {str(v) for v in self.format_value(value)}
        # One f-string per option (format_html per option cost as much as the choices' query).
        options = "".join(
            f'<option value="{escape(key)}"{" selected" if key in selected else ""}>'
            f"{escape(label)}</option>"
            for key, label in choices
        )
        return mark_safe(  # noqa: S308 - every value above is escaped
            f'<select name="{escape(name)}"{_attrs(final)}>{options}</select>'
        )


def quick_selects(form: forms.BaseForm) -> None:
    """Render the plain selects of ``form`` through :class:`QuickSelect` (same choices,
    attributes and required state)."""
    for field in form.fields.values():
        widget = field.widget
        if type(widget) is forms.Select:
            quick = QuickSelect(attrs=widget.attrs)
            quick.choices = widget.choices
            quick.is_required = widget.is_required
            field.widget = quick
