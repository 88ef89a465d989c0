"""Random-inspection draw benchmark at scale (PostgreSQL only). See benchmarks/README.md,
"Random-inspection draw at 1,000,000 organizations".

    DATABASE_URL=postgres://…/bench_inspections python benchmarks/inspections/run.py [--orgs 1000000]

1. migrates and makes sure the database holds ``--orgs`` organizations (``socorg demo scale``);
2. builds a committed plan whose subject pool is every organization (set-wise: one
   ``INSERT … SELECT``; stratum = type:level; 1 in 20 organizations with a raised weight of 2),
   ``--inspectors`` inspectors in the pool (a third of them in a department, which recuses them
   from the organizations that department sponsors), the pool hash and the seed's commitment,
   the seed in its file; all of this is set-up, not timed, except the pool hash;
3. times the draw as the service runs it (``plan_reveal_and_draw``: read the frozen pools,
   ``draw.draw``, store the selections and the assignments) — goal ≤ 2 s;
4. times the verification as an outsider runs it (the public bundle built by the selector,
   then ``draw.verify_bundle``) — goal ≤ 2 s;
5. times the naive baseline in the same process on a ``--sample`` of organizations: one ORM
   read per organization and per (organization, inspector) conflict check, the key computed
   per row, extrapolated to the whole pool;
6. prints the figures and writes them to ``benchmarks/results/inspections_latest.json``.
"""

from __future__ import annotations

import argparse
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
    return parser.parse_args(argv)


def main(argv: list[str] | None = None) -> int:
    args = parse_args(argv)
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
    report["load"] = ensure_organizations(args.orgs, args.seed)
    plan, head, setup = build_plan(args.inspectors)
    report["setup"] = setup
    report["draw"] = time_draw(plan, head)
    report["verify"] = time_verify(plan)
    report["baseline"] = time_baseline(plan, args.sample, report["setup"]["pool"])
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
    sql("ANALYZE supervision_planorganization")
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


def time_draw(plan: Any, head: Any) -> dict[str, Any]:
    from django.db import transaction

    from socorg.supervision.services import inspections as services

    started = time.perf_counter()
    with transaction.atomic():
        result = services.plan_reveal_and_draw(plan=plan, actor=head)
    seconds = time.perf_counter() - started
    plan.save(update_fields=[])
    type(plan).objects.filter(pk=plan.pk).update(state="drawn")
    plan.refresh_from_db()
    return {
        "seconds": round(seconds, 3),
        "goal_seconds": DRAW_GOAL_S,
        "selected": len(result.selected),
        "strata": [(s.stratum, s.size, s.k) for s in result.strata],
        "shortfalls": len(result.shortfalls),
    }


def time_verify(plan: Any) -> dict[str, Any]:
    from socorg.supervision import draw
    from socorg.supervision.selectors.inspections import plan_bundle

    started = time.perf_counter()
    bundle = plan_bundle(plan)
    built = time.perf_counter() - started
    problems = draw.verify_bundle(bundle)
    seconds = time.perf_counter() - started
    return {
        "seconds": round(seconds, 3),
        "bundle_seconds": round(built, 3),
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
    ok = "✓" if d["seconds"] <= DRAW_GOAL_S else "✗"
    print(
        f"\n检查对象 {s['pool']:,}，检查人员 {s['inspectors']}，回避 {s['conflicts']:,}；"
        f"名录库摘要 {s['pool_hash_seconds']} 秒"
    )
    print(
        f"抽取（读名录库 + 分层加权抽取 + 指派 + 写入）：{d['seconds']} 秒 {ok}（目标 ≤ {DRAW_GOAL_S} 秒），抽中 {d['selected']:,}"
    )
    ok = "✓" if v["seconds"] <= VERIFY_GOAL_S and not v["problems"] else "✗"
    print(
        f"核验（公开数据包 + 复算）：{v['seconds']} 秒 {ok}（其中生成数据包 {v['bundle_seconds']} 秒），问题 {v['problems'] or '无'}"
    )
    print(
        f"朴素基线（逐个组织 ORM，样本 {b['sample']:,}）：外推 {b['extrapolated_seconds']:,} 秒，"
        f"约为本实现的 {b['extrapolated_seconds'] / max(d['seconds'], 0.001):,.0f} 倍"
    )


if __name__ == "__main__":
    sys.exit(main())
