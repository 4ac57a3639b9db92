"""The matching engine's Python API, as the benchmark uses it (kept apart from run.py so that
the benchmark follows the engine's API in one place).

- ``candidate_stats``: the engine's blocking (``Matcher.candidates()``) against the truth.
- ``lookups``: one record at a time against the engine's in-memory index
  (``kariya.matching.index.MatchIndex``) of all the others.
"""

from __future__ import annotations

import csv
import gzip
import time
from collections.abc import Sequence
from pathlib import Path

import numpy as np


def _rows(path: Path) -> list[dict[str, str]]:
    opener = gzip.open if path.suffix == ".gz" else open
    with opener(path, "rt", encoding="utf-8", newline="") as handle:
        return list(csv.DictReader(handle))


def candidate_stats(path: Path, cross_file_only: bool) -> tuple[int, int] | None:
    """(true pairs among the candidates, distinct candidate pairs)."""
    try:
        from kariya.matching.engine import Matcher
    except ImportError:
        return None
    rows = _rows(path)
    clusters = [row.pop("cluster") for row in rows]
    matcher = Matcher.from_records(rows)
    del rows
    by_id = dict(zip(matcher.data.ids, range(len(clusters)), strict=True))
    # the engine keeps the records' order, but map through the ids to be sure
    codes: dict[str, int] = {}
    cluster_code = np.array([codes.setdefault(c, len(codes)) for c in clusters], dtype=np.int64)
    order = np.array([by_id[i] for i in matcher.data.ids], dtype=np.int64)
    cluster_code = cluster_code[order]
    i, j = matcher.candidates()
    same = cluster_code[i] == cluster_code[j]
    if cross_file_only:
        side = np.array([str(x)[:2] for x in matcher.data.ids])
        across = side[i] != side[j]
        return int((same & across).sum()), int(across.sum())
    return int(same.sum()), len(i)


def lookups(
    path: Path, queries: Sequence[str], k: int = 10
) -> tuple[list[float], list[list[str]]] | None:
    """Latency (s) and the top ``k`` ids of each query against all the other records.

    The index is built on every record; each query is one of them, submitted with its own id,
    which ``MatchIndex.lookup`` leaves out of its results.
    """
    try:
        from kariya.matching.index import MatchIndex
    except ImportError:
        return None
    rows = _rows(path)
    for row in rows:
        row.pop("cluster", None)
    by_id = {row["id"]: row for row in rows}
    index = MatchIndex.build(rows)
    seconds: list[float] = []
    results: list[list[str]] = []
    for query_id in queries:
        record = dict(by_id[query_id])
        started = time.perf_counter()
        found = index.lookup(record, limit=k)
        seconds.append(time.perf_counter() - started)
        results.append([c.id for c in found if c.id != query_id][:k])
    return seconds, results
