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
    assert draw._keys(SEED, pool) == [draw.organization_key(SEED, e.uscc, e.weight) for e in pool]
    tied = [draw.PoolEntry(u, "s", Decimal(1)) for u in ("C", "A", "D", "B")]
    picked = draw._largest(tied, [-1.0, -2.0, -2.0, -2.0], 2)
    assert [e.uscc for e in picked] == ["C", "A"]


@given(st.integers(1, 99_999_999))
def test_a_stored_weight_read_as_a_float_keeps_its_published_text(milli: int) -> None:
    stored = Decimal(milli) / 1000
    assert draw.weight_text(float(stored)) == f"{stored:.3f}"
