"""Writes of the matching app: the administrators' additions to the variant dictionary.

Every addition goes through the distinct-name guard of ``names.VariantDictionary`` against the
shipped dictionary and every earlier addition: a row that would make two names one (Mahmoud
as a spelling of Mohamed) is refused with the two names, and nothing is written.
"""

from __future__ import annotations

from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from kariya.core.audit import audit_record
from kariya.core.models import AuditAction
from kariya.matching import dictionary
from kariya.matching.csvfile import InputError, read_variant_rows
from kariya.matching.dictionary import admin_rows
from kariya.matching.models import NameVariant
from kariya.matching.names import load_variants
from kariya.matching.variant_rows import VariantImportResult, check_row, variant_rows_apply


def name_variant_check(
    *, canonical: str, variant: str, instance: NameVariant | None = None, lock: bool = False
) -> str | None:
    """Why this addition would be refused (a translated message), or None. Read by the admin's
    form so the message sits on the field; ``name_variant_save`` checks again under a lock."""
    query = NameVariant.objects.order_by("id")
    if lock:
        query = query.select_for_update()
    others = [
        (c, v)
        for pk, c, v in query.values_list("id", "canonical", "variant")
        if instance is None or pk != instance.pk
    ]
    error, known = check_row(load_variants(extra_rows=others), canonical, variant)
    if error is None and known:
        return _("The dictionary already reads this spelling as this name.")
    return error


def _changed() -> None:
    """After a change of the additions: this process reads the dictionary again at once, and
    once the change is committed the match keys of every person are rebuilt in the background
    (``people.tasks.match_keys_rebuild_all``: the registration check's keys were computed
    through the old dictionary)."""
    dictionary.forget()

    def rebuild() -> None:
        from kariya.people.tasks import match_keys_rebuild_all  # noqa: PLC0415 - app order

        match_keys_rebuild_all.enqueue()

    transaction.on_commit(rebuild)


@transaction.atomic
def name_variant_save(
    *,
    actor: Any,
    canonical: str,
    variant: str,
    note: str = "",
    instance: NameVariant | None = None,
) -> NameVariant:
    """Add a spelling of a name, or change one added before. Refused (``ValidationError`` on
    the field) when a name is empty or too long, when the spelling already belongs to another
    name, or when the dictionary already reads it as this name (nothing to add)."""
    error = name_variant_check(canonical=canonical, variant=variant, instance=instance, lock=True)
    if error is not None:
        raise ValidationError({"variant": error})
    row = instance or NameVariant(created_by=actor)
    changed = [
        name
        for name, value in (
            ("canonical", canonical.strip()),
            ("variant", variant.strip()),
            ("note", note.strip()),
        )
        if getattr(row, name) != value
    ]
    row.canonical, row.variant, row.note = canonical.strip(), variant.strip(), note.strip()
    row.full_clean(validate_unique=True)
    row.save()
    _changed()
    audit_record(
        actor=actor,
        action=AuditAction.CREATE if instance is None else AuditAction.UPDATE,
        obj=row,
        changed_fields=changed,
    )
    return row


@transaction.atomic
def name_variant_delete(*, actor: Any, instance: NameVariant) -> None:
    """Remove an addition (the shipped dictionary cannot be changed here). Removing can never
    merge two names, so it is not checked."""
    audit_record(actor=actor, action=AuditAction.DELETE, obj=instance)
    instance.delete()
    _changed()


@transaction.atomic
def name_variants_import(*, actor: Any, data: bytes) -> VariantImportResult:
    """Add every row of a CSV (``canonical,variant``; UTF-8, UTF-8 with BOM or Latin-1) — all or
    nothing: any bad row (an empty or too long name, a spelling already belonging to another
    name, two rows of the file disagreeing) and nothing is added; the result lists every error
    with its line. Rows the dictionary already reads that way are counted and skipped."""
    try:
        rows = read_variant_rows(data)
    except InputError as exc:
        return VariantImportResult(errors=[(0, str(exc))])
    list(NameVariant.objects.select_for_update().values_list("id", flat=True))
    result = variant_rows_apply(load_variants(extra_rows=admin_rows()), rows)
    if result.errors:
        result.errors.sort()
        result.added = 0
        return result
    NameVariant.objects.bulk_create(
        NameVariant(canonical=canonical, variant=variant, created_by=actor)
        for canonical, variant in result.new_rows
    )
    if result.new_rows:
        _changed()
    audit_record(
        actor=actor,
        action=AuditAction.CREATE,
        object_type="matching.namevariant",
        object_id=f"import:{result.added}",
        changed_fields=["canonical", "variant"],
    )
    return result
