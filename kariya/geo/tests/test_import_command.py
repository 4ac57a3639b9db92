"""``kariya import-admin-units``: the real COD-AB file, a modified copy, and bad files."""

from __future__ import annotations

import io
from pathlib import Path
from typing import Any

import pytest
from django.core.management import CommandError, call_command

from kariya.core.models import AuditEvent
from kariya.geo.models import AdminUnit

pytestmark = pytest.mark.django_db

NEW_COMMUNE = (
    "Tchintabaraden Nord,NE005011099,,Tchintabaraden,NE005011,Tahoua,NE005,Niger (the),NE,"
    "2023-06-21,2023-07-25,\n"
)


def run(*args: str) -> tuple[str, str]:
    out, err = io.StringIO(), io.StringIO()
    call_command("import_admin_units", *args, stdout=out, stderr=err)
    return out.getvalue(), err.getvalue()


def write(tmp_path: Path, text: str, name: str = "units.csv") -> str:
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return str(path)


def import_events() -> Any:
    return AuditEvent.objects.filter(object_type="geo.adminunit")


def modified(text: str) -> str:
    """The real file with one commune renamed and one commune added."""
    renamed = text.replace("\nNiamey IV,NE008001004,", "\nNiamey Quatre,NE008001004,")
    assert renamed != text
    return renamed + NEW_COMMUNE


def test_the_real_file_over_the_migrated_data_changes_nothing(tmp_path: Path) -> None:
    data = Path(__file__).parent / "data" / "ner_cod_ab_adm3.csv"
    out, err = run(str(data))
    assert "8 regions, 67 departments, 266 communes" in out
    assert "Units added: 0, changed: 0, unchanged: 341." in out
    assert "up to date" in out
    assert err == ""
    assert not import_events().exists()


def test_a_renamed_and_a_new_commune_are_exactly_what_is_reported(
    tmp_path: Path, cod_ab_text: str
) -> None:
    path = write(tmp_path, modified(cod_ab_text))
    out, _ = run(path)
    assert "Units added: 1, changed: 1, unchanged: 340." in out
    assert "Added (1):\n  NE005011099  Tchintabaraden Nord\n" in out
    assert "Changed (1):\n  NE008001004  Niamey Quatre: name 'Niamey IV' → 'Niamey Quatre'\n" in out
    assert AdminUnit.objects.get(pcode="NE008001004").name_fr == "Niamey Quatre"
    new = AdminUnit.objects.get(pcode="NE005011099")
    assert (new.level, new.parent.pcode, new.is_active) == (3, "NE005011", True)
    assert AdminUnit.objects.count() == 342
    events = {(e.action, e.object_id): e.changed_fields for e in import_events()}
    assert set(events) == {("create", "NE005011099"), ("update", "NE008001004")}
    assert events[("update", "NE008001004")] == ["name_fr"]
    # Idempotent: the same file again changes nothing more.
    out, _ = run(path)
    assert "Units added: 0, changed: 0, unchanged: 342." in out
    assert import_events().count() == 2


def test_dry_run_reports_and_writes_nothing(tmp_path: Path, cod_ab_text: str) -> None:
    out, _ = run(write(tmp_path, modified(cod_ab_text)), "--dry-run")
    assert "Units would be added: 1, would be changed: 1, unchanged: 340." in out
    assert "Dry run: nothing was written." in out
    assert AdminUnit.objects.get(pcode="NE008001004").name_fr == "Niamey IV"
    assert not AdminUnit.objects.filter(pcode="NE005011099").exists()
    assert not import_events().exists()


def test_a_file_with_bad_rows_writes_nothing_and_lists_every_problem(
    tmp_path: Path, cod_ab_text: str
) -> None:
    lines = modified(cod_ab_text).splitlines(keepends=True)
    lines[2] = lines[2].replace("NE001002001", "NE1002001")  # line 3: malformed P-code
    lines[4] = ",".join(["", *lines[4].split(",")[1:]])  # line 5: commune without a name
    lines[9] = lines[9].replace(",Agadez,NE001,", ",Agadès,NE001,")  # line 10: region renamed
    path = write(tmp_path, "".join(lines))
    before = list(AdminUnit.objects.order_by("pcode").values_list("pcode", "name_fr"))
    with pytest.raises(CommandError) as caught:
        run(path)
    assert "3 problem(s) found" in str(caught.value)
    assert "Nothing was written" in str(caught.value)
    # The valid rename and the valid new commune in the same file were not applied either.
    assert list(AdminUnit.objects.order_by("pcode").values_list("pcode", "name_fr")) == before
    assert not import_events().exists()


def test_bad_rows_are_printed_with_line_and_column(tmp_path: Path, cod_ab_text: str) -> None:
    lines = cod_ab_text.splitlines(keepends=True)
    lines[2] = lines[2].replace("NE001002001", "NE1002001")
    lines[4] = ",".join(["", *lines[4].split(",")[1:]])
    err = io.StringIO()
    with pytest.raises(CommandError):
        call_command(
            "import_admin_units", write(tmp_path, "".join(lines)), stderr=err, stdout=io.StringIO()
        )
    assert err.getvalue().splitlines() == [
        "line 3, column ADM3_PCODE: 'NE1002001' is not a commune P-code: expected NE followed "
        "by 9 digits (3 per level)",
        "line 5, column ADM3_FR: the commune NE001002003 has no name",
    ]


def test_a_missing_file_is_one_clear_line(tmp_path: Path) -> None:
    with pytest.raises(CommandError, match=r"nope\.csv: no such file\.$"):
        run(str(tmp_path / "nope.csv"))
    with pytest.raises(CommandError, match="is a folder, not a CSV file"):
        run(str(tmp_path))


def test_a_file_that_is_not_utf8_is_refused(tmp_path: Path, cod_ab_text: str) -> None:
    path = tmp_path / "latin1.csv"
    path.write_bytes(cod_ab_text.encode("latin-1"))
    err = io.StringIO()
    with pytest.raises(CommandError, match="1 problem"):
        call_command("import_admin_units", str(path), stderr=err, stdout=io.StringIO())
    assert "is not UTF-8 text" in err.getvalue()


def test_long_lists_are_cut_short(tmp_path: Path, cod_ab_text: str) -> None:
    extra = "".join(
        f"Commune {n},NE008001{n:03d},,Ville de Niamey,NE008001,Niamey,NE008,,,,,\n"
        for n in range(100, 130)
    )
    path = write(tmp_path, cod_ab_text + extra)
    out, _ = run(path, "--dry-run", "--show", "5")
    assert "Added (30):" in out
    assert "  NE008001104  Commune 104\n  … and 25 more (--show 0 lists them all)" in out
    out, _ = run(path, "--dry-run", "--show", "0")
    assert "NE008001129  Commune 129" in out and "more (--show" not in out


def test_the_kariya_console_script_takes_the_hyphenated_name(
    tmp_path: Path, cod_ab_text: str, capsys: Any
) -> None:
    from kariya.cli import main

    main(["kariya", "import-admin-units", write(tmp_path, modified(cod_ab_text)), "--dry-run"])
    assert "Units would be added: 1, would be changed: 1" in capsys.readouterr().out
