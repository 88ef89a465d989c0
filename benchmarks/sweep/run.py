"""Compliance sweep benchmark at scale (PostgreSQL only). See benchmarks/sweep/README.md.

    DATABASE_URL=postgres://…/bench_sweep python benchmarks/sweep/run.py [--orgs 1000000]

1. migrates and makes sure the database holds ``--orgs`` organizations (``socorg demo scale``);
2. generates 5 years of annual reports (2021–2025) set-wise with ``generate_series`` for every
   organization that must file (AR-2), with ~2.5 % missing per year and some filed late, and two
   returned registered letters for 1 organization in 500 (once; kept for the next run);
3. clears what earlier runs wrote (credit listings, sweep runs, their transitions, events and
   notices; audit rows stay: the chain is append-only);
4. times the full sweep (first run: writes the notices), the same full sweep again (nothing
   to write: what every later full run costs), and the incremental daily sweep after a day's
   changes (reports filed, letters returned, organizations revoked);
5. times the baseline in the same process: the same rules evaluated per organization through
   the ORM on a ``--sample`` of organizations, extrapolated to all of them, and checks that
   it finds exactly what the sweep found for the sample;
6. prints the figures next to the goals and the baseline (ratio), and writes them to
   ``benchmarks/results/sweep_latest.json``.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import random
import subprocess
import sys
import time
from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from typing import Any

HERE = Path(__file__).resolve().parent
AS_OF = date(2026, 12, 3)
YEARS = (2021, 2022, 2023, 2024, 2025)
FULL_GOAL_S = 60.0
INCREMENTAL_GOAL_S = 5.0
MISSING_PER_MILLE = 25  # reports missing per year, per thousand organizations that must file
UNREACHABLE_EVERY = 500  # one organization in this many had two letters returned


def parse_args(argv: list[str] | None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--orgs", type=int, default=1_000_000)
    parser.add_argument("--sample", type=int, default=10_000, help="baseline sample size")
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument(
        "--daily-changes", type=int, default=1_000, help="reports filed on the incremental day"
    )
    parser.add_argument(
        "--output", type=Path, default=HERE.parent / "results" / "sweep_latest.json"
    )
    return parser.parse_args(argv)


def main(argv: list[str] | None = None) -> int:
    args = parse_args(argv)
    if not os.environ.get("DATABASE_URL", "").startswith(("postgres://", "postgresql://")):
        print(
            "基准测试只在 PostgreSQL 上运行：请设置 DATABASE_URL=postgres://用户@主机:端口/库名"
            "（建议使用专用数据库，例如 bench_sweep）。\n"
            "The benchmark runs on PostgreSQL only: set DATABASE_URL (a dedicated database, "
            "e.g. bench_sweep).",
            file=sys.stderr,
        )
        return 2
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "socorg.settings")
    import django

    django.setup()
    from django.core.management import call_command

    call_command("migrate", interactive=False, verbosity=0)
    report: dict[str, Any] = {"environment": environment(), "as_of": AS_OF.isoformat()}
    report["load"] = ensure_organizations(args.orgs, args.seed)
    reset_sweep()
    report["data"] = ensure_reports()
    report["sweep"] = measure_full(args)
    report["baseline"] = measure_baseline(args, report["sweep"]["full_first"]["seconds"])
    report["sweep"].update(measure_incremental(args))
    print_report(report)
    args.output.parent.mkdir(parents=True, exist_ok=True)
    args.output.write_text(
        json.dumps(report, ensure_ascii=False, indent=1, default=str) + "\n", encoding="utf-8"
    )
    print(f"\n结果已写入 {args.output}")
    return 0


# --- data ---------------------------------------------------------------------------------------


def sql(statement: str, params: list[Any] | None = None) -> int:
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute(statement, params or [])
        return int(cursor.rowcount or 0)


def scalar(statement: str, params: list[Any] | None = None) -> Any:
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute(statement, params or [])
        row = cursor.fetchone()
        return row[0] if row else None


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


def ensure_reports() -> dict[str, Any]:
    """Five years of reports for the organizations that must file (AR-2), set-wise."""
    started = time.perf_counter()
    if not scalar("SELECT EXISTS (SELECT 1 FROM supervision_annualreport)"):
        print("生成 2021–2025 年度报告（generate_series）……")
        sql(
            """
            INSERT INTO supervision_annualreport (
                organization_id, year, org_type, management_mode, supervisory_unit_id, state,
                data, flags, due_on, submitted_on, conclusion, auto_fail, conclusion_reasons,
                concluded_on, published_on, activities_held, created_at, updated_at)
            SELECT o.id, y, o.org_type, o.management_mode, o.supervisory_unit_id, 'published',
                '{}'::jsonb, '{}'::jsonb,
                make_date(y + 1, CASE WHEN o.org_type = 'foundation'
                    OR o.management_mode = 'dual_management' THEN 3 ELSE 5 END, 31),
                -- most file in the spring; one in 40 files some weeks late
                make_date(y + 1, 3, 1) + ((o.id * 7 + y) %% 60)::int
                    + CASE WHEN (o.id + y) %% 40 = 0 THEN 120 ELSE 0 END,
                'pass', '[]'::jsonb, '', make_date(y + 1, 9, 30), make_date(y + 1, 10, 15),
                12, now() - interval '30 days', now() - interval '30 days'
            FROM registry_organization o
            CROSS JOIN generate_series(%s, %s) AS y
            WHERE o.org_type IN ('social_group', 'social_service_agency', 'foundation')
              AND o.established_on <= make_date(y, 6, 30)
              AND (o.removed_on IS NULL OR o.removed_on > make_date(y, 12, 31))
              AND ((o.id * 2654435761 + y * 40503) %% 1000) >= %s
            """,
            [YEARS[0], YEARS[-1], MISSING_PER_MILLE],
        )
        sql(
            """
            INSERT INTO supervision_contactattempt (organization_id, kind, made_on, result, note,
                created_at)
            SELECT o.id, 'registered_letter', d, 'returned', '', now() - interval '30 days'
            FROM registry_organization o
            CROSS JOIN (VALUES (DATE '2026-06-01'), (DATE '2026-07-10')) AS l(d)
            WHERE o.id %% %s = 0
            """,
            [UNREACHABLE_EVERY],
        )
        for table in ("supervision_annualreport", "supervision_contactattempt"):
            sql(f"VACUUM ANALYZE {table}")
    return {
        "annual_reports": scalar("SELECT count(*) FROM supervision_annualreport"),
        "contact_attempts": scalar("SELECT count(*) FROM supervision_contactattempt"),
        "seconds": time.perf_counter() - started,
    }


def reset_sweep() -> None:
    """What earlier runs wrote, except the append-only audit rows."""
    sql("DELETE FROM core_transition WHERE process = 'credit_listing'")
    sql("DELETE FROM core_deadline WHERE process = 'credit_listing'")
    sql(
        "DELETE FROM registry_organizationevent WHERE kind IN "
        "('listing_noticed', 'listed', 'delisted')"
    )
    sql("DELETE FROM core_notice WHERE subject LIKE 'credit:%%'")
    sql("TRUNCATE supervision_creditlisting, supervision_sweeprun")
    sql("DELETE FROM supervision_annualreport WHERE updated_at > now() - interval '1 day'")
    sql("DELETE FROM supervision_contactattempt WHERE created_at > now() - interval '1 day'")
    sql(
        "UPDATE registry_organization SET status = 'registered', removed_on = NULL "
        "WHERE updated_at > now() - interval '1 day' AND status = 'revoked'"
    )
    for table in ("registry_organization", "supervision_annualreport"):
        sql(f"VACUUM ANALYZE {table}")


# --- measurements -------------------------------------------------------------------------------


def timed_sweep(**kwargs: Any) -> dict[str, Any]:
    from socorg.supervision.services.sweep import sweep_run

    started = time.perf_counter()
    result = sweep_run(**kwargs)
    seconds = time.perf_counter() - started
    out = {
        "seconds": seconds,
        "changes": result.changes,
        "rules": result.by_rule(),
        "detail": result.counts,
        "full": result.full,
        "evaluated": result.evaluated,
    }
    print(f"  {kwargs}: {seconds:.2f} 秒，{result.changes:,} 项变更 {result.by_rule()}")
    return out


def measure_full(args: argparse.Namespace) -> dict[str, Any]:
    print("全量核查（首次，发出预先告知）……")
    first = timed_sweep(as_of=AS_OF, detail_limit=0)
    print("全量核查（再次，无变更）……")
    second = timed_sweep(as_of=AS_OF, detail_limit=0)
    return {
        "full_first": first,
        "full_again": second,
        "second_full_run_changes": second["changes"],
    }


def measure_incremental(args: argparse.Namespace) -> dict[str, Any]:
    from socorg.core.audit import verify_chain

    day = AS_OF + timedelta(days=1)
    changes = simulate_day(args.daily_changes, args.seed, day)
    print(f"增量核查（次日，{changes}）……")
    incremental = timed_sweep(as_of=day, incremental=True, detail_limit=0)
    incremental["day_changes"] = changes
    print("增量核查（再次，无变更）……")
    incremental_again = timed_sweep(as_of=day, incremental=True, detail_limit=0)
    started = time.perf_counter()
    chain = verify_chain()
    return {
        "incremental": incremental,
        "incremental_again": incremental_again,
        "audit_verify": {"ok": chain.ok, "rows": chain.checked},
        "audit_verify_seconds": time.perf_counter() - started,
    }


def simulate_day(reports: int, seed: int, day: date) -> dict[str, int]:
    """A day's changes: reports filed by organizations that had a notice, letters returned for
    organizations never contacted, a few revocations."""
    rng = random.Random(seed)
    from socorg.supervision.models import ContactAttempt, CreditListing, ListingGround

    noticed = list(
        CreditListing.objects.filter(ground=ListingGround.ANNUAL_REPORT_NOT_FILED).values_list(
            "organization_id", "evidence"
        )[: reports * 3]
    )
    rng.shuffle(noticed)
    filed = 0
    for org_id, evidence in noticed[:reports]:
        for year in evidence["years"]:
            sql(
                """
                INSERT INTO supervision_annualreport (organization_id, year, org_type,
                    management_mode, supervisory_unit_id, state, data, flags, submitted_on,
                    conclusion, auto_fail, conclusion_reasons, created_at, updated_at)
                SELECT id, %s, org_type, management_mode, supervisory_unit_id, 'bureau_review',
                    '{}'::jsonb, '{}'::jsonb, %s, '', '[]'::jsonb, '', now(), now()
                FROM registry_organization WHERE id = %s
                ON CONFLICT (organization_id, year) DO NOTHING
                """,
                [year, day, org_id],
            )
            filed += 1
    ids = list(
        scalar(
            "SELECT array_agg(id) FROM (SELECT id FROM registry_organization "
            "WHERE id %% 997 = 1 AND status = 'registered' LIMIT 200) t"
        )
        or []
    )
    ContactAttempt.objects.bulk_create(
        ContactAttempt(
            organization_id=org_id, kind="registered_letter", made_on=made, result="returned"
        )
        for org_id in ids[:100]
        for made in (date(2026, 11, 1), day)
    )
    revoked = sql(
        "UPDATE registry_organization SET status = 'revoked', removed_on = %s, "
        "updated_at = now() WHERE id = ANY(%s)",
        [day, ids[100:110]],
    )
    return {"reports_filed": filed, "letters": 2 * len(ids[:100]), "revoked": revoked}


def measure_baseline(args: argparse.Namespace, sweep_seconds: float) -> dict[str, Any]:
    """The same rules per organization through the ORM, on a sample, extrapolated; and the
    check that the sample's findings equal the sweep's first run."""
    from socorg.core.params import param
    from socorg.registry.models import ManagementMode, Organization, OrgStatus
    from socorg.supervision.models import (
        AnnualReport,
        ContactAttempt,
        CreditListing,
        ListingGround,
        SweepRun,
    )
    from socorg.supervision.rules import annual_reports as ar_rules
    from socorg.supervision.rules import credit as rules

    total = Organization.objects.count()
    rng = random.Random(args.seed)
    max_id = Organization.objects.order_by("-id").values_list("id", flat=True).first() or 0
    sample_ids = sorted(rng.sample(range(1, max_id + 1), min(args.sample, max_id)))
    first_run = SweepRun.objects.order_by("started_at").first()
    dates = {
        key: str(param(f"AR-1.{key}", on=AS_OF))
        for key in ("supervisory_unit_due", "authority_due", "foundation_due")
    }
    min_months = int(param("AR-2.min_months_before_year_end", on=AS_OF))
    gap_min = int(param("CR-2.letter_gap_days_min", on=AS_OF))
    gap_max = int(param("CR-2.letter_gap_days_max", on=AS_OF))
    started = time.perf_counter()
    found: dict[int, set[tuple[str, Any]]] = {}
    for pk in sample_ids:
        org = Organization.objects.filter(pk=pk).first()
        if org is None:
            continue
        grounds: set[tuple[str, Any]] = set()
        active = org.status in (OrgStatus.REGISTERED, OrgStatus.SUSPENDED)
        if active and org.org_type in ar_rules.ALL_TYPES:
            for year in rules.report_years_checked(AS_OF, len(YEARS)):
                due = ar_rules.filing_due(
                    year=year,
                    org_type=org.org_type,
                    dual_management=org.management_mode == ManagementMode.DUAL_MANAGEMENT,
                    dates=dates,
                )
                if due >= AS_OF or not ar_rules.must_file(
                    established_on=org.established_on,
                    removed_on=org.removed_on,
                    year=year,
                    min_months=min_months,
                ):
                    continue
                filed = AnnualReport.objects.filter(
                    organization=org, year=year, submitted_on__lte=AS_OF
                ).exists()
                if not filed:
                    grounds.add((ListingGround.ANNUAL_REPORT_NOT_FILED, year))
        if active:
            letters = sorted(
                ContactAttempt.objects.filter(
                    organization=org, kind="registered_letter", result="returned"
                ).values_list("made_on", flat=True)
            )
            if any(
                rules.letters_unsigned(a, b, gap_min=gap_min, gap_max=gap_max)
                for i, a in enumerate(letters)
                for b in letters[i + 1 :]
            ):
                grounds.add((ListingGround.UNREACHABLE, None))
        if org.status == OrgStatus.REVOKED:
            grounds.add((ListingGround.REVOKED, None))
        list(CreditListing.objects.filter(organization=org))  # the listings it would compare
        found[pk] = grounds
    seconds = time.perf_counter() - started
    # What the sweep's first run noticed for the sample.
    swept: dict[int, set[tuple[str, Any]]] = {pk: set() for pk in found}
    for org_id, ground, evidence in CreditListing.objects.filter(
        organization_id__in=list(found), sweep_run=first_run
    ).values_list("organization_id", "ground", "evidence"):
        if ground == ListingGround.ANNUAL_REPORT_NOT_FILED:
            swept[org_id].update((ground, y) for y in evidence["years"])
        else:
            swept[org_id].add((ground, None))
    same = swept == found
    extrapolated = seconds * total / max(len(found), 1)
    return {
        "sample": len(found),
        "seconds": seconds,
        "extrapolated_seconds": extrapolated,
        "ratio": extrapolated / sweep_seconds if sweep_seconds else None,
        "same_findings_as_sweep": same,
        "sample_grounds": sum(len(v) for v in found.values()),
    }


# --- report -------------------------------------------------------------------------------------


def environment() -> dict[str, Any]:
    return {
        "when": datetime.now(UTC).isoformat(timespec="seconds"),
        "postgresql": scalar("SHOW server_version"),
        "shared_buffers": scalar("SHOW shared_buffers"),
        "work_mem": scalar("SHOW work_mem"),
        "cpus": os.cpu_count(),
        "python": platform.python_version(),
        "loadavg_start": os.getloadavg(),
    }


def print_report(report: dict[str, Any]) -> None:
    sweep, base = report["sweep"], report["baseline"]
    full = sweep["full_first"]["seconds"]
    print("\n合规核查基准（PostgreSQL）")
    print(
        f"  数据：{report['load']['organizations']:,} 个社会组织，"
        f"{report['data']['annual_reports']:,} 份年度报告，"
        f"{report['data']['contact_attempts']:,} 条联系记录；基准日 {report['as_of']}"
    )
    print(
        f"  全量核查（首次）：{full:.1f} 秒（目标 ≤ {FULL_GOAL_S:.0f} 秒），"
        f"{sweep['full_first']['changes']:,} 项变更"
    )
    print(
        f"  全量核查（再次）：{sweep['full_again']['seconds']:.1f} 秒，"
        f"{sweep['full_again']['changes']} 项变更（应为 0）"
    )
    print(
        f"  增量核查（次日）：{sweep['incremental']['seconds']:.2f} 秒"
        f"（目标 ≤ {INCREMENTAL_GOAL_S:.0f} 秒），核查 {sweep['incremental']['evaluated']} 个组织，"
        f"{sweep['incremental']['changes']:,} 项变更"
    )
    print(
        f"  基线（逐个组织 ORM，{base['sample']:,} 个样本）：{base['seconds']:.1f} 秒，"
        f"推算全量 {base['extrapolated_seconds']:.0f} 秒；"
        f"倍数 {base['ratio']:.1f}×；结果一致：{base['same_findings_as_sweep']}"
    )
    print(f"  审计链校验：{sweep['audit_verify']}")


if __name__ == "__main__":
    sys.exit(main())
