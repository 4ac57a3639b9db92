"""``kariya match`` on small files: formats, encodings, columns, messages, all-or-nothing."""

from __future__ import annotations

import csv
import gzip
from pathlib import Path

import pytest
from django.core.management import CommandError, call_command
from django.utils import translation

from kariya.matching.engine import DEFAULT_THRESHOLD
from kariya.matching.tests.people import f1, people, true_pairs, write_csv

HEADER = "id,given_name,family_name,sex,birth_date,phone\n"
TWINS = (
    "1,Mahamadou,Issa,M,1990-05-04,+227 90 11 22 33\n"
    "2,Mohamed,Issa,M,1990-05-04,0022790112233\n"
    "3,Hadiza,Garba,F,1975-11-30,\n"
)


def run(path: Path, out: Path, *args: str) -> list[list[str]]:
    """The command in English; on these few-row files (too small for EM to estimate much) with
    a low threshold unless one is given."""
    if "--threshold" not in args:
        args = (*args, "--threshold", "0.3")
    with translation.override("en"):
        call_command("match", str(path), "--output", str(out), *args)
    with out.open(encoding="utf-8", newline="") as handle:
        return list(csv.reader(handle))


def test_gzip_input_gives_pairs(tmp_path: Path) -> None:
    path = tmp_path / "people.csv.gz"
    path.write_bytes(gzip.compress((HEADER + TWINS).encode()))
    rows = run(path, tmp_path / "pairs.csv")
    assert rows[0] == ["id_1", "id_2", "score"]
    assert [r[:2] for r in rows[1:]] == [["1", "2"]]
    assert 0.3 <= float(rows[1][2]) <= 1.0


def test_utf8_with_bom(tmp_path: Path) -> None:
    path = tmp_path / "bom.csv"
    path.write_bytes(b"\xef\xbb\xbf" + (HEADER + TWINS).encode())
    assert [r[:2] for r in run(path, tmp_path / "pairs.csv")[1:]] == [["1", "2"]]


def test_latin1_is_accepted(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    path = tmp_path / "latin1.csv"
    text = HEADER + "1,Aïssa,Maïga,F,1990-05-04,\n2,Aïchatou,Maiga,F,1990-05-04,\n"
    path.write_bytes(text.encode("latin-1"))
    assert [r[:2] for r in run(path, tmp_path / "pairs.csv")[1:]] == [["1", "2"]]
    assert "latin-1" in capsys.readouterr().err


@pytest.mark.parametrize(
    ("data", "line"),
    [
        ((HEADER + "1,Issa,Ali,M,,\n2,Mo\x81sa,Ali,M,,\n").encode("latin-1"), 3),
        ("id,given_name\n1,Issa\n".encode("utf-16"), 1),
    ],
)
def test_other_encodings_are_refused_with_the_line(tmp_path: Path, data: bytes, line: int) -> None:
    path, out = tmp_path / "bad.csv", tmp_path / "pairs.csv"
    path.write_bytes(data)
    with pytest.raises(CommandError, match=f"Line {line}: "):
        run(path, out)
    assert not out.exists()


def test_columns_are_mapped_and_joined(tmp_path: Path) -> None:
    path = tmp_path / "mapped.csv"
    path.write_text(
        "ident,prenom,nom,quartier,ville,extra\n"
        "a,Abdoulaye,Moussa,Dagmanet,Agadez,x\n"
        "b,Abdullahi,Musa,Dagmanet,Agadez,y\n",
        encoding="utf-8",
    )
    rows = run(
        path,
        tmp_path / "pairs.csv",
        "--columns",
        "id=ident,given_name=prenom,family_name=nom,address=quartier+ville",
        "--threshold",
        "0.01",
    )
    assert [r[:2] for r in rows[1:]] == [["a", "b"]]


def test_missing_id_column_is_an_error_and_writes_nothing(tmp_path: Path) -> None:
    path, out = tmp_path / "noid.csv", tmp_path / "pairs.csv"
    path.write_text("given_name,family_name\nIssa,Ali\n", encoding="utf-8")
    with pytest.raises(CommandError, match="no id column"):
        run(path, out)
    assert not out.exists()


def test_unknown_field_in_columns_is_an_error(tmp_path: Path) -> None:
    path = tmp_path / "p.csv"
    path.write_text(HEADER + TWINS, encoding="utf-8")
    with pytest.raises(CommandError, match="unknown field surname"):
        run(path, tmp_path / "pairs.csv", "--columns", "surname=nom")
    with pytest.raises(CommandError, match="no column nom"):
        run(path, tmp_path / "pairs.csv", "--columns", "family_name=nom")


def test_failed_run_leaves_the_previous_output(tmp_path: Path) -> None:
    out = tmp_path / "pairs.csv"
    out.write_text("previous\n", encoding="utf-8")
    path = tmp_path / "dup.csv"
    path.write_text(HEADER + "1,Issa,Ali,M,,\n1,Issa,Ali,M,,\n", encoding="utf-8")
    with pytest.raises(CommandError, match="Line 3: the id is already used on line 2"):
        run(path, out)
    assert out.read_text(encoding="utf-8") == "previous\n"
    assert list(tmp_path.glob(".kariya-match-*")) == []


def test_no_duplicates_gives_an_empty_list(tmp_path: Path) -> None:
    path = tmp_path / "distinct.csv"
    path.write_text(
        HEADER + "1,Issa,Ali,M,1990-05-04,\n2,Hadiza,Garba,F,1975-11-30,\n", encoding="utf-8"
    )
    assert run(path, tmp_path / "pairs.csv") == [["id_1", "id_2", "score"]]


def test_bad_rows_are_named_and_treated_as_empty(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path = tmp_path / "bad_rows.csv"
    path.write_text(HEADER + TWINS + "4,,,M,1990-02-31,\n", encoding="utf-8")
    rows = run(path, tmp_path / "pairs.csv")
    err = capsys.readouterr().err
    assert "Line 5: birth_date is not a real date" in err
    assert "Line 5: no given or family name" in err
    assert [r[:2] for r in rows[1:]] == [["1", "2"]]


def test_messages_are_in_french(tmp_path: Path) -> None:
    path = tmp_path / "noid.csv"
    path.write_text("nom\nIssa\n", encoding="utf-8")
    with translation.override("fr"), pytest.raises(CommandError, match="colonne id"):
        call_command("match", str(path), "--output", str(tmp_path / "o.csv"))


def test_generated_file_reaches_f1(tmp_path: Path) -> None:
    rows = people(2000, seed=5)
    path = tmp_path / "people.csv.gz"
    write_csv(path, rows, truth=False)
    pairs = run(path, tmp_path / "pairs.csv", "--threshold", str(DEFAULT_THRESHOLD))
    precision, recall, score = f1({(a, b) for a, b, _ in pairs[1:]}, true_pairs(rows))
    assert score >= 0.85, (precision, recall, score)
