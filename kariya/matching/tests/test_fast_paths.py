"""The faster paths of ``kariya match``: the console script without Django's full set-up,
column-wise reading and coding (errors still named by their line, codes as row by row)."""

from __future__ import annotations

import csv
import os
import subprocess
import sys
from pathlib import Path

import numpy as np
import pytest
from django.core.management import CommandError, call_command
from django.utils import translation

from kariya.matching.compare import compare
from kariya.matching.csvfile import InputError, read_table
from kariya.matching.records import Encoder, normalise_phone

HEADER = "id,given_name,family_name,sex,birth_date,phone\n"
TWINS = (
    "1,Mahamadou,Issa,M,1990-05-04,+227 90 11 22 33\n"
    "2,Mohamed,Issa,M,1990-05-04,0022790112233\n"
    "3,Hadiza,Garba,F,1975-11-30,\n"
)


def console(*args: str) -> subprocess.CompletedProcess[str]:
    """The ``kariya`` console script in a fresh process, as a user runs it."""
    return subprocess.run(  # noqa: S603 - our own script, fixed arguments
        [sys.executable, "-m", "kariya.cli", *args],
        capture_output=True,
        text=True,
        env={**os.environ, "PYTHONPATH": str(Path(__file__).resolve().parents[3])},
        check=False,
        timeout=120,
    )


def test_console_match_runs_without_the_apps_and_speaks_french(tmp_path: Path) -> None:
    path, out, reference = tmp_path / "p.csv", tmp_path / "pairs.csv", tmp_path / "ref.csv"
    path.write_text(HEADER + TWINS, encoding="utf-8")
    done = console("match", str(path), "--output", str(out), "--threshold", "0.3")
    assert done.returncode == 0, done.stderr
    assert "paires écrites" in done.stderr  # the app's French catalogue is loaded
    call_command("match", str(path), "--output", str(reference), "--threshold", "0.3")
    assert out.read_text(encoding="utf-8") == reference.read_text(encoding="utf-8")
    assert [r[:2] for r in csv.reader(out.open(encoding="utf-8"))][1:] == [["1", "2"]]


def test_console_match_checks_a_variants_file_without_the_database(tmp_path: Path) -> None:
    path, variants = tmp_path / "p.csv", tmp_path / "variants.csv"
    path.write_text(HEADER + TWINS, encoding="utf-8")
    variants.write_text("canonical,variant\nMohamed,Mahmoud\n", encoding="utf-8")
    done = console(
        "match", str(path), "--output", str(tmp_path / "o.csv"), "--variants", str(variants)
    )
    assert done.returncode == 1
    assert f"{variants}, ligne 2" in done.stderr
    assert not (tmp_path / "o.csv").exists()


def test_console_errors_are_reported_as_by_manage_py(tmp_path: Path) -> None:
    done = console("match", str(tmp_path / "absent.csv"), "--output", str(tmp_path / "o.csv"))
    assert done.returncode == 1
    assert "\nCommandError: Fichier d’entrée introuvable" in done.stderr
    assert "Traceback" not in done.stderr


def test_short_rows_are_empty_and_lines_count_quoted_newlines(tmp_path: Path) -> None:
    path = tmp_path / "p.csv"
    path.write_text(
        'id,given_name,family_name,address\n1,Issa,Ali,"rue 1\nAgadez"\n'
        "\n2,Moussa\n3, Awa ,Garba\n",
        encoding="utf-8",
    )
    table = read_table(path)
    assert table.ids == ["1", "2", "3"]
    assert table.rows == [3, 5, 6]
    assert table.columns["given_name"] == ["Issa", "Moussa", "Awa"]
    assert table.columns["family_name"] == ["Ali", "", "Garba"]
    assert table.columns["address"] == ["rue 1\nAgadez", "", ""]


@pytest.mark.parametrize(
    ("body", "message"),
    [
        ("1,Issa\n ,Ali\n2,Awa\n", "Line 3: the id is empty"),
        ("1,Issa\n2,Ali\n1,Awa\n", "Line 4: the id is already used on line 2"),
        # the first problem in file order wins, even when the CSV breaks further down
        ("1,Issa\n1,Ali\n2," + "A" * 200_000 + "\n", "Line 3: the id is already used"),
        ("1,Issa\n2," + "A" * 200_000 + "\n", "Line 3: unreadable CSV"),
    ],
)
def test_id_and_csv_errors_name_the_first_bad_line(tmp_path: Path, body: str, message: str) -> None:
    path = tmp_path / "p.csv"
    path.write_text("id,given_name\n" + body, encoding="utf-8")
    with translation.override("en"), pytest.raises(InputError, match=message):
        read_table(path)


def test_joined_columns_skip_absent_parts(tmp_path: Path) -> None:
    path = tmp_path / "p.csv"
    path.write_text("id,street,town\n1, 3 rue , Agadez\n2,,Arlit\n3\n", encoding="utf-8")
    table = read_table(path, "address=street+town")
    assert table.columns["address"] == ["3 rue Agadez", "Arlit", ""]


def test_codes_follow_first_appearance_and_case_does_not_matter() -> None:
    encoder = Encoder()
    data = encoder.encode_columns(
        {
            "given_name": ["Moussa", "ISSA", "", "issa", "Issa", "Aïssa"],
            "family_name": ["Issa", "Ali", "Ali", "", "ALI", "Maïga"],
        },
        ids=["a", "b", "c", "d", "e", "f"],
    )
    names = encoder.vocabs["name"].strings
    assert names[:3] == ["musa", "isa", "aisa"]  # given names first, in order of appearance
    assert data.given.tolist() == [0, 1, -1, 1, 1, 2]
    assert data.family.tolist()[:3] == [1, 3, 3]
    assert data.family[4] == data.family[1]
    assert data.family_prefix[0] == ord("i") * 128 + ord("s")
    assert data.family_prefix[3] == -1


def test_dates_years_and_their_problems_row_by_row() -> None:
    data = Encoder().encode_columns(
        {
            "given_name": ["Awa"] * 6,
            "sex": ["F", " femme ", "x", "", "M", "H"],
            "birth_date": ["1990-05-04", "1990-02-31", "  ", "1985-01-01", "", "04/05/1990"],
            "birth_year": ["1991", "abc", "1980", "", "3000", ""],
        },
        ids=list("abcdef"),
        rows=[10, 11, 12, 13, 14, 15],
    )
    assert data.year.tolist() == [1990, 0, 1980, 1985, 0, 1990]
    assert data.date.tolist() == [19900504, 0, 0, 0, 0, 19900504]
    assert data.sex.tolist() == [2, 2, 0, 0, 1, 1]
    assert [(i.row, i.problem) for i in data.issues] == [
        (11, "bad_date"),
        (11, "bad_year"),
        (14, "bad_year"),
    ]
    assert data.year.dtype == np.int16


def test_empty_values_of_any_kind_are_empty() -> None:
    data = Encoder().encode_columns(
        {"given_name": ["Awa", None, ""], "phone": [None, "", "90112233"]},  # type: ignore[list-item]
        ids=["a", "b", "c"],
    )
    assert data.given.tolist() == [0, -1, -1]
    assert data.phone.tolist() == [-1, -1, 0]
    assert [i.row for i in data.issues] == [2, 3]


def test_standalone_and_full_set_up_refuse_the_same_way(tmp_path: Path) -> None:
    path = tmp_path / "p.csv"
    path.write_text("nom\nIssa\n", encoding="utf-8")
    with translation.override("fr"), pytest.raises(CommandError, match="colonne id"):
        call_command("match", str(path), "--output", str(tmp_path / "o.csv"))
    done = console("match", str(path), "--output", str(tmp_path / "o.csv"))
    assert "colonne id" in done.stderr


@pytest.mark.parametrize(
    "written", ["+227 90-12.34/56", "(227) 90 12 34 56", "☎ 90 12 34 56", "tél. 90123456"]
)
def test_phone_digits_whatever_the_separators(written: str) -> None:
    assert normalise_phone(written) == "22790123456"


@pytest.mark.parametrize("newline", ["\n", "\r\n"])
def test_blank_rows_are_skipped_and_lines_counted_without_quoted_breaks(
    tmp_path: Path, newline: str
) -> None:
    path = tmp_path / "p.csv"
    lines = ["id,given_name", "1,Issa", "", "2,Ali", ",", '3,"Awa, dite Awa"']
    path.write_bytes(newline.join(lines).encode())  # no line break after the last row
    table = read_table(path)
    assert table.ids == ["1", "2", "3"]
    assert table.rows == [2, 4, 6]
    assert table.columns["given_name"] == ["Issa", "Ali", "Awa, dite Awa"]


def test_a_lone_carriage_return_still_counts_lines(tmp_path: Path) -> None:
    path = tmp_path / "p.csv"
    path.write_bytes(b"id,given_name\r1,Issa\r2,Ali\n3,Awa\n")
    table = read_table(path)
    assert table.ids == ["1", "2", "3"]
    assert table.rows == [2, 3, 4]


def test_a_name_contained_in_the_other_is_very_similar_also_for_a_query() -> None:
    encoder = Encoder()
    people = encoder.encode_columns(
        {"given_name": ["Moussa", "Ibrahim Moussa", "Ibrahim Ali"]}, ids=["a", "b", "c"]
    )
    pairs = np.array([0, 0]), np.array([1, 2])
    gamma, _ = compare(encoder, people, pairs[0], people, pairs[1])
    assert gamma[:, 0].tolist() == [2, 0]  # very similar: "musa" is in "ibrahim musa"
    # a lookup: the query's name is new (coded past the vocabulary) and holds the known one
    query = encoder.encode_columns({"given_name": ["Zeinabou Moussa"]}, ids=["q"], frozen=True)
    assert query.given[0] >= len(encoder.vocabs["name"])
    gamma, _ = compare(encoder, query, np.array([0, 0]), people, np.array([0, 2]))
    assert gamma[:, 0].tolist() == [2, 0]
