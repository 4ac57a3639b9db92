"""The columns of the people import: one list, read by the templates, the parser, the README.

Each header is written in French and English ("Prénoms / Given names"); the parser accepts the
bilingual header, either language alone, or the technical key, whatever the case or accents.
"""

from __future__ import annotations

import functools
import unicodedata
from dataclasses import dataclass

from django.utils import translation
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _


class Kind:
    TEXT = "text"
    LIST = "list"  # several values separated by | or ;
    PHONES = "phones"  # several phone numbers, checked one by one
    CHOICE = "choice"  # one of a fixed set (model choices)
    CODE = "code"  # one code of a code list
    CODES = "codes"  # several codes of a code list
    COUNTRY = "country"
    COUNTRIES = "countries"
    COMMUNE = "commune"
    DATE = "date"
    YEAR = "year"
    BOOL = "bool"
    USER = "user"


@dataclass(frozen=True)
class Column:
    key: str
    label: Promise
    kind: str
    help: Promise
    # For CHOICE: the name of a choice set in ``choices.CHOICE_SETS``; for CODE(S): the code list.
    source: str = ""
    group: str = "person"

    def header(self) -> str:
        return f"{label_in(self.label, 'fr')} / {label_in(self.label, 'en')}"

    def aliases(self) -> set[str]:
        return {
            fold(self.header()),
            fold(label_in(self.label, "fr")),
            fold(label_in(self.label, "en")),
            fold(self.key),
        }


def label_in(text: Promise | str, language: str) -> str:
    with translation.override(language):
        return str(text)


def fold(value: str) -> str:
    """Lower case, no accents, single spaces: how headers and labels are compared."""
    decomposed = unicodedata.normalize("NFKD", str(value))
    bare = "".join(ch for ch in decomposed if not unicodedata.combining(ch))
    return " ".join(bare.lower().replace("’", "'").split())


COLUMNS: tuple[Column, ...] = (
    Column("given_names", _("Given names"), Kind.TEXT, _("As the person writes them.")),
    Column("family_names", _("Family names"), Kind.TEXT, _("As the person writes them.")),
    Column("aliases", _("Aliases"), Kind.LIST, _("Other names the person is known by.")),
    Column("sex", _("Sex"), Kind.CHOICE, _("Required. A code of the list “sex”."), source="sex"),
    Column(
        "birth_date",
        _("Date of birth"),
        Kind.DATE,
        _("Exact date if known, YYYY-MM-DD or DD/MM/YYYY. Otherwise give the year."),
    ),
    Column(
        "birth_year",
        _("Year of birth"),
        Kind.YEAR,
        _("Required when the exact date is not known, e.g. 1994."),
    ),
    Column(
        "birth_estimated",
        _("Year estimated"),
        Kind.BOOL,
        _("yes / no (oui / non): the year is an estimate."),
    ),
    Column(
        "nationalities",
        _("Nationality (ISO code)"),
        Kind.COUNTRIES,
        _("ISO 3166 code with 3 or 2 letters (NER, NE, MLI…); several are allowed."),
    ),
    Column(
        "languages",
        _("Languages spoken"),
        Kind.CODES,
        _("Codes of the list “languages”; several are allowed."),
        source="language",
    ),
    Column(
        "population_category",
        _("Population category"),
        Kind.CODE,
        _("A code of the list “population categories”."),
        source="population_category",
    ),
    Column(
        "phones",
        _("Phone numbers"),
        Kind.PHONES,
        _("Niger numbers without prefix, or with +country code; several are allowed."),
    ),
    Column(
        "document_type",
        _("Document type"),
        Kind.CODE,
        _("A code of the list “document types”."),
        source="document_type",
        group="document",
    ),
    Column(
        "document_number",
        _("Document number"),
        Kind.TEXT,
        _("Empty when the person never had the document."),
        group="document",
    ),
    Column(
        "document_country",
        _("Document issuing country"),
        Kind.COUNTRY,
        _("ISO code of the country that issued the document."),
        group="document",
    ),
    Column(
        "document_status",
        _("Document status"),
        Kind.CHOICE,
        _("A code of the list “document statuses”; required with a document type."),
        source="document_status",
        group="document",
    ),
    Column(
        "origin_country",
        _("Country of origin"),
        Kind.COUNTRY,
        _("ISO code."),
        group="migration",
    ),
    Column(
        "arrival_date",
        _("Arrival date in Niger"),
        Kind.DATE,
        _("YYYY-MM-DD or DD/MM/YYYY."),
        group="migration",
    ),
    Column(
        "current_commune",
        _("Current commune (P-code)"),
        Kind.COMMUNE,
        _("P-code of the commune, e.g. NE001003001 (sheet “communes”)."),
        group="migration",
    ),
    Column(
        "migration_status",
        _("Migration status"),
        Kind.CHOICE,
        _("A code of the list “migration statuses”."),
        source="migration_status",
        group="migration",
    ),
    Column(
        "consent_given_by",
        _("Services consent given by"),
        Kind.CHOICE,
        _("Who consented to services (list “consent given by”). Or fill the legal basis."),
        source="consent_given_by",
        group="consent",
    ),
    Column(
        "consent_method",
        _("Consent method"),
        Kind.CHOICE,
        _("A code of the list “consent methods”; required with a consent."),
        source="consent_method",
        group="consent",
    ),
    Column(
        "consent_language",
        _("Consent language"),
        Kind.CODE,
        _("Language in which consent was given (list “languages”); required with a consent."),
        source="language",
        group="consent",
    ),
    Column(
        "consent_date",
        _("Consent date"),
        Kind.DATE,
        _("Day the consent was given; today if empty."),
        group="consent",
    ),
    Column(
        "consent_child_assent",
        _("Child's assent"),
        Kind.BOOL,
        _("yes / no: the child agreed too (children from 6 years)."),
        group="consent",
    ),
    Column(
        "consent_child_mature",
        _("Child judged mature"),
        Kind.BOOL,
        _("yes / no: a child of 12 or more judged able to consent alone."),
        group="consent",
    ),
    Column(
        "consent_interpreter",
        _("Interpreter used"),
        Kind.BOOL,
        _("yes / no."),
        group="consent",
    ),
    Column(
        "legal_basis",
        _("Legal basis without consent"),
        Kind.CHOICE,
        _("Only when the person did not consent: a code of the list “legal bases”."),
        source="legal_basis",
    ),
    Column(
        "legal_basis_reason",
        _("Reason for the legal basis"),
        Kind.TEXT,
        _("Required with a legal basis: a sentence explaining why it applies."),
    ),
    Column(
        "screening_date",
        _("Screening date"),
        Kind.DATE,
        _("Optional first screening: its date (required when screening columns are filled)."),
        group="screening",
    ),
    Column(
        "screening_rating",
        _("Intervention rating"),
        Kind.CHOICE,
        _("low / medium / high (list “ratings”); required with a screening."),
        source="rating",
        group="screening",
    ),
    Column(
        "screening_outcome",
        _("Screening outcome"),
        Kind.CHOICE,
        _("A code of the list “screening outcomes”; “case_opened” when a case is opened."),
        source="screening_outcome",
        group="screening",
    ),
    Column(
        "screening_danger",
        _("Immediate danger"),
        Kind.BOOL,
        _("yes / no: the person is in immediate danger."),
        group="screening",
    ),
    Column(
        "caseworker",
        _("Open a case for (caseworker username)"),
        Kind.USER,
        _("Username of an active caseworker of your organisation: a case is opened for them."),
        group="case",
    ),
)

BY_KEY = {column.key: column for column in COLUMNS}


@functools.cache
def _header_index() -> dict[str, Column]:
    """Every accepted spelling of every header (folded) → its column, built once."""
    index: dict[str, Column] = {}
    for column in COLUMNS:
        for alias in column.aliases():
            index.setdefault(alias, column)
    return index


def resolve_header(value: str) -> Column | None:
    return _header_index().get(fold(value))
