"""Form widgets that render in Python: Django renders every ``<option>`` of a ``<select>``
through a template of its own, and on a list page with a commune filter (266 options) that
alone cost tens of milliseconds per request. Same HTML (attributes, ids, ``aria-*``, selected
state); only the whitespace between options differs.
"""

from __future__ import annotations

import html
from typing import Any

from django import forms
from django.forms.boundfield import BoundField
from django.forms.utils import ErrorList
from django.utils.html import conditional_escape as escape
from django.utils.html import format_html, format_html_join
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext as _

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


# Django's own message (its catalogues translate it); a name, not a literal, so that this app's
# catalogue does not take it over.
_LABEL_PUNCTUATION = ":?.!"


class QuickBoundField(BoundField):
    """A bound field whose ``label_tag`` writes its ``<label>`` in Python: Django renders each
    label through ``django/forms/label.html``, about a tenth of a list page's server time for
    its filter form. Same HTML as Django's (a test compares them)."""

    def label_tag(
        self,
        contents: Any = None,
        attrs: dict[str, Any] | None = None,
        label_suffix: str | None = None,
        tag: str | None = None,
    ) -> Any:
        # Django's own steps (BoundField.label_tag), then the template's output directly.
        contents = contents or self.label
        if label_suffix is None:
            label_suffix = (
                self.field.label_suffix
                if self.field.label_suffix is not None
                else self.form.label_suffix
            )
        if label_suffix and contents and contents[-1] not in _(_LABEL_PUNCTUATION):
            contents = format_html("{}{}", contents, label_suffix)
        widget = self.field.widget
        id_ = widget.attrs.get("id") or self.auto_id
        if not id_:
            return escape(contents)
        id_for_label = widget.id_for_label(id_)
        if id_for_label:
            attrs = {**(attrs or {}), "for": id_for_label}
        if self.field.required and hasattr(self.form, "required_css_class"):
            attrs = attrs or {}
            if "class" in attrs:
                attrs["class"] += " " + self.form.required_css_class
            else:
                attrs["class"] = self.form.required_css_class
        name = tag or "label"
        return mark_safe(  # noqa: S308 - the tag is ours, attributes and contents escaped
            f"<{name}{_attrs(attrs or {})}>{escape(contents)}</{name}>"
        )


class QuickErrorList(ErrorList):
    """An error list that writes nothing without rendering a template when it is empty (every
    field of every form prints its errors; almost always there are none)."""

    def __str__(self) -> SafeString:
        return super().__str__() if self.data else SafeString("")

    def __html__(self) -> SafeString:
        return super().__html__() if self.data else SafeString("")


def quick_selects(form: forms.BaseForm) -> None:
    """Render the plain selects and text inputs of ``form`` in Python (:class:`QuickSelect`,
    :class:`QuickInput`; same choices, attributes, type and required state), its labels too
    (:class:`QuickBoundField`) and its empty error lists (:class:`QuickErrorList`)."""
    form.bound_field_class = QuickBoundField  # type: ignore[attr-defined]
    if form.error_class is ErrorList:
        form.error_class = QuickErrorList
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
