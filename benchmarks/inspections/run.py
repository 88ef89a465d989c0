"""Random-inspection draw benchmark at scale (PostgreSQL only). See benchmarks/README.md,
"Random-inspection draw at 1,000,000 organizations".

    DATABASE_URL=postgres://…/bench_inspections python benchmarks/inspections/run.py [--orgs 1000000]
    python benchmarks/inspections/run.py --settings deploy/postgresql/bureau.conf   # private cluster

With ``--settings FILE`` it runs on the private cluster of ``benchmarks/run.py`` (same
``--cluster`` and ``--port``; its own ``bench_inspections`` database), with FILE included in
the server's configuration, instead of ``DATABASE_URL``.

1. migrates and makes sure the database holds ``--orgs`` organizations (``socorg demo scale``);
2. builds a committed plan whose subject pool is every organization (set-wise: one
   ``INSERT … SELECT``; stratum = type:level; 1 in 20 organizations with a raised weight of 2),
   ``--inspectors`` inspectors in the pool (a third of them in a department, which recuses them
   from the organizations that department sponsors), the pool hash and the seed's commitment,
   the seed in its file; all of this is set-up, not timed, except the pool hash;
3. times the draw's steps one by one in a transaction it rolls back (read the pools, the keys
   in one process and in ``SOCORG_DRAW_PROCESSES``, the selection, the conflicts, the
   assignment alone, the assignment with the pipelined store, any foreign-key checks left
   for the commit), for the breakdown;
4. times the draw as the service runs it (``plan_reveal_and_draw`` in one transaction,
   committed) — goal ≤ 2 s;
5. times storing the public bundle (``plan_bundle_store``, which runs in the background after
   a draw), and building it from the pools (what a request did before it was stored);
6. times the verification as ``socorg draw verify`` runs it (the stored bundle read,
   decompressed, parsed and checked against the plan, then ``draw.verify_bundle``) — goal
   ≤ 2 s;
7. times the naive baseline in the same process on a ``--sample`` of organizations: one ORM
   read per organization and per (organization, inspector) conflict check, the key computed
   per row, extrapolated to the whole pool;
8. prints the figures, each next to the baseline, and writes them with the machine's load
   average to ``benchmarks/results/inspections_latest.json``.
"""

from __future__ import annotations

import argparse
import importlib.util
import json
import os
import platform
import subprocess
import sys
import time
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

HERE = Path(__file__).resolve().parent
DRAW_GOAL_S = 2.0
VERIFY_GOAL_S = 2.0
YEAR = 2031  # a year no other plan of the benchmark database uses


def parse_args(argv: list[str] | None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--orgs", type=int, default=1_000_000)
    parser.add_argument("--inspectors", type=int, default=120, help="inspectors in the pool")
    parser.add_argument("--sample", type=int, default=5_000, help="baseline sample size")
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument(
        "--output", type=Path, default=HERE.parent / "results" / "inspections_latest.json"
    )
    parser.add_argument(
        "--settings",
        help="run on a private cluster with this postgresql.conf include ('none': defaults)",
    )
    parser.add_argument(
        "--cluster", type=Path, default=HERE.parent.parent / "var" / "bench-cluster"
    )
    parser.add_argument("--port", type=int, default=55432)
    return parser.parse_args(argv)


def main(argv: list[str] | None = None) -> int:
    args = parse_args(argv)
    if not args.settings:
        return run(args, None)
    cluster = _search_benchmark().Cluster(args.cluster, args.port, database="bench_inspections")
    os.environ["DATABASE_URL"] = cluster.start(args.settings)
    try:
        return run(args, cluster.describe(args.settings))
    finally:
        cluster.stop()


def _search_benchmark() -> Any:
    """``benchmarks/run.py``, whose private cluster this benchmark shares."""
    spec = importlib.util.spec_from_file_location("socorg_search_benchmark", HERE.parent / "run.py")
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module  # its dataclasses look their module up
    spec.loader.exec_module(module)
    return module


def run(args: argparse.Namespace, cluster: dict[str, Any] | None) -> int:
    if not os.environ.get("DATABASE_URL", "").startswith(("postgres://", "postgresql://")):
        print(
            "基准测试只在 PostgreSQL 上运行：请设置 DATABASE_URL=postgres://用户@主机:端口/库名"
            "（建议使用专用数据库，例如 bench_inspections）。\n"
            "The benchmark runs on PostgreSQL only: set DATABASE_URL (a dedicated database, "
            "e.g. bench_inspections).",
            file=sys.stderr,
        )
        return 2
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "socorg.settings")
    import django

    django.setup()
    from django.core.management import call_command

    call_command("migrate", interactive=False, verbosity=0)
    report: dict[str, Any] = {"environment": environment()}
    if cluster:
        report["environment"]["cluster"] = cluster
    report["load"] = ensure_organizations(args.orgs, args.seed)
    plan, head, setup = build_plan(args.inspectors)
    report["setup"] = setup
    report["draw_steps"] = time_draw_steps(plan)
    report["draw"] = time_draw(plan, head)
    report["bundle"] = time_bundle(plan)
    report["verify"] = time_verify(plan)
    report["baseline"] = time_baseline(plan, args.sample, report["setup"]["pool"])
    report["environment"]["load_average_after"] = list(os.getloadavg())
    print_report(report)
    args.output.parent.mkdir(parents=True, exist_ok=True)
    args.output.write_text(json.dumps(report, ensure_ascii=False, indent=2) + "\n")
    return 0


def environment() -> dict[str, Any]:
    return {
        "when": datetime.now(UTC).isoformat(timespec="seconds"),
        "python": platform.python_version(),
        "machine": platform.machine(),
        "cpus": os.cpu_count(),
        "load_average_before": list(os.getloadavg()),
    }


def ensure_organizations(wanted: int, seed: int) -> dict[str, Any]:
    from socorg.registry.models import Organization

    have = Organization.objects.count()
    result: dict[str, Any] = {"organizations_before": have, "loaded": 0}
    if have < wanted:
        command = [sys.executable, "-m", "socorg.cli", "demo", "scale"]
        command += ["--orgs", str(wanted - have), "--seed", str(seed)]
        print(f"载入 {wanted - have:,} 个社会组织：socorg {' '.join(command[3:])}")
        started = time.perf_counter()
        subprocess.run(command, check=True)
        result.update(loaded=wanted - have, seconds=time.perf_counter() - started)
    result["organizations"] = Organization.objects.count()
    return result


def sql(statement: str, params: list[Any] | None = None) -> int:
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute(statement, params or [])
        return cursor.rowcount


def build_plan(inspectors: int) -> tuple[Any, Any, dict[str, Any]]:
    """A committed plan over every organization; earlier benchmark plans are removed first."""
    from django.db import transaction
    from django.utils import timezone

    from socorg.core.models import Department, Jurisdiction, Role, User
    from socorg.supervision import draw
    from socorg.supervision.models import InspectionMatterList, InspectionPlan, PlanState
    from socorg.supervision.selectors.inspections import stored_pool
    from socorg.supervision.services import inspections as services

    root = Jurisdiction.objects.filter(parent__isnull=True).order_by("code").first()
    assert root is not None
    head, _created = User.objects.get_or_create(
        username="bench_inspection_head",
        defaults={"role": Role.DIVISION_HEAD, "jurisdiction": root, "full_name": "基准"},
    )
    matters = InspectionMatterList.objects.filter(version=1).first()
    if matters is None:
        with transaction.atomic():
            matters = services.matter_list_publish(
                actor=None,
                version=1,
                published_on=timezone.localdate(),
                matters=(("finances", "财务管理"), ("activities", "业务活动")),
            )
    for old in InspectionPlan.objects.filter(year=YEAR):
        sql(
            "DELETE FROM supervision_planassignment WHERE subject_id IN "
            "(SELECT id FROM supervision_planorganization WHERE plan_id = %s)",
            [old.pk],
        )
        for table in ("planconflict", "planorganization", "planinspector"):
            sql(f"DELETE FROM supervision_{table} WHERE plan_id = %s", [old.pk])  # noqa: S608
        sql(
            "DELETE FROM core_transition WHERE object_id = %s AND process = %s",
            [str(old.pk), "inspection_plan"],
        )
        old.delete()
    # The space of the deleted rows is reused (the pool's pages keep the free space their
    # fillfactor asks for, which the draw's updates use).
    sql("VACUUM supervision_planorganization")
    sql("VACUUM supervision_planassignment")
    started = time.perf_counter()
    plan = InspectionPlan.objects.create(
        jurisdiction=root,
        year=YEAR,
        name="基准测试抽查计划",
        state=PlanState.COMMITTED,
        matter_list=matters,
        ratios={"city": "0.04", "county": "0.03"},
        weights={"credit_listing": "2.0"},
        algorithm=draw.ALGORITHM,
        committed_at=timezone.now(),
    )
    pool = sql(
        """
        INSERT INTO supervision_planorganization
            (plan_id, organization_id, uscc, stratum, weight, causes, selected)
        SELECT %s, id, uscc, org_type || ':' || level,
               CASE WHEN id %% 20 = 0 THEN 2.000 ELSE 1.000 END,
               CASE WHEN id %% 20 = 0 THEN '["credit_listing"]'::jsonb ELSE '[]'::jsonb END,
               false
        FROM registry_organization WHERE uscc IS NOT NULL
        """,
        [plan.pk],
    )
    departments = list(Department.objects.order_by("pk").values_list("pk", "name")[:20])
    users = []
    for n in range(inspectors):
        user, _created = User.objects.get_or_create(
            username=f"bench_inspector_{n}",
            defaults={"role": Role.INSPECTOR, "jurisdiction": root, "full_name": f"检查员{n}"},
        )
        users.append(user)
    for n, user in enumerate(users):
        dept = departments[n % len(departments)] if n % 3 == 0 and departments else None
        sql(
            "INSERT INTO supervision_planinspector (plan_id, user_id, kind, department_id, "
            "department_name) VALUES (%s, %s, 'bureau_staff', %s, %s)",
            [plan.pk, user.pk, dept[0] if dept else None, dept[1] if dept else ""],
        )
    conflicts = sql(
        """
        INSERT INTO supervision_planconflict (plan_id, inspector_id, uscc, reason)
        SELECT %s, i.id, o.uscc, 'department'
        FROM supervision_planinspector i
        JOIN registry_organization o ON o.supervisory_unit_id = i.department_id
        WHERE i.plan_id = %s AND o.uscc IS NOT NULL
        """,
        [plan.pk, plan.pk],
    )
    setup_seconds = time.perf_counter() - started
    hash_started = time.perf_counter()
    entries = stored_pool(plan)[0]
    plan.pool_hash = draw.pool_hash(entries)
    hash_seconds = time.perf_counter() - hash_started
    seed = draw.new_seed()
    plan.commitment = draw.commitment(seed)
    plan.save(update_fields=["pool_hash", "commitment"])
    services._write_seed(services._seed_path(plan), seed)
    sql("VACUUM ANALYZE supervision_planorganization")
    sql("VACUUM ANALYZE supervision_planassignment")
    return (
        plan,
        head,
        {
            "pool": pool,
            "inspectors": len(users),
            "conflicts": conflicts,
            "setup_seconds": round(setup_seconds, 2),
            "pool_hash_seconds": round(hash_seconds, 2),
        },
    )


class Cpu:
    """CPU seconds spent since it was made: this process, its child processes (counted once
    they have ended) and this connection's PostgreSQL backend (read from /proc; the server
    runs on this machine). On a shared machine the wall time depends on the others' load; the
    CPU seconds much less."""

    def __init__(self) -> None:
        from django.db import connection

        with connection.cursor() as cursor:
            cursor.execute("SELECT pg_backend_pid()")
            self.backend = cursor.fetchone()[0]
        self.start = self.now()

    def now(self) -> tuple[float, float, float | None]:
        times = os.times()
        try:
            fields = Path(f"/proc/{self.backend}/stat").read_text().rsplit(")", 1)[1].split()
            server = (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")
        except (OSError, IndexError, ValueError):
            server = None
        return times.user + times.system, times.children_user + times.children_system, server

    def spent(self) -> dict[str, float | None]:
        end = self.now()
        server = None if end[2] is None or self.start[2] is None else end[2] - self.start[2]
        return {
            "python": round(end[0] - self.start[0], 2),
            "python_children": round(end[1] - self.start[1], 2),
            "postgresql": None if server is None else round(server, 2),
        }


class Clock:
    """Wall seconds per step and, with a ``Cpu``, the CPU seconds of each step (this process +
    its children + the PostgreSQL backend)."""

    def __init__(self, cpu: Cpu | None = None) -> None:
        self.steps: dict[str, float] = {}
        self.cpu_steps: dict[str, float] = {}
        self.cpu = cpu
        self.last = time.perf_counter()
        self.last_cpu = self._cpu()

    def _cpu(self) -> float:
        if self.cpu is None:
            return 0.0
        own, children, server = self.cpu.now()
        return own + children + (server or 0.0)

    def __call__(self, step: str) -> None:
        now, cpu = time.perf_counter(), self._cpu()
        self.steps[step] = round(now - self.last, 3)
        self.cpu_steps[step] = round(cpu - self.last_cpu, 2)
        self.last, self.last_cpu = now, cpu


def time_draw_steps(plan: Any) -> dict[str, Any]:
    """The service's steps one by one, rolled back (then vacuumed, so the timed draw meets
    no dead rows)."""
    from django.conf import settings
    from django.db import connection, transaction

    from socorg.supervision import draw
    from socorg.supervision.selectors.inspections import stored_conflicts, stored_pool_grouped
    from socorg.supervision.services import inspections as services

    processes = settings.SOCORG_DRAW_PROCESSES
    clock = Clock(Cpu())
    with transaction.atomic():
        seed = services._read_seed(plan)
        clock("seed")
        pool, ratios, inspectors = stored_pool_grouped(plan)
        clock("read")
        groups = [(u, w) for name in sorted(pool) for w, u in sorted(pool[name].items())]
        draw.keys_in_groups(seed, groups, 1)
        clock("keys_1_process")
        draw.keys_in_groups(seed, groups, processes)
        clock(f"keys_{processes}_processes")
        strata, chosen = draw.select_grouped(seed, pool, ratios, processes)
        clock("select_with_keys")
        conflicts = stored_conflicts(plan, [e.uscc for e in chosen])
        clock("conflicts")
        draw.assign(seed, chosen, inspectors, conflicts)
        clock("assign_1_process")
        draw.assign(seed, chosen, inspectors, conflicts, processes)
        clock(f"assign_{processes}_processes")
        services._assign_and_store(plan, seed, chosen, inspectors, conflicts)
        clock("assign_and_store_pipelined")
        with connection.cursor() as cursor:
            cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")
        clock("foreign_key_checks")
        transaction.set_rollback(True)
    sql("VACUUM supervision_planorganization")
    sql("VACUUM supervision_planassignment")
    steps = clock.steps
    steps["select_without_keys"] = round(
        steps["select_with_keys"] - steps[f"keys_{processes}_processes"], 3
    )
    steps["store_after_assign"] = round(
        steps["assign_and_store_pipelined"] - steps[f"assign_{processes}_processes"], 3
    )
    return {"processes": processes, "seconds": steps, "cpu_seconds": clock.cpu_steps}


def time_draw(plan: Any, head: Any) -> dict[str, Any]:
    from django.db import transaction

    from socorg.supervision.services import inspections as services

    cpu = Cpu()
    started = time.perf_counter()
    with transaction.atomic():
        result = services.plan_reveal_and_draw(plan=plan, actor=head)
    seconds = time.perf_counter() - started
    spent = cpu.spent()
    type(plan).objects.filter(pk=plan.pk).update(state="drawn")
    plan.refresh_from_db()
    return {
        "seconds": round(seconds, 3),
        "cpu_seconds": spent,
        "goal_seconds": DRAW_GOAL_S,
        "selected": len(result.selected),
        "strata": [(s.stratum, s.size, s.k) for s in result.strata],
        "shortfalls": len(result.shortfalls),
    }


def time_bundle(plan: Any) -> dict[str, Any]:
    """Storing the bundle once (in the background after a real draw), and building it from the
    pools as every request did before."""
    from socorg.supervision.selectors.inspections import plan_bundle
    from socorg.supervision.services import inspections as services

    started = time.perf_counter()
    plan_bundle(plan)
    built = time.perf_counter() - started
    started = time.perf_counter()
    stored = services.plan_bundle_store(plan_id=plan.pk)
    assert stored is not None
    return {
        "build_from_pools_seconds": round(built, 3),
        "store_seconds": round(time.perf_counter() - started, 3),
        "json_bytes": stored.size,
        "gzip_bytes": len(stored.body),
    }


def time_verify(plan: Any) -> dict[str, Any]:
    from django.conf import settings

    from socorg.supervision import draw
    from socorg.supervision.management.commands.draw import verification_input

    cpu = Cpu()
    clock = Clock()
    bundle, problems = verification_input(plan.pk)
    clock("bundle")
    problems += draw.verify_bundle(bundle, processes=settings.SOCORG_DRAW_PROCESSES)
    clock("recompute")
    return {
        "seconds": round(clock.steps["bundle"] + clock.steps["recompute"], 3),
        "cpu_seconds": cpu.spent(),
        "bundle_seconds": clock.steps["bundle"],
        "recompute_seconds": clock.steps["recompute"],
        "goal_seconds": VERIFY_GOAL_S,
        "problems": problems,
    }


def time_baseline(plan: Any, sample: int, pool: int) -> dict[str, Any]:
    """The draw written naively: per organization, read it and compute its key; per selected
    organization, check every inspector's conflicts with one query each."""
    from socorg.registry.models import Organization
    from socorg.supervision import draw
    from socorg.supervision.models import PlanConflict, PlanInspector, PlanOrganization

    ids = list(
        PlanOrganization.objects.filter(plan=plan)
        .order_by("uscc")
        .values_list("pk", flat=True)[:sample]
    )
    inspectors = list(PlanInspector.objects.filter(plan=plan))
    started = time.perf_counter()
    keyed = []
    for pk in ids:
        subject = PlanOrganization.objects.get(pk=pk)
        org = Organization.objects.get(pk=subject.organization_id)
        keyed.append((draw.organization_key(plan.seed, org.uscc or "", subject.weight), org.uscc))
    keys_seconds = time.perf_counter() - started
    chosen = sorted(keyed, reverse=True)[: max(1, len(keyed) * 4 // 100)]
    started = time.perf_counter()
    for _key, uscc in chosen:
        for inspector in inspectors:
            PlanConflict.objects.filter(plan=plan, inspector=inspector, uscc=uscc).exists()
    assign_seconds = time.perf_counter() - started
    per_org = keys_seconds / len(ids)
    per_selected = assign_seconds / len(chosen)
    extrapolated = per_org * pool + per_selected * pool * 0.04
    return {
        "sample": len(ids),
        "keys_seconds": round(keys_seconds, 2),
        "assign_seconds": round(assign_seconds, 2),
        "extrapolated_seconds": round(extrapolated, 1),
    }


def print_report(report: dict[str, Any]) -> None:
    d, v, b, s = report["draw"], report["verify"], report["baseline"], report["setup"]
    steps, bundle, env = report["draw_steps"], report["bundle"], report["environment"]
    naive = b["extrapolated_seconds"]
    print(
        f"\n检查对象 {s['pool']:,}，检查人员 {s['inspectors']}，回避 {s['conflicts']:,}；"
        f"名录库摘要 {s['pool_hash_seconds']} 秒；负载 {env['load_average_before'][0]:.1f}"
    )
    ok = "✓" if d["seconds"] <= DRAW_GOAL_S else "✗"
    print(
        f"抽取（读名录库 + 分层加权抽取 + 指派 + 写入）：{d['seconds']} 秒 {ok}（目标 ≤ {DRAW_GOAL_S} 秒），"
        f"抽中 {d['selected']:,}；朴素基线 {naive:,} 秒，快 {naive / max(d['seconds'], 0.001):,.0f} 倍"
    )
    print("  分步（回滚的一次）：" + "，".join(f"{k} {t}" for k, t in steps["seconds"].items()))
    print("  分步 CPU 秒：" + "，".join(f"{k} {t}" for k, t in steps["cpu_seconds"].items()))
    ok = "✓" if v["seconds"] <= VERIFY_GOAL_S and not v["problems"] else "✗"
    print(
        f"核验（读取存储的数据包 {v['bundle_seconds']} 秒 + 复算 {v['recompute_seconds']} 秒）："
        f"{v['seconds']} 秒 {ok}（目标 ≤ {VERIFY_GOAL_S} 秒），问题 {v['problems'] or '无'}；"
        f"朴素基线 {naive:,} 秒，快 {naive / max(v['seconds'], 0.001):,.0f} 倍"
    )
    print(f"  CPU 秒：抽取 {d['cpu_seconds']}；核验 {v['cpu_seconds']}")
    print(
        f"数据包：抽取后后台存储 {bundle['store_seconds']} 秒（JSON {bundle['json_bytes']:,} 字节，"
        f"gzip {bundle['gzip_bytes']:,} 字节）；从名录库现场生成 {bundle['build_from_pools_seconds']} 秒"
    )
    print(
        f"朴素基线（逐个组织 ORM，样本 {b['sample']:,}）：外推 {naive:,} 秒；"
        f"负载 {env['load_average_before'][0]:.1f} → {env['load_average_after'][0]:.1f}"
    )


if __name__ == "__main__":
    sys.exit(main())
