"""Write a synthetic Niger-style data set with known truth (see kariya/matching/synthetic.py).

    uv run python -m benchmarks.matching.generate --records 100000 --seed 1 --output FILE.csv.gz

Columns: those ``kariya match`` reads by default, plus ``cluster`` (the true person). The same
``--records`` and ``--seed`` give the same file, byte for byte (``.gz`` included).
"""

from __future__ import annotations

import argparse
import sys
import time

from kariya.matching.synthetic import SIZES, generate_csv


def _records(text: str) -> int:
    return SIZES[text.casefold()] if text.casefold() in SIZES else int(text)


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument(
        "--records", type=_records, required=True, help="a number, or 20k, 100k, 1m"
    )
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--output", required=True, help="a .csv or .csv.gz path")
    args = parser.parse_args(argv)
    started = time.perf_counter()
    count = generate_csv(args.output, args.records, seed=args.seed)
    print(
        f"{count} records written to {args.output} in {time.perf_counter() - started:.1f} s",
        file=sys.stderr,
    )


if __name__ == "__main__":
    main()
