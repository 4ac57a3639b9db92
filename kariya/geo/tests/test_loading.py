"""Parsing and loading admin-unit tables (shared by migration 0002 and the import command)."""

from __future__ import annotations

import pytest

from kariya.geo.loading import (
    AdminUnitFileError,
    UnitRow,
    decode_table,
    fold,
    load_admin_units,
    parse_admin_units,
    reference_name,
)
from kariya.geo.models import AdminUnit

COD_HEADER = "ADM3_FR,ADM3_PCODE,ADM3_REF,ADM2_FR,ADM2_PCODE,ADM1_FR,ADM1_PCODE\n"


def errors_of(text: str) -> list[tuple[int, str, str]]:
    with pytest.raises(AdminUnitFileError) as caught:
        parse_admin_units(text)
    return [(e.line, e.column, e.message) for e in caught.value.errors]


def test_fold_gives_cod_ab_reference_names() -> None:
    assert fold("Tillabéri") == "Tillaberi"
    assert fold("N'Guigmi") == "NGuigmi"
    assert fold("Maïné Soroa") == "Maine Soroa"
    assert reference_name("Agadez") == ""
    assert reference_name("Gothèye") == "Gotheye"


def test_cod_ab_rows_give_three_levels_and_derive_missing_reference_names() -> None:
    rows = parse_admin_units(
        COD_HEADER
        + "Gothèye,NE006007001,Gotheye,Gothèye,NE006007,Tillabéri,NE006\n"
        + "Dargol,NE006007002,,Gothèye,NE006007,Tillabéri,NE006\n"
    )
    assert [(r.level, r.pcode, r.name_fr, r.name_ref, r.parent_pcode) for r in rows] == [
        (1, "NE006", "Tillabéri", "Tillaberi", None),
        (2, "NE006007", "Gothèye", "Gotheye", "NE006"),
        (3, "NE006007001", "Gothèye", "Gotheye", "NE006007"),
        (3, "NE006007002", "Dargol", "", "NE006007"),
    ]


def test_kariya_layout_with_semicolons_and_byte_order_mark() -> None:
    rows = parse_admin_units(
        "\ufefflevel;pcode;name_fr;name_ref;parent_pcode\n"
        "1;NE008;Niamey;;NE\n"
        "2;NE008001;Ville de Niamey;;\n"
        "3;NE008001001;Niamey I;;NE008001\n"
    )
    assert [(r.pcode, r.parent_pcode) for r in rows] == [
        ("NE008", None),
        ("NE008001", "NE008"),
        ("NE008001001", "NE008001"),
    ]


def test_every_bad_row_is_reported_with_line_and_column() -> None:
    errors = errors_of(
        COD_HEADER
        + "Arlit,NE001002001,,Arlit,NE001002,Agadez,NE001\n"  # 2: fine
        + "Dannet,NE01002002,,Arlit,NE001002,Agadez,NE001\n"  # 3: P-code too short
        + ",NE001002003,,Arlit,NE001002,Agadez,NE001\n"  # 4: no name
        + "Iferouane,NE001003001,,Arlit,NE001002,Agadez,NE001\n"  # 5: wrong department
        + "Timia,NE001002004,,Arlitt,NE001002,Agadez,NE001\n"  # 6: department renamed
        + "Bilma,NE001003001,,Bilma,NE001003,,NE001\n"  # 7: region without a name
    )
    assert [(line, column) for line, column, _ in errors] == [
        (3, "ADM3_PCODE"),
        (4, "ADM3_FR"),
        (5, "ADM3_PCODE"),
        (6, "ADM2_FR"),
        (7, "ADM1_FR"),
    ]
    messages = {line: message for line, _, message in errors}
    assert "NE followed by 9 digits" in messages[3]
    assert "NE001003001 cannot belong to NE001002" in messages[5]
    assert "'Arlitt' here but 'Arlit' on line 2" in messages[6]


def test_line_numbers_count_physical_lines() -> None:
    errors = errors_of(
        COD_HEADER
        + '"Arlit\n(ville)",NE001002001,,Arlit,NE001002,Agadez,NE001\n'
        + "\n"
        + "Dannet,NE0010020,,Arlit,NE001002,Agadez,NE001\n"
    )
    assert errors[0][0] == 5


def test_kariya_layout_errors() -> None:
    errors = errors_of(
        "level,pcode,name_fr,parent_pcode\n"
        "4,NE001,Agadez,\n"
        "1,NE001,Agadez,NE002\n"
        "2,NE001001,Aderbissinat,NE002\n"
        "3,NE001001,Aderbissinat,NE001\n"
    )
    assert [(line, column) for line, column, _ in errors] == [
        (2, "level"),
        (3, "parent_pcode"),
        (4, "parent_pcode"),
        (5, "pcode"),
    ]


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("a,b,c\n1,2,3\n", "unrecognised columns"),
        (COD_HEADER, "no rows"),
        ("ADM3_PCODE,ADM2_PCODE,ADM1_PCODE,ADM3_FR\n", "missing from the header"),
    ],
)
def test_unusable_files(text: str, message: str) -> None:
    errors = errors_of(text)
    assert errors[0][0] == 1
    assert message in errors[0][2]


def test_a_file_that_is_not_utf8_is_refused_with_its_line() -> None:
    data = (COD_HEADER + "Arlit,NE001002001,,Arlit,NE001002,Agadez,NE001\n").encode()
    data += "Téra,NE006011001,Tera,Téra,NE006011,Tillabéri,NE006\n".encode("latin-1")
    with pytest.raises(AdminUnitFileError) as caught:
        decode_table(data)
    assert caught.value.errors[0].line == 3
    assert "UTF-8" in caught.value.errors[0].message


@pytest.mark.django_db
def test_a_parent_must_be_in_the_file_or_in_kariya() -> None:
    rows = [
        UnitRow(2, 3, "NE008001009", "Niamey IX", "", "NE008001"),  # parent in Kariya: fine
        UnitRow(3, 3, "NE009001001", "Ailleurs", "", "NE009001"),
    ]
    with pytest.raises(AdminUnitFileError) as caught:
        load_admin_units(AdminUnit, rows)
    assert [(e.line, e.message) for e in caught.value.errors] == [
        (3, "the parent NE009001 of NE009001001 is neither in the file nor in Kariya")
    ]
    assert not AdminUnit.objects.filter(pcode="NE008001009").exists()


@pytest.mark.django_db
def test_load_is_idempotent_and_dry_run_writes_nothing() -> None:
    rows = parse_admin_units(
        COD_HEADER + "Niamey IX,NE008001009,,Ville de Niamey,NE008001,Niamey,NE008\n"
    )
    dry = load_admin_units(AdminUnit, rows, dry_run=True)
    assert (dry.added, dry.changed, dry.unchanged) == (["NE008001009"], [], 2)
    assert not AdminUnit.objects.filter(pcode="NE008001009").exists()
    first = load_admin_units(AdminUnit, rows)
    assert first.added == ["NE008001009"]
    unit = AdminUnit.objects.get(pcode="NE008001009")
    assert (unit.level, unit.parent.pcode, unit.name_ref) == (3, "NE008001", "")
    again = load_admin_units(AdminUnit, rows)
    assert (again.added, again.changed, again.unchanged) == ([], [], 3)
    assert len(again.missing) == 339
