"""Form widgets that render in Python: Django renders every ``<option>`` of a ``<select>``
through a template of its own, and on a list page with a commune filter (266 options) that
alone cost tens of milliseconds per request. Same HTML (attributes, ids, ``aria-*``, selected
state); only the whitespace between options differs.
"""

from __future__ import annotations

import html
from typing import Any

from django import forms
from django.utils.html import conditional_escape as escape
from django.utils.html import format_html, format_html_join
from django.utils.safestring import mark_safe

from kariya.core.choices import ReadyChoices


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
        escaped: list[tuple[str, str, str]]
        if isinstance(self.choices, ReadyChoices):
            escaped = self.choices.escaped()  # kept with the choices (see ReadyChoices)
        else:
            choices = [(str(key), label) for key, label in self.choices]
            if any(isinstance(label, (list, tuple)) for _key, label in choices):
                return super().render(name, value, attrs, renderer)
            # The standard library's escape per option (format_html, or Django's escape, per
            # option cost as much as the choices' query).
            escaped = [(key, html.escape(key), html.escape(str(label))) for key, label in choices]
        final = self.build_attrs(self.attrs, attrs)
        selected = {str(v) for v in self.format_value(value)}
        options = "".join(
            f'<option value="{key_}"{" selected" if key in selected else ""}>{label}</option>'
            for key, key_, label in escaped
        )
        return mark_safe(  # noqa: S308 - every value above is escaped
            f'<select name="{escape(name)}"{_attrs(final)}>{options}</select>'
        )


class QuickInput(forms.TextInput):
    """A one-line ``<input>`` (text, search, tel…) rendered in Python, as
    ``django/forms/widgets/input.html`` writes it."""

    def render(self, name: str, value: Any, attrs: Any = None, renderer: Any = None) -> Any:
        final = self.build_attrs(self.attrs, attrs)
        shown = self.format_value(value)
        given = f' value="{html.escape(str(shown))}"' if shown is not None else ""
        return mark_safe(  # noqa: S308 - every value is escaped
            f'<input type="{html.escape(self.input_type)}" name="{html.escape(name)}"'
            f"{given}{_attrs(final)}>"
        )


def quick_selects(form: forms.BaseForm) -> None:
    """Render the plain selects and text inputs of ``form`` in Python (:class:`QuickSelect`,
    :class:`QuickInput`; same choices, attributes, type and required state)."""
    for field in form.fields.values():
        widget = field.widget
        if type(widget) is forms.Select:
            quick = QuickSelect(attrs=widget.attrs)
            quick.choices = widget.choices
            quick.is_required = widget.is_required
            field.widget = quick
        elif type(widget) is forms.TextInput:
            text = QuickInput(attrs=widget.attrs)
            text.input_type = widget.input_type
            text.is_required = widget.is_required
            field.widget = text
