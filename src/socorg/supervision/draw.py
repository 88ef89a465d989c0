"""The random-inspection draw (双随机, RI-2, RI-3, RI-5) as one pure function anyone can recompute.

Standard library only, no Django, so an outsider can copy this file (or re-implement the few lines
below from the public bundle) and check a plan. Algorithm ``efraimidis-spirakis-sha256-v1``:

1. ``seed`` is 64 lowercase hex characters (32 random bytes from ``secrets``). The plan publishes
   ``commitment = sha256(seed.encode("ascii")).hexdigest()`` when it is committed, before the draw.
2. Pool hash: SHA-256 of the UTF-8 text made of one line per organization, sorted by credit code,
   ``f"{uscc}\\t{stratum}\\t{weight}\\n"`` where ``weight`` is written with exactly 3 decimals.
   The weight the keys use is that published 3-decimal value.
3. For each organization ``h = sha256(f"{seed}:{uscc}".encode()).hexdigest()``,
   ``u = (int(h[:13], 16) + 0.5) / 16**13``, ``key = math.log(u) / weight``.
4. Per stratum ``k = ceil(ratio × size)`` (exact decimal arithmetic; ratio as published, a decimal
   text such as ``"0.030"``); the ``k`` organizations with the largest key are selected, ties broken
   by credit code ascending (weighted sampling without replacement, Efraimidis–Spirakis).
5. Inspectors: the selected organizations ordered by (stratum, credit code); for each, the eligible
   inspectors are the pool minus the published conflicts for that organization, ordered by
   (assignments so far ascending, ``sha256(f"{seed}:{uscc}:{inspector_id}".encode()).hexdigest()``
   ascending); the first two are assigned (RI-5). An organization with fewer than two eligible
   inspectors gets those there are and is reported in ``shortfalls``.
"""

from __future__ import annotations

import hashlib
import heapq
import math
import re
import secrets
from collections import defaultdict
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal
from typing import Any, NamedTuple

ALGORITHM = "efraimidis-spirakis-sha256-v1"
INSPECTORS_PER_ORGANIZATION = 2  # RI-5: on-site checks need at least two inspectors.
_SEED = re.compile(r"[0-9a-f]{64}")
_MILLI = Decimal("0.001")


class DrawError(ValueError):
    """The input cannot be drawn (bad seed, weight, ratio or duplicate credit code)."""


class PoolEntry(NamedTuple):
    """``weight`` is a number or its text; the draw uses its 3-decimal published value."""

    uscc: str
    stratum: str
    weight: Decimal | float | str


class Conflict(NamedTuple):
    inspector: str
    uscc: str
    reason: str


@dataclass(frozen=True)
class Stratum:
    stratum: str
    size: int
    ratio: str
    k: int


@dataclass(frozen=True)
class Selection:
    uscc: str
    stratum: str
    inspectors: tuple[str, ...]


@dataclass(frozen=True)
class DrawResult:
    strata: tuple[Stratum, ...]
    selected: tuple[Selection, ...]
    shortfalls: tuple[str, ...] = field(default=())


def new_seed() -> str:
    return secrets.token_bytes(32).hex()


def check_seed(seed: str) -> str:
    if not _SEED.fullmatch(seed):
        raise DrawError("seed must be 64 lowercase hex characters")
    return seed


def commitment(seed: str) -> str:
    return hashlib.sha256(check_seed(seed).encode("ascii")).hexdigest()


def weight_text(weight: Decimal | float | int | str) -> str:
    """The published 3-decimal text of a weight; it must stay positive after rounding."""
    value = Decimal(str(weight)).quantize(_MILLI, rounding=ROUND_HALF_UP)
    if value <= 0:
        raise DrawError(f"weight must be at least 0.001, got {weight}")
    return f"{value:.3f}"


def ratio_text(ratio: Decimal | float | str) -> str:
    value = Decimal(str(ratio))
    if not (0 < value <= 1):
        raise DrawError(f"ratio must be in (0, 1], got {ratio}")
    return format(value.normalize(), "f")


def stratum_k(ratio: Decimal | float | str, size: int) -> int:
    return min(size, math.ceil(Decimal(ratio_text(ratio)) * size))


def pool_text(pool: Iterable[PoolEntry]) -> str:
    texts: dict[Any, str] = {}
    lines = []
    for e in sorted(pool, key=lambda e: e.uscc):
        weight = texts.get(e.weight)
        if weight is None:
            weight = texts[e.weight] = weight_text(e.weight)
        lines.append(f"{e.uscc}\t{e.stratum}\t{weight}\n")
    return "".join(lines)


def pool_hash(pool: Iterable[PoolEntry]) -> str:
    return hashlib.sha256(pool_text(pool).encode("utf-8")).hexdigest()


def organization_key(seed: str, uscc: str, weight: Decimal | float | str) -> float:
    h = hashlib.sha256(f"{seed}:{uscc}".encode()).hexdigest()
    u = (int(h[:13], 16) + 0.5) / 16**13
    return math.log(u) / float(weight_text(weight))


def _keys(seed: str, members: Sequence[PoolEntry]) -> list[float]:
    """``organization_key`` of every member, computed in bulk: the seed's prefix hashed once
    and copied, the first 13 hex digits read as the top 52 bits of the digest, each distinct
    weight's published value parsed once. Same values as ``organization_key``."""
    prefix = hashlib.sha256(f"{seed}:".encode())
    weights: dict[Any, float] = {}
    log = math.log
    scale = float(16**13)
    keys = []
    for entry in members:
        h = prefix.copy()
        h.update(entry.uscc.encode())
        top = int.from_bytes(h.digest()[:7], "big") >> 4
        weight = weights.get(entry.weight)
        if weight is None:
            weight = weights[entry.weight] = float(weight_text(entry.weight))
        keys.append(log((top + 0.5) / scale) / weight)
    return keys


def _largest(members: Sequence[PoolEntry], keys: list[float], k: int) -> list[PoolEntry]:
    """The ``k`` members with the largest key, ties broken by credit code ascending, without
    sorting all of them: the k-th largest key is the threshold; everything above it is in, and
    the members exactly at it are taken by credit code."""
    if k <= 0:
        return []
    if k >= len(members):
        return list(members)
    threshold = heapq.nlargest(k, keys)[-1]
    above = [m for m, key in zip(members, keys, strict=True) if key > threshold]
    at = sorted(
        (m for m, key in zip(members, keys, strict=True) if key == threshold), key=lambda m: m.uscc
    )
    return above + at[: k - len(above)]


def inspector_order_hash(seed: str, uscc: str, inspector_id: str) -> str:
    return hashlib.sha256(f"{seed}:{uscc}:{inspector_id}".encode()).hexdigest()


def select(
    seed: str, pool: Sequence[PoolEntry], ratios: Mapping[str, Decimal | float | str]
) -> tuple[tuple[Stratum, ...], list[PoolEntry]]:
    """Steps 3 and 4: the strata (sorted by name) and the selected entries in (stratum, uscc) order."""
    check_seed(seed)
    by_stratum: dict[str, list[PoolEntry]] = defaultdict(list)
    seen: set[str] = set()
    for entry in pool:
        if entry.uscc in seen:
            raise DrawError(f"credit code {entry.uscc} appears twice in the pool")
        seen.add(entry.uscc)
        by_stratum[entry.stratum].append(entry)
    strata: list[Stratum] = []
    chosen: list[PoolEntry] = []
    for name in sorted(by_stratum):
        members = by_stratum[name]
        if name not in ratios:
            raise DrawError(f"no ratio for stratum {name}")
        k = stratum_k(ratios[name], len(members))
        strata.append(Stratum(name, len(members), ratio_text(ratios[name]), k))
        chosen.extend(sorted(_largest(members, _keys(seed, members), k), key=lambda e: e.uscc))
    return tuple(strata), chosen


def assign(
    seed: str,
    chosen: Sequence[PoolEntry],
    inspectors: Sequence[str],
    conflicts: Iterable[Conflict],
) -> tuple[tuple[Selection, ...], tuple[str, ...]]:
    """Step 5: two eligible inspectors per selected organization, least-loaded first (RI-5).

    Ordering every eligible inspector by (load, hash) and taking the first two is the same as
    walking the load levels upwards and, within a level, taking the smallest hashes: only the
    inspectors of the lowest levels needed are hashed (``digest`` orders as ``hexdigest``)."""
    barred: dict[str, set[str]] = defaultdict(set)
    for c in conflicts:
        barred[c.uscc].add(c.inspector)
    load = dict.fromkeys(inspectors, 0)
    levels: dict[int, set[str]] = {0: set(inspectors)} if inspectors else {}
    selected: list[Selection] = []
    shortfalls: list[str] = []
    for entry in sorted(chosen, key=lambda e: (e.stratum, e.uscc)):
        excluded = barred.get(entry.uscc, set())
        prefix = hashlib.sha256(f"{seed}:{entry.uscc}:".encode())
        picked: list[str] = []
        for level in sorted(levels):
            need = INSPECTORS_PER_ORGANIZATION - len(picked)
            if need <= 0:
                break
            ranked = []
            for inspector in levels[level] - excluded:
                h = prefix.copy()
                h.update(inspector.encode())
                ranked.append((h.digest(), inspector))
            picked += [i for _h, i in heapq.nsmallest(need, ranked)]
        for inspector in picked:
            levels[load[inspector]].discard(inspector)
            if not levels[load[inspector]]:
                del levels[load[inspector]]
            load[inspector] += 1
            levels.setdefault(load[inspector], set()).add(inspector)
        if len(picked) < INSPECTORS_PER_ORGANIZATION:
            shortfalls.append(entry.uscc)
        selected.append(Selection(entry.uscc, entry.stratum, tuple(picked)))
    return tuple(selected), tuple(shortfalls)


def draw(
    seed: str,
    pool: Sequence[PoolEntry],
    ratios: Mapping[str, Decimal | float | str],
    inspectors: Sequence[str],
    conflicts: Iterable[Conflict] = (),
) -> DrawResult:
    if len(set(inspectors)) != len(inspectors):
        raise DrawError("an inspector appears twice in the pool")
    strata, chosen = select(seed, pool, ratios)
    selected, shortfalls = assign(seed, chosen, inspectors, conflicts)
    return DrawResult(strata, selected, shortfalls)


def _bundle_input(
    bundle: Mapping[str, Any],
) -> tuple[list[PoolEntry], dict[str, Any], list[str], list[Conflict]]:
    pool = [PoolEntry(p["uscc"], p["stratum"], p["weight"]) for p in bundle["pool"]]
    ratios = {s["stratum"]: s["ratio"] for s in bundle["strata"]}
    inspectors = [str(i["id"]) for i in bundle["inspectors"]]
    conflicts = [Conflict(str(c["inspector"]), c["uscc"], c["reason"]) for c in bundle["conflicts"]]
    return pool, ratios, inspectors, conflicts


def result_from_bundle(bundle: Mapping[str, Any]) -> DrawResult:
    """Recompute a draw from the public bundle (its ``seed`` must be revealed)."""
    return draw(bundle["seed"], *_bundle_input(bundle))


def verify_bundle(bundle: Mapping[str, Any]) -> list[str]:
    """Every discrepancy between a revealed bundle and its recomputation; empty when it verifies."""
    problems: list[str] = []
    if bundle.get("algorithm") != ALGORITHM:
        return [f"unknown algorithm {bundle.get('algorithm')!r}"]
    seed = bundle.get("seed")
    if not seed:
        return ["seed not revealed yet"]
    if commitment(seed) != bundle["commitment"]:
        problems.append("commitment does not match sha256(seed)")
    pool, ratios, inspectors, conflicts = _bundle_input(bundle)
    if pool_hash(pool) != bundle["pool_hash"]:
        problems.append("pool hash does not match the published pool")
    result = draw(seed, pool, ratios, inspectors, conflicts)
    published_strata = [
        (s["stratum"], int(s["size"]), int(s["k"]))
        for s in sorted(bundle["strata"], key=lambda s: s["stratum"])
    ]
    if published_strata != [(s.stratum, s.size, s.k) for s in result.strata]:
        problems.append("strata sizes or k differ from the recomputation")
    published = [
        (s["uscc"], s["stratum"], tuple(str(i) for i in s["inspectors"]))
        for s in bundle["selected"]
    ]
    recomputed = [(s.uscc, s.stratum, s.inspectors) for s in result.selected]
    if sorted(published) != sorted(recomputed):
        problems.append("selected organizations or their inspectors differ from the recomputation")
    return problems
