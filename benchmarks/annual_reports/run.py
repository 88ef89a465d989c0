"""Annual-report peak benchmark: organizations submitting their reports through the HTTP API on
the last days before the deadline, served by the production server (gunicorn, several workers)
on PostgreSQL. See benchmarks/README.md ("Annual-report peak").

    python benchmarks/annual_reports/run.py [--duration 60] [--connections 32]

1. creates a fresh database (``--postgres-url``; ``--keep`` reuses it) and prepares it with
   ``prepare.py``: ``--orgs`` synthetic organizations, ``--drafts`` of them with an
   organization account, a token and a complete 2025 draft with its audit report;
2. measures the baseline: a bare Django JSON hello-world on the same server settings
   (``benchmarks/throughput/hello.py``), requests per second;
3. starts gunicorn with the production settings, warms it up for a few seconds, then drives
   ``wrk`` with ``submit.lua`` for ``--duration`` seconds: every request submits one draft
   with its organization's own token (``POST /api/v1/annual_report/{id}/transitions``);
   meanwhile it samples PostgreSQL's sessions (how many run a statement, how many of those
   wait for a lock: every write appends to the audit chain behind one row lock) and reads the
   CPU the web workers and PostgreSQL spend;
4. counts what was acknowledged (HTTP 200) against what the database holds afterwards: the
   reports in a submitted state, their transitions and their audit rows — none may be
   missing — and verifies the whole audit chain (``socorg audit verify``);
5. prints accepted submissions per second next to the goal and the hello-world (ratio), and
   writes ``results/annual_reports.json``.
"""

from __future__ import annotations

import argparse
import json
import os
import re
import shutil
import subprocess
import sys
import tempfile
import threading
import time
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[2]
HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(ROOT))

from benchmarks.throughput.run import Server, cpu_seconds, hello, socorg_env  # noqa: E402
from socorg.core.management.commands.run import recommended_workers  # noqa: E402

GOAL_PER_S = 200.0
DEFAULT_PG = "postgres://postgres@127.0.0.1:5432/bench_annual_reports"
WARMUP_S = 3
SUBMIT_ACTIONS = ("annual_report.submit_to_unit", "annual_report.submit_to_bureau")


def parse_args() -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--postgres-url", default=os.environ.get("BENCH_DATABASE_URL", DEFAULT_PG))
    parser.add_argument("--keep", action="store_true", help="reuse the database as it is")
    parser.add_argument("--orgs", type=int, default=40_000)
    parser.add_argument("--drafts", type=int, default=15_000, help="drafts to submit")
    parser.add_argument("--duration", type=int, default=60)
    parser.add_argument("--connections", type=int, default=32)
    parser.add_argument("--threads", type=int, default=2)
    parser.add_argument("--workers", type=int, default=recommended_workers())
    parser.add_argument("--output", default=str(HERE.parent / "results" / "annual_reports.json"))
    return parser.parse_args()


def fresh_database(url: str) -> None:
    import psycopg

    name = url.rsplit("/", 1)[1]
    with psycopg.connect(url.rsplit("/", 1)[0] + "/postgres", autocommit=True) as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        conn.execute(f'CREATE DATABASE "{name}"')


def wrk(url: str, lines: Path, args: argparse.Namespace, duration: int) -> dict[str, Any]:
    command = [
        "wrk", f"-t{args.threads}", f"-c{args.connections}", f"-d{duration}s",
        "--timeout", "10s", "-s", str(HERE / "submit.lua"), url, "--", str(lines), str(args.threads),
    ]  # fmt: skip
    out = subprocess.run(command, capture_output=True, text=True, check=True).stdout
    found = {k: float(v) for k, v in re.findall(r"^([A-Z0-9_]+) ([\d.]+)$", out, re.M)}
    errors = re.search(r"Socket errors: (.*)", out)
    return {
        "acknowledged": int(found["ACKNOWLEDGED"]),
        "refused": int(found["REFUSED"]),
        "exhausted": int(found["EXHAUSTED"]),
        "p50_ms": found["LATENCY_P50_MS"],
        "p99_ms": found["LATENCY_P99_MS"],
        "socket_errors": errors[1] if errors else "",
    }


def counted(url: str, ids: list[int]) -> dict[str, int]:
    """What the database holds for the phase's reports."""
    import psycopg

    keys = [str(i) for i in ids]
    with psycopg.connect(url) as conn:
        submitted = conn.execute(
            "SELECT count(*) FROM supervision_annualreport WHERE id = ANY(%s) AND state <> 'draft'",
            [ids],
        ).fetchone()[0]  # type: ignore[index]
        transitions = conn.execute(
            "SELECT count(*) FROM core_transition WHERE process = 'annual_report' "
            "AND object_id = ANY(%s) AND action LIKE 'submit_%%'",
            [keys],
        ).fetchone()[0]  # type: ignore[index]
        audited = conn.execute(
            "SELECT count(*) FROM core_auditlog WHERE action = ANY(%s) AND object_id = ANY(%s)",
            [list(SUBMIT_ACTIONS), keys],
        ).fetchone()[0]  # type: ignore[index]
    return {"submitted": submitted, "transitions": transitions, "audit_rows": audited}


def postgres_pids() -> list[int]:
    """Every PostgreSQL server process on this machine (the database serves only this run)."""
    pids = []
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            try:
                if (entry / "comm").read_text().strip() in {"postgres", "postmaster"}:
                    pids.append(int(entry.name))
            except OSError:
                continue
    return pids


class LockSampler(threading.Thread):
    """Samples pg_stat_activity every 50 ms while the load runs: how many of the database's
    sessions are running a statement, and how many of those wait for a lock (the audit chain
    head is a row lock every write queues for)."""

    def __init__(self, url: str) -> None:
        super().__init__(daemon=True)
        self.url, self.stop, self.samples = url, threading.Event(), []
        # CPU seconds of each PostgreSQL process when last seen: a session that ends during
        # the run (the web workers reconnect every CONN_MAX_AGE) keeps what it had used.
        self.pg_seen: dict[int, float] = {}
        self.pg_before = {pid: cpu_seconds([pid]) for pid in postgres_pids()}

    def read_postgres_cpu(self) -> None:
        for pid in postgres_pids():
            self.pg_seen[pid] = cpu_seconds([pid])

    def postgres_cpu(self) -> float:
        self.read_postgres_cpu()
        return sum(
            max(used - self.pg_before.get(pid, 0.0), 0.0) for pid, used in self.pg_seen.items()
        )

    def run(self) -> None:
        import psycopg

        name = self.url.rsplit("/", 1)[1]
        with psycopg.connect(self.url, autocommit=True) as conn:
            ticks = 0
            while not self.stop.wait(0.05):
                ticks += 1
                if ticks % 5 == 0:
                    self.read_postgres_cpu()
                row = conn.execute(
                    "SELECT count(*) FILTER (WHERE state = 'active'), "
                    "count(*) FILTER (WHERE state = 'active' AND wait_event_type = 'Lock') "
                    "FROM pg_stat_activity WHERE datname = %s AND pid <> pg_backend_pid()",
                    [name],
                ).fetchone()
                self.samples.append(row)

    def summary(self) -> dict[str, float]:
        n = max(len(self.samples), 1)
        return {
            "active": round(sum(a for a, _ in self.samples) / n, 2),
            "waiting_for_lock": round(sum(w for _, w in self.samples) / n, 2),
        }


def phase(lines: list[str], env: dict[str, str], args: argparse.Namespace,
          tmp: Path) -> dict[str, Any]:  # fmt: skip
    warm, timed = lines[: len(lines) // 10], lines[len(lines) // 10 :]
    (tmp / "warm.txt").write_text("".join(warm))
    (tmp / "timed.txt").write_text("".join(timed))
    server = Server("socorg.wsgi:application", env, args.workers, ROOT)
    try:
        warmed = wrk(server.url, tmp / "warm.txt", args, WARMUP_S)
        pids = server.worker_pids()
        sampler = LockSampler(args.postgres_url)
        cpu_before, started = cpu_seconds(pids), time.monotonic()
        sampler.start()
        result = wrk(server.url, tmp / "timed.txt", args, args.duration)
        sampler.stop.set()
        sampler.join()
        elapsed = time.monotonic() - started
        n = max(result["acknowledged"], 1)
        result["server_cpu_ms"] = round((cpu_seconds(pids) - cpu_before) * 1000 / n, 2)
        # Sessions opened during the run count from zero; the sampler's own session is
        # included (a few milliseconds a second).
        result["postgres_cpu_ms"] = round(sampler.postgres_cpu() * 1000 / n, 2)
        result["sessions"] = sampler.summary()
    finally:
        server.stop()
    result["per_s"] = round(result["acknowledged"] / args.duration, 1)
    result["elapsed_s"] = round(elapsed, 1)
    ids = [int(line.split("\t")[1]) for line in warm + timed]
    result["warmup_acknowledged"] = warmed["acknowledged"]
    result["database"] = counted(args.postgres_url, ids)
    # Acknowledged ones missing from the database are lost. The database may hold a few more
    # than were acknowledged: requests still in flight when wrk stopped counting.
    expected = warmed["acknowledged"] + result["acknowledged"]
    result["lost"] = {k: max(expected - v, 0) for k, v in result["database"].items()}
    result["in_flight_at_stop"] = max(v - expected for v in result["database"].values())
    return result


def verify_chain(env: dict[str, str]) -> dict[str, Any]:
    started = time.monotonic()
    done = subprocess.run(
        [str(ROOT / ".venv/bin/socorg"), "audit", "verify"],
        env=env, cwd=ROOT, capture_output=True, text=True,
    )  # fmt: skip
    return {
        "ok": done.returncode == 0,
        "output": (done.stdout + done.stderr).strip()[-2000:],
        "seconds": round(time.monotonic() - started, 1),
    }


def report(results: dict[str, Any]) -> None:
    p = results["submissions"]
    base = results["hello"]["rps"]
    flag = "met" if p["per_s"] >= GOAL_PER_S else "MISSED"
    print()
    print(
        f"{results['workers']} gunicorn workers, {results['connections']} connections, "
        f"{results['duration_s']} s, {results['cpus']} CPUs (web server, PostgreSQL and wrk)"
    )
    print(
        f"accepted submissions: {p['per_s']:.1f}/s (goal {GOAL_PER_S:.0f}/s: {flag}); "
        f"hello-world {base:.0f} req/s, ratio {p['per_s'] / base:.3f}"
    )
    print(f"latency p50 {p['p50_ms']:.1f} ms, p99 {p['p99_ms']:.1f} ms; refused {p['refused']}")
    cpu = p["server_cpu_ms"] + p["postgres_cpu_ms"]
    print(
        f"CPU per submission: web {p['server_cpu_ms']:.2f} ms + PostgreSQL "
        f"{p['postgres_cpu_ms']:.2f} ms = {cpu:.2f} ms, i.e. at most "
        f"{1000 * (results['cpus'] or 1) / cpu:.0f}/s on these {results['cpus']} CPUs"
    )
    print(
        f"PostgreSQL sessions running a statement: {p['sessions']['active']:.2f} on average, "
        f"of which waiting for a lock: {p['sessions']['waiting_for_lock']:.2f}"
    )
    db = p["database"]
    print(
        f"acknowledged {p['warmup_acknowledged'] + p['acknowledged']} (warm-up included); database: "
        f"{db['submitted']} submitted, {db['transitions']} transitions, {db['audit_rows']} audit "
        f"rows; lost {sum(p['lost'].values())}; in flight when counting stopped "
        f"{p['in_flight_at_stop']}"
    )
    if p["exhausted"] or p["socket_errors"]:
        print(f"   !! drafts exhausted {p['exhausted']} socket errors {p['socket_errors']}")
    chain = results["audit_verify"]
    print(f"audit chain verified: {'yes' if chain['ok'] else 'NO'} ({chain['seconds']} s)")
    if not chain["ok"]:
        print(chain["output"])


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
        "goal_per_s": GOAL_PER_S,
    }
    with tempfile.TemporaryDirectory(prefix="socorg-annual-reports-") as tmpdir:
        tmp = Path(tmpdir)
        if not args.keep:
            fresh_database(args.postgres_url)
        # The key files live beside the database's data, so ``--keep`` can go on writing.
        var = ROOT / "var" / "bench-annual-reports"
        if not args.keep:
            shutil.rmtree(var, ignore_errors=True)
        var.mkdir(parents=True, exist_ok=True)
        env = socorg_env("postgresql", argparse.Namespace(postgres_url=args.postgres_url), var)
        pairs = tmp / "pairs.txt"
        started = time.monotonic()
        subprocess.run(
            [sys.executable, str(HERE / "prepare.py"), str(pairs), "--orgs", str(args.orgs),
             "--drafts", str(args.drafts)],
            env=env, cwd=ROOT, check=True,
        )  # fmt: skip
        results["prepare_s"] = round(time.monotonic() - started, 1)
        lines = pairs.read_text().splitlines(keepends=True)
        # The hello-world's rate is steady within seconds: 10 s of it, not the whole duration.
        results["hello"] = hello(argparse.Namespace(**{**vars(args), "duration": 10}))
        print(f"  hello-world {results['hello']['rps']:.0f} req/s", flush=True)
        results["submissions"] = phase(lines, env, args, tmp)
        results["audit_verify"] = verify_chain(env)
    results["load_average_end"] = os.getloadavg()
    report(results)
    Path(args.output).parent.mkdir(parents=True, exist_ok=True)
    Path(args.output).write_text(json.dumps(results, ensure_ascii=False, indent=2))


if __name__ == "__main__":
    main()
