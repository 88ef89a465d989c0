"""Throughput benchmark: requests per second of socorg's busiest requests next to a bare Django
hello-world, served by the same production server on the same machine, in one run.
See benchmarks/README.md ("Throughput").

    python benchmarks/throughput/run.py [--databases sqlite,postgresql] [--duration 10]

For each database: prepares it (``prepare.py``: migrate, demo data, a registrar with a token
and a session, queries and CPU per request measured in process), starts gunicorn with the
production settings and the worker count ``socorg run`` uses, drives each request of the mix
with ``wrk`` at fixed concurrency, and prints requests/s, p50/p99 latency, the ratio to the
hello-world, queries per request and CPU milliseconds per request (in process, and the
server's own as read from /proc). The hello-world runs first and last; the ratio uses their
mean. Results go to ``benchmarks/results/throughput.json``.
"""

from __future__ import annotations

import argparse
import json
import os
import re
import shutil
import socket
import subprocess
import sys
import tempfile
import time
import urllib.request
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[2]
HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(ROOT / "src"))

from socorg.core.management.commands.run import (  # noqa: E402
    gunicorn_command,
    recommended_workers,
)

GOAL_RATIO = 0.5
DEFAULT_PG = "postgres://postgres@127.0.0.1:5432/bench_throughput"
UNITS = {"us": 0.001, "ms": 1.0, "s": 1000.0}


def parse_args() -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--databases", default="sqlite,postgresql")
    parser.add_argument("--postgres-url", default=os.environ.get("BENCH_DATABASE_URL", DEFAULT_PG))
    parser.add_argument("--duration", type=int, default=10, help="seconds per request kind")
    parser.add_argument("--connections", type=int, default=16)
    parser.add_argument("--threads", type=int, default=2)
    parser.add_argument("--workers", type=int, default=recommended_workers())
    parser.add_argument("--output", default=str(ROOT / "benchmarks/results/throughput.json"))
    return parser.parse_args()


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def cpu_seconds(pids: list[int]) -> float:
    tick = os.sysconf("SC_CLK_TCK")
    total = 0.0
    for pid in pids:
        try:
            fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
        except FileNotFoundError:
            continue
        total += (int(fields[11]) + int(fields[12])) / tick  # utime + stime
    return total


class Server:
    """gunicorn serving ``app`` with the given environment, until stopped."""

    def __init__(self, app: str, env: dict[str, str], workers: int, cwd: Path) -> None:
        self.port = free_port()
        command = gunicorn_command(app, "127.0.0.1", self.port, workers)
        self.process = subprocess.Popen(
            command, env=env, cwd=cwd, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE
        )
        self.url = f"http://127.0.0.1:{self.port}"
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise SystemExit(f"gunicorn exited: {self.process.stderr.read().decode()[-2000:]}")  # type: ignore[union-attr]
            try:
                urllib.request.urlopen(self.url + "/favicon.ico", timeout=1)
                break
            except urllib.error.HTTPError:
                break
            except OSError:
                time.sleep(0.2)

    def worker_pids(self) -> list[int]:
        children = Path(f"/proc/{self.process.pid}/task/{self.process.pid}/children")
        return [int(p) for p in children.read_text().split()]

    def stop(self) -> None:
        self.process.terminate()
        try:
            self.process.wait(timeout=15)
        except subprocess.TimeoutExpired:
            self.process.kill()


def wrk(url: str, headers: list[str], args: argparse.Namespace, duration: int) -> dict[str, Any]:
    command = ["wrk", f"-t{args.threads}", f"-c{args.connections}", f"-d{duration}s", "--latency"]
    for header in ["X-Forwarded-Proto: https", *headers]:
        command += ["-H", header]
    out = subprocess.run([*command, url], capture_output=True, text=True, check=True).stdout
    result: dict[str, Any] = {"rps": float(re.search(r"Requests/sec:\s+([\d.]+)", out)[1])}  # type: ignore[index]
    result["requests"] = int(re.search(r"(\d+) requests in", out)[1])  # type: ignore[index]
    for pct in ("50", "99"):
        m = re.search(rf"^\s+{pct}%\s+([\d.]+)(us|ms|s)\s*$", out, re.M)
        result[f"p{pct}_ms"] = round(float(m[1]) * UNITS[m[2]], 3) if m else None
    bad = re.search(r"Non-2xx or 3xx responses: (\d+)", out)
    result["non_2xx"] = int(bad[1]) if bad else 0
    errors = re.search(r"Socket errors: (.*)", out)
    result["socket_errors"] = errors[1] if errors else ""
    return result


def drive(
    server: Server, path: str, headers: list[str], args: argparse.Namespace
) -> dict[str, Any]:
    wrk(server.url + path, headers, args, 2)  # warm-up: every worker has served it
    pids = server.worker_pids()
    before = cpu_seconds(pids)
    result = wrk(server.url + path, headers, args, args.duration)
    used = cpu_seconds(pids) - before
    result["server_cpu_ms"] = round(used * 1000 / max(result["requests"], 1), 3)
    return result


def hello(args: argparse.Namespace) -> dict[str, Any]:
    env = {**os.environ, "PYTHONPATH": str(HERE)}
    server = Server("hello:application", env, args.workers, HERE)
    try:
        return drive(server, "/", [], args)
    finally:
        server.stop()


def socorg_env(database: str, args: argparse.Namespace, var_dir: Path) -> dict[str, str]:
    env = {
        key: value
        for key, value in os.environ.items()
        if key not in {"DATABASE_URL", "REDIS_URL", "DEBUG", "SQLITE_PATH"}
    }
    env.update(
        SOCORG_ENV="production",
        SECRET_KEY="throughput-benchmark-secret-" + "k" * 40,
        ALLOWED_HOSTS="127.0.0.1,localhost",
        SOCORG_VAR_DIR=str(var_dir),
        LOG_LEVEL="WARNING",
    )
    if database == "postgresql":
        ensure_postgres_database(args.postgres_url)
        env["DATABASE_URL"] = args.postgres_url
    else:
        env["SQLITE_PATH"] = str(var_dir / "throughput.sqlite3")
    return env


def ensure_postgres_database(url: str) -> None:
    import psycopg

    name = url.rsplit("/", 1)[1]
    with psycopg.connect(url.rsplit("/", 1)[0] + "/postgres", autocommit=True) as conn:
        if not conn.execute("SELECT 1 FROM pg_database WHERE datname = %s", [name]).fetchone():
            conn.execute(f'CREATE DATABASE "{name}"')


def bench_database(database: str, args: argparse.Namespace, var_dir: Path) -> dict[str, Any]:
    env = socorg_env(database, args, var_dir)
    out = var_dir / f"prepared-{database}.json"
    done = subprocess.run([sys.executable, str(HERE / "prepare.py"), str(out)], env=env, cwd=ROOT)
    if done.returncode:
        raise SystemExit(f"preparing {database} failed")
    prepared = json.loads(out.read_text(encoding="utf-8"))
    server = Server("socorg.wsgi:application", env, args.workers, ROOT)
    try:
        for item in prepared["requests"]:
            auth = (
                f"Authorization: Bearer {prepared['token']}"
                if item["auth"] == "token"
                else f"Cookie: {prepared['session_cookie']}"
            )
            item.update(drive(server, item["path"], [auth], args))
            print(f"  {database:10} {item['name']:24} {item['rps']:8.0f} req/s", flush=True)
    finally:
        server.stop()
    return {
        "database": database,
        "organizations": prepared["organizations"],
        "requests": prepared["requests"],
    }


def report(results: dict[str, Any]) -> None:
    base = results["hello_rps"]
    print()
    print(
        f"hello-world: {base:.0f} req/s (first {results['hello_first']['rps']:.0f}, "
        f"last {results['hello_last']['rps']:.0f}); "
        f"server CPU {results['hello_first']['server_cpu_ms']:.3f} ms/req; "
        f"{results['workers']} workers, {results['connections']} connections"
    )
    header = f"{'database':10} {'request':24} {'req/s':>8} {'ratio':>6} {'p50 ms':>7} {'p99 ms':>7} {'queries':>7} {'CPU ms':>7} {'srv CPU':>7} {'goal':>5}"
    print(header)
    print("-" * len(header))
    for db in results["databases"]:
        for item in db["requests"]:
            ratio = item["rps"] / base
            item["ratio"] = round(ratio, 3)
            flag = "met" if ratio >= GOAL_RATIO else "MISS"
            print(
                f"{db['database']:10} {item['name']:24} {item['rps']:8.0f} {ratio:6.0%} "
                f"{item['p50_ms']:7.2f} {item['p99_ms']:7.2f} {item['queries']:7d} "
                f"{item['cpu_ms']:7.2f} {item['server_cpu_ms']:7.2f} {flag:>5}"
            )
            if item["non_2xx"] or item["socket_errors"]:
                print(f"   !! non-2xx {item['non_2xx']} socket errors {item['socket_errors']}")


def main() -> None:
    args = parse_args()
    if shutil.which("wrk") is None:
        raise SystemExit("wrk is needed: apt-get install wrk")
    results: dict[str, Any] = {
        "started": datetime.now(UTC).isoformat(timespec="seconds"),
        "cpus": os.cpu_count(),
        "load_average_start": os.getloadavg(),
        "workers": args.workers,
        "connections": args.connections,
        "duration_s": args.duration,
    }
    results["hello_first"] = hello(args)
    print(f"  hello-world {results['hello_first']['rps']:8.0f} req/s", flush=True)
    with tempfile.TemporaryDirectory(prefix="socorg-throughput-") as tmp:
        results["databases"] = [
            bench_database(db, args, Path(tmp)) for db in args.databases.split(",") if db
        ]
    results["hello_last"] = hello(args)
    results["hello_rps"] = (results["hello_first"]["rps"] + results["hello_last"]["rps"]) / 2
    results["load_average_end"] = os.getloadavg()
    report(results)
    Path(args.output).parent.mkdir(parents=True, exist_ok=True)
    Path(args.output).write_text(json.dumps(results, ensure_ascii=False, indent=2))


if __name__ == "__main__":
    main()
