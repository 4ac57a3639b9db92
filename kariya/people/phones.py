"""Phone numbers in E.164 (``+22790123456``), parsed with ``phonenumbers``.

Numbers are read as Nigerien when written without a country code (``90 12 34 56``) and may be
written with ``+``, with the ``00`` international prefix, with spaces, dots or dashes. Only the
countries in ``ACCEPTED_REGIONS`` (Niger, its neighbours and the countries most migrants come
from) are accepted, so that a mistyped digit that happens to form a foreign number is caught;
extend the tuple to accept more.
"""

from __future__ import annotations

import phonenumbers
from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

DEFAULT_REGION = "NE"
ACCEPTED_REGIONS = (
    "NE",
    "NG",
    "ML",
    "BF",
    "BJ",
    "TD",
    "DZ",
    "LY",
    "TG",
    "GH",
    "CI",
    "SN",
    "GN",
    "CM",
)


class E164(str):
    """A number ``to_e164`` has checked and written in E.164: given back as it is when checked
    again (an import converts its cells, then the service checks them; parsing is most of
    the cost). Only ``to_e164`` makes one, so user input can never arrive as an ``E164``."""

    __slots__ = ()


def to_e164(raw: str) -> str:
    """The number in E.164, or ``ValidationError`` (whose message never repeats the number)."""
    if type(raw) is E164:
        return raw
    text = raw.strip()
    try:
        number = phonenumbers.parse(text, DEFAULT_REGION)
    except phonenumbers.NumberParseException as exc:
        raise ValidationError(_("This is not a phone number."), code="invalid_phone") from exc
    if not phonenumbers.is_valid_number(number):
        raise ValidationError(
            _(
                "This phone number is not valid: check the digits and the country code "
                "(numbers without a country code are read as Nigerien)."
            ),
            code="invalid_phone",
        )
    if phonenumbers.region_code_for_number(number) not in ACCEPTED_REGIONS:
        raise ValidationError(
            _(
                "Only phone numbers of Niger and of its neighbouring and West African "
                "countries are accepted."
            ),
            code="phone_country",
        )
    return E164(phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.E164))
