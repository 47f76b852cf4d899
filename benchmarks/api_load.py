"""200 concurrent clients against a real server on 127.0.0.1: /analyze and /figures.

The server is `crosscount serve` in its own process on a free loopback port, over a
database built from the corpus's first documents. Each client sends a bounded number of
requests; the whole run also stops at a time limit. Prints requests/s, p50 and p99
latency and the error count for each endpoint; the baseline beside it is one client
alone, in the same run.

usage: python benchmarks/api_load.py [CORPUS.jsonl] [--clients 200] [--requests 5] [--seconds 120]
"""
from __future__ import annotations

import argparse
import asyncio
import socket
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import httpx

DEFAULT_CORPUS = Path(__file__).resolve().parents[2] / "shared" / "corpora" / "fa-kes.jsonl"
REPORT = Path(__file__).resolve().parents[1] / "examples" / "maarat-shelling.txt"


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


async def client(http: httpx.AsyncClient, endpoint: str, requests: int, deadline: float,
                 latencies: list[float], errors: list[str]) -> None:
    body = {"text": REPORT.read_text(encoding="utf-8")}
    for number in range(requests):
        if time.monotonic() > deadline:
            return
        started = time.perf_counter()
        try:
            if endpoint == "/analyze":
                answer = await http.post(endpoint, json=body)
            else:
                answer = await http.get(endpoint, params={"limit": 20, "offset": (number * 20) % 400,
                                                          "category": "killed"})
            if answer.status_code != 200:
                errors.append(f"{answer.status_code}")
        except httpx.HTTPError as error:
            errors.append(type(error).__name__)
        latencies.append(time.perf_counter() - started)


async def load(base: str, endpoint: str, clients: int, requests: int, seconds: float) -> dict:
    latencies: list[float] = []
    errors: list[str] = []
    limits = httpx.Limits(max_connections=clients, max_keepalive_connections=clients)
    async with httpx.AsyncClient(base_url=base, timeout=seconds, limits=limits) as http:
        started = time.perf_counter()
        deadline = time.monotonic() + seconds
        await asyncio.gather(*(client(http, endpoint, requests, deadline, latencies, errors)
                               for _ in range(clients)))
        elapsed = time.perf_counter() - started
    ordered = sorted(latencies)
    return {"requests": len(latencies), "per_second": len(latencies) / elapsed,
            "p50": statistics.median(ordered) * 1000,
            "p99": ordered[min(len(ordered) - 1, int(0.99 * len(ordered)))] * 1000,
            "errors": len(errors)}


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("corpus", nargs="?", type=Path, default=DEFAULT_CORPUS)
    parser.add_argument("--clients", type=int, default=200)
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
        port = free_port()
        server = subprocess.Popen([sys.executable, "-m", "crosscount.cli", "serve", "--db", str(db),
                                   "--port", str(port)], stderr=subprocess.DEVNULL)
        base = f"http://127.0.0.1:{port}"
        try:
            for _ in range(200):
                try:
                    httpx.get(f"{base}/documents", timeout=1)
                    break
                except httpx.HTTPError:
                    time.sleep(0.1)
            httpx.post(f"{base}/analyze", json={"text": "Two people were killed, police said."}, timeout=30)
            print(f"server on {base}; {args.clients} clients x {args.requests} requests, at most {args.seconds:.0f} s")
            print(f"{'endpoint':12}{'clients':>9}{'requests':>10}{'req/s':>9}{'p50 ms':>9}{'p99 ms':>9}{'errors':>8}")
            for endpoint in ("/analyze", "/figures"):
                for clients, requests in ((1, args.requests * 4), (args.clients, args.requests)):
                    r = asyncio.run(load(base, endpoint, clients, requests, args.seconds))
                    print(f"{endpoint:12}{clients:>9}{r['requests']:>10}{r['per_second']:>9.1f}"
                          f"{r['p50']:>9.0f}{r['p99']:>9.0f}{r['errors']:>8}")
        finally:
            server.terminate()
            server.wait(timeout=10)


if __name__ == "__main__":
    main()
