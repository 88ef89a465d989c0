"""Name-check benchmark at 1,000,000 organizations on PostgreSQL.

    .venv/bin/python benchmarks/name_check/run.py [--orgs 1000000] [--reload] [--sample 2000]

Uses the database in ``DATABASE_URL`` (default: the ``bench_names`` database on the local
PostgreSQL). Loads the synthetic register once (``load.py``), rebuilds the name index
(``socorg name_keys rebuild``), then measures three methods on the labelled pairs and on
random proposals: the name check (indexed key lookups), a pg_trgm ``%`` / ``similarity()``
query on a GIN trigram index, and a rapidfuzz ``extractOne`` scan of every name in memory.
Prints latency percentiles and precision/recall, and writes ``last_run.json`` beside itself.
"""

from __future__ import annotations

import argparse
import csv
import json
import os
import random
import statistics
import sys
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parents[1]
sys.path[:0] = [str(ROOT), str(ROOT / "src")]
os.environ.setdefault("DATABASE_URL", "postgres://postgres@127.0.0.1:5432/bench_names")
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "socorg.settings")

import django  # noqa: E402

django.setup()

from django.core.management import call_command  # noqa: E402
from django.db import connection  # noqa: E402
from rapidfuzz import fuzz, process, utils  # noqa: E402

from benchmarks.name_check import load as loader  # noqa: E402
from benchmarks.name_check import pairs as labelled  # noqa: E402
from socorg.core.rule_defaults import load_rule_defaults  # noqa: E402
from socorg.registration.selectors.names import (  # noqa: E402
    authority_for,
    lookalike_query,
    name_check,
)
from socorg.registry.models import NameKey, Organization  # noqa: E402
from socorg.registry.rules import names as nr  # noqa: E402
from socorg.registry.services.names import name_keys_rebuild  # noqa: E402

CONFUSION_KINDS = {
    "exact",
    "traditional",
    "region",
    "form",
    "filler",
    "homophone",
    "reordered",
    "abbreviation",
}
TRGM_DEFAULT = 0.3  # pg_trgm.similarity_threshold, the `%` operator's default
FUZZ_DEFAULT = 90.0  # a common rapidfuzz cut-off for "the same name"
TRGM_SQL = (
    "SELECT name, similarity(name, %(q)s) AS s FROM bench_trgm "
    "WHERE authority_code = %(a)s AND name %% %(q)s ORDER BY s DESC LIMIT 1"
)
BASELINE_TABLE = [
    "CREATE EXTENSION IF NOT EXISTS pg_trgm",
    "DROP TABLE IF EXISTS bench_trgm",
    "CREATE TABLE bench_trgm AS SELECT k.name, k.authority_code FROM registration_namekey k "
    "JOIN registry_organization o ON o.id = k.organization_id "
    "WHERE k.kind = 'current' AND o.status IN ('registered', 'suspended')",
    "CREATE INDEX bench_trgm_name ON bench_trgm USING gin (name gin_trgm_ops)",
    "CREATE INDEX bench_trgm_authority ON bench_trgm (authority_code)",
    "ANALYZE bench_trgm",
]


@dataclass
class Method:
    name: str
    latencies: list[float] = field(default_factory=list)
    cpu: list[float] = field(default_factory=list)  # this process only, not the server's
    scores: list[float] = field(default_factory=list)  # per labelled pair

    def timed(self, fn: Callable[..., float], *args: object) -> float:
        started, cpu = time.perf_counter(), time.process_time()
        value = fn(*args)
        self.latencies.append((time.perf_counter() - started) * 1000)
        self.cpu.append((time.process_time() - cpu) * 1000)
        return value


def percentile(values: list[float], p: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(round(p / 100 * (len(ordered) - 1))))]


def prf(predicted: list[bool], truth: list[bool]) -> tuple[float, float, float]:
    tp = sum(p and t for p, t in zip(predicted, truth, strict=True))
    fp = sum(p and not t for p, t in zip(predicted, truth, strict=True))
    fn = sum(t and not p for p, t in zip(predicted, truth, strict=True))
    precision = tp / (tp + fp) if tp + fp else 1.0
    recall = tp / (tp + fn) if tp + fn else 1.0
    f1 = 2 * precision * recall / (precision + recall) if precision + recall else 0.0
    return precision, recall, f1


def best_threshold(
    scores: list[float], truth: list[bool], grid: list[float]
) -> tuple[float, tuple[float, float, float]]:
    results = [(t, prf([s >= t for s in scores], truth)) for t in grid]
    return max(results, key=lambda r: r[1][2])


# --- set-up ------------------------------------------------------------------------------------


def _ready(orgs: int) -> bool:
    """The register, its name index and the baseline table are all there already."""
    with connection.cursor() as cursor:
        cursor.execute("SELECT to_regclass('bench_trgm') IS NOT NULL")
        has_table = cursor.fetchone()[0]
    return has_table and NameKey.objects.count() >= orgs == Organization.objects.count()


def _labelled_loaded(orgs: int) -> bool:
    """The register has ``orgs`` organizations, every registered name of the labelled set
    among them (the set may have grown since the register was loaded)."""
    if Organization.objects.count() != orgs:
        return False
    with labelled.PAIRS_CSV.open(encoding="utf-8") as f:
        names = {row["existing_name"] for row in csv.DictReader(f)}
    return Organization.objects.filter(name__in=names).values("name").distinct().count() == len(
        names
    )


def prepare(orgs: int, reload: bool, skip_setup: bool) -> dict[str, float]:
    timings: dict[str, float] = {}
    call_command("migrate", verbosity=0)
    if skip_setup and not reload and _ready(orgs) and _labelled_loaded(orgs):
        print("register, name index and pg_trgm table already built: set-up skipped")
        return timings
    if reload or not _labelled_loaded(orgs):
        with connection.cursor() as cursor:
            cursor.execute(
                "TRUNCATE registration_namekey, registry_organization, core_jurisdiction CASCADE"
            )
        load_rule_defaults(update=False)  # the CASCADE emptied the rule parameters too
        started = time.perf_counter()
        loader.load(orgs)
        timings["load_s"] = time.perf_counter() - started
        print(f"loaded {orgs:,} organizations in {timings['load_s']:.0f} s")
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE registry_organization")
    started = time.perf_counter()
    rows = name_keys_rebuild()
    timings["rebuild_s"] = time.perf_counter() - started
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE registration_namekey")
    print(f"name_keys rebuild: {rows:,} rows in {timings['rebuild_s']:.0f} s")
    started = time.perf_counter()
    with connection.cursor() as cursor:
        for statement in BASELINE_TABLE:
            cursor.execute(statement)
    timings["trgm_index_s"] = time.perf_counter() - started
    print(f"pg_trgm baseline table + GIN index: {timings['trgm_index_s']:.0f} s")
    return timings


def active_names() -> tuple[list[str], dict[str, list[str]]]:
    with connection.cursor() as cursor:
        cursor.execute("SELECT name, authority_code FROM bench_trgm")
        rows = cursor.fetchall()
    by_authority: dict[str, list[str]] = {}
    for name, authority in rows:
        by_authority.setdefault(authority, []).append(name)
    return [r[0] for r in rows], by_authority


def fuzz_ready(names: list[str]) -> list[str]:
    return [utils.default_process(n) for n in names]


# --- the methods -------------------------------------------------------------------------------


def ours(proposed: str, org_type: str, jurisdiction: str) -> float:
    result = name_check(name=proposed, org_type=org_type, jurisdiction_code=jurisdiction)
    return 1.0 if any(h.kind in CONFUSION_KINDS for h in result.hits) else 0.0


def trgm(proposed: str, authority: str) -> float:
    with connection.cursor() as cursor:
        cursor.execute(TRGM_SQL, {"q": proposed, "a": authority})
        row = cursor.fetchone()
    return float(row[1]) if row else 0.0


def fuzzy(proposed: str, names: list[str]) -> float:
    """Best WRatio of ``proposed`` over ``names`` (already passed through default_process)."""
    match = process.extractOne(utils.default_process(proposed), names, scorer=fuzz.WRatio)
    return float(match[1]) if match else 0.0


def authority_of(jurisdiction: str) -> str:
    return jurisdiction[:4] + "00" if jurisdiction.endswith("00") else jurisdiction


def run_labelled(
    methods: dict[str, Method], names: list[str], by_authority: dict[str, list[str]]
) -> list[dict[str, str]]:
    with labelled.PAIRS_CSV.open(encoding="utf-8") as f:
        pairs = list(csv.DictReader(f))
    with connection.cursor() as cursor:
        cursor.execute("SET pg_trgm.similarity_threshold = %s", [TRGM_DEFAULT])
    fuzz_names = fuzz_ready(names) if "fuzz_all" in methods else []
    fuzz_by_authority = {a: fuzz_ready(v) for a, v in by_authority.items()}
    for i, p in enumerate(pairs):
        q, a = p["proposed_name"], authority_of(p["proposed_jurisdiction"])
        calls = {
            "ours": (ours, q, p["type"], p["proposed_jurisdiction"]),
            "trgm": (trgm, q, a),
            "fuzz_all": (fuzzy, q, fuzz_names),
            "fuzz_authority": (fuzzy, q, fuzz_by_authority.get(a, [])),
        }
        for key, (fn, *args) in calls.items():
            if key in methods:
                methods[key].scores.append(methods[key].timed(fn, *args))
        if (i + 1) % 100 == 0:
            print(f"  labelled pairs: {i + 1}/{len(pairs)}")
    return pairs


def random_proposals(
    count: int, by_authority: dict[str, list[str]], rng: random.Random
) -> list[tuple[str, str]]:
    """Proposals across the country: existing names with a character changed or kept."""
    authorities = sorted(by_authority)
    out = []
    for _ in range(count):
        a = rng.choice(authorities)
        name = rng.choice(by_authority[a])
        if rng.random() < 0.5:
            i = rng.randrange(len(name) - 3, len(name) - 2)
            name = name[:i] + rng.choice(labelled.CHAR_POOL) + name[i + 1 :]
        out.append((name, a))
    return out


def run_random(
    proposals: list[tuple[str, str]],
) -> dict[str, Method]:
    latency = {"ours": Method("ours"), "trgm": Method("trgm")}
    for name, a in proposals:
        form = nr.parse_name(name).org_form
        org_type = next((t for t in nr.FORMS_BY_TYPE if nr.form_fits_type(form, t)), "social_group")
        latency["ours"].timed(ours, name, org_type, a)
        latency["trgm"].timed(trgm, name, a)
    return latency


def server_times(proposals: list[tuple[str, str]]) -> dict[str, dict[str, float]]:
    """PostgreSQL's own planning + execution time (EXPLAIN ANALYZE) of each method's query,
    which machine load outside the database server does not inflate as much as wall time."""
    ours_ms, trgm_ms = [], []
    for name, a in proposals:
        authority = authority_for(a)
        keys = nr.name_keys(name, authority.regions)
        qs = lookalike_query(authority.code, keys)
        ours_ms.append(_plan_ms(qs.explain(analyze=True, format="json")))
        with connection.cursor() as cursor:
            cursor.execute(
                "EXPLAIN (ANALYZE, FORMAT JSON) " + TRGM_SQL, {"q": name, "a": authority.code}
            )
            trgm_ms.append(_plan_ms(json.dumps(cursor.fetchone()[0])))
    return {
        key: {"p50": percentile(v, 50), "p95": percentile(v, 95)}
        for key, v in (("ours", ours_ms), ("trgm", trgm_ms))
    }


def _plan_ms(explained: str) -> float:
    plan = json.loads(explained)[0]
    return float(plan["Planning Time"]) + float(plan["Execution Time"])


# --- report ------------------------------------------------------------------------------------


def summarize(
    methods: dict[str, Method], pairs: list[dict[str, str]], random_latency: dict[str, Method]
) -> dict[str, object]:
    truth = [p["label"] == "conflict" for p in pairs]
    report: dict[str, object] = {"pairs": len(pairs), "conflicts": sum(truth)}
    defaults = {
        "ours": 0.5,
        "trgm": TRGM_DEFAULT,
        "fuzz_all": FUZZ_DEFAULT,
        "fuzz_authority": FUZZ_DEFAULT,
    }
    grids = {
        "ours": [0.5],
        "trgm": [x / 100 for x in range(30, 100, 2)],
        "fuzz_all": [float(x) for x in range(50, 101)],
        "fuzz_authority": [float(x) for x in range(50, 101)],
    }
    for key, m in methods.items():
        at_default = prf([s >= defaults[key] for s in m.scores], truth)
        best_t, at_best = best_threshold(m.scores, truth, grids[key])
        kinds: dict[str, list[bool]] = {}
        for p, s in zip(pairs, m.scores, strict=True):
            kinds.setdefault(f"{p['label']}:{p['kind']}", []).append(s >= defaults[key])
        lat = random_latency.get(key, m).latencies
        report[key] = {
            "threshold": defaults[key],
            "precision": at_default[0],
            "recall": at_default[1],
            "f1": at_default[2],
            "best_threshold": best_t,
            "best": {"precision": at_best[0], "recall": at_best[1], "f1": at_best[2]},
            "flagged_share_by_kind": {k: sum(v) / len(v) for k, v in sorted(kinds.items())},
            "latency_ms": {
                "n": len(lat),
                "p50": percentile(lat, 50),
                "p95": percentile(lat, 95),
                "p99": percentile(lat, 99),
                "mean": statistics.fmean(lat),
            },
            "client_cpu_ms": {
                "p50": percentile(random_latency.get(key, m).cpu, 50),
                "p95": percentile(random_latency.get(key, m).cpu, 95),
                "mean": statistics.fmean(random_latency.get(key, m).cpu),
            },
        }
    return report


def print_report(report: dict[str, object], timings: dict[str, float], orgs: int) -> None:
    print()
    print(
        f"Name check at {orgs:,} organizations (PostgreSQL), {report['pairs']} labelled pairs "
        f"({report['conflicts']} conflict)"
    )
    print(
        f"{'method':34} {'p50 ms':>8} {'p95 ms':>8} {'n':>6} {'prec':>6} {'recall':>6} {'F1':>6}   best-F1 threshold"
    )
    labels = {
        "ours": "name check (key lookups)",
        "trgm": f"pg_trgm % / similarity >= {TRGM_DEFAULT}",
        "fuzz_all": f"rapidfuzz WRatio >= {FUZZ_DEFAULT:.0f}, all names",
        "fuzz_authority": f"rapidfuzz WRatio >= {FUZZ_DEFAULT:.0f}, same authority",
    }
    labels = {k: v for k, v in labels.items() if k in report}
    for key, label in labels.items():
        r = report[key]
        assert isinstance(r, dict)
        lat, best = r["latency_ms"], r["best"]
        print(
            f"{label:34} {lat['p50']:8.2f} {lat['p95']:8.2f} {lat['n']:6d} {r['precision']:6.3f} "
            f"{r['recall']:6.3f} {r['f1']:6.3f}   {r['best_threshold']:g}: P {best['precision']:.3f} "
            f"R {best['recall']:.3f} F1 {best['f1']:.3f}"
        )
    print()
    print(
        "share flagged as conflict, by kind (conflict kinds: recall; clean kinds: false-positive rate)"
    )
    kinds = sorted(report["ours"]["flagged_share_by_kind"])  # type: ignore[index]
    print(f"{'kind':28}" + "".join(f"{k:>16}" for k in labels))
    for kind in kinds:
        row = "".join(f"{report[k]['flagged_share_by_kind'][kind]:16.2f}" for k in labels)  # type: ignore[index]
        print(f"{kind:28}{row}")
    print()
    server = report["server_ms"]
    assert isinstance(server, dict)
    for key in ("ours", "trgm"):
        cpu = report[key]["client_cpu_ms"]  # type: ignore[index]
        print(
            f"{labels[key]:34} server (EXPLAIN ANALYZE) p50 {server[key]['p50']:.2f} ms, "
            f"p95 {server[key]['p95']:.2f} ms; client CPU p50 {cpu['p50']:.2f} ms, "
            f"p95 {cpu['p95']:.2f} ms, mean {cpu['mean']:.2f} ms"
        )
    loads = report["load_average"]
    assert isinstance(loads, dict)
    print(
        f"load average (1, 5, 15 min) at the start {loads['before']}, around the latency "
        f"sample {loads['latency_before']} → {loads['latency_after']}, at the end "
        f"{loads['after']} on {os.cpu_count()} cores"
    )
    print("set-up: " + ", ".join(f"{k} {v:.0f}" for k, v in timings.items()))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--orgs", type=int, default=1_000_000)
    parser.add_argument("--reload", action="store_true", help="reload the synthetic register")
    parser.add_argument("--sample", type=int, default=2000, help="random proposals for latency")
    parser.add_argument(
        "--skip-setup", action="store_true", help="reuse the index and baseline table if built"
    )
    parser.add_argument(
        "--no-rapidfuzz", action="store_true", help="leave out the rapidfuzz scans (minutes)"
    )
    args = parser.parse_args()
    if connection.vendor != "postgresql":
        sys.exit("This benchmark needs PostgreSQL (DATABASE_URL).")
    timings = prepare(args.orgs, args.reload, args.skip_setup)
    names, by_authority = active_names()
    print(f"{len(names):,} active names in memory for rapidfuzz")
    kept = ("ours", "trgm") if args.no_rapidfuzz else ("ours", "trgm", "fuzz_all", "fuzz_authority")
    methods = {k: Method(k) for k in kept}
    for _ in range(20):  # warm-up: connections, caches, dictionaries
        ours("日照市物流协会", "social_group", "371100")
        trgm("日照市物流协会", "371100")
    load_before = os.getloadavg()
    pairs = run_labelled(methods, names, by_authority)
    proposals = random_proposals(args.sample, by_authority, random.Random(7))
    latency_before = os.getloadavg()
    random_latency = run_random(proposals)
    latency_after = os.getloadavg()
    report = summarize(methods, pairs, random_latency)
    report["server_ms"] = server_times(proposals[:200])
    report["timings_s"] = timings
    report["orgs"] = args.orgs
    report["load_average"] = {
        "before": load_before,
        "latency_before": latency_before,
        "latency_after": latency_after,
        "after": os.getloadavg(),
    }
    (HERE / "last_run.json").write_text(
        json.dumps(report, ensure_ascii=False, indent=2), encoding="utf-8"
    )
    print_report(report, timings, args.orgs)


if __name__ == "__main__":
    main()
