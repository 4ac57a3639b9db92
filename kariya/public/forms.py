from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

BODY_HELP = _(
    "Plain text. A blank line starts a new paragraph; lines starting with “- ” make a list; a "
    "line starting with “## ” is a heading; write phone numbers as tel:+227 20 00 00 00 to "
    "make them callable."
)


class RightsPageForm(forms.Form):
    slug = forms.SlugField(
        label=_("Address"),
        max_length=60,
        help_text=_("Lower-case letters, digits and hyphens: the end of the page's address."),
    )
    order = forms.IntegerField(label=_("Order"), min_value=0, max_value=999, initial=0)
    is_published = forms.BooleanField(label=_("Published"), required=False)
    title_fr = forms.CharField(label=_("Title (French)"), max_length=150)
    body_fr = forms.CharField(label=_("Text (French)"), widget=forms.Textarea, help_text=BODY_HELP)
    title_en = forms.CharField(label=_("Title (English)"), max_length=150, required=False)
    body_en = forms.CharField(label=_("Text (English)"), widget=forms.Textarea, required=False)
    title_ha = forms.CharField(label=_("Title (Hausa)"), max_length=150, required=False)
    body_ha = forms.CharField(label=_("Text (Hausa)"), widget=forms.Textarea, required=False)
    title_ar = forms.CharField(
        label=_("Title (Arabic)"),
        max_length=150,
        required=False,
        widget=forms.TextInput(attrs={"dir": "rtl", "lang": "ar"}),
    )
    body_ar = forms.CharField(
        label=_("Text (Arabic)"),
        widget=forms.Textarea(attrs={"dir": "rtl", "lang": "ar"}),
        required=False,
    )
    version = forms.IntegerField(widget=forms.HiddenInput, required=False)
