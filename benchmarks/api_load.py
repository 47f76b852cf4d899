"""Concurrent clients against a real server on 127.0.0.1: /analyze and /figures.

The server is `crosscount serve` in its own process on a free loopback port, over a
database built from the corpus's first documents, run once with 1 analyst process and
once with 2. Each client sends a bounded number of requests; the whole run also stops at
a time limit. Prints answered requests/s (200s only), p50 and p99 latency, errors and, apart, 503s (a full
queue, answered with Retry-After) for 1, 50 and 200 clients. The issue's bounds: 2
workers >= 1.7x the /analyze requests/s of 1, p99 < 2 s and no 503 at 50 clients, no
error at 200.

usage: python benchmarks/api_load.py [CORPUS.jsonl] [--requests 5] [--seconds 120]
"""
from __future__ import annotations

import argparse
import asyncio
import json
import socket
import statistics
import subprocess
import sys
import tempfile
import time
from concurrent.futures import ThreadPoolExecutor
from contextlib import contextmanager
from pathlib import Path

import httpx

DEFAULT_CORPUS = Path(__file__).resolve().parents[2] / "shared" / "corpora" / "fa-kes.jsonl"


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


async def client(http: httpx.AsyncClient, endpoint: str, requests: int, deadline: float,
                 latencies: list[float], errors: list[str], busy: list[int], reports: list[str],
                 first: int) -> None:
    for number in range(requests):
        body = {"text": reports[(first + number) % len(reports)]}
        if time.monotonic() > deadline:
            return
        started = time.perf_counter()
        try:
            if endpoint == "/analyze":
                answer = await http.post(endpoint, json=body)
            else:
                answer = await http.get(endpoint, params={"limit": 20, "offset": (number * 20) % 400,
                                                          "category": "killed"})
            if answer.status_code == 503:
                busy.append(1)
            elif answer.status_code != 200:
                errors.append(f"{answer.status_code}")
        except httpx.HTTPError as error:
            errors.append(type(error).__name__)
        latencies.append(time.perf_counter() - started)


async def load(base: str, endpoint: str, clients: int, requests: int, seconds: float,
               reports: list[str]) -> dict:
    latencies: list[float] = []
    errors: list[str] = []
    busy: list[int] = []
    limits = httpx.Limits(max_connections=clients, max_keepalive_connections=clients)
    async with httpx.AsyncClient(base_url=base, timeout=seconds, limits=limits) as http:
        started = time.perf_counter()
        deadline = time.monotonic() + seconds
        await asyncio.gather(*(client(http, endpoint, requests, deadline, latencies, errors, busy,
                                      reports, number * requests) for number in range(clients)))
        elapsed = time.perf_counter() - started
    ordered = sorted(latencies)
    answered = len(latencies) - len(errors) - len(busy)
    if errors:
        kinds = {kind: errors.count(kind) for kind in set(errors)}
        print(f"  ({endpoint}, {clients} clients) errors: {kinds}")
    return {"requests": len(latencies), "per_second": answered / elapsed,
            "p50": statistics.median(ordered) * 1000,
            "p99": ordered[min(len(ordered) - 1, int(0.99 * len(ordered)))] * 1000,
            "errors": len(errors), "busy": len(busy)}


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("corpus", nargs="?", type=Path, default=DEFAULT_CORPUS)
    parser.add_argument("--requests", type=int, default=5, help="per client")
    parser.add_argument("--seconds", type=float, default=120, help="stop the run after this long")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as folder:
        corpus = Path(folder) / "corpus.jsonl"
        with open(args.corpus, encoding="utf-8") as source:
            corpus.write_text("".join(source.readline() for _ in range(300)), encoding="utf-8")
        db = Path(folder) / "api.duckdb"
        subprocess.run([sys.executable, "-m", "crosscount.cli", "run", str(corpus), "--db", str(db), "--quiet"],
                       check=True, capture_output=True)
        # /analyze is sent the corpus's own articles in turn: real reports of every length.
        reports = [json.loads(line).get("article_content") or json.loads(line).get("text", "")
                   for line in corpus.read_text(encoding="utf-8").splitlines() if line.strip()]
        rates = {}
        print(f"{args.requests} requests per client, at most {args.seconds:.0f} s per line")
        print(f"{'endpoint':12}{'workers':>8}{'clients':>9}{'requests':>10}{'req/s':>9}{'p50 ms':>9}"
              f"{'p99 ms':>9}{'errors':>8}{'503s':>7}")
        for workers in (1, 2):
            with serving(db, workers) as base:
                endpoints = ("/analyze", "/figures") if workers == 2 else ("/analyze",)
                for endpoint in endpoints:
                    for clients in (1, 50, 200):
                        requests = args.requests * (4 if clients == 1 else 1)
                        r = asyncio.run(load(base, endpoint, clients, requests, args.seconds, reports))
                        rates[endpoint, workers, clients] = r["per_second"]
                        print(f"{endpoint:12}{workers:>8}{clients:>9}{r['requests']:>10}{r['per_second']:>9.1f}"
                              f"{r['p50']:>9.0f}{r['p99']:>9.0f}{r['errors']:>8}{r['busy']:>7}")
        print(f"/analyze at 50 clients, 2 workers / 1 worker: "
              f"{rates['/analyze', 2, 50] / rates['/analyze', 1, 50]:.2f}x")


@contextmanager
def serving(db: Path, workers: int):
    """`crosscount serve --workers N` on a free port, its analysts warmed up."""
    port = free_port()
    server = subprocess.Popen([sys.executable, "-m", "crosscount.cli", "serve", "--db", str(db),
                               "--port", str(port), "--workers", str(workers)], stderr=subprocess.DEVNULL)
    base = f"http://127.0.0.1:{port}"
    try:
        for _ in range(300):
            try:
                httpx.get(f"{base}/documents", timeout=1)
                break
            except httpx.HTTPError:
                time.sleep(0.1)
        warm = {"text": "Two people were killed, police said."}
        with ThreadPoolExecutor(workers * 2) as pool:    # every analyst loads its models
            list(pool.map(lambda _: httpx.post(f"{base}/analyze", json=warm, timeout=60), range(workers * 4)))
        yield base
    finally:
        server.terminate()
        server.wait(timeout=10)


if __name__ == "__main__":
    main()
