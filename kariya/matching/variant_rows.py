"""Rows of additions to the variant dictionary checked against it, in memory (no database):
shared by the admin's import (``services``) and ``kariya match --variants``, which runs without
the database or the apps' models."""

from __future__ import annotations

from dataclasses import dataclass, field

from django.utils.translation import gettext as _

from kariya.matching.names import VariantConflictError, VariantDictionary
from kariya.matching.names import variant_key as spelling_of

MAX_LENGTH = 60


@dataclass
class VariantImportResult:
    added: int = 0
    already_known: int = 0
    errors: list[tuple[int, str]] = field(default_factory=list)
    new_rows: list[tuple[str, str]] = field(default_factory=list)  # (canonical, variant)


def _shown(name: str) -> str:
    """A name as shown in a message: the shipped file writes them in lower case."""
    return name.title() if name.islower() else name


def _conflict_message(exc: VariantConflictError) -> str:
    return _(
        "“%(variant)s” is already a spelling of %(known)s; it cannot also be %(canonical)s "
        "(the dictionary never makes two different names one)."
    ) % {"variant": exc.variant, "known": _shown(exc.known), "canonical": exc.canonical}


def check_row(
    dictionary: VariantDictionary, canonical: str, variant: str
) -> tuple[str | None, bool]:
    """(error message or None, whether the row is already known), adding it when new."""
    canonical, variant = canonical.strip(), variant.strip()
    if not canonical or not variant:
        return _("Both the name and its other spelling are required."), False
    if len(canonical) > MAX_LENGTH or len(variant) > MAX_LENGTH:
        return _("A name has at most %(n)d characters.") % {"n": MAX_LENGTH}, False
    canonical_key, variant_key = spelling_of(canonical), spelling_of(variant)
    if not canonical_key or not variant_key:
        return _("A name needs at least one letter."), False
    resolved = dictionary.canonical(canonical_key)
    if resolved is not None and resolved != canonical_key:
        return _(
            "“%(canonical)s” is itself a spelling of %(name)s: write %(name)s as the name."
        ) % {"canonical": canonical, "name": _shown(dictionary.written(resolved))}, False
    if dictionary.canonical(variant_key) == canonical_key:
        return None, True
    try:
        dictionary.add(canonical, variant)
    except VariantConflictError as exc:
        return _conflict_message(exc), False
    return None, False


def variant_rows_apply(
    dictionary: VariantDictionary, rows: list[tuple[int, str, str]]
) -> VariantImportResult:
    """Add ``rows`` (line, canonical, variant) to ``dictionary`` one by one through the guard:
    the result counts the rows already known and lists every refusal with its line. Shared by
    the admin's import and ``kariya match --variants``."""
    result = VariantImportResult()
    for line, canonical, variant in rows:
        error, known = check_row(dictionary, canonical, variant)
        if error is not None:
            result.errors.append((line, error))
        elif known:
            result.already_known += 1
        else:
            result.new_rows.append((canonical.strip(), variant.strip()))
    result.added = len(result.new_rows)
    return result
