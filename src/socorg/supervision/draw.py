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

The functions below compute exactly this, in bulk (a million organizations): hashes from a copy
of a hashed prefix, arithmetic in C-level ``map`` loops, and, with ``processes`` > 1, the keys
and part of the inspectors' ranking in child processes. ``organization_key`` and
``inspector_order_hash`` are the one-at-a-time forms of steps 3 and 5.
"""

from __future__ import annotations

import gc
import hashlib
import heapq
import math
import multiprocessing
import re
import secrets
import sys
from collections import defaultdict
from collections.abc import Iterable, Iterator, Mapping, Sequence
from concurrent.futures import ProcessPoolExecutor
from contextlib import ExitStack, contextmanager
from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal
from functools import partial
from itertools import chain, compress, repeat
from operator import add, eq, gt, itemgetter, rshift, truediv
from typing import Any, NamedTuple

ALGORITHM = "efraimidis-spirakis-sha256-v1"
INSPECTORS_PER_ORGANIZATION = 2  # RI-5: on-site checks need at least two inspectors.
_SEED = re.compile(r"[0-9a-f]{64}")
_MILLI = Decimal("0.001")
_big_endian = partial(int.from_bytes, byteorder="big")


class DrawError(ValueError):
    """The input cannot be drawn (bad seed, weight, ratio or duplicate credit code)."""


class PoolEntry(NamedTuple):
    """``weight`` is a number or its text; the draw uses its 3-decimal published value."""

    uscc: str
    stratum: str
    weight: Decimal | float | str


# A pool entry or a conflict as a plain tuple (what a database row or a parsed bundle gives)
# is accepted wherever the named form is.
Entry = tuple[str, str, Any]


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


def pool_text(pool: Iterable[Entry]) -> str:
    entries = sorted(pool, key=itemgetter(0))
    texts = {w: weight_text(w) for w in set(map(itemgetter(2), entries))}
    if not all(text == weight for weight, text in texts.items()):
        weights = map(texts.__getitem__, map(itemgetter(2), entries))
        codes, strata = map(itemgetter(0), entries), map(itemgetter(1), entries)
        entries = list(zip(codes, strata, weights, strict=True))
    if not entries:
        return ""
    # Each entry's three texts, tab-joined, a line each (``str.join`` loops in C).
    return "\n".join(map("\t".join, entries)) + "\n"


def pool_hash(pool: Iterable[Entry]) -> str:
    return hashlib.sha256(pool_text(pool).encode("utf-8")).hexdigest()


def organization_key(seed: str, uscc: str, weight: Decimal | float | str) -> float:
    h = hashlib.sha256(f"{seed}:{uscc}".encode()).hexdigest()
    u = (int(h[:13], 16) + 0.5) / 16**13
    return math.log(u) / float(weight_text(weight))


def organization_keys(
    seed: str, usccs: Sequence[str], weight: Decimal | float | str
) -> list[float]:
    """``organization_key`` of each of ``usccs``, all of one weight, in bulk: the seed's prefix
    hashed once and copied, the first 13 hex digits read as the digest's top 52 bits, and the
    arithmetic in C-level ``map`` loops. Same values, bit for bit, as ``organization_key``."""
    divisor = float(weight_text(weight))
    copy = hashlib.sha256(f"{seed}:".encode()).copy
    digests: list[bytes] = []
    append = digests.append
    for uscc in usccs:
        h = copy()
        h.update(uscc.encode())
        append(h.digest())
    tops = map(rshift, map(_big_endian, map(itemgetter(slice(7)), digests)), repeat(4))
    units = map(truediv, map(add, tops, repeat(0.5)), repeat(float(16**13)))
    return list(map(truediv, map(math.log, units), repeat(divisor)))


# Below this much work (organizations, or selected organizations × inspectors) everything
# is computed in this process: starting a process costs more than it saves.
PARALLEL_MIN = 50_000
_shared: Any = None


def _share(value: Any) -> None:
    global _shared
    _shared = value


def _helpers(processes: int, shared: Any) -> ProcessPoolExecutor:
    """``processes`` − 1 child processes that see ``shared``: forked on Linux, so nothing is
    copied; elsewhere started the platform's way, with ``shared`` pickled once per process
    (the calling script then needs the usual ``if __name__ == "__main__":`` guard)."""
    fork = sys.platform.startswith("linux")
    context = multiprocessing.get_context("fork" if fork else None)
    return ProcessPoolExecutor(
        processes - 1, mp_context=context, initializer=_share, initargs=(shared,)
    )


def _keys_of_chunk(chunk: Sequence[tuple[int, int, int]]) -> list[list[float]]:
    seed, groups = _shared
    return [organization_keys(seed, groups[j][0][a:b], groups[j][1]) for j, a, b in chunk]


def _chunks(sizes: Sequence[int], parts: int) -> list[list[tuple[int, int, int]]]:
    """The jobs of ``sizes`` codes cut into ``parts`` runs of (job, start, end) slices of about
    equal total length, in order."""
    step = -(-sum(sizes) // parts)
    chunks: list[list[tuple[int, int, int]]] = [[] for _ in range(parts)]
    offset = 0
    for job, size in enumerate(sizes):
        start = 0
        while start < size:
            part = (offset + start) // step
            end = min(size, (part + 1) * step - offset)
            chunks[part].append((job, start, end))
            start = end
        offset += size
    return chunks


def keys_in_groups(
    seed: str, groups: Sequence[tuple[Sequence[str], str]], processes: int = 1
) -> list[list[float]]:
    """``organization_keys`` of each (usccs, weight) group. With ``processes`` > 1 and at least
    ``PARALLEL_MIN`` organizations, the work is cut into ``processes`` equal runs and all but the
    first go to child processes (``concurrent.futures``; forked on Linux, so the
    codes are not copied). The keys are the same whichever way they are computed."""
    sizes = [len(usccs) for usccs, _w in groups]
    if processes <= 1 or sum(sizes) < PARALLEL_MIN:
        return [organization_keys(seed, usccs, weight) for usccs, weight in groups]
    chunks = _chunks(sizes, processes)
    with _helpers(processes, (seed, groups)) as pool:
        futures = [pool.submit(_keys_of_chunk, chunk) for chunk in chunks[1:]]
        done = [[organization_keys(seed, groups[j][0][a:b], groups[j][1]) for j, a, b in chunks[0]]]
        done += [future.result() for future in futures]
    keys: list[list[float]] = [[] for _ in groups]
    for chunk, results in zip(chunks, done, strict=True):
        for (job, _a, _b), part in zip(chunk, results, strict=True):
            keys[job] += part
    return keys


def _largest(
    groups: Sequence[tuple[Sequence[str], str]], keys: Sequence[list[float]], k: int
) -> list[tuple[str, str]]:
    """(uscc, weight) of the ``k`` organizations of one stratum with the largest key, ties broken
    by credit code ascending, without sorting them all: the k-th largest key is the threshold;
    everything above it is in, and those exactly at it are taken by credit code."""
    size = sum(len(usccs) for usccs, _w in groups)
    if k <= 0:
        return []
    if k >= size:
        return [(u, weight) for usccs, weight in groups for u in usccs]
    threshold = heapq.nlargest(k, chain.from_iterable(keys))[-1]
    above: list[tuple[str, str]] = []
    at: list[tuple[str, str]] = []
    for (usccs, weight), group_keys in zip(groups, keys, strict=True):
        above += zip(compress(usccs, map(gt, group_keys, repeat(threshold))), repeat(weight))
        at += zip(compress(usccs, map(eq, group_keys, repeat(threshold))), repeat(weight))
    return above + sorted(at)[: k - len(above)]


def inspector_order_hash(seed: str, uscc: str, inspector_id: str) -> str:
    return hashlib.sha256(f"{seed}:{uscc}:{inspector_id}".encode()).hexdigest()


def grouped(pool: Iterable[Entry]) -> dict[str, dict[str, list[str]]]:
    """The pool as stratum → published weight → credit codes; refuses a code seen twice."""
    rows = list(pool)
    codes = list(map(itemgetter(0), rows))
    if len(set(codes)) != len(codes):
        seen: set[str] = set()
        twice = next(u for u in codes if u in seen or seen.add(u))  # type: ignore[func-returns-value]
        raise DrawError(f"credit code {twice} appears twice in the pool")
    texts = {w: weight_text(w) for w in set(map(itemgetter(2), rows))}
    by_key: dict[tuple[str, Any], list[str]] = defaultdict(list)
    for uscc, stratum, weight in rows:
        by_key[stratum, weight].append(uscc)
    groups: dict[str, dict[str, list[str]]] = {}
    for (stratum, weight), usccs in by_key.items():
        groups.setdefault(stratum, {}).setdefault(texts[weight], []).extend(usccs)
    return groups


def select(
    seed: str,
    pool: Sequence[Entry],
    ratios: Mapping[str, Decimal | float | str],
    processes: int = 1,
) -> tuple[tuple[Stratum, ...], list[PoolEntry]]:
    """Steps 3 and 4: the strata (sorted by name) and the selected entries in (stratum, uscc) order."""
    return select_grouped(seed, grouped(pool), ratios, processes)


def select_grouped(
    seed: str,
    pool: Mapping[str, Mapping[str, Sequence[str]]],
    ratios: Mapping[str, Decimal | float | str],
    processes: int = 1,
) -> tuple[tuple[Stratum, ...], list[PoolEntry]]:
    """``select`` of a pool given as stratum → weight → credit codes, each code once (as a
    database with a unique credit code per pool reads it, without a row object per
    organization); the selected entries carry their published weight text."""
    check_seed(seed)
    names = sorted(pool)
    for name in names:
        if name not in ratios:
            raise DrawError(f"no ratio for stratum {name}")
    layout = [
        [(usccs, weight_text(weight)) for weight, usccs in sorted(pool[name].items())]
        for name in names
    ]
    keys = iter(keys_in_groups(seed, [g for groups in layout for g in groups], processes))
    strata: list[Stratum] = []
    chosen: list[PoolEntry] = []
    for name, groups in zip(names, layout, strict=True):
        size = sum(len(usccs) for usccs, _w in groups)
        k = stratum_k(ratios[name], size)
        strata.append(Stratum(name, size, ratio_text(ratios[name]), k))
        picked = _largest(groups, [next(keys) for _g in groups], k)
        chosen += (PoolEntry(u, name, w) for u, w in sorted(picked))
    return tuple(strata), chosen


# Ranking all the inspectors of an organization costs about twice walking the lowest load
# levels (about half the inspectors): when child processes help the assignment, they rank the
# inspectors of the last organizations while this process walks the first ones.
_FULL_RANKING_COST = 2.0


def _rankings(span: tuple[int, int]) -> list[list[int]]:
    """For each selected organization of ``span``: the positions of all the inspectors, by
    (hash, id) ascending."""
    seed, usccs, inspectors = _shared
    encoded = [inspector.encode() for inspector in inspectors]
    positions = range(len(inspectors))
    rankings = []
    for uscc in usccs[span[0] : span[1]]:
        copy = hashlib.sha256(f"{seed}:{uscc}:".encode()).copy
        digests = []
        for name in encoded:
            h = copy()
            h.update(name)
            digests.append(h.digest())
        rankings.append(
            [n for _d, _i, n in sorted(zip(digests, inspectors, positions, strict=True))]
        )
    return rankings


def _helped_spans(count: int, work: int, processes: int) -> list[tuple[int, int]]:
    """The spans of the selected organizations whose inspectors child processes rank."""
    if processes <= 1 or work < PARALLEL_MIN:
        return []
    start = round(count * _FULL_RANKING_COST / (processes - 1 + _FULL_RANKING_COST))
    step = max(1, -(-(count - start) // (processes - 1)))
    return [(a, min(count, a + step)) for a in range(start, count, step)]


def assign(
    seed: str,
    chosen: Sequence[PoolEntry],
    inspectors: Sequence[str],
    conflicts: Iterable[tuple[str, str, str]],
    processes: int = 1,
) -> tuple[tuple[Selection, ...], tuple[str, ...]]:
    """Step 5 (``assigned``): the selections, and the organizations with fewer than two
    eligible inspectors."""
    selected = tuple(assigned(seed, chosen, inspectors, conflicts, processes))
    short = tuple(s.uscc for s in selected if len(s.inspectors) < INSPECTORS_PER_ORGANIZATION)
    return selected, short


def assigned(
    seed: str,
    chosen: Sequence[PoolEntry],
    inspectors: Sequence[str],
    conflicts: Iterable[tuple[str, str, str]],
    processes: int = 1,
) -> Iterator[Selection]:
    """Step 5: two eligible inspectors per selected organization, least-loaded first (RI-5),
    one organization after the other in (stratum, credit code) order.

    Ordering every eligible inspector by (load, hash) and taking the first two is the same as
    walking the load levels upwards and, within a level, taking the smallest hashes: only the
    inspectors of the lowest levels needed are hashed (``digest`` orders as ``hexdigest``), each
    from a copy of the organization's hashed ``"{seed}:{uscc}:"`` prefix. With ``processes`` >
    1, child processes rank all the inspectors of the last organizations in advance
    (``_rankings``) and the walk reads their rankings: the same result."""
    barred: dict[str, set[str]] = defaultdict(set)
    for inspector, uscc, _reason in conflicts:
        barred[uscc].add(inspector)
    encoded = {inspector: inspector.encode() for inspector in inspectors}
    load = dict.fromkeys(inspectors, 0)
    levels: dict[int, set[str]] = {0: set(inspectors)} if inspectors else {}

    def walked(uscc: str, excluded: set[str] | None) -> list[str]:
        copy = hashlib.sha256(f"{seed}:{uscc}:".encode()).copy
        picked: list[str] = []
        for level in sorted(levels):
            need = INSPECTORS_PER_ORGANIZATION - len(picked)
            if need <= 0:
                break
            ranked = []
            for inspector in levels[level] - excluded if excluded else levels[level]:
                h = copy()
                h.update(encoded[inspector])
                ranked.append((h.digest(), inspector))
            picked += [i for _h, i in heapq.nsmallest(need, ranked)]
        return picked

    def read(ranking: list[int], excluded: set[str] | None) -> list[str]:
        picked: list[str] = []
        for level in sorted(levels):
            if len(picked) >= INSPECTORS_PER_ORGANIZATION:
                break
            members = levels[level]
            for n in ranking:
                inspector = inspectors[n]
                if inspector in members and not (excluded and inspector in excluded):
                    picked.append(inspector)
                    if len(picked) >= INSPECTORS_PER_ORGANIZATION:
                        break
        return picked

    ordered = sorted(chosen, key=lambda e: (e.stratum, e.uscc))
    spans = _helped_spans(len(ordered), len(ordered) * len(inspectors), processes)
    with ExitStack() as stack:
        rankings: Iterator[list[int]] = iter(())
        if spans:
            shared = ([e.uscc for e in ordered], list(inspectors))
            pool = stack.enter_context(_helpers(len(spans) + 1, (seed, *shared)))
            futures = [pool.submit(_rankings, span) for span in spans]
            rankings = chain.from_iterable(future.result() for future in futures)
        helped_from = spans[0][0] if spans else len(ordered)
        for position, entry in enumerate(ordered):
            excluded = barred.get(entry.uscc)
            if position < helped_from:
                picked = walked(entry.uscc, excluded)
            else:
                picked = read(next(rankings), excluded)
            for inspector in picked:
                levels[load[inspector]].discard(inspector)
                if not levels[load[inspector]]:
                    del levels[load[inspector]]
                load[inspector] += 1
                levels.setdefault(load[inspector], set()).add(inspector)
            yield Selection(entry.uscc, entry.stratum, tuple(picked))


def draw(
    seed: str,
    pool: Sequence[Entry],
    ratios: Mapping[str, Decimal | float | str],
    inspectors: Sequence[str],
    conflicts: Iterable[tuple[str, str, str]] = (),
    processes: int = 1,
) -> DrawResult:
    if len(set(inspectors)) != len(inspectors):
        raise DrawError("an inspector appears twice in the pool")
    strata, chosen = select(seed, pool, ratios, processes)
    selected, shortfalls = assign(seed, chosen, inspectors, conflicts, processes)
    return DrawResult(strata, selected, shortfalls)


def _bundle_input(
    bundle: Mapping[str, Any],
) -> tuple[list[Entry], dict[str, Any], list[str], list[tuple[str, str, str]]]:
    """The draw's input from a bundle, as plain tuples (a million entries are read in C-level
    loops, without an object per entry beyond the tuple)."""
    pool = list(map(itemgetter("uscc", "stratum", "weight"), bundle["pool"]))
    ratios = {s["stratum"]: s["ratio"] for s in bundle["strata"]}
    inspectors = [str(i["id"]) for i in bundle["inspectors"]]
    rows = bundle["conflicts"]
    conflicts = list(
        zip(
            map(str, map(itemgetter("inspector"), rows)),
            map(itemgetter("uscc"), rows),
            map(itemgetter("reason"), rows),
            strict=True,
        )
    )
    return pool, ratios, inspectors, conflicts


def result_from_bundle(bundle: Mapping[str, Any], processes: int = 1) -> DrawResult:
    """Recompute a draw from the public bundle (its ``seed`` must be revealed)."""
    return draw(bundle["seed"], *_bundle_input(bundle), processes=processes)


@contextmanager
def gc_paused() -> Iterator[None]:
    """The cyclic garbage collector off while a bundle's millions of objects are made and read
    (it would walk them all again and again, finding nothing to free)."""
    enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if enabled:
            gc.enable()


def verify_bundle(bundle: Mapping[str, Any], processes: int = 1) -> list[str]:
    """Every discrepancy between a revealed bundle and its recomputation; empty when it verifies.
    ``processes`` > 1 computes the keys of a large pool in that many processes (same result)."""
    with gc_paused():
        return _verify(bundle, processes)


def _verify(bundle: Mapping[str, Any], processes: int) -> list[str]:
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
    result = draw(seed, pool, ratios, inspectors, conflicts, processes)
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
