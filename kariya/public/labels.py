"""Words of the directory's choice lists as the public pages show them, in the four public
languages. The staff pages use the models' own labels (French and English only); the public
site carries its own catalogue with Hausa and Arabic, so a staff wording change never leaves a
public page half translated. Context "public" keeps them apart from the staff catalogues."""

from __future__ import annotations

from django.utils.functional import Promise
from django.utils.translation import pgettext_lazy

WEEKDAYS: dict[int, Promise] = {
    0: pgettext_lazy("public", "Monday"),
    1: pgettext_lazy("public", "Tuesday"),
    2: pgettext_lazy("public", "Wednesday"),
    3: pgettext_lazy("public", "Thursday"),
    4: pgettext_lazy("public", "Friday"),
    5: pgettext_lazy("public", "Saturday"),
    6: pgettext_lazy("public", "Sunday"),
}

AVAILABILITY: dict[str, Promise] = {
    "available": pgettext_lazy("public", "Open to new people"),
    "limited": pgettext_lazy("public", "Limited places"),
    "full": pgettext_lazy("public", "Full at the moment"),
    "suspended": pgettext_lazy("public", "Suspended"),
}

COST: dict[str, Promise] = {
    "free": pgettext_lazy("public", "Free"),
    "fee": pgettext_lazy("public", "Paying"),
}

SEX: dict[str, Promise] = {
    "all": pgettext_lazy("public", "Everyone"),
    "female": pgettext_lazy("public", "Women and girls"),
    "male": pgettext_lazy("public", "Men and boys"),
}

CHANNEL: dict[str, Promise] = {
    "phone": pgettext_lazy("public", "Phone"),
    "whatsapp": pgettext_lazy("public", "WhatsApp"),
    "email": pgettext_lazy("public", "E-mail"),
    "in_person": pgettext_lazy("public", "In person"),
    "website": pgettext_lazy("public", "Website"),
    "other": pgettext_lazy("public", "Other"),
}

# The public languages by their own names (the language switcher).
LANGUAGE_NAMES = {"fr": "Français", "en": "English", "ha": "Hausa", "ar": "العربية"}
