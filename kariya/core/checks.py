"""System checks: the encryption keys must be usable before Kariya serves anything."""

from __future__ import annotations

from typing import Any

from django.core.checks import Error, register

from kariya.core import crypto


@register()
def encryption_keys_check(app_configs: Any, **kwargs: Any) -> list[Error]:
    try:
        crypto.keyring.cache_clear()
        crypto.keyring()
    except crypto.KeyConfigurationError as exc:
        return [
            Error(
                f"Encryption keys are not usable: {exc}",
                hint="Set KARIYA_ENCRYPTION_KEYS='id:base64key[,id:base64key]' and "
                "KARIYA_BLIND_INDEX_KEY (32 random bytes, base64). See docs/deployment.md.",
                id="kariya.E001",
            )
        ]
    return []
