"""Entry point for spark-submit on a cluster: `spark-submit ... spark_submit.py INPUT... --out DIR`.

The Spark session comes from spark-submit (master, executors, archives); this only
parses the arguments and runs the same job as `crosscount run --engine spark`.
"""
from __future__ import annotations

import argparse

from .spark import run_spark, session


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(prog="spark_submit.py")
    parser.add_argument("inputs", nargs="+")
    parser.add_argument("--out", required=True)
    parser.add_argument("--partitions", type=int)
    parser.add_argument("--window", type=int, default=2)
    args = parser.parse_args(argv)
    spark = session(master=None)
    counts = run_spark(args.inputs, args.out, spark=spark, partitions=args.partitions,
                       window_days=args.window)
    for table, rows in counts.items():
        print(f"{table}: {rows}")
    spark.stop()


if __name__ == "__main__":
    main()
