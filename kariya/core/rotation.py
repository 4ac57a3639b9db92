"""Re-encrypt stored values under the primary key, in batches (``kariya rotate-keys``)."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from django.db import transaction
from django.db.models import F, Model, TextField
from django.db.models.functions import Cast

from kariya.core import crypto
from kariya.core.audit import audit_record
from kariya.core.fields import encrypted_fields
from kariya.core.models import AuditAction


@dataclass
class RotationResult:
    label: str
    rotated: int


def rotate_all(
    *, batch_size: int, progress: Callable[[str, int], None] | None = None
) -> list[RotationResult]:
    """Re-encrypt every value not already under the primary key.

    Each batch is its own transaction, so an interrupted run can simply be restarted: rows
    already rotated carry the primary key's prefix and are skipped. Old keys must stay
    configured until this has finished.
    """
    prefix = crypto.token_prefix(crypto.keyring().primary_id)
    results = []
    for model, field in encrypted_fields():
        rotated = _rotate_field(
            model,
            field.name,
            field.crypto_context,
            prefix,
            batch_size,  # type: ignore[attr-defined]
            progress,
        )
        results.append(RotationResult(f"{model._meta.label}.{field.name}", rotated))
    audit_record(
        actor=None,
        action=AuditAction.ROTATE_KEYS,
        object_type="core.encryptionkey",
        object_id=crypto.keyring().primary_id,
    )
    return results


def _rotate_field(
    model: type[Model],
    name: str,
    context: str,
    prefix: str,
    batch_size: int,
    progress: Callable[[str, int], None] | None,
) -> int:
    manager = model._default_manager
    stale = (
        manager.annotate(_raw=Cast(F(name), TextField()))
        .exclude(_raw="")
        .exclude(_raw__isnull=True)
        .exclude(_raw__startswith=prefix)
        .order_by("pk")
    )
    total = 0
    last_pk = None
    while True:
        page = stale if last_pk is None else stale.filter(pk__gt=last_pk)
        rows = list(page.values_list("pk", "_raw")[:batch_size])
        if not rows:
            return total
        with transaction.atomic():
            for pk, token in rows:
                plain = crypto.decrypt(token, context=context)
                # update() goes through the field, which encrypts under the primary key.
                manager.filter(pk=pk).update(**{name: plain})
        total += len(rows)
        last_pk = rows[-1][0]
        if progress:
            progress(f"{model._meta.label}.{name}", total)
