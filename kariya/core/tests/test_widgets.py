"""QuickSelect and QuickInput render the same HTML as Django's template-based widgets."""

from __future__ import annotations

import re

from django import forms
from django.utils import translation

from kariya.core.widgets import QuickInput, QuickSelect, quick_selects


def _same(html: str) -> str:
    return re.sub(r">\s+<", "><", str(html)).strip()


class _Form(forms.Form):
    colour = forms.ChoiceField(
        label="Colour",
        required=False,
        choices=[("", "All"), ("red", "Red & <b>"), ("1", "One")],
        help_text="Pick one",
    )
    size = forms.ChoiceField(label="Size", choices=[("s", "Small"), ("l", "Large")])
    code = forms.CharField(label="Code", max_length=12, required=False, help_text="A code")
    phone = forms.CharField(label="Phone", widget=forms.TextInput(attrs={"inputmode": "tel"}))


def test_quick_widgets_render_as_django_widgets() -> None:
    for data in (
        None,
        {"colour": "red", "size": "l", "code": 'AGZ-"<1>', "phone": "+227 90"},
        {"colour": "nope", "code": "x" * 20},
    ):
        plain, quick = _Form(data), _Form(data)
        quick_selects(quick)
        assert isinstance(quick.fields["colour"].widget, QuickSelect)
        assert isinstance(quick.fields["code"].widget, QuickInput)
        if data:
            plain.is_valid()
            quick.is_valid()
        for name in ("colour", "size", "code", "phone"):
            assert _same(quick[name]) == _same(plain[name])


def test_quick_select_marks_the_selected_option_and_escapes() -> None:
    form = _Form({"colour": "red", "size": "s"})
    quick_selects(form)
    html = str(form["colour"])
    assert '<option value="red" selected>Red &amp; &lt;b&gt;</option>' in html
    assert 'aria-describedby="id_colour_helptext"' in html
    assert 'id="id_colour"' in html


def test_grouped_choices_fall_back_to_django() -> None:
    widget = QuickSelect(choices=[("Group", [("a", "A")]), ("b", "B")])
    html = widget.render("g", "a")
    assert '<optgroup label="Group">' in html
    assert "selected" in html


class _Labels(forms.Form):
    required_css_class = "required"
    size = forms.ChoiceField(label="Size", choices=[("s", "Small")])
    code = forms.CharField(label="Code <b> & more", required=False)
    sure = forms.BooleanField(label="Sure?", required=False)
    kind = forms.MultipleChoiceField(
        label="Kinds",
        required=False,
        choices=[("a", "A"), ("b", "B")],
        widget=forms.CheckboxSelectMultiple,
    )
    plain = forms.CharField(label="Plain", required=False, widget=forms.TextInput(attrs={"id": ""}))


def test_quick_labels_and_empty_error_lists_render_as_django() -> None:
    for data, auto_id in ((None, "id_%s"), ({"size": "x", "code": "c"}, "case-%s"), (None, False)):
        plain, quick = _Labels(data, auto_id=auto_id), _Labels(data, auto_id=auto_id)
        quick_selects(quick)
        if data:
            plain.is_valid()
            quick.is_valid()
        for name in ("size", "code", "sure", "kind", "plain"):
            assert quick[name].label_tag() == plain[name].label_tag(), (name, auto_id)
            assert quick[name].label_tag("<i>x</i>", attrs={"class": "c"}, label_suffix="") == (
                plain[name].label_tag("<i>x</i>", attrs={"class": "c"}, label_suffix="")
            )
            assert str(quick[name].errors) == str(plain[name].errors), name
    with translation.override("en"):
        bound = _Labels({"size": "x"})
        quick_selects(bound)
        assert bound.is_valid() is False
        assert 'class="errorlist"' in str(bound["size"].errors)
        assert str(bound["code"].errors) == ""
        assert bound["size"].label_tag() == '<label for="id_size" class="required">Size:</label>'
        assert bound["sure"].label_tag() == '<label for="id_sure">Sure?</label>'
        assert (
            bound["code"].label_tag() == '<label for="id_code">Code &lt;b&gt; &amp; more:</label>'
        )
