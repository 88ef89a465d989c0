"""Registry search benchmark at scale (PostgreSQL only). See benchmarks/README.md.

    DATABASE_URL=postgres://… python benchmarks/run.py [--orgs 1000000] [--repeat 5]
    python benchmarks/run.py --settings deploy/postgresql/bureau.conf   # private cluster

With ``--settings FILE`` (or ``--settings none``: PostgreSQL's defaults) the run uses a private
PostgreSQL cluster under ``--cluster`` (initdb on first use; its data, once loaded, is kept for
the next run), started on ``--port`` with that file included, its registry table and indexes
loaded into the cache (pg_prewarm), and stopped at the end; the system's server is untouched.

1. migrates the database and makes sure it holds ``--orgs`` organizations, loading the missing
   ones with ``socorg demo scale`` (timed: the load goal is 5 minutes for 1,000,000);
2. runs the fixed query mix of ``queries.json`` — registry search + first page (20 rows, by
   name) + capped count, as the organization list does — for a city-wide and a district
   registrar;
3. runs the same mix naively in the same process (``name__icontains``, full count) as the
   baseline, checks both return the same rows and counts, and prints p50/p95/max per class;
4. writes everything to ``benchmarks/results/latest.json``.
"""

from __future__ import annotations

import argparse
import json
import math
import os
import platform
import random
import statistics
import subprocess
import sys
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

HERE = Path(__file__).resolve().parent
PG_BIN = Path(os.environ.get("SOCORG_PG_BIN", "/usr/lib/postgresql/15/bin"))
PAGE = 20
GOAL_MS = 30.0
LOAD_GOAL_S = 300.0
SCOPES = {"city": "371100", "district": "371122"}  # 莒县: its names come last in name order


def parse_args(argv: list[str] | None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument(
        "--orgs", type=int, default=1_000_000, help="organizations the database must hold"
    )
    parser.add_argument(
        "--repeat", type=int, default=5, help="timed runs of every query (after one warm-up)"
    )
    parser.add_argument(
        "--baseline-repeat", type=int, default=2, help="timed runs of the naive baseline"
    )
    parser.add_argument("--queries", type=Path, default=HERE / "queries.json")
    parser.add_argument("--output", type=Path, default=HERE / "results" / "latest.json")
    parser.add_argument(
        "--seed", type=int, default=1, help="seed of the scale generator and of the run order"
    )
    parser.add_argument(
        "--settings",
        help="run on a private cluster with this postgresql.conf include "
        "(e.g. deploy/postgresql/bureau.conf; 'none': PostgreSQL's defaults)",
    )
    parser.add_argument(
        "--cluster",
        type=Path,
        default=HERE.parent / "var" / "bench-cluster",
        help="directory of the private cluster (kept between runs)",
    )
    parser.add_argument("--port", type=int, default=55432, help="port of the private cluster")
    return parser.parse_args(argv)


def main(argv: list[str] | None = None) -> int:
    args = parse_args(argv)
    if args.settings:
        cluster = Cluster(args.cluster, args.port)
        os.environ["DATABASE_URL"] = cluster.start(args.settings)
        try:
            return run(args, cluster)
        finally:
            cluster.stop()
    return run(args, None)


def run(args: argparse.Namespace, cluster: Cluster | None) -> int:
    if not os.environ.get("DATABASE_URL", "").startswith(("postgres://", "postgresql://")):
        print(
            "基准测试只在 PostgreSQL 上运行：请设置 DATABASE_URL=postgres://用户@主机:端口/库名"
            "（建议使用专用数据库，例如 bench），或用 --settings 文件 在专用集群上运行。\n"
            "The benchmark runs on PostgreSQL only: set DATABASE_URL=postgres://user@host:port/db, "
            "or run on a private cluster with --settings FILE.",
            file=sys.stderr,
        )
        return 2
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "socorg.settings")
    import django

    django.setup()
    from django.core.management import call_command

    call_command("migrate", interactive=False, verbosity=0)
    load = ensure_organizations(args.orgs, args.seed)
    if cluster:
        load["prewarmed_blocks"] = prewarm()
    report = Bench(args).run()
    report["load"] = load
    if cluster:
        report["environment"]["cluster"] = cluster.describe(args.settings)
    print_report(report)
    args.output.parent.mkdir(parents=True, exist_ok=True)
    args.output.write_text(
        json.dumps(report, ensure_ascii=False, indent=1) + "\n", encoding="utf-8"
    )
    print(f"\n结果已写入 {args.output}")
    return 0


# --- Data -------------------------------------------------------------------------------------


def ensure_organizations(wanted: int, seed: int) -> dict[str, Any]:
    """Load the missing organizations with ``socorg demo scale``; time it; vacuum and analyze."""
    from socorg.registry.models import Organization

    have = Organization.objects.count()
    result: dict[str, Any] = {"organizations_before": have, "loaded": 0}
    if have < wanted:
        missing = wanted - have
        command = [
            sys.executable,
            "-m",
            "socorg.cli",
            "demo",
            "scale",
            "--orgs",
            str(missing),
            "--seed",
            str(seed),
        ]
        print(f"载入 {missing:,} 个社会组织：{' '.join(['socorg', *command[3:]])}")
        started = time.perf_counter()
        subprocess.run(command, check=True)
        result.update(
            loaded=missing,
            command=" ".join(["socorg", *command[3:]]),
            seconds=time.perf_counter() - started,
        )
        print(f"载入用时 {result['seconds']:.1f} 秒（目标 ≤ {LOAD_GOAL_S:.0f} 秒）")
    else:
        print(f"数据库已有 {have:,} 个社会组织（≥ {wanted:,}），不再载入。")
    started = time.perf_counter()
    vacuum_analyze()
    result["vacuum_analyze_seconds"] = time.perf_counter() - started
    result["organizations"] = Organization.objects.count()
    return result


def vacuum_analyze() -> None:
    """What autovacuum would do after a bulk load: visibility map and planner statistics."""
    from django.db import connection

    with connection.cursor() as cursor:
        for table in ("registry_organization", "core_jurisdiction", "core_department"):
            cursor.execute(f"VACUUM ANALYZE {table}")


def prewarm() -> int:
    """Load what searches read into the buffer cache (as much as fits), as a server that has
    been answering searches for a while holds it: the organization table, its n-grams by
    jurisdiction, and their indexes."""
    from django.db import connection

    from socorg.core.db import NAME_INDEXES

    tables = ["registry_organization"]
    tables += [i.grams_table(f) for i in NAME_INDEXES for f in i.grams_within]
    with connection.cursor() as cursor:
        cursor.execute("CREATE EXTENSION IF NOT EXISTS pg_prewarm")
        cursor.execute(
            "SELECT coalesce(sum(pg_prewarm(c.oid)), 0) FROM pg_class c WHERE c.relname = ANY(%s) "
            "OR c.oid IN (SELECT i.indexrelid FROM pg_index i JOIN pg_class t "
            "ON t.oid = i.indrelid WHERE t.relname = ANY(%s))",
            [tables, tables],
        )
        return int(cursor.fetchone()[0])


# --- Private cluster --------------------------------------------------------------------------


@dataclass
class Cluster:
    """A PostgreSQL cluster of the benchmark's own, so that server settings can be measured
    without touching the system's server. Run as the ``postgres`` user when started as root
    (initdb refuses root)."""

    directory: Path
    port: int
    database: str = "bench_search"

    def __post_init__(self) -> None:
        self.directory = self.directory.resolve()  # the server runs elsewhere

    @property
    def data(self) -> Path:
        return self.directory / "data"

    def start(self, settings: str) -> str:
        """Create the cluster if needed, include ``settings`` ('none': nothing), (re)start it
        and make sure the database exists; return its URL."""
        if not (self.data / "PG_VERSION").exists():
            self._init()
        include = "" if settings == "none" else Path(settings).read_text(encoding="utf-8")
        (self.data / "socorg_bench.conf").write_text(include, encoding="utf-8")
        self._own(self.data / "socorg_bench.conf")
        running = self._pg_ctl("status", check=False).returncode == 0
        options = (
            f"-p {self.port} -c listen_addresses=127.0.0.1 "
            f"-c unix_socket_directories={self.directory}"
        )
        log = str(self.directory / "server.log")
        self._pg_ctl("restart" if running else "start", "-w", "-l", log, "-o", options)
        self._create_database()
        return f"postgres://postgres@127.0.0.1:{self.port}/{self.database}"

    def stop(self) -> None:
        self._pg_ctl("stop", "-m", "fast", "-w", check=False)

    def describe(self, settings: str) -> dict[str, Any]:
        return {"settings_file": settings, "directory": str(self.directory), "port": self.port}

    def _init(self) -> None:
        self.directory.mkdir(parents=True, exist_ok=True)
        self._own(self.directory)
        initdb = [str(PG_BIN / "initdb"), "-D", str(self.data), "-U", "postgres"]
        options = ["--auth=trust", "--encoding=UTF8", "--locale=C.UTF-8"]
        self._as_owner([*initdb, *options], stdout=subprocess.DEVNULL)
        with (self.data / "postgresql.conf").open("a", encoding="utf-8") as conf:
            conf.write("\ninclude_if_exists = 'socorg_bench.conf'\n")

    def _create_database(self) -> None:
        import psycopg

        url = f"postgresql://postgres@127.0.0.1:{self.port}/postgres"
        with psycopg.connect(url, autocommit=True) as conn:
            found = conn.execute(
                "SELECT 1 FROM pg_database WHERE datname = %s", [self.database]
            ).fetchone()
            if not found:
                conn.execute(f'CREATE DATABASE "{self.database}"')

    def _pg_ctl(self, *args: str, check: bool = True) -> subprocess.CompletedProcess[bytes]:
        command = [str(PG_BIN / "pg_ctl"), "-D", str(self.data), *args]
        return self._as_owner(command, check=check, stdout=subprocess.DEVNULL)

    def _as_owner(
        self, command: list[str], *, check: bool = True, **kwargs: Any
    ) -> subprocess.CompletedProcess[bytes]:
        prefix = ["runuser", "-u", "postgres", "--"] if os.geteuid() == 0 else []
        return subprocess.run([*prefix, *command], check=check, **kwargs)

    @staticmethod
    def _own(path: Path) -> None:
        if os.geteuid() == 0:
            import shutil

            shutil.chown(path, "postgres", "postgres")


def registrar(username: str, code: str) -> Any:
    from socorg.core.models import Jurisdiction, Role, User

    jurisdiction = Jurisdiction.objects.get(code=code)
    user, _ = User.objects.update_or_create(
        username=username,
        defaults={
            "role": Role.REGISTRAR,
            "jurisdiction": jurisdiction,
            "full_name": username,
            "is_active": True,
        },
    )
    return user


def picked_uscc(pick: dict[str, Any]) -> str:
    from socorg.core.models import Jurisdiction
    from socorg.registry.models import Organization

    areas = Jurisdiction.objects.filter(path__contains=f"/{pick['jurisdiction']}/").values("id")
    rows = Organization.objects.filter(jurisdiction__in=areas, uscc__isnull=False).order_by("id")
    return rows.values_list("uscc", flat=True)[pick["nth"]]


def missing_uscc() -> str:
    from socorg.registry.models import Organization
    from socorg.registry.rules.organizations import make_uscc

    for n in range(1000):
        code = make_uscc(org_type="social_group", area_code="371100", serial=f"XY{n:06d}")
        if not Organization.objects.filter(uscc=code).exists():
            return code
    raise RuntimeError("no free credit code found")


# --- Measurement ------------------------------------------------------------------------------


@dataclass
class Query:
    id: str
    cls: str
    scope: str
    filters: Any  # OrganizationFilters
    fast_ms: list[float] = field(default_factory=list)
    naive_ms: list[float] = field(default_factory=list)
    result: dict[str, Any] = field(default_factory=dict)


Outcome = tuple[list[int], int, bool]


def fast(user: Any, filters: Any) -> Outcome:
    """What the organization list does: search, first page, capped count."""
    from socorg.registry.selectors import capped_count, organization_search

    qs = organization_search(user, filters)
    page = [o.pk for o in qs.select_related("jurisdiction", "supervisory_unit")[:PAGE]]
    count, exact = capped_count(qs)
    return page, count, exact


def plan_of(user: Any, filters: Any) -> str:
    """The read the search chose (``socorg.core.db.choose_plan``): index or walk."""
    from socorg.core.db import search_plan
    from socorg.registry.selectors import organization_search

    plan = search_plan(organization_search(user, filters))
    return str(plan) if plan else "-"


def naive(user: Any, filters: Any) -> Outcome:
    """The baseline: the same query written plainly, as registry search was first written —
    codes matched through joins, the name by ``icontains`` (UPPER(name) LIKE UPPER('%q%'), which
    no index serves), the first page and a full count left to the planner."""
    from socorg.registry import access as registry_access
    from socorg.registry.rules.organizations import normalize_uscc
    from socorg.registry.selectors import COUNT_CAP

    qs = registry_access.scope_organizations(user)
    if filters.uscc:
        qs = qs.filter(uscc=normalize_uscc(filters.uscc))
    if filters.q.strip():
        qs = qs.filter(name__icontains=filters.q.strip())
    for name in ("org_type", "level", "status", "category"):
        if getattr(filters, name):
            qs = qs.filter(**{name: getattr(filters, name)})
    if filters.supervisory_unit:
        qs = qs.filter(supervisory_unit__code=filters.supervisory_unit)
    if filters.jurisdiction:
        qs = qs.filter(jurisdiction__path__contains=f"/{filters.jurisdiction}/")
    qs = qs.order_by("name", "id")
    page = [o.pk for o in qs.select_related("jurisdiction", "supervisory_unit")[:PAGE]]
    count = qs.count()
    return page, min(count, COUNT_CAP), count <= COUNT_CAP


def timed(func: Callable[[Any, Any], Outcome], user: Any, filters: Any) -> tuple[float, Outcome]:
    started = time.perf_counter()
    outcome = func(user, filters)
    return (time.perf_counter() - started) * 1000, outcome


class Bench:
    def __init__(self, args: argparse.Namespace) -> None:
        self.args = args
        self.users = {
            scope: registrar(f"bench_{scope}_registrar", code) for scope, code in SCOPES.items()
        }
        self.queries = self.load_queries(args.queries)

    @staticmethod
    def load_queries(path: Path) -> list[Query]:
        from socorg.registry.selectors import OrganizationFilters

        queries = []
        for item in json.loads(path.read_text(encoding="utf-8"))["queries"]:
            values = dict(item.get("filters", {}))
            if "uscc_pick" in item:
                values["uscc"] = picked_uscc(item["uscc_pick"])
            if item.get("uscc_missing"):
                values["uscc"] = missing_uscc()
            queries.append(
                Query(item["id"], item["class"], item["scope"], OrganizationFilters(**values))
            )
        return queries

    def run(self) -> dict[str, Any]:
        environment = describe_environment()
        rng = random.Random(self.args.seed)
        for query in self.queries:  # warm-up, and the reference outcome
            _, query.result["fast"] = timed(fast, self.users[query.scope], query.filters)
            query.result["plan"] = plan_of(self.users[query.scope], query.filters)
        for label, func, repeat, attr in (
            ("优化后", fast, self.args.repeat, "fast_ms"),
            ("基线", naive, self.args.baseline_repeat, "naive_ms"),
        ):
            started = time.perf_counter()
            for _ in range(repeat):
                order = self.queries[:]
                rng.shuffle(order)
                for query in order:
                    ms, outcome = timed(func, self.users[query.scope], query.filters)
                    getattr(query, attr).append(ms)
                    if func is naive:
                        query.result["naive"] = outcome
            print(
                f"{label}：{repeat} 轮 × {len(self.queries)} 个查询，用时 {time.perf_counter() - started:.0f} 秒"
            )
        environment["loadavg_end"] = os.getloadavg()
        return summarize(self.queries, environment, self.args)


def percentile(values: list[float], p: float) -> float:
    """Nearest-rank percentile."""
    ordered = sorted(values)
    return ordered[max(0, math.ceil(p / 100 * len(ordered)) - 1)]


def stats(values: list[float]) -> dict[str, float]:
    return {
        "p50": statistics.median(values),
        "p95": percentile(values, 95),
        "max": max(values),
        "n": len(values),
    }


def summarize(
    queries: list[Query], environment: dict[str, Any], args: argparse.Namespace
) -> dict[str, Any]:
    groups: dict[str, list[Query]] = {}
    for keys in (
        [q.cls for q in queries],
        [f"scope: {q.scope}" for q in queries],
        ["all"] * len(queries),
    ):
        for key, query in zip(keys, queries, strict=True):
            groups.setdefault(key, []).append(query)
    summary = {}
    for key, members in groups.items():
        f = stats([ms for q in members for ms in q.fast_ms])
        n = stats([ms for q in members for ms in q.naive_ms])
        summary[key] = {
            "queries": len(members),
            "fast": f,
            "naive": n,
            "p95_ratio": n["p95"] / f["p95"],
        }
    per_query = [
        {
            "id": q.id,
            "class": q.cls,
            "scope": q.scope,
            "filters": {k: v for k, v in vars(q.filters).items() if v and k != "sort"},
            "plan": q.result["plan"],
            "count": q.result["fast"][1],
            "count_exact": q.result["fast"][2],
            "same_as_baseline": q.result["fast"] == q.result["naive"],
            "fast": stats(q.fast_ms),
            "naive": stats(q.naive_ms),
        }
        for q in queries
    ]
    return {
        "when": datetime.now(UTC).isoformat(timespec="seconds"),
        "command": "python benchmarks/run.py " + " ".join(sys.argv[1:]),
        "settings": {
            "orgs": args.orgs,
            "repeat": args.repeat,
            "baseline_repeat": args.baseline_repeat,
        },
        "goal_ms_p95": GOAL_MS,
        "environment": environment,
        "summary": summary,
        "queries": per_query,
    }


def describe_environment() -> dict[str, Any]:
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute("SELECT version()")
        version = cursor.fetchone()[0]
        settings = {}
        for name in (
            "shared_buffers",
            "work_mem",
            "effective_cache_size",
            "random_page_cost",
            "effective_io_concurrency",
            "max_parallel_workers_per_gather",
            "jit",
        ):
            cursor.execute(f"SHOW {name}")
            settings[name] = cursor.fetchone()[0]
        cursor.execute("SELECT pg_size_pretty(pg_total_relation_size('registry_organization'))")
        size = cursor.fetchone()[0]
        cursor.execute("SELECT datctype FROM pg_database WHERE datname = current_database()")
        ctype = cursor.fetchone()[0]
        cursor.execute("SELECT cardinality(show_trgm('日照市物流协会'))")
        cjk_trigrams = cursor.fetchone()[0]
    return {
        "postgres": version,
        "settings": settings,
        "lc_ctype": ctype,
        "cjk_trigrams_of_日照市物流协会": cjk_trigrams,
        "registry_organization_size": size,
        "cpus": os.cpu_count(),
        "python": platform.python_version(),
        "loadavg_start": os.getloadavg(),
    }


# --- Output -----------------------------------------------------------------------------------


def print_report(report: dict[str, Any]) -> None:
    env = report["environment"]
    settings = env["settings"]
    print(
        f"\n{env['postgres'].split(' on ')[0]}；{env['cpus']} CPU；"
        f"registry_organization {env['registry_organization_size']}；"
        f"负载 {env['loadavg_start'][0]:.1f} → {env['loadavg_end'][0]:.1f}"
    )
    if "cluster" in env:
        print(f"专用集群：{env['cluster']['directory']}，端口 {env['cluster']['port']}，")
        print(f"  设置文件 {env['cluster']['settings_file']}")
    print("  " + "，".join(f"{k} {v}" for k, v in settings.items()))
    if not env["cjk_trigrams_of_日照市物流协会"]:
        print(
            f"警告：数据库 LC_CTYPE={env['lc_ctype']} 下 pg_trgm 不从汉字提取三元组，三字以上检索无法用索引。"
        )
    load = report["load"]
    if load["loaded"]:
        verdict = (
            "达标"
            if load["seconds"] <= LOAD_GOAL_S
            else f"超出 {load['seconds'] - LOAD_GOAL_S:.0f} 秒"
        )
        print(
            f"载入：{load['loaded']:,} 个组织，{load['seconds']:.1f} 秒（目标 ≤ {LOAD_GOAL_S:.0f} 秒，{verdict}）"
        )
    print(f"组织总数：{load['organizations']:,}\n")
    header = f"{'query':<40}{'plan':>6}{'count':>8}  {'p50':>7}{'p95':>7}{'max':>7}  | {'naive p50':>9}{'p95':>8}  same"
    print(header)
    print("-" * len(header))
    for q in report["queries"]:
        count = f"{q['count']:,}" + ("" if q["count_exact"] else "+")
        print(
            f"{q['id']:<40}{q['plan']:>6}{count:>8}  {q['fast']['p50']:7.1f}{q['fast']['p95']:7.1f}{q['fast']['max']:7.1f}  | "
            f"{q['naive']['p50']:9.1f}{q['naive']['p95']:8.1f}  {'yes' if q['same_as_baseline'] else 'NO'}"
        )
    header = f"{'class (ms)':<26}{'n':>3}  {'p50':>7}{'p95':>7}{'max':>7}  | {'naive p50':>9}{'p95':>8}{'max':>8}  {'p95 ratio':>9}"
    print("\n" + header)
    print("-" * len(header))
    for key, s in report["summary"].items():
        f, n = s["fast"], s["naive"]
        print(
            f"{key:<26}{s['queries']:>3}  {f['p50']:7.1f}{f['p95']:7.1f}{f['max']:7.1f}  | "
            f"{n['p50']:9.1f}{n['p95']:8.1f}{n['max']:8.1f}  {s['p95_ratio']:8.0f}×"
        )
    overall = report["summary"]["all"]["fast"]["p95"]
    verdict = "达标" if overall <= GOAL_MS else f"未达标，超出 {overall - GOAL_MS:.1f} ms"
    print(f"\n整体 p95 {overall:.1f} ms（目标 ≤ {GOAL_MS:.0f} ms）：{verdict}")
    mismatches = [q["id"] for q in report["queries"] if not q["same_as_baseline"]]
    if mismatches:
        print("与基线结果不一致：" + ", ".join(mismatches))


if __name__ == "__main__":
    sys.exit(main())
