"""``core.choices.ReadyChoices``: taken by fields and widgets as they are, rendered the same."""

from __future__ import annotations

import copy

from django import forms
from django.utils import translation
from django.utils.translation import gettext_lazy

from kariya.core.choices import ReadyChoices
from kariya.core.widgets import QuickSelect, quick_selects

PAIRS = [("", gettext_lazy("All")), ("red", "Red & <b>"), ("1", "One")]


def _form(choices: object) -> forms.Form:
    class Form(forms.Form):
        colour = forms.ChoiceField(label="Colour", required=False, choices=choices)

    return Form


def test_a_field_and_its_copies_keep_the_same_choices_object() -> None:
    ready = ReadyChoices(PAIRS)
    form = _form(ready)({"colour": "red"})
    field = form.fields["colour"]
    assert field.choices is ready  # not normalised into a new list
    assert copy.deepcopy(field).choices is ready
    quick_selects(form)
    assert form.fields["colour"].widget.choices is ready


def test_validation_is_unchanged() -> None:
    ready = ReadyChoices(PAIRS)
    assert _form(ready)({"colour": "1"}).is_valid()
    refused = _form(ready)({"colour": "blue"})
    assert not refused.is_valid()
    assert "colour" in refused.errors


def test_a_quick_select_renders_ready_choices_as_a_plain_list() -> None:
    for value in (None, "red", "1"):
        ready = QuickSelect(choices=ReadyChoices(PAIRS)).render("colour", value)
        plain = QuickSelect(choices=list(PAIRS)).render("colour", value)
        assert ready == plain
    html = QuickSelect(choices=ReadyChoices(PAIRS)).render("colour", "red")
    assert '<option value="red" selected>Red &amp; &lt;b&gt;</option>' in html


def test_the_kept_labels_follow_the_active_language() -> None:
    ready = ReadyChoices(PAIRS)
    widget = QuickSelect(choices=ready)
    with translation.override("fr"):
        french = widget.render("colour", None)
    with translation.override("en"):
        english = widget.render("colour", None)
    assert '<option value="" selected>Tous</option>' in french
    assert '<option value="" selected>All</option>' in english
