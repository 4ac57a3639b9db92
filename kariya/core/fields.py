"""Model fields that keep their values encrypted at rest (see ``kariya.core.crypto``)."""

from __future__ import annotations

from typing import Any

from django.db import models
from django.db.models import Model

from kariya.core import crypto


class EncryptedTextField(models.TextField):  # type: ignore[type-arg]
    """Text encrypted with AES-256-GCM; the column holds only the ciphertext.

    It cannot be filtered on (a random nonce makes equal values differ): pair it with a
    :class:`BlindIndexField` for exact search. Only ``isnull`` lookups are allowed.
    """

    description = "Encrypted text"

    def contribute_to_class(self, cls: type[Model], name: str, private_only: bool = False) -> None:
        super().contribute_to_class(cls, name, private_only=private_only)
        self.crypto_context = f"{cls._meta.app_label}.{cls.__name__.lower()}.{name}"

    def from_db_value(self, value: str | None, expression: Any, connection: Any) -> str | None:
        if value is None or value == "":
            return value
        return crypto.decrypt(value, context=self.crypto_context)

    def get_db_prep_save(self, value: Any, connection: Any) -> Any:
        if value is None or value == "":
            return value
        return crypto.encrypt(str(value), context=self.crypto_context)

    def get_lookup(self, lookup_name: str) -> Any:
        if lookup_name != "isnull":
            raise TypeError(
                f"{self.crypto_context} is encrypted: filter on its blind index instead"
            )
        return super().get_lookup(lookup_name)


class BlindIndexField(models.CharField):  # type: ignore[type-arg]
    """HMAC of a normalised value, for exact search over an encrypted field."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        kwargs.setdefault("max_length", 32)
        kwargs.setdefault("blank", True)
        kwargs.setdefault("default", "")
        kwargs.setdefault("db_index", True)
        kwargs.setdefault("editable", False)
        super().__init__(*args, **kwargs)


def encrypted_fields() -> list[tuple[type[Model], EncryptedTextField]]:
    """Every concrete encrypted field of every installed model (for key rotation)."""
    from django.apps import apps

    found: list[tuple[type[Model], EncryptedTextField]] = []
    for model in apps.get_models():
        if model._meta.abstract or model._meta.proxy:
            continue
        for field in model._meta.concrete_fields:
            if isinstance(field, EncryptedTextField):
                found.append((model, field))
    return found
