"""Splink (DuckDB backend) on a CSV in Kariya's columns: one batch deduplication, in its own
process so that its wall time and peak memory are its own. Called by run.py; can be run alone:

    uv run --group bench python -m benchmarks.matching.splink_run INPUT.csv[.gz] \\
        --output PAIRS.csv --stats STATS.json [--truth] [--queries QUERY_IDS.txt]

The model never sees the ``cluster`` column: it is dropped on loading, and read again only
after the batch (``--truth``) to count how many true pairs the blocking rules kept.

Settings (fixed before any run, the same for every data set; comparisons on columns that are
empty throughout a data set are left out, since EM cannot estimate them):

- Cleaning, as a careful Splink user would do it, with nothing specific to Niger's names:
  names lower-cased, accents removed, punctuation to spaces; phone → its last 8 digits;
  document → upper-case letters and digits; birth_year filled from birth_date.
- Comparisons: ForenameSurnameComparison(given_name, family_name) (handles swapped names;
  term-frequency adjustment on the concatenated full name), NameComparison(father_name) with
  term frequencies, DateOfBirthComparison(birth_date), ExactMatch(birth_year),
  ExactMatch(sex), ExactMatch(nationality), JaroWinklerAtThresholds(origin, [0.9]),
  ExactMatch(phone), LevenshteinAtThresholds(document_number, [1]),
  JaroWinklerAtThresholds(address, [0.9]). On FEBRL, origin holds the locality (suburb,
  postcode, state) and address the street (``datasets.py``), the same CSV as Kariya's.
- Blocking rules for predictions: given+family name; family name swapped with given name;
  family name + birth year; given name + birth year; birth date + first letter of the
  family name; phone; document number.
- Training: probability that two random records match from deterministic rules (same full
  name and birth date; same document) with recall 0.6; u by random sampling (5 million
  pairs, seed 1); m by EM, two sessions, blocked on given+family name and on birth date
  (at most 5 million pairs each).
- Predictions: every blocked pair with match probability >= 0.01 is written, so that the
  evaluation can sweep thresholds; the fixed threshold for precision/recall/F1 is 0.5.
"""

from __future__ import annotations

import argparse
import json
import logging
import re
import resource
import sys
import time
import unicodedata
from pathlib import Path

STARTED = time.perf_counter()

import duckdb  # noqa: E402
import pandas as pd  # noqa: E402
import splink.comparison_library as cl  # noqa: E402
from splink import DuckDBAPI, Linker, SettingsCreator, block_on  # noqa: E402

NAME_COLUMNS = ("given_name", "family_name", "father_name", "origin", "address")
WRITE_THRESHOLD = 0.01
_PUNCTUATION = re.compile(r"[^\w]+")


def _peak_rss_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def _fold(text: str) -> str | None:
    decomposed = unicodedata.normalize("NFKD", text.casefold())
    stripped = "".join(ch for ch in decomposed if not unicodedata.combining(ch))
    folded = " ".join(_PUNCTUATION.sub(" ", stripped).split())
    return folded or None


def _digits(text: str) -> str | None:
    digits = re.sub(r"\D", "", text)
    return digits[-8:] if len(digits) >= 6 else None


def _document(text: str) -> str | None:
    return re.sub(r"[^0-9A-Z]", "", text.upper()) or None


def _date(text: str) -> str | None:
    return text if re.fullmatch(r"\d{4}-\d{2}-\d{2}", text or "") else None


def load(path: Path) -> pd.DataFrame:
    raw = pd.read_csv(path, dtype=str, keep_default_na=False)
    frame = pd.DataFrame({"id": raw["id"]})
    for column in NAME_COLUMNS:
        frame[column] = raw.get(column, pd.Series([""] * len(raw))).map(_fold)
    frame["full_name"] = [
        " ".join(p for p in (g, f) if p) or None
        for g, f in zip(frame["given_name"], frame["family_name"], strict=True)
    ]
    get = raw.get
    empty = pd.Series([""] * len(raw))
    frame["birth_date"] = get("birth_date", empty).map(_date)
    years = get("birth_year", empty).where(get("birth_year", empty) != "", None)
    from_date = frame["birth_date"].str[:4]
    frame["birth_year"] = years.where(years.notna(), from_date)
    frame["sex"] = get("sex", empty).str.upper().where(lambda s: s.isin(["M", "F"]), None)
    frame["nationality"] = get("nationality", empty).str.upper().replace("", None)
    frame["phone"] = get("phone", empty).map(_digits)
    frame["document_number"] = get("document_number", empty).map(_document)
    return frame


def settings(frame: pd.DataFrame) -> SettingsCreator:
    def present(column: str) -> bool:
        return bool(frame[column].notna().any())

    comparisons = [
        cl.ForenameSurnameComparison(
            "given_name", "family_name", forename_surname_concat_col_name="full_name"
        )
    ]
    if present("father_name"):
        comparisons.append(
            cl.NameComparison("father_name").configure(term_frequency_adjustments=True)
        )
    if present("birth_date"):
        comparisons.append(cl.DateOfBirthComparison("birth_date", input_is_string=True))
    if present("birth_year"):
        comparisons.append(cl.ExactMatch("birth_year"))
    for column in ("sex", "nationality", "phone"):
        if present(column):
            comparisons.append(cl.ExactMatch(column))
    for column in ("origin", "address"):
        if present(column):
            comparisons.append(cl.JaroWinklerAtThresholds(column, [0.9]))
    if present("document_number"):
        comparisons.append(cl.LevenshteinAtThresholds("document_number", [1]))
    rules = [
        block_on("given_name", "family_name"),
        "l.given_name = r.family_name and l.family_name = r.given_name",
        block_on("family_name", "birth_year"),
        block_on("given_name", "birth_year"),
        "l.birth_date = r.birth_date and substr(l.family_name, 1, 1) = substr(r.family_name, 1, 1)",
        block_on("phone"),
        block_on("document_number"),
    ]
    return SettingsCreator(
        link_type="dedupe_only",
        unique_id_column_name="id",
        comparisons=comparisons,
        blocking_rules_to_generate_predictions=rules,
        retain_intermediate_calculation_columns=False,
        retain_matching_columns=False,
    )


def train(linker: Linker) -> None:
    training = linker.training
    training.estimate_probability_two_random_records_match(
        [
            "l.full_name = r.full_name and l.birth_date = r.birth_date",
            "l.document_number = r.document_number",
        ],
        recall=0.6,
    )
    training.estimate_u_using_random_sampling(max_pairs=5e6, seed=1)
    training.estimate_parameters_using_expectation_maximisation(
        block_on("given_name", "family_name"), max_pairs=5e6
    )
    training.estimate_parameters_using_expectation_maximisation(
        block_on("birth_date"), max_pairs=5e6
    )


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("input", type=Path)
    parser.add_argument("--output", type=Path, required=True)
    parser.add_argument("--stats", type=Path, required=True)
    parser.add_argument("--truth", action="store_true", help="count true pairs after blocking")
    parser.add_argument("--queries", type=Path, help="ids to look up one by one, after the batch")
    parser.add_argument(
        "--cross-file", action="store_true", help="count only pairs across files (a:… / b:… ids)"
    )
    parser.add_argument("--threads", type=int, default=2)
    parser.add_argument("--memory-limit", help="DuckDB memory_limit, e.g. 12GB (spills beyond)")
    args = parser.parse_args(argv)
    logging.getLogger("splink").setLevel(logging.WARNING)

    stats: dict[str, object] = {"splink": __import__("splink").__version__}
    con = duckdb.connect()
    con.execute(f"SET threads = {int(args.threads)}")
    if args.memory_limit:
        if not re.fullmatch(r"\d+(\.\d+)?\s*[KMGT]i?B", args.memory_limit):
            parser.error("--memory-limit: a size such as 12GB")
        con.execute(f"SET memory_limit = '{args.memory_limit}'")
    db_api = DuckDBAPI(connection=con)
    frame = load(args.input)
    stats["records"] = len(frame)
    table = db_api.register(frame, dataset_display_name="input")
    linker = Linker(table, settings(frame), log_level=logging.WARNING)
    t = time.perf_counter()
    train(linker)
    stats["train_s"] = time.perf_counter() - t
    t = time.perf_counter()
    blocked = linker.inference.compute_blocked_pairs_for_predict()
    stats["blocking_s"] = time.perf_counter() - t
    t = time.perf_counter()
    predictions = linker.inference.predict(threshold_match_probability=WRITE_THRESHOLD)
    relation = predictions.as_duckdbpyrelation()
    out = str(args.output).replace("'", "''")
    relation.select("id_l AS id_1, id_r AS id_2, match_probability AS score").write_csv(out)
    stats["predict_s"] = time.perf_counter() - t
    stats["batch_wall_s"] = time.perf_counter() - STARTED
    stats["batch_peak_rss_mb"] = _peak_rss_mb()

    blocked_table = blocked.physical_name
    columns = [row[0] for row in con.execute(f"DESCRIBE {blocked_table}").fetchall()]
    stats["blocked_columns"] = columns
    left, right = _id_columns(columns)
    across = f"WHERE substr({left}, 1, 2) <> substr({right}, 1, 2)" if args.cross_file else ""
    count_sql = f"SELECT count(*) FROM {blocked_table} {across}"  # noqa: S608 - Splink's names
    stats["candidate_pairs"] = con.execute(count_sql).fetchall()[0][0]
    if args.truth:
        _pairs_completeness(con, args.input, blocked_table, columns, stats, across)
    if args.queries:
        _lookups(linker, db_api, frame, args.queries, stats)
    args.stats.write_text(json.dumps(stats, indent=2))
    print(json.dumps(stats), file=sys.stderr)


def _pairs_completeness(
    con, path: Path, blocked: str, columns: list[str], stats: dict, across: str
) -> None:
    """True pairs among the blocked pairs (``join_key`` columns name the records)."""
    left, right = _id_columns(columns)
    quoted = str(path).replace("'", "''")
    # our own file path (quoted) and Splink's own table and column names
    load_sql = (
        f"CREATE TABLE truth AS SELECT id, cluster FROM read_csv('{quoted}', all_varchar=true)"  # noqa: S608
    )
    con.execute(load_sql)
    found_sql = f"""SELECT count(DISTINCT (least(a.id, b.id), greatest(a.id, b.id)))
            FROM {blocked} p JOIN truth a ON p.{left} = a.id JOIN truth b ON p.{right} = b.id
            WHERE a.cluster = b.cluster {across.replace("WHERE", "AND")}"""  # noqa: S608
    found = con.execute(found_sql).fetchall()[0][0]
    stats["blocked_true_pairs"] = found


def _id_columns(columns: list[str]) -> tuple[str, str]:
    for left, right in (("join_key_l", "join_key_r"), ("id_l", "id_r")):
        if left in columns and right in columns:
            return left, right
    raise RuntimeError(f"cannot find the record ids among the blocked pairs' columns {columns}")


def _lookups(linker: Linker, db_api, frame: pd.DataFrame, queries: Path, stats: dict) -> None:
    """Each query record, as a new record, against all records: latency and top 10 ids."""
    wanted = [line.strip() for line in queries.read_text().splitlines() if line.strip()]
    by_id = frame.set_index("id", drop=False)
    existing = linker._input_tables_dict  # the registered input table(s)
    for column in ("full_name", "father_name"):
        if column in frame and frame[column].notna().any():
            linker.table_management.compute_tf_table(column)
    results = []
    for query_id in wanted:
        record = by_id.loc[[query_id]].copy()
        record["id"] = "query:" + query_id
        t = time.perf_counter()
        new = db_api.register(record.reset_index(drop=True))
        scored = linker.inference.predict_between(list(existing.values()), new)
        top = scored.as_duckdbpyrelation().order("match_probability DESC").limit(11).fetchall()
        elapsed = time.perf_counter() - t
        columns = scored.as_duckdbpyrelation().columns
        left = columns.index("id_l")
        right = columns.index("id_r")
        ids = []
        for row in top:
            other = row[left] if row[right] == "query:" + query_id else row[right]
            if other != query_id and not str(other).startswith("query:"):
                ids.append(other)
        results.append({"query": query_id, "seconds": elapsed, "top": ids[:10]})
    stats["lookups"] = results


if __name__ == "__main__":
    main()
