"""The random-inspection draw (RI-2, RI-3, RI-5) recomputed by an independent, minimal
implementation of the documented algorithm, and its properties over random pools."""

from __future__ import annotations

import hashlib
import math
from collections import Counter
from decimal import Decimal

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from socorg.supervision import draw

SEED = "0f" * 32


def minimal_draw(seed, pool, ratios, inspectors, conflicts):
    """The README's algorithm in a dozen lines, sharing no code with ``draw.py``."""
    strata = sorted({s for _, s, _ in pool})
    chosen = []
    for name in strata:
        members = [(u, w) for u, s, w in pool if s == name]
        k = math.ceil(Decimal(ratios[name]) * len(members))

        def key(m):
            h = hashlib.sha256(f"{seed}:{m[0]}".encode()).hexdigest()
            return math.log((int(h[:13], 16) + 0.5) / 16**13) / float(m[1])

        best = sorted(members, key=lambda m: (-key(m), m[0]))[:k]
        chosen += [(name, u) for u, _ in best]
    load = dict.fromkeys(inspectors, 0)
    out = []
    for name, u in sorted(chosen):
        ok = [i for i in inspectors if (i, u) not in conflicts]
        ok.sort(key=lambda i: (load[i], hashlib.sha256(f"{seed}:{u}:{i}".encode()).hexdigest()))
        for i in ok[:2]:
            load[i] += 1
        out.append((u, name, tuple(ok[:2])))
    return out


def _pool(n: int, strata: tuple[str, ...] = ("social_group:city", "foundation:county")):
    return [
        draw.PoolEntry(f"51371100MJ{i:07d}X", strata[i % len(strata)], Decimal("1.000") + (i % 3))
        for i in range(n)
    ]


def test_ri2_draw_matches_an_independent_minimal_implementation() -> None:
    pool = _pool(200)
    ratios = {"social_group:city": "0.04", "foundation:county": "0.03"}
    inspectors = [str(i) for i in range(1, 8)]
    conflicts = {("1", pool[0].uscc), ("2", pool[5].uscc), ("3", pool[10].uscc)}
    result = draw.draw(
        SEED, pool, ratios, inspectors, [draw.Conflict(i, u, "declared") for i, u in conflicts]
    )
    expected = minimal_draw(
        SEED, [(e.uscc, e.stratum, e.weight) for e in pool], ratios, inspectors, conflicts
    )
    assert [(s.uscc, s.stratum, s.inspectors) for s in result.selected] == expected
    assert [(s.stratum, s.size, s.k) for s in result.strata] == [
        ("foundation:county", 100, 3),
        ("social_group:city", 100, 4),
    ]


def test_ri2_same_seed_same_result_and_one_flipped_bit_changes_it() -> None:
    pool = _pool(500)
    ratios = {"social_group:city": "0.04", "foundation:county": "0.03"}
    inspectors = [str(i) for i in range(10)]
    first = draw.draw(SEED, pool, ratios, inspectors)
    assert draw.draw(SEED, list(reversed(pool)), ratios, inspectors) == first
    flipped = f"{int(SEED, 16) ^ 1:064x}"
    assert flipped != SEED
    assert draw.draw(flipped, pool, ratios, inspectors).selected != first.selected


def test_ri3_k_uses_exact_decimal_ratio() -> None:
    # 0.03 × 100 is 3.0000000000000004 in binary floating point; the draw must take 3.
    assert draw.stratum_k("0.03", 100) == 3
    assert draw.stratum_k(Decimal("0.03"), 101) == 4
    assert draw.stratum_k("0.05", 1) == 1


def test_commitment_and_pool_hash_follow_the_documented_text() -> None:
    assert draw.commitment(SEED) == hashlib.sha256(SEED.encode()).hexdigest()
    pool = [draw.PoolEntry("B", "s", Decimal("2")), draw.PoolEntry("A", "t", Decimal("1.2345"))]
    assert draw.pool_text(pool) == "A\tt\t1.235\nB\ts\t2.000\n"
    assert draw.pool_hash(pool) == hashlib.sha256(b"A\tt\t1.235\nB\ts\t2.000\n").hexdigest()


@pytest.mark.parametrize("seed", ["", "0F" * 32, "0f" * 31, "g" * 64])
def test_draw_refuses_a_malformed_seed(seed: str) -> None:
    with pytest.raises(draw.DrawError):
        draw.draw(seed, _pool(3), {"social_group:city": "0.5", "foundation:county": "0.5"}, [])


def test_ri5_too_few_eligible_inspectors_are_reported_not_skipped() -> None:
    pool = _pool(4, ("s",))
    conflicts = [draw.Conflict("a", e.uscc, "department") for e in pool]
    result = draw.draw(SEED, pool, {"s": "1"}, ["a", "b"], conflicts)
    assert len(result.selected) == 4
    assert set(result.shortfalls) == {e.uscc for e in pool}
    assert all(s.inspectors == ("b",) for s in result.selected)


def test_verify_bundle_detects_a_changed_selection() -> None:
    pool = _pool(60)
    ratios = {"social_group:city": "0.1", "foundation:county": "0.1"}
    result = draw.draw(SEED, pool, ratios, ["1", "2", "3"])
    bundle = {
        "algorithm": draw.ALGORITHM,
        "seed": SEED,
        "commitment": draw.commitment(SEED),
        "pool_hash": draw.pool_hash(pool),
        "strata": [
            {"stratum": s.stratum, "size": s.size, "ratio": s.ratio, "k": s.k}
            for s in result.strata
        ],
        "pool": [
            {"uscc": e.uscc, "stratum": e.stratum, "weight": draw.weight_text(e.weight)}
            for e in pool
        ],
        "inspectors": [{"id": i, "department": None} for i in ["1", "2", "3"]],
        "conflicts": [],
        "selected": [
            {"uscc": s.uscc, "stratum": s.stratum, "inspectors": list(s.inspectors)}
            for s in result.selected
        ],
    }
    assert draw.verify_bundle(bundle) == []
    bundle["selected"][0]["uscc"] = (
        pool[-1].uscc if bundle["selected"][0]["uscc"] != pool[-1].uscc else pool[0].uscc
    )
    assert draw.verify_bundle(bundle)
    bundle["seed"] = "1f" * 32
    assert "commitment does not match sha256(seed)" in draw.verify_bundle(bundle)


pools = st.lists(
    st.tuples(st.sampled_from(["a", "b", "c"]), st.integers(1, 5000)), min_size=1, max_size=60
)


@settings(max_examples=60, deadline=None)
@given(
    entries=pools,
    ratio=st.sampled_from(["0.03", "0.04", "0.05", "0.1", "0.5", "1"]),
    n_inspectors=st.integers(0, 8),
    conflict_bits=st.lists(st.booleans(), max_size=400),
    seed=st.binary(min_size=32, max_size=32).map(bytes.hex),
)
def test_ri3_ri5_properties_over_random_pools(entries, ratio, n_inspectors, conflict_bits, seed):
    pool = [
        draw.PoolEntry(f"U{i:05d}", stratum, Decimal(w) / 1000)
        for i, (stratum, w) in enumerate(entries)
    ]
    ratios = dict.fromkeys("abc", ratio)
    inspectors = [f"i{j}" for j in range(n_inspectors)]
    pairs = [(i, e.uscc) for e in pool for i in inspectors]
    conflicts = {p for p, bit in zip(pairs, conflict_bits, strict=False) if bit}
    result = draw.draw(
        seed, pool, ratios, inspectors, [draw.Conflict(i, u, "x") for i, u in conflicts]
    )
    expected = minimal_draw(
        seed, [(e.uscc, e.stratum, e.weight) for e in pool], ratios, inspectors, conflicts
    )
    assert [(s.uscc, s.stratum, s.inspectors) for s in result.selected] == expected
    sizes = Counter(e.stratum for e in pool)
    picked = Counter(s.stratum for s in result.selected)
    for stratum, size in sizes.items():  # RI-3: the ratio is met in every stratum
        assert picked[stratum] == math.ceil(Decimal(ratio) * size) >= Decimal(ratio) * size
    for s in result.selected:  # RI-5: never a conflicted inspector, two where possible
        assert not {(i, s.uscc) for i in s.inspectors} & conflicts
        eligible = sum((i, s.uscc) not in conflicts for i in inspectors)
        assert len(s.inspectors) == min(2, eligible)
        assert (s.uscc in result.shortfalls) == (eligible < 2)
    if not conflicts and n_inspectors >= 2:  # loads within one of each other
        loads = Counter(i for s in result.selected for i in s.inspectors)
        counts = [loads[i] for i in inspectors]
        assert max(counts) - min(counts) <= 1


def test_ri2_bulk_keys_equal_the_documented_key_and_ties_go_by_credit_code() -> None:
    pool = _pool(300)
    for weight in ("1.000", "2.5", Decimal("0.001")):
        assert draw.organization_keys(SEED, [e.uscc for e in pool], weight) == [
            draw.organization_key(SEED, e.uscc, weight) for e in pool
        ]
    groups = [(["C", "A"], "1.000"), (["D", "B"], "2.000")]
    picked = draw._largest(groups, [[-1.0, -2.0], [-2.0, -2.0]], 2)
    assert picked == [("C", "1.000"), ("A", "1.000")]


def test_ri2_keys_in_parallel_processes_equal_the_serial_keys(monkeypatch) -> None:
    """The keys computed in child processes, cut across groups at any point, are the serial
    keys in the same order."""
    monkeypatch.setattr(draw, "PARALLEL_MIN", 0)
    groups = [
        ([f"U{n:06d}" for n in range(size)], weight)
        for size, weight in ((7, "1.000"), (1, "2.000"), (0, "1.500"), (23, "3.000"))
    ]
    serial = draw.keys_in_groups(SEED, groups)
    assert serial == [draw.organization_keys(SEED, usccs, w) for usccs, w in groups]
    for processes in (2, 3, 5):
        assert draw.keys_in_groups(SEED, groups, processes) == serial


def test_ri2_chunks_cover_every_code_once_in_order() -> None:
    for sizes, parts in (([7, 1, 0, 23], 2), ([5], 3), ([1, 1, 1], 5), ([100, 3], 4)):
        chunks = draw._chunks(sizes, parts)
        assert len(chunks) == parts
        flat = [(j, n) for chunk in chunks for j, a, b in chunk for n in range(a, b)]
        assert flat == [(j, n) for j, size in enumerate(sizes) for n in range(size)]


def test_ri2_a_large_pool_drawn_in_two_processes_equals_the_serial_draw() -> None:
    pool = _pool(draw.PARALLEL_MIN + 1_000, ("social_group:city", "foundation:county", "x"))
    ratios = {"social_group:city": "0.04", "foundation:county": "0.03", "x": "0.05"}
    inspectors = [str(i) for i in range(12)]
    serial = draw.draw(SEED, pool, ratios, inspectors)
    assert draw.draw(SEED, pool, ratios, inspectors, processes=2) == serial


def test_ri2_select_on_grouped_codes_equals_select_on_entries() -> None:
    pool = _pool(400, ("a", "b"))
    ratios = dict.fromkeys("ab", "0.1")
    groups = draw.grouped(pool)
    assert set(groups) == {"a", "b"} and set(groups["a"]) == {"1.000", "2.000", "3.000"}
    assert draw.select_grouped(SEED, groups, ratios) == draw.select(SEED, pool, ratios)
    with pytest.raises(draw.DrawError, match="twice"):
        draw.grouped([*pool, pool[3]])


def test_pool_text_is_the_documented_line_per_organization() -> None:
    pool = _pool(50)
    expected = "".join(
        f"{e.uscc}\t{e.stratum}\t{Decimal(e.weight).quantize(Decimal('0.001'))}\n"
        for e in sorted(pool, key=lambda e: e.uscc)
    )
    assert draw.pool_text(reversed(pool)) == expected


@given(st.integers(1, 99_999_999))
def test_a_stored_weight_read_as_a_float_keeps_its_published_text(milli: int) -> None:
    stored = Decimal(milli) / 1000
    assert draw.weight_text(float(stored)) == f"{stored:.3f}"


def test_ri5_assignment_helped_by_child_processes_equals_the_serial_assignment(
    monkeypatch,
) -> None:
    """Child processes rank every inspector of the last organizations in advance; the
    assignment read from their rankings is the lazily walked one, conflicts and shortfalls
    included."""
    monkeypatch.setattr(draw, "PARALLEL_MIN", 0)
    pool = _pool(600, ("a", "b"))
    inspectors = [str(i) for i in range(1, 9)]
    conflicts = [
        draw.Conflict(inspectors[(n * 7) % 8], e.uscc, "department")
        for n, e in enumerate(pool)
        if n % 3
    ] + [draw.Conflict(i, pool[0].uscc, "declared") for i in inspectors[1:]]
    _strata, chosen = draw.select(SEED, pool, {"a": "0.2", "b": "0.3"})
    chosen = [*chosen, pool[0]]
    serial = draw.assign(SEED, chosen, inspectors, conflicts)
    assert pool[0].uscc in serial[1]
    for processes in (2, 3):
        assert draw._helped_spans(len(chosen), 1, processes)
        assert draw.assign(SEED, chosen, inspectors, conflicts, processes) == serial


@settings(max_examples=15, deadline=None)
@given(
    entries=pools,
    n_inspectors=st.integers(0, 6),
    conflict_bits=st.lists(st.booleans(), max_size=300),
)
def test_ri5_helped_assignment_equals_serial_over_random_pools(
    entries, n_inspectors, conflict_bits
) -> None:
    pool = [draw.PoolEntry(f"U{i:05d}", stratum, "1") for i, (stratum, _w) in enumerate(entries)]
    inspectors = [f"i{j}" for j in range(n_inspectors)]
    pairs = [(i, e.uscc) for e in pool for i in inspectors]
    conflicts = [
        draw.Conflict(i, u, "x") for (i, u), bit in zip(pairs, conflict_bits, strict=False) if bit
    ]
    previous, draw.PARALLEL_MIN = draw.PARALLEL_MIN, 0
    try:
        helped = draw.assign(SEED, pool, inspectors, conflicts, 2)
    finally:
        draw.PARALLEL_MIN = previous
    assert helped == draw.assign(SEED, pool, inspectors, conflicts)
