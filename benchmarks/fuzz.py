"""A fuzz run: generated hostile inputs through `crosscount run --workers 2`.

Files and corpus rows of every kind a user might feed it: random bytes, text with broken
encodings, lone surrogates, NULs, deep and huge HTML and JSON, malformed rows, digits of
other scripts, empty and oversized files, files of one name in several folders, a
repeated id with another text. The run must exit 0; every input must end exactly once,
stored or a problem with a reason; every input that is certainly readable must be
stored. Prints the count of each outcome.

usage: python benchmarks/fuzz.py [--inputs 10000] [--seed 1] [--workers 2]
"""
from __future__ import annotations

import argparse
import json
import random
import subprocess
import sys
import tempfile
import time
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path

SENTENCES = [
    "{n} people were killed in the town on Monday, police said.",
    "About {n} families fled to the camp, the UN said.",
    "Medics said {n} were wounded in the blast.",
    "\u0661\u0662 civilians were killed, activists said.",
    "\uff12\uff0c\uff10\uff10\uff10 people were displaced by the floods.",
    "\u0627\u0644\u0644\u0647 {n} \u0634\u0647\u064a\u062f",
    "\u5730\u9707\u3067{n}\u4eba\u304c\u6b7b\u4ea1\u3057\u305f\u3002",
    "The toll rose to {n}, according to the health ministry.",
]


@dataclass
class Plan:
    """What each generated input must become: `stored` ids must be documents; `either`
    may be a document or a problem; every input is counted once."""
    stored: set[str] = field(default_factory=set)
    either: set[str] = field(default_factory=set)
    refused_rows: set[str] = field(default_factory=set)    # "file:line" that must be problems
    refused_files: set[str] = field(default_factory=set)
    inputs: int = 0


def _text(rng: random.Random, sentences: int = 3) -> str:
    return " ".join(rng.choice(SENTENCES).format(n=rng.randint(1, 90_000)) for _ in range(sentences))


def generate(folder: Path, inputs: int, seed: int = 1) -> Plan:
    """About `inputs` inputs under `folder`: a third files, the rest JSONL and CSV rows."""
    rng = random.Random(seed)
    plan = Plan()
    files = folder / "pages"
    rows_file = folder / "rows.jsonl"
    csv_file = folder / "rows.csv"
    rows, csv_lines = [], ["id,text,date"]

    def page(relative: str, data: bytes, outcome: str) -> None:
        path = files / relative
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(data)
        doc_id = Path("pages", relative).with_suffix("").as_posix()    # ids are paths under the folder given
        {"stored": plan.stored, "either": plan.either}.get(outcome, set()).add(doc_id)
        if outcome == "refused":
            plan.refused_files.add(str(path))
        plan.inputs += 1

    def row(line: str, doc_id: str, outcome: str) -> None:
        rows.append(line)
        where = f"{rows_file}:{len(rows)}"
        if outcome == "refused":
            plan.refused_rows.add(where)
        else:
            {"stored": plan.stored, "either": plan.either}[outcome].add(doc_id)
        plan.inputs += 1

    for number in range(inputs):
        kind = number % 15
        name = f"{number:06d}"
        text = _text(rng)
        if kind == 0:
            page(f"bin/{name}.bin", b"\x00" + rng.randbytes(rng.randint(64, 4096)), "refused")
        elif kind == 1:
            broken = text.encode("utf-8")
            cut = rng.randint(0, len(broken))
            page(f"enc/{name}.txt", broken[:cut] + bytes([rng.choice([0x80, 0xC3, 0xFF, 0xFE])]) + broken[cut:],
                 "stored")
        elif kind == 2:
            page(f"latin/{name}.txt", (text + " Caf\u00e9 \u2013 d\u00e9j\u00e0").encode("cp1252", "replace"), "stored")
        elif kind == 3:
            depth = rng.randint(10, 20_000)
            html = "<html><body>" + "<div>" * depth + f"<p>{text}</p>" + "</div>" * depth + "</body></html>"
            page(f"html/{name}.html", html.encode(), "either")
        elif kind == 4:
            page(f"empty/{name}.txt", rng.choice([b"", b"   \n\t", b"\n\n"]), "refused")
        elif kind == 5:
            page(f"same/{name}/report.txt", text.encode("utf-16"), "stored")
        elif kind == 6:
            row(json.dumps({"id": f"r{name}", "text": text + " \ud800 \udfff"}), f"r{name}", "stored")
        elif kind == 7:
            depth = rng.randint(1000, 100_000)
            row('{"id": "r' + name + '", "text": ' + "[" * depth + "]" * depth + "}", f"r{name}", "refused")
        elif kind == 8:
            row(rng.choice(['["not", "an", "object"]', '{"id": "x", "text": 17}', '{"id": "y"}', "{broken",
                            '"just a string"', "null", '{"id": "z", "text": "   "}']), "", "refused")
        elif kind == 9:
            row(json.dumps({"id": f"r{name}", "text": text.replace(" ", "\u00a0", 3) + "\u0000\u200f\u202e"}),
                f"r{name}", "stored")
        elif kind == 10:
            row(json.dumps({"id": f"r{name}", "text": text, "date": rng.choice(["2016-12-13", "13/12/2016", "nonsense", 5]),
                            "outlet": rng.choice([None, 7, "wire", ["x"]]), "title": rng.choice([None, 3, "T"])}),
                f"r{name}", "stored")
        elif kind == 11:
            row(json.dumps({"id": f"r{name}", "text": "1" + "0" * rng.randint(20, 500) + " people were killed."}),
                f"r{name}", "stored")
        elif kind == 12:
            csv_lines.append(f'c{name},"{text}",2017-01-0{rng.randint(1, 9)}')
            plan.stored.add(f"c{name}")
            plan.inputs += 1
        elif kind == 13:
            row(json.dumps({"id": f"r{name}", "text": "<html><body><article><p>" + text * 3 + "</p></article>"
                            "<script>alert(1)</script></body></html>"}), f"r{name}", "either")
        else:
            page(f"big/{name}.txt", (text + " ").encode() * rng.randint(1, 200), "stored")
    # One id twice with two texts: the second is refused ("repeated_id"), the first kept.
    row(json.dumps({"id": "twice", "text": "Four people were killed."}), "twice", "stored")
    row(json.dumps({"id": "twice", "text": "Nine people were killed."}), "", "refused")
    # A file over the size limit.
    page("huge/huge.txt", b"killed " * (6_000_000 // 7), "refused")
    rows_file.write_text("\n".join(rows) + "\n", encoding="utf-8", errors="surrogatepass")
    csv_file.write_text("\n".join(csv_lines) + "\n", encoding="utf-8")
    (folder / "header-only.csv").write_text("id,text\n", encoding="utf-8")
    plan.refused_files.add(str(folder / "header-only.csv"))
    plan.inputs += 1
    return plan


def check(db: Path, plan: Plan) -> dict[str, int]:
    """The outcome counts; raises AssertionError when an input is lost, doubled or wrong."""
    import duckdb

    with duckdb.connect(str(db), read_only=True) as connection:
        documents = [row[0] for row in connection.execute("SELECT id FROM documents").fetchall()]
        problems = connection.execute("SELECT item, reason FROM problems").fetchall()
    assert len(documents) == len(set(documents)), "a document stored twice"
    stored = set(documents)
    missing = plan.stored - stored
    assert not missing, f"{len(missing)} readable inputs not stored, e.g. {sorted(missing)[:5]}"
    unexpected = stored - plan.stored - plan.either
    assert not unexpected, f"stored but not generated as readable: {sorted(unexpected)[:5]}"
    # A stored document's own problem (a number too large to count) is a note on it.
    problems = [(item, reason) for item, reason in problems if item not in stored]
    items = Counter(item for item, _ in problems)
    assert all(count == 1 for count in items.values()), "a problem recorded twice"
    for where in plan.refused_rows | plan.refused_files:
        assert where in items or any(i.startswith(where) for i in items), f"no problem for {where}"
    accounted = len(stored) + len(problems)
    assert accounted == plan.inputs, f"{plan.inputs} inputs, {accounted} outcomes"
    counts = Counter(reason for _, reason in problems)
    counts["stored"] = len(stored)
    return dict(counts)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--inputs", type=int, default=10_000)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--workers", type=int, default=2)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as folder:
        folder = Path(folder)
        plan = generate(folder / "in", args.inputs, args.seed)
        started = time.perf_counter()
        run = subprocess.run([sys.executable, "-m", "crosscount.cli", "run", str(folder / "in"),
                              "--db", str(folder / "fuzz.duckdb"), "--workers", str(args.workers), "--quiet"],
                             capture_output=True, text=True)
        seconds = time.perf_counter() - started
        print(f"{plan.inputs:,} inputs, {args.workers} workers: exit {run.returncode} in {seconds:.0f} s")
        if run.returncode != 0:
            print(run.stderr[-3000:])
            sys.exit(1)
        for outcome, count in sorted(check(folder / "fuzz.duckdb", plan).items()):
            print(f"  {outcome:20} {count:,}")
        print("every input stored or a problem, exactly once")


if __name__ == "__main__":
    main()
