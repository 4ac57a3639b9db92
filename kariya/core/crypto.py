"""Authenticated field encryption and keyed blind indexes.

Ciphertexts are ``k<key id>$<base64(nonce || AES-256-GCM ciphertext+tag)>``. The associated
data is the field's context (``app_label.model.field``), so a ciphertext copied into another
column does not decrypt. Several keys may be configured (``id:base64key,id:base64key``); the
first encrypts, all decrypt, and ``kariya rotate-keys`` re-encrypts old rows under the first.

Blind indexes are HMAC-SHA256 of a normalised value under a separate key, truncated to 128
bits: equal inputs give equal indexes (exact search) without storing the value.
"""

from __future__ import annotations

import base64
import binascii
import functools
import hashlib
import hmac
import os
import unicodedata
from dataclasses import dataclass

from cryptography.exceptions import InvalidTag
from cryptography.hazmat.primitives.ciphers.aead import AESGCM
from django.conf import settings
from django.core.signals import setting_changed
from django.dispatch import receiver

PREFIX = "k"
SEPARATOR = "$"
NONCE_BYTES = 12


class KeyConfigurationError(ValueError):
    """The configured keys cannot be used. The message never contains key material."""


class DecryptionError(ValueError):
    """A stored value could not be decrypted (unknown key, tampering, wrong column)."""


@dataclass(frozen=True)
class Keyring:
    primary_id: str
    keys: dict[str, AESGCM]
    blind_key: bytes


def _decode_key(encoded: str, what: str) -> bytes:
    try:
        text = encoded.strip().replace("-", "+").replace("_", "/")
        raw = base64.b64decode(text + "=" * (-len(text) % 4), validate=True)
    except (binascii.Error, ValueError) as exc:
        raise KeyConfigurationError(f"{what} is not valid base64") from exc
    if len(raw) != 32:
        raise KeyConfigurationError(f"{what} must decode to 32 bytes, not {len(raw)}")
    return raw


def parse_keyring(encryption_keys: str, blind_index_key: str) -> Keyring:
    keys: dict[str, AESGCM] = {}
    primary_id = ""
    for position, item in enumerate(part for part in encryption_keys.split(",") if part.strip()):
        key_id, sep, encoded = item.strip().partition(":")
        if not sep or not key_id.isalnum():
            raise KeyConfigurationError(
                f"encryption key #{position + 1} must look like 'id:base64key' with an "
                "alphanumeric id"
            )
        if key_id in keys:
            raise KeyConfigurationError(f"encryption key id '{key_id}' is used twice")
        keys[key_id] = AESGCM(_decode_key(encoded, f"encryption key '{key_id}'"))
        primary_id = primary_id or key_id
    if not keys:
        raise KeyConfigurationError("no encryption key is configured")
    return Keyring(primary_id, keys, _decode_key(blind_index_key, "blind index key"))


@functools.cache
def keyring() -> Keyring:
    return parse_keyring(settings.KARIYA_ENCRYPTION_KEYS, settings.KARIYA_BLIND_INDEX_KEY)


@receiver(setting_changed)
def _reset_keyring(*, setting: str, **_: object) -> None:
    if setting in {"KARIYA_ENCRYPTION_KEYS", "KARIYA_BLIND_INDEX_KEY"}:
        keyring.cache_clear()


def token_prefix(key_id: str) -> str:
    return f"{PREFIX}{key_id}{SEPARATOR}"


def encrypt(plaintext: str, *, context: str) -> str:
    ring = keyring()
    nonce = os.urandom(NONCE_BYTES)
    sealed = ring.keys[ring.primary_id].encrypt(nonce, plaintext.encode(), context.encode())
    return token_prefix(ring.primary_id) + base64.b64encode(nonce + sealed).decode("ascii")


def key_id_of(token: str) -> str:
    head, sep, _ = token.partition(SEPARATOR)
    if not sep or not head.startswith(PREFIX):
        raise DecryptionError("value is not a Kariya ciphertext")
    return head[len(PREFIX) :]


def decrypt(token: str, *, context: str) -> str:
    key_id = key_id_of(token)
    key = keyring().keys.get(key_id)
    if key is None:
        raise DecryptionError(f"no configured key has id '{key_id}'")
    try:
        blob = base64.b64decode(token.partition(SEPARATOR)[2], validate=True)
        plain = key.decrypt(blob[:NONCE_BYTES], blob[NONCE_BYTES:], context.encode())
    except (InvalidTag, binascii.Error, ValueError) as exc:
        raise DecryptionError("ciphertext failed authentication") from exc
    return plain.decode()


def normalise(value: str) -> str:
    """Case-, accent- and spacing-insensitive form used before hashing."""
    if value.isascii():  # no accents to strip: the same result without decomposing
        return " ".join(value.lower().split())
    decomposed = unicodedata.normalize("NFKD", value.casefold())
    stripped = "".join(ch for ch in decomposed if not unicodedata.combining(ch))
    return " ".join(stripped.split())


@functools.lru_cache(maxsize=256)
def _keyed_hmac(key: bytes, context: str) -> hmac.HMAC:
    """The HMAC keyed and fed with ``context``: copied per value, which saves setting up the
    key every time (an import computes tens of thousands of indexes)."""
    return hmac.new(key, context.encode() + b"\x00", hashlib.sha256)


def blind_index(value: str, *, context: str) -> str:
    mac = _keyed_hmac(keyring().blind_key, context).copy()
    mac.update(normalise(value).encode())
    return mac.hexdigest()[:32]
