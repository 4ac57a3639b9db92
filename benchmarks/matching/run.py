"""Duplicate detection, Kariya against Splink, on the same data in one run (see README.md).

    uv run --group bench python -m benchmarks.matching.run \\
        --datasets synthetic-20k,synthetic-100k,febrl3,febrl4 [--workdir DIR] \\
        [--skip-splink-above N] [--no-kariya] [--no-splink] [--lookups N] [--json OUT.json]

For each data set: ``kariya match`` as a subprocess (wall time and peak RSS from
/usr/bin/time), Splink's batch in its own subprocess (splink_run.py), then pairwise precision,
recall and F1 at thresholds fixed beforehand, recall at precision >= 0.99, the best F1 over
all thresholds (an oracle, for reference), pairs completeness of blocking, candidate pairs per
record, and lookup latency and hit@10 where the engine offers lookups. One table per data set,
each row with Kariya / Splink. The load average is printed with every figure: the reference
machine has 2 cores shared with other jobs.
"""

from __future__ import annotations

import argparse
import csv
import gzip
import json
import os
import random
import shutil
import subprocess
import sys
import tempfile
import time
from collections import defaultdict
from pathlib import Path
from typing import Any

from benchmarks.matching.datasets import NAMES, Dataset, materialise, read_truth
from kariya.matching import evaluation as ev

#: Splink's threshold, fixed before any run: a pair more likely a match than not.
SPLINK_THRESHOLD = 0.5
#: Both engines write every pair scored at least this, so that thresholds can be swept.
CURVE_THRESHOLD = 0.01
ROOT = Path(__file__).resolve().parents[2]


def _load() -> str:
    return " ".join(f"{x:.2f}" for x in os.getloadavg())


def _kariya_default_threshold() -> float | None:
    try:
        from kariya.matching.engine import DEFAULT_THRESHOLD
    except ImportError:
        return None
    return float(DEFAULT_THRESHOLD)


def _compile_bytecode() -> None:
    """Compile the bytecode of the environment (both tools' packages) and of Kariya before
    anything is timed, as an installed program has it (an installer compiles it; ``uv sync
    --compile-bytecode``). Where ``PYTHONDONTWRITEBYTECODE`` is set (this workplace's
    machines set it), Python otherwise compiles every module it imports from source on every
    run: 0.6-1.1 s of ``kariya match``'s 100k time, more for Splink's imports. Once done,
    a later run only checks the files' dates."""
    import compileall
    import sysconfig

    started = time.perf_counter()
    for folder in {sysconfig.get_paths()["purelib"], sysconfig.get_paths()["platlib"]}:
        compileall.compile_dir(folder, quiet=2, workers=0)
    compileall.compile_dir(str(ROOT / "kariya"), quiet=2, workers=0)
    print(f"bytecode compiled in {time.perf_counter() - started:.1f} s", file=sys.stderr)


def _timed(cmd: list[str], log: Path) -> tuple[float, float, int]:
    """Run ``cmd``; (wall seconds, peak RSS in MB, exit status)."""
    timing = log.with_suffix(".time")
    timer = shutil.which("time") and Path("/usr/bin/time")
    env = {**os.environ, "PYTHONUNBUFFERED": "1"}
    with log.open("w") as out:
        if timer and timer.exists():
            full = [str(timer), "-f", "%e %M", "-o", str(timing), *cmd]
            status = subprocess.run(full, stdout=out, stderr=out, env=env, check=False).returncode  # noqa: S603
            wall, rss_kb = timing.read_text().split()[-2:]
            return float(wall), int(rss_kb) / 1024, status
        started = time.perf_counter()
        status = subprocess.run(cmd, stdout=out, stderr=out, env=env, check=False).returncode  # noqa: S603
        return time.perf_counter() - started, float("nan"), status


def _read_pairs(path: Path, keep) -> list[tuple[ev.Pair, float]]:
    opener = gzip.open if path.suffix == ".gz" else open
    scored = []
    with opener(path, "rt", encoding="utf-8", newline="") as handle:
        for row in csv.DictReader(handle):
            a, b = row["id_1"], row["id_2"]
            if keep is None or keep(a, b):
                scored.append((ev.pair(a, b), float(row["score"])))
    return scored


def _quality(scored, truth: set[ev.Pair], threshold: float | None) -> dict[str, Any]:
    curve = ev.threshold_curve(scored, truth)
    result: dict[str, Any] = {}
    if threshold is not None:
        fixed = ev.pairwise_scores((p for p, s in scored if s >= threshold), truth)
        result.update(
            threshold=threshold, precision=fixed.precision, recall=fixed.recall, f1=fixed.f1
        )
    result["recall_at_p99"], result["recall_at_p99_threshold"] = ev.recall_at_precision(curve)
    result["best_f1"], result["best_f1_threshold"] = ev.best_f1(curve)
    return result


def _queries(dataset: Dataset, n: int) -> tuple[list[str], list[set[str]]]:
    """``n`` records that have a duplicate, and the ids of their duplicates."""
    clusters: dict[str, list[str]] = defaultdict(list)
    for record_id, cluster in read_truth(dataset):
        clusters[cluster].append(record_id)
    keep = dataset.keep()
    candidates = []
    for ids in clusters.values():
        for record_id in ids:
            others = {o for o in ids if o != record_id and (keep is None or keep(record_id, o))}
            if others:
                candidates.append((record_id, others))
    rng = random.Random(1)
    chosen = rng.sample(candidates, min(n, len(candidates)))
    return [c[0] for c in chosen], [c[1] for c in chosen]


def run_kariya(dataset: Dataset, truth: set[ev.Pair], workdir: Path, args) -> dict[str, Any]:
    exe = Path(sys.executable).parent / "kariya"
    out = workdir / f"{dataset.name}.kariya.csv"
    result: dict[str, Any] = {"load_before": _load()}
    cmd = [str(exe), "match", str(dataset.path), "--output", str(out)]
    wall, rss, status = _timed(cmd, workdir / f"{dataset.name}.kariya.log")
    result.update(batch_wall_s=wall, batch_peak_rss_mb=rss, load_after=_load(), status=status)
    if status != 0:
        result["error"] = (workdir / f"{dataset.name}.kariya.log").read_text()[-2000:]
        return result
    threshold = _kariya_default_threshold()
    scored = _read_pairs(out, dataset.keep())
    fixed = ev.pairwise_scores((p for p, _ in scored), truth)
    result.update(threshold=threshold, precision=fixed.precision, recall=fixed.recall, f1=fixed.f1)
    # the whole curve, from a second (untimed) run that writes the low-scored pairs too
    curve_out = workdir / f"{dataset.name}.kariya-curve.csv"
    cmd = [str(exe), "match", str(dataset.path), "--output", str(curve_out)]
    cmd += ["--threshold", str(CURVE_THRESHOLD)]
    _, _, status = _timed(cmd, workdir / f"{dataset.name}.kariya-curve.log")
    if status == 0:
        quality = _quality(_read_pairs(curve_out, dataset.keep()), truth, None)
        result.update(quality)
    result.update(_kariya_candidates(dataset, truth))
    if args.lookups:
        result.update(_kariya_lookups(dataset, args.lookups))
    return result


def _kariya_candidates(dataset: Dataset, truth: set[ev.Pair]) -> dict[str, Any]:
    """Pairs completeness of the engine's blocking, through its Python API (if it has one)."""
    try:
        from benchmarks.matching import kariya_api
    except ImportError:
        return {}
    stats = kariya_api.candidate_stats(dataset.path, dataset.cross_file_only)
    if stats is None:
        return {}
    found, candidates = stats
    return {
        "pairs_completeness": found / len(truth) if truth else 1.0,
        "candidate_pairs": candidates,
        "candidates_per_record": candidates / dataset.records,
    }


def _kariya_lookups(dataset: Dataset, n: int) -> dict[str, Any]:
    try:
        from benchmarks.matching import kariya_api
    except ImportError:
        return {}
    queries, expected = _queries(dataset, n)
    measured = kariya_api.lookups(dataset.path, queries, k=10)
    if measured is None:
        return {}
    seconds, results = measured
    return _lookup_figures(seconds, results, expected)


def _lookup_figures(seconds, results, expected) -> dict[str, Any]:
    return {
        "lookups": len(seconds),
        "lookup_p50_ms": 1000 * ev.percentile(seconds, 50),
        "lookup_p95_ms": 1000 * ev.percentile(seconds, 95),
        "lookup_p99_ms": 1000 * ev.percentile(seconds, 99),
        "hit_at_10": ev.hit_at_k(results, expected, k=10),
    }


def run_splink(dataset: Dataset, truth: set[ev.Pair], workdir: Path, args) -> dict[str, Any]:
    out = workdir / f"{dataset.name}.splink.csv"
    stats_path = workdir / f"{dataset.name}.splink.json"
    cmd = [sys.executable, "-m", "benchmarks.matching.splink_run", str(dataset.path)]
    cmd += ["--output", str(out), "--stats", str(stats_path), "--truth"]
    if dataset.cross_file_only:
        cmd.append("--cross-file")
    if args.splink_memory_limit:
        cmd += ["--memory-limit", args.splink_memory_limit]
    expected: list[set[str]] = []
    if args.splink_lookups:
        queries, expected = _queries(dataset, args.splink_lookups)
        query_file = workdir / f"{dataset.name}.queries.txt"
        query_file.write_text("\n".join(queries) + "\n")
        cmd += ["--queries", str(query_file)]
    result: dict[str, Any] = {"load_before": _load()}
    wall, rss, status = _timed(cmd, workdir / f"{dataset.name}.splink.log")
    result.update(load_after=_load(), status=status, process_wall_s=wall, process_peak_rss_mb=rss)
    if status != 0:
        result["error"] = (workdir / f"{dataset.name}.splink.log").read_text()[-2000:]
        return result
    stats = json.loads(stats_path.read_text())
    result.update(
        batch_wall_s=stats["batch_wall_s"],
        batch_peak_rss_mb=stats["batch_peak_rss_mb"],
        train_s=stats["train_s"],
        candidate_pairs=stats["candidate_pairs"],
        candidates_per_record=stats["candidate_pairs"] / dataset.records,
    )
    if "blocked_true_pairs" in stats:
        result["pairs_completeness"] = stats["blocked_true_pairs"] / len(truth)
    result.update(_quality(_read_pairs(out, dataset.keep()), truth, SPLINK_THRESHOLD))
    if stats.get("lookups"):
        looked = stats["lookups"]
        result.update(
            _lookup_figures([q["seconds"] for q in looked], [q["top"] for q in looked], expected)
        )
    return result


ROWS = (
    # (label, key, format, lower is better)
    ("threshold (fixed beforehand)", "threshold", "{:.2f}", None),
    ("precision @ threshold", "precision", "{:.4f}", False),
    ("recall @ threshold", "recall", "{:.4f}", False),
    ("F1 @ threshold", "f1", "{:.4f}", False),
    ("recall @ precision >= 0.99", "recall_at_p99", "{:.4f}", False),
    ("best F1, any threshold (oracle)", "best_f1", "{:.4f}", False),
    ("pairs completeness of blocking", "pairs_completeness", "{:.4f}", False),
    ("candidate pairs per record", "candidates_per_record", "{:.1f}", True),
    ("batch wall time (s)", "batch_wall_s", "{:.1f}", True),
    ("batch peak memory (MB)", "batch_peak_rss_mb", "{:.0f}", True),
    ("lookup p50 (ms)", "lookup_p50_ms", "{:.1f}", True),
    ("lookup p95 (ms)", "lookup_p95_ms", "{:.1f}", True),
    ("lookup p99 (ms)", "lookup_p99_ms", "{:.1f}", True),
    ("hit@10", "hit_at_10", "{:.3f}", False),
    ("load average before run", "load_before", "{}", None),
    ("load average after run", "load_after", "{}", None),
)


def table(name: str, records: int, kariya: dict, splink: dict) -> str:
    lines = [f"## {name} ({records} records)", ""]
    lines.append("| metric | Kariya | Splink | Kariya / Splink |")
    lines.append("| --- | ---: | ---: | ---: |")
    for label, key, fmt, _lower in ROWS:
        k, s = kariya.get(key), splink.get(key)
        if k is None and s is None:
            continue
        ratio = ""
        if isinstance(k, int | float) and isinstance(s, int | float) and s and _lower is not None:
            ratio = f"{k / s:.2f}"
        cell_k = fmt.format(k) if k is not None else "—"
        cell_s = fmt.format(s) if s is not None else "—"
        lines.append(f"| {label} | {cell_k} | {cell_s} | {ratio} |")
    for side, result in (("Kariya", kariya), ("Splink", splink)):
        if "error" in result:
            lines.append(f"\n{side} failed:\n```\n{result['error']}\n```")
        if result.get("skipped"):
            lines.append(f"\n{side}: {result['skipped']}")
    return "\n".join(lines) + "\n"


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--datasets", default="synthetic-20k,synthetic-100k,febrl3,febrl4")
    parser.add_argument(
        "--workdir", type=Path, default=Path(tempfile.gettempdir()) / "kariya-match-bench"
    )
    parser.add_argument("--skip-splink-above", type=int, default=200_000, metavar="N")
    parser.add_argument("--no-kariya", action="store_true")
    parser.add_argument("--no-splink", action="store_true")
    parser.add_argument("--lookups", type=int, default=1000, help="Kariya lookups per data set")
    parser.add_argument(
        "--splink-lookups", type=int, default=100, help="Splink lookups per data set"
    )
    parser.add_argument("--splink-memory-limit", help="DuckDB memory_limit for Splink, e.g. 12GB")
    parser.add_argument(
        "--seed", type=int, default=1, help="synthetic sets' seed (1: development; others held out)"
    )
    parser.add_argument("--json", type=Path, help="also write every figure here")
    args = parser.parse_args(argv)
    os.chdir(ROOT)
    names = [n.strip() for n in args.datasets.split(",") if n.strip()]
    unknown = [n for n in names if n not in NAMES]
    if unknown:
        parser.error(f"unknown data sets {unknown}; choose among {', '.join(NAMES)}")
    report: dict[str, Any] = {"machine": {"cpus": os.cpu_count(), "load": _load()}}
    _compile_bytecode()
    for name in names:
        dataset = materialise(name, args.workdir, seed=args.seed)
        truth = ev.true_pairs(read_truth(dataset), keep=dataset.keep())
        print(f"{dataset.name}: {dataset.records} records, {len(truth)} pairs", file=sys.stderr)
        kariya: dict[str, Any] = {}
        splink: dict[str, Any] = {}
        if not args.no_kariya:
            kariya = run_kariya(dataset, truth, args.workdir, args)
        if args.no_splink:
            splink = {"skipped": "not run (--no-splink)"}
        elif dataset.records > args.skip_splink_above:
            splink = {"skipped": f"not run (over --skip-splink-above {args.skip_splink_above})"}
        else:
            splink = run_splink(dataset, truth, args.workdir, args)
        report[dataset.name] = {"records": dataset.records, "true_pairs": len(truth)}
        report[dataset.name] |= {"kariya": kariya, "splink": splink}
        print(table(dataset.name, dataset.records, kariya, splink), flush=True)
        if args.json:
            args.json.write_text(json.dumps(report, indent=2, default=str))


if __name__ == "__main__":
    main()
