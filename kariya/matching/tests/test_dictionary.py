"""The administrators' additions to the variant dictionary: the distinct-name guard, the CSV
import (all or nothing), the dictionary in force, the admin pages and ``kariya match
--variants``."""

from __future__ import annotations

import csv
import io
from pathlib import Path
from typing import Any

import pytest
from django.core.exceptions import ValidationError
from django.core.management import CommandError, call_command
from django.test import TestCase
from django.utils import translation

from kariya.accounts.factories import UserFactory
from kariya.core.models import AuditEvent
from kariya.matching import dictionary, services
from kariya.matching.dictionary import conflicting_rows, current_variants
from kariya.matching.models import NameVariant
from kariya.matching.names import name_tokens
from kariya.people.factories import register
from kariya.people.models import PersonSearchKey, SearchKind

pytestmark = pytest.mark.django_db

CHANGELIST = "/admin/matching/namevariant/"


@pytest.fixture
def operator() -> Any:
    return UserFactory(organisation=None, is_superuser=True, is_staff=True)


@pytest.fixture(autouse=True)
def _english() -> Any:
    with translation.override("en"):
        yield


def test_an_addition_changes_the_dictionary_in_force(operator: Any) -> None:
    assert name_tokens("Chimadene", current_variants()) != name_tokens(
        "Tchimaden", current_variants()
    )
    row = services.name_variant_save(actor=operator, canonical="Tchimaden", variant="Chimadene")
    assert name_tokens("Chimadene", current_variants()) == name_tokens(
        "Tchimaden", current_variants()
    )
    event = AuditEvent.objects.get(object_type="matching.namevariant", action="create")
    assert event.object_id == str(row.pk)
    assert event.actor == operator
    services.name_variant_delete(actor=operator, instance=row)
    assert name_tokens("Chimadene", current_variants()) != name_tokens(
        "Tchimaden", current_variants()
    )
    assert AuditEvent.objects.filter(object_type="matching.namevariant", action="delete").exists()


@pytest.mark.parametrize(
    ("canonical", "variant", "says"),
    [
        ("Mahmoud", "Mohammed", "already a spelling of Mohamed"),  # distinct-name guard
        ("Ahmed", "Mouhamed", "already a spelling of Mohamed"),
        ("Mamadou", "Mamadu", "itself a spelling of Mohamed"),  # write the name, not a spelling
        ("Mohamed", "Mohammed", "already reads this spelling"),  # nothing to add
        ("Mohamed", "  ", "required"),
        ("Mohamed", "---", "at least one letter"),
        ("Mohamed", "x" * 61, "at most 60"),
    ],
)
def test_refused_additions_say_why_and_write_nothing(
    operator: Any, canonical: str, variant: str, says: str
) -> None:
    with pytest.raises(ValidationError) as caught:
        services.name_variant_save(actor=operator, canonical=canonical, variant=variant)
    assert says in caught.value.message_dict["variant"][0]
    assert not NameVariant.objects.exists()
    assert not AuditEvent.objects.filter(object_type="matching.namevariant").exists()


def test_the_guard_also_holds_against_earlier_additions(operator: Any) -> None:
    services.name_variant_save(actor=operator, canonical="Tchimaden", variant="Chimadene")
    with pytest.raises(ValidationError) as caught:
        services.name_variant_save(actor=operator, canonical="Tanko", variant="Chimadene")
    assert "already a spelling of Tchimaden" in caught.value.message_dict["variant"][0]
    assert NameVariant.objects.count() == 1


def test_editing_an_addition_is_checked_without_itself(operator: Any) -> None:
    row = services.name_variant_save(actor=operator, canonical="Tchimaden", variant="Chimadene")
    services.name_variant_save(
        actor=operator,
        canonical="Tchimaden",
        variant="Chimadene",
        note="Agadez",
        instance=row,
    )
    row.refresh_from_db()
    assert row.note == "Agadez"
    event = AuditEvent.objects.get(object_type="matching.namevariant", action="update")
    assert event.changed_fields == ["note"]


def test_import_adds_every_row_and_counts_the_known(operator: Any) -> None:
    data = "canonical,variant\nTchimaden,Chimadene\nTchimaden,Tchimadane\nMohamed,Mohammed\n"
    result = services.name_variants_import(actor=operator, data=data.encode())
    assert result.errors == []
    assert (result.added, result.already_known) == (2, 1)
    assert set(NameVariant.objects.values_list("variant", flat=True)) == {
        "Chimadene",
        "Tchimadane",
    }
    assert AuditEvent.objects.filter(
        object_type="matching.namevariant", object_id="import:2"
    ).exists()


def test_import_with_a_bad_row_adds_nothing_and_names_every_line(operator: Any) -> None:
    data = (
        "canonical,variant,note\n"
        "Tchimaden,Chimadene,ok\n"
        "Mahmoud,Mohammed,guard\n"
        ",Tanko,empty\n"
        "Tanko,Chimadene,disagrees with line 2\n"
    )
    result = services.name_variants_import(actor=operator, data=data.encode())
    assert [line for line, _message in result.errors] == [3, 4, 5]
    assert "already a spelling of Mohamed" in result.errors[0][1]
    assert "already a spelling of Tchimaden" in result.errors[2][1]
    assert result.added == 0
    assert not NameVariant.objects.exists()


def test_import_reads_latin1_and_a_bom_and_refuses_other_encodings(operator: Any) -> None:
    latin1 = "canonical,variant\nGoumbé,Goumbey\n".encode("latin-1")
    assert services.name_variants_import(actor=operator, data=latin1).errors == []
    bom = "\ufeffcanonical,variant\nTchimaden,Chimadene\n".encode()
    assert services.name_variants_import(actor=operator, data=bom).errors == []
    utf16 = "canonical,variant\nTanko,Tankou\n".encode("utf-16")
    result = services.name_variants_import(actor=operator, data=utf16)
    assert result.errors and "neither UTF-8 nor Latin-1" in result.errors[0][1]
    assert NameVariant.objects.count() == 2


def test_import_refuses_a_file_without_the_columns(operator: Any) -> None:
    result = services.name_variants_import(actor=operator, data=b"name,spelling\na,b\n")
    assert result.errors == [(0, result.errors[0][1])]
    assert "canonical and variant" in result.errors[0][1]
    empty = services.name_variants_import(actor=operator, data=b"canonical,variant\n")
    assert "no rows" in empty.errors[0][1]


def test_a_conflicting_row_written_behind_the_guard_is_left_out(operator: Any) -> None:
    NameVariant.objects.create(canonical="Mahmoud", variant="Mohammed")
    assert conflicting_rows() == [NameVariant.objects.get().pk]
    variants = current_variants()  # does not raise
    assert name_tokens("Mohammed", variants) == name_tokens("Mohamed", variants)


# --- the configuration admin ---------------------------------------------------------------


def test_admin_pages_are_for_platform_operators_only(client: Any, org_a: Any) -> None:
    for path in (CHANGELIST, CHANGELIST + "import/", CHANGELIST + "export/"):
        response = client.get(path)
        assert response.status_code == 302 and "/admin/login/" in response["Location"]
        client.force_login(org_a["org_admin"])
        response = client.get(path)
        assert response.status_code == 302 and "/admin/login/" in response["Location"]
        client.logout()


def test_admin_add_shows_the_guard_on_the_field(client: Any, operator: Any) -> None:
    client.force_login(operator)
    response = client.post(
        CHANGELIST + "add/", {"canonical": "Mahmoud", "variant": "Mohammed", "note": ""}
    )
    assert response.status_code == 200
    # the admin speaks the request's language (French by default), whatever the test's override
    assert "déjà une graphie de Mohamed" in response.content.decode()
    assert not NameVariant.objects.exists()
    response = client.post(
        CHANGELIST + "add/", {"canonical": "Tchimaden", "variant": "Chimadene", "note": ""}
    )
    assert response.status_code == 302
    row = NameVariant.objects.get()
    assert row.created_by == operator
    response = client.post(CHANGELIST + f"{row.pk}/delete/", {"post": "yes"})
    assert response.status_code == 302
    assert not NameVariant.objects.exists()
    assert AuditEvent.objects.filter(object_type="matching.namevariant", action="delete").exists()


def test_admin_import_lists_the_errors_then_accepts_a_good_file(client: Any, operator: Any) -> None:
    client.force_login(operator)
    bad = io.BytesIO(b"canonical,variant\nMahmoud,Mohammed\n")
    bad.name = "variants.csv"
    response = client.post(CHANGELIST + "import/", {"file": bad})
    page = response.content.decode()
    assert response.status_code == 200
    assert "Rien n’a été ajouté" in page and "déjà une graphie de Mohamed" in page
    good = io.BytesIO(b"canonical,variant\nTchimaden,Chimadene\n")
    good.name = "variants.csv"
    response = client.post(CHANGELIST + "import/", {"file": good}, follow=True)
    assert "1 graphie(s) ajoutée(s)" in response.content.decode()
    assert NameVariant.objects.filter(variant="Chimadene").exists()


def test_admin_export_holds_the_shipped_rows_and_the_additions(client: Any, operator: Any) -> None:
    services.name_variant_save(actor=operator, canonical="Tchimaden", variant="Chimadene")
    client.force_login(operator)
    response = client.get(CHANGELIST + "export/")
    rows = list(csv.DictReader(io.StringIO(response.content.decode())))
    assert {"canonical": "Tchimaden", "variant": "Chimadene", "source": "added"} in rows
    assert {"canonical": "mohamed", "variant": "mahamadou", "source": "shipped"} in rows


# --- kariya match --variants ---------------------------------------------------------------

PEOPLE = "id,given_name,family_name\n1,Tchimaden,Issa\n2,Chimadene,Issa\n"


def test_match_takes_extra_variants_from_a_file(tmp_path: Path, capsys: Any) -> None:
    (tmp_path / "people.csv").write_text(PEOPLE)
    (tmp_path / "extra.csv").write_text("canonical,variant\nTchimaden,Chimadene\n")
    call_command(
        "match",
        str(tmp_path / "people.csv"),
        "--output",
        str(tmp_path / "pairs.csv"),
        "--variants",
        str(tmp_path / "extra.csv"),
    )
    assert "1 name variants added, 0 already known" in capsys.readouterr().err


def test_match_refuses_a_variants_file_that_merges_two_names(tmp_path: Path) -> None:
    (tmp_path / "people.csv").write_text(PEOPLE)
    (tmp_path / "extra.csv").write_text("canonical,variant\nTanko,Tankou\nMahmoud,Mohammed\n")
    with pytest.raises(CommandError, match=r"extra.csv, line 3: .*already a spelling of Mohamed"):
        call_command(
            "match",
            str(tmp_path / "people.csv"),
            "--output",
            str(tmp_path / "pairs.csv"),
            "--variants",
            str(tmp_path / "extra.csv"),
        )
    assert not (tmp_path / "pairs.csv").exists()


# --- the dictionary in force, across processes, and the keys it feeds ------------------------


def test_another_process_change_is_seen_after_the_recheck_interval(
    operator: Any, monkeypatch: Any
) -> None:
    before = current_variants()
    # Written as another process would: this process was not told (no ``forget``).
    NameVariant.objects.create(canonical="Tchimaden", variant="Chimadene")
    assert current_variants() is before  # within the interval: no query, the same dictionary
    monkeypatch.setattr(dictionary, "RECHECK_SECONDS", 0.0)
    after = current_variants()
    assert after is not before
    assert name_tokens("Chimadene", after) == name_tokens("Tchimaden", after)


def test_a_committed_change_rebuilds_the_match_keys(operator: Any, org_a: Any) -> None:
    worker = org_a["caseworker"]
    a = register(worker, given_names="Tchimaden", family_names="Abdou")
    b = register(worker, given_names="Chimadene", family_names="Abdou")

    def name_keys(person: Any) -> set[str]:
        return set(
            PersonSearchKey.objects.filter(person=person, kind=SearchKind.MATCH_NAME).values_list(
                "key", flat=True
            )
        )

    shared_before = name_keys(a) & name_keys(b)
    with TestCase.captureOnCommitCallbacks(execute=True):
        services.name_variant_save(actor=operator, canonical="Tchimaden", variant="Chimadene")
    shared_after = name_keys(a) & name_keys(b)
    assert len(shared_after) == len(shared_before) + 1  # the given name now joins them
