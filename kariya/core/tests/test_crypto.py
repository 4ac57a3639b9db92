from __future__ import annotations

import base64
import os
import subprocess
import sys
from typing import Any

import pytest
from django.core.management import call_command
from django.db import connection
from django.test import override_settings

from kariya.accounts import services
from kariya.accounts.models import User
from kariya.core import crypto

NEW_KEY = "t3:" + base64.b64encode(b"k" * 32).decode()


def test_round_trip_and_fresh_nonce() -> None:
    a = crypto.encrypt("+227 90 12 34 56", context="x.y.z")
    b = crypto.encrypt("+227 90 12 34 56", context="x.y.z")
    assert a != b
    assert a.startswith("kt2$")
    assert crypto.decrypt(a, context="x.y.z") == "+227 90 12 34 56"


def test_ciphertext_is_bound_to_its_column() -> None:
    token = crypto.encrypt("Amadou", context="people.identity.name")
    with pytest.raises(crypto.DecryptionError):
        crypto.decrypt(token, context="people.identity.alias")


def test_tampered_ciphertext_is_refused() -> None:
    token = crypto.encrypt("Amadou", context="c")
    head, _, body = token.partition("$")
    raw = bytearray(base64.b64decode(body))
    raw[-1] ^= 1
    with pytest.raises(crypto.DecryptionError):
        crypto.decrypt(head + "$" + base64.b64encode(bytes(raw)).decode(), context="c")


def test_unknown_key_id_is_refused() -> None:
    with pytest.raises(crypto.DecryptionError, match="no configured key"):
        crypto.decrypt("kzz$AAAA", context="c")


def test_blind_index_is_exact_but_case_and_accent_insensitive() -> None:
    same = crypto.blind_index("  Aïcha  MOUSSA ", context="n")
    assert same == crypto.blind_index("aicha moussa", context="n")
    assert same != crypto.blind_index("aicha moussa", context="other")
    assert same != crypto.blind_index("aicha mousa", context="n")
    assert len(same) == 32


@pytest.mark.parametrize(
    ("keys", "message"),
    [
        ("", "no encryption key"),
        ("nokeyid", "must look like"),
        ("a:" + base64.b64encode(b"short").decode(), "32 bytes"),
        ("a:!!!", "base64"),
        ("a:{k},a:{k}".format(k=base64.b64encode(b"x" * 32).decode()), "used twice"),
    ],
)
def test_bad_key_configuration_is_explained(keys: str, message: str) -> None:
    blind = base64.b64encode(b"b" * 32).decode()
    with pytest.raises(crypto.KeyConfigurationError, match=message):
        crypto.parse_keyring(keys, blind)


def test_encrypted_field_refuses_lookups(db: Any) -> None:
    with pytest.raises(TypeError, match="blind index"):
        User.objects.filter(phone="+22790000000").exists()


def _raw_phone(user: User) -> str:
    with connection.cursor() as cursor:
        cursor.execute("SELECT phone FROM accounts_user WHERE id = %s", [user.pk])
        return str(cursor.fetchone()[0])


def test_no_plaintext_reaches_the_database(org_a: Any) -> None:
    admin = org_a["org_admin"]
    user = services.user_create(
        actor=admin,
        organisation=org_a.org,
        username="field.agent",
        password="Sahel-2026-xyz",
        roles=["caseworker"],
        phone="+227 96 55 44 33",
    )
    raw = _raw_phone(user)
    assert raw.startswith("kt2$")
    assert "96 55 44 33" not in raw and "96554433" not in raw
    # The whole table, as a thief with a database dump would read it.
    with connection.cursor() as cursor:
        cursor.execute("SELECT * FROM accounts_user")
        dump = repr(cursor.fetchall())
    assert "96 55 44 33" not in dump
    # The model still reads it back, and the blind index finds it.
    assert User.objects.get(pk=user.pk).phone == "+227 96 55 44 33"
    index = crypto.blind_index("+227 96 55 44 33", context="accounts.user.phone")
    assert list(User.objects.filter(phone_index=index)) == [user]


def test_rotate_keys_reencrypts_under_the_new_primary(org_a: Any, settings: Any) -> None:
    admin = org_a["org_admin"]
    users = [
        services.user_create(
            actor=admin,
            organisation=org_a.org,
            username=f"agent{i}",
            password="Sahel-2026-xyz",
            roles=["caseworker"],
            phone=f"+227 90 00 00 0{i}",
        )
        for i in range(5)
    ]
    old = [_raw_phone(u) for u in users]
    settings.KARIYA_ENCRYPTION_KEYS = NEW_KEY + "," + settings.KARIYA_ENCRYPTION_KEYS
    call_command("rotate_keys", "--batch-size", "2", stdout=open(os.devnull, "w"))  # noqa: SIM115
    new = [_raw_phone(u) for u in users]
    assert all(token.startswith("kt3$") for token in new)
    assert set(new).isdisjoint(old)
    assert [User.objects.get(pk=u.pk).phone for u in users] == [
        f"+227 90 00 00 0{i}" for i in range(5)
    ]
    # Once rotated, the old key can go: values still decrypt with the new key alone.
    with override_settings(KARIYA_ENCRYPTION_KEYS=NEW_KEY):
        assert User.objects.get(pk=users[0].pk).phone == "+227 90 00 00 00"


def test_production_settings_refuse_to_start_without_secrets(tmp_path: Any) -> None:
    env = {
        k: v
        for k, v in os.environ.items()
        if k
        not in {"SECRET_KEY", "ALLOWED_HOSTS", "KARIYA_ENCRYPTION_KEYS", "KARIYA_BLIND_INDEX_KEY"}
    }
    env |= {
        "DJANGO_SETTINGS_MODULE": "kariya.config.settings.prod",
        "KARIYA_DATA_DIR": str(tmp_path),
    }
    result = subprocess.run(  # noqa: S603
        [sys.executable, "-m", "kariya", "check"],
        env=env,
        capture_output=True,
        text=True,
        check=False,
    )
    assert result.returncode != 0
    assert "Traceback" not in result.stderr
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1
    assert "SECRET_KEY" in lines[0] and "KARIYA_ENCRYPTION_KEYS" in lines[0]
